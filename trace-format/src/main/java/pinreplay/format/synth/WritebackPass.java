package pinreplay.format.synth;

/** The flusher (a kworker) writing back a file's dirty folios: clean, then write-protect their PTEs. */
final class WritebackPass extends Actor {
    private final Task kworker;
    private final long ino;
    private final double rate;

    WritebackPass(Synth s, Task kworker, long ino, double rate) {
        super(s.gap(rate));
        this.kworker = kworker;
        this.ino = ino;
        this.rate = rate;
    }

    @Override
    protected long act(Synth s, long now) {
        s.emit.writeback(kworker, now, ino);
        return s.later(now, rate);
    }
}
