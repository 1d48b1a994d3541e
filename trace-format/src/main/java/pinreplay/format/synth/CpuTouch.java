package pinreplay.format.synth;

/**
 * A CPU touching a mapping (a vCPU running the guest, an application): a {@code fault} line per
 * touch, followed on a regular file by the tracepoints the fault causes in the kernel: the page
 * entering the page cache, and a clean page being dirtied by a write (page_mkwrite).
 */
final class CpuTouch extends Actor {
    private final Task task;
    private final Mapping m;
    private final double rate;
    private final double writeRatio;

    CpuTouch(Synth s, Task task, Mapping m, double rate, double writeRatio) {
        super(s.gap(rate));
        this.task = task;
        this.m = m;
        this.rate = rate;
        this.writeRatio = writeRatio;
    }

    @Override
    protected long act(Synth s, long now) {
        long off = s.offset(m.len(), Synth.PAGE, Synth.PAGE);
        boolean write = s.chance(writeRatio);
        s.emit.fault(task, now, m.addr() + off, Synth.PAGE, write);
        FileState f = m.file();
        if (f != null) {
            long index = off / Synth.PAGE;
            if (f.addToCache(index)) {
                s.emit.filemapAdd(task, now, f.ino, 0x100000 + s.rnd.nextInt(0x400000), index);
            }
            if (write && f.dirty(index)) {
                s.emit.writebackDirtyFolio(task, now, f.ino, index);
            }
        }
        return s.later(now, rate);
    }
}
