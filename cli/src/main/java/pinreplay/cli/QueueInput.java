package pinreplay.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import pinreplay.format.BlockSink;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueEnd;
import pinreplay.format.queue.QueueReader;

/**
 * Reads a queue into a sink. Kept apart from the commands that also read text, so that replaying a
 * text trace never loads a Chronicle class.
 */
public final class QueueInput {
    private QueueInput() {
    }

    /**
     * Reads the whole queue; a queue that is incomplete or stopped early throws (exit 3) after its
     * readable prefix went to the sink.
     */
    public static void readTo(Path dir, BlockSink sink) {
        readTo(dir, sink, false, null);
    }

    /**
     * Reads what the queue holds. When it is not complete (its writer is still appending or is gone,
     * or the ingest stopped early) the sink has the exact prefix that could be read, and then: with
     * {@code allowIncomplete}, one line on {@code err} says how far it goes; without, that line is
     * thrown (exit 3).
     */
    public static QueueEnd readTo(Path dir, BlockSink sink, boolean allowIncomplete, PrintWriter err) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": no such queue directory");
        }
        try (EventQueue queue = EventQueue.open(dir); QueueReader reader = queue.reader()) {
            return checked(reader.readTo(sink), allowIncomplete, err);
        }
    }

    /** {@code end} if complete or allowed (then said on {@code err}); else its failure is thrown. */
    static QueueEnd checked(QueueEnd end, boolean allowIncomplete, PrintWriter err) {
        if (end.complete() || end.state() == QueueEnd.State.INTERRUPTED) {
            return end;
        }
        if (!allowIncomplete) {
            throw end.failure();
        }
        err.println("pinreplay: " + end.message());
        err.flush();
        return end;
    }
}
