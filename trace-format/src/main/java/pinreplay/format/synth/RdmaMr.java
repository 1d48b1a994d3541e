package pinreplay.format.synth;

/** An RDMA application registering memory regions (ib_umem_get, FOLL_LONGTERM) and a NIC accessing them. */
final class RdmaMr implements Scenario {
    @Override
    public String name() {
        return "rdma-mr";
    }

    @Override
    public String description() {
        return "An RDMA application (ib_write_bw) registers memory regions over a chosen backing (long-term pins"
                + " through ib_umem_get) and the NIC reads and writes them; optional host writeback and"
                + " punch-holes of a file backing. fsdax backings are refused since 4.15; shared writable file"
                + " backings from 6.5.";
    }

    @Override
    public Params params() {
        return new Params(name())
                .word("backing", "anon", "memory behind the regions", Backing.CHOICES.toArray(new String[0]))
                .word("share", "off", "MAP_SHARED (on) or MAP_PRIVATE (off) for file backings", "on", "off")
                .value("mrs", "2", "memory regions")
                .value("mr-size", "64M", "bytes per region")
                .value("dma-rate", "5000", "NIC operations per second per region")
                .value("dma-write", "0.5", "share of NIC operations that write memory")
                .value("writeback-rate", "0", "writeback passes per second over a file backing")
                .value("punch-hole-rate", "0", "punch-holes per second in a file backing")
                .value("truncate-rate", "0", "truncates per second of a file backing");
    }

    @Override
    public void setup(Synth s, Params p) {
        Task app = s.process("ib_write_bw");
        long size = Synth.align(p.size("mr-size"), Synth.PAGE);
        String backing = p.get("backing");
        for (int i = 0, n = Math.max(1, p.integer("mrs")); i < n; i++) {
            Mapping m = Backing.map(s, app, backing, p.flag("share"), size);
            Word mr = s.handle("mr");
            s.emit.rdmaRegMr(app, s.tick(), mr, m.addr(), size, s.emit.write);
            s.add(new DmaTraffic(s, app, mr, false, 0, size, p.number("dma-rate"), p.number("dma-write"), 4096, 65536));
            Housekeeping.add(s, p, m, Backing.fsOf(backing));
        }
    }
}
