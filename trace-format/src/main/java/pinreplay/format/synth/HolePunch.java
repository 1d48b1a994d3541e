package pinreplay.format.synth;

/**
 * Host housekeeping that frees blocks of a file (punch-hole, or a shrinking truncate then regrowth),
 * after which another file allocates the same amount: on a filesystem that reuses freed blocks,
 * that is how a block truncated under DMA ends up in another file (seed 001). One event per action,
 * so events of other actors interleave in time order.
 */
final class HolePunch extends Actor {
    private static final int FREE = 0, REGROW = 1, REALLOCATE = 2;

    private final Task task;
    private final long ino;
    private final FileState file;
    private final long fileSize;
    private final double rate;
    private final boolean truncate;
    private final long victimIno;
    private final long chunk;
    private final long window;
    private long victimSize;
    private int phase = FREE;

    /** Punch-holes fall in {@code [window, fileSize)}; a shrinking truncate always frees the last chunk. */
    HolePunch(Synth s, Task task, long ino, FileState file, long fileSize, double rate, boolean truncate, long victimIno,
            long chunk, long window) {
        super(s.gap(rate));
        this.task = task;
        this.ino = ino;
        this.file = file;
        this.fileSize = fileSize;
        this.rate = rate;
        this.truncate = truncate;
        this.victimIno = victimIno;
        this.chunk = Math.min(chunk, fileSize);
        this.window = Math.max(0, Math.min(window, fileSize - this.chunk));
    }

    @Override
    protected long act(Synth s, long now) {
        Emitter e = s.emit;
        long soon = now + 1_000L * (5 + s.rnd.nextInt(50));
        switch (phase) {
            case FREE -> {
                long from = truncate ? fileSize - chunk : window + s.offset(fileSize - window, chunk, Synth.HUGE);
                if (truncate) {
                    e.ftruncate(task, now, ino, from);
                    phase = REGROW;
                } else {
                    e.fallocate(task, now, ino, e.punchHole, from, chunk);
                    phase = REALLOCATE;
                }
                if (file != null) {
                    file.drop(from / Synth.PAGE, chunk / Synth.PAGE);
                }
                return soon;
            }
            case REGROW -> {
                e.ftruncate(task, now, ino, fileSize);
                phase = REALLOCATE;
                return soon;
            }
            default -> {
                e.fallocate(task, now, victimIno, e.allocate, victimSize, chunk);
                victimSize += chunk;
                phase = FREE;
                return s.later(now, rate);
            }
        }
    }
}
