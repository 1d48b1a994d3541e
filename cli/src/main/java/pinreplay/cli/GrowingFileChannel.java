package pinreplay.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

/**
 * Reads a file that another process is still appending to (a recording as {@code record} writes it): at
 * its end it runs {@code idle} (the ingest flushes its partial block there, so a {@code watch} sees the
 * events), waits and reads again, until {@code writing} says the writer has ended; then it reads what the
 * writer wrote last, and ends.
 */
final class GrowingFileChannel implements ReadableByteChannel {
    /** How long to wait at the end of the file before looking again: the delay a watcher sees at most. */
    private static final long POLL_MILLIS = 50;

    private final FileChannel file;
    private final BooleanSupplier writing;
    private Runnable idle = () -> { };

    GrowingFileChannel(Path path, BooleanSupplier writing) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.READ);
        this.writing = writing;
    }

    /** Runs {@code r} each time the reader has caught up with the writer. */
    GrowingFileChannel onIdle(Runnable r) {
        idle = r;
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (true) {
            int n = file.read(dst);
            if (n > 0 || !dst.hasRemaining()) {
                return n;
            }
            if (!writing.getAsBoolean()) {
                n = file.read(dst); // what the writer wrote between the last read and its end
                return n > 0 ? n : -1;
            }
            idle.run();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the recording");
            }
        }
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
