package pinreplay.format.synth;

/**
 * A device reading and writing what a registration pinned: vfio through IO virtual addresses,
 * RDMA, io_uring and raw pins through offsets into the registered range.
 */
final class DmaTraffic extends Actor {
    private final Task task;
    private final Word handle;
    private final boolean byIova;
    private final long base;
    private final long span;
    private final double rate;
    private final double writeRatio;
    private final long minLen;
    private final long maxLen;
    private boolean stopped;

    DmaTraffic(Synth s, Task task, Word handle, boolean byIova, long base, long span, double rate,
            double writeRatio, long minLen, long maxLen) {
        super(s.gap(rate));
        this.task = task;
        this.handle = handle;
        this.byIova = byIova;
        this.base = base;
        this.span = span;
        this.rate = rate;
        this.writeRatio = writeRatio;
        this.minLen = Math.min(minLen, span);
        this.maxLen = Math.min(maxLen, span);
    }

    /** The driver released the registration: the device no longer accesses it. */
    void stop() {
        stopped = true;
    }

    @Override
    protected long act(Synth s, long now) {
        if (stopped) {
            return DONE;
        }
        long len = s.length(minLen, maxLen);
        long at = base + s.offset(span, len, Synth.PAGE);
        s.emit.dma(task, now, s.chance(writeRatio), handle, byIova, at, len);
        return s.later(now, rate);
    }
}
