package pinreplay.format.synth;

/**
 * Seed 001: O_DIRECT into a DAX mapping while the DAX file is truncated or hole-punched and another
 * file takes the freed blocks. The page is the block: without the filesystem waiting for the pins
 * (before 4.18, or {@code dax-truncate=none}) the device writes into a block another file now owns.
 */
final class DaxTruncate implements Scenario {
    @Override
    public String name() {
        return "dax-truncate";
    }

    @Override
    public String description() {
        return "An application reads a disk file with O_DIRECT into an mmap of a file on a DAX filesystem (short"
                + " pins on the DAX blocks) while another task truncates or punches holes in the DAX file and a"
                + " third file is allocated from the freed blocks. longterm=1 also registers an RDMA region on the"
                + " DAX mapping (a long pin: truncate waits forever). The dax-truncate policy decides each outcome.";
    }

    @Override
    public Params params() {
        return new Params(name())
                .word("fs", "xfs", "DAX filesystem", "xfs", "ext4")
                .value("file-size", "1G", "DAX file size")
                .value("iodepth", "4", "O_DIRECT requests in flight")
                .value("io-size", "64K", "bytes per request")
                .value("rate", "1000", "O_DIRECT requests per second")
                .value("device-us", "200", "device latency per request, microseconds")
                .value("truncate-rate", "10", "shrink-and-regrow truncates of the DAX file per second")
                .value("punch-hole-rate", "0", "punch-holes in the DAX file per second (instead of truncates)")
                .value("io-span", "2M", "the application reads into the last io-span bytes of the DAX mapping, the"
                        + " blocks a shrinking truncate frees and the punch-holes hit")
                .word("longterm", "0", "also register an RDMA region on the DAX mapping", "0", "1");
    }

    @Override
    public void setup(Synth s, Params p) {
        Task app = s.process("dax_app");
        long size = Synth.align(p.size("file-size"), Synth.HUGE);
        String fs = p.get("fs");
        Mapping daxMap = Backing.mapFile(s, app, fs, 1, true, size);
        long span = Math.min(size, Math.max(Synth.HUGE, Synth.align(p.size("io-span"), Synth.HUGE)));
        long window = size - span;
        long diskIno = s.ino();
        s.emit.file(app, s.tick(), diskIno, s.emit.sym("ext4"), 0, 1L << 30);
        int depth = Math.max(1, p.integer("iodepth"));
        long deviceNs = Math.max(1, p.integer("device-us")) * 1_000L;
        for (int i = 0; i < depth; i++) {
            s.add(new DirectIo(s, app, s.handle("dio"), diskIno, 1L << 30, daxMap.addr() + window, span,
                    p.size("io-size"), p.number("rate") / depth, 1.0, deviceNs));
        }
        if (p.flag("longterm")) {
            Word mr = s.handle("mr");
            s.emit.rdmaRegMr(app, s.tick(), mr, daxMap.addr() + window, Synth.HUGE, s.emit.write);
            s.add(new DmaTraffic(s, app, mr, false, 0, Synth.HUGE, 500, 0.5, 4096, 65536));
        }
        Housekeeping.add(s, p, daxMap, fs, window);
    }
}
