package pinreplay.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import pinreplay.format.BlockSink;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueReader;

/**
 * Reads a queue into a sink. Kept apart from the commands that also read text, so that replaying a
 * text trace never loads a Chronicle class.
 */
public final class QueueInput {
    private QueueInput() {
    }

    public static void readTo(Path dir, BlockSink sink) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": no such queue directory");
        }
        try (EventQueue queue = EventQueue.open(dir); QueueReader reader = queue.reader()) {
            reader.readTo(sink);
        }
    }
}
