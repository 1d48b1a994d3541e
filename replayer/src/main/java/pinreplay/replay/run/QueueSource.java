package pinreplay.replay.run;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import pinreplay.format.EventHandler;
import pinreplay.format.EventReader;
import pinreplay.format.queue.AsyncBlockSink;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueEnd;
import pinreplay.format.queue.QueueException;
import pinreplay.format.queue.QueueReader;
import pinreplay.format.queue.RecordedRelease;

/** A queue written by {@code ingest}. Kept apart so that replaying text never loads a Chronicle class. */
public final class QueueSource extends TraceSource {
    private final Path dir;

    QueueSource(Path dir) {
        super(dir.toString());
        this.dir = dir;
    }

    /** The release the recording's header names, read from the comments the queue starts with. */
    @Override
    public String recordedRelease() {
        if (!Files.isDirectory(dir)) {
            return null; // readTo says what is missing
        }
        try (EventQueue queue = EventQueue.open(dir); QueueReader reader = queue.reader()) {
            return RecordedRelease.of(reader, false);
        }
    }

    /**
     * Reads what the queue holds. When it is not complete (its writer is still appending or is gone, or the
     * ingest stopped early) the handler has had the exact prefix that could be read, and then: with
     * {@code allowIncomplete}, one line on {@code warnings} says how far it goes; without, that is thrown.
     * The caller's thread reads, checks and decodes the blocks; the handler runs on a thread of its own
     * ({@link AsyncBlockSink}), so decoding the compact blocks (45-100 ns per event) overlaps the replay on
     * a second core. It sees the same blocks in the same order; a failure of the handler, or of the queue
     * (after the handler has had the blocks before it), is thrown here as it would be on one thread.
     */
    @Override
    public void readTo(EventHandler handler, boolean lenient, boolean allowIncomplete, PrintWriter warnings) {
        try (EventQueue queue = EventQueue.open(dir); QueueReader reader = queue.reader();
                AsyncBlockSink replay = new AsyncBlockSink(new EventReader(handler), "pinreplay-queue-replay")) {
            checked(reader.readTo(replay), allowIncomplete, warnings);
        }
    }

    /** {@code end} if complete or allowed (then said on {@code warnings}); else its failure is thrown. */
    public static QueueEnd checked(QueueEnd end, boolean allowIncomplete, PrintWriter warnings) {
        if (end.complete() || end.state() == QueueEnd.State.INTERRUPTED) {
            return end;
        }
        if (!allowIncomplete) {
            throw end.failure();
        }
        warnings.println("pinreplay: " + end.message());
        warnings.flush();
        return end;
    }
}
