package pinreplay.format.queue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * For {@link WriterLockTest}: another process holding a shared lock on a file, as a reader's probe does, for
 * as many milliseconds as it is told (a reader the machine keeps from running on). Prints a line once it holds it.
 */
public final class SharedLockProbe {
    private SharedLockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
            FileLock lock = ch.lock(0, Long.MAX_VALUE, true);
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
            lock.release();
        }
    }
}
