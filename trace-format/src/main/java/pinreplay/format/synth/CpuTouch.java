package pinreplay.format.synth;

/** A CPU touching a mapping (a vCPU running the guest, an application): {@code fault} lines, reads and writes. */
final class CpuTouch extends Actor {
    private final Task task;
    private final long addr;
    private final long span;
    private final double rate;
    private final double writeRatio;

    CpuTouch(Synth s, Task task, long addr, long span, double rate, double writeRatio) {
        super(s.gap(rate));
        this.task = task;
        this.addr = addr;
        this.span = span;
        this.rate = rate;
        this.writeRatio = writeRatio;
    }

    @Override
    protected long act(Synth s, long now) {
        s.emit.fault(task, now, addr + s.offset(span, Synth.PAGE, Synth.PAGE), Synth.PAGE, s.chance(writeRatio));
        return s.later(now, rate);
    }
}
