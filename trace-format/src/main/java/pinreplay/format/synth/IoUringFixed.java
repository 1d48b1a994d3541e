package pinreplay.format.synth;

/** io_uring fixed buffers: io_sqe_buffers_register pins them (FOLL_WRITE|FOLL_LONGTERM) until unregister. */
final class IoUringFixed implements Scenario {
    @Override
    public String name() {
        return "io-uring-fixed";
    }

    @Override
    public String description() {
        return "A storage application (fio) registers io_uring fixed buffers over a chosen backing; reads and"
                + " writes move data between the device and the buffers. Before 6.5 io_uring itself refuses any"
                + " file-backed buffer that is not shmem or hugetlbfs (-EOPNOTSUPP, even MAP_PRIVATE); from 6.5"
                + " GUP refuses only shared writable file mappings (-EFAULT).";
    }

    @Override
    public Params params() {
        return new Params(name())
                .word("backing", "anon", "memory behind the buffers", Backing.CHOICES.toArray(new String[0]))
                .word("share", "off", "MAP_SHARED (on) or MAP_PRIVATE (off) for file backings", "on", "off")
                .value("buffers", "4", "fixed buffers (registered as one range)")
                .value("buf-size", "1M", "bytes per buffer")
                .value("op-rate", "20000", "I/O operations per second")
                .value("read-ratio", "0.5", "share of operations that read from the device into the buffers")
                .value("writeback-rate", "0", "writeback passes per second over a file backing")
                .value("punch-hole-rate", "0", "punch-holes per second in a file backing")
                .value("truncate-rate", "0", "truncates per second of a file backing");
    }

    @Override
    public void setup(Synth s, Params p) {
        Task fio = s.process("fio");
        long len = Synth.align(p.size("buf-size"), Synth.PAGE) * Math.max(1, p.integer("buffers"));
        String backing = p.get("backing");
        Mapping m = Backing.map(s, fio, backing, p.flag("share"), len);
        Word ring = s.handle("ring");
        s.emit.ioUringRegister(fio, s.tick(), ring, m.addr(), len);
        s.add(new DmaTraffic(s, fio, ring, false, 0, len, p.number("op-rate"), p.number("read-ratio"), 4096,
                Synth.align(p.size("buf-size"), Synth.PAGE)));
        Housekeeping.add(s, p, m, Backing.fsOf(backing));
    }
}
