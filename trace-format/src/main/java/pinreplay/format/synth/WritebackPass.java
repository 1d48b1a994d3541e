package pinreplay.format.synth;

/** The flusher (a kworker) writing back a file's dirty folios: clean, then write-protect their PTEs. */
final class WritebackPass extends Actor {
    private final Task kworker;
    private final FileState file;
    private final double rate;

    WritebackPass(Synth s, Task kworker, FileState file, double rate) {
        super(s.gap(rate));
        this.kworker = kworker;
        this.file = file;
        this.rate = rate;
    }

    @Override
    protected long act(Synth s, long now) {
        s.emit.writeback(kworker, now, file.ino);
        file.cleanAll();
        return s.later(now, rate);
    }
}
