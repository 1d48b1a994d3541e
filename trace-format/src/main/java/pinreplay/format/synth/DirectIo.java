package pinreplay.format.synth;

/**
 * One slot of an O_DIRECT submitter at a fixed queue depth: submit into a buffer (short-term pins
 * on the buffer's pages), complete after the device latency, think, submit again. The handle is
 * reused by the slot, so a long run needs a bounded number of names.
 */
final class DirectIo extends Actor {
    private final Task task;
    private final Word handle;
    private final long ino;
    private final long fileSize;
    private final long buf;
    private final long bufSpan;
    private final long ioSize;
    private final double rate;
    private final double readRatio;
    private final long deviceNs;
    private boolean inFlight;

    DirectIo(Synth s, Task task, Word handle, long ino, long fileSize, long buf, long bufSpan, long ioSize,
            double rate, double readRatio, long deviceNs) {
        super(s.gap(rate));
        this.task = task;
        this.handle = handle;
        this.ino = ino;
        this.fileSize = fileSize;
        this.buf = buf;
        this.bufSpan = bufSpan;
        this.ioSize = Math.min(ioSize, Math.min(fileSize, bufSpan));
        this.rate = rate;
        this.readRatio = readRatio;
        this.deviceNs = deviceNs;
    }

    @Override
    protected long act(Synth s, long now) {
        if (inFlight) {
            s.emit.dioComplete(task, now, handle);
            inFlight = false;
            return s.later(now, rate);
        }
        s.emit.dioSubmit(task, now, handle, ino, s.offset(fileSize, ioSize, Synth.PAGE), ioSize,
                buf + s.offset(bufSpan, ioSize, Synth.PAGE), s.chance(readRatio));
        inFlight = true;
        return now + deviceNs / 2 + s.gap(2e9 / deviceNs);
    }
}
