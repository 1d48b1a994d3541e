package pinreplay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Locale;

/**
 * Passes reads through and, once more than {@code threshold} bytes went by, redraws one progress line
 * on stderr (at most four times a second): the percentage when the input's size is known, else the
 * bytes read. Only used when stderr is a terminal; the wall clock only paces the redraws.
 */
final class ProgressChannel implements ReadableByteChannel {
    /** Inputs smaller than this finish too fast to need a progress line. */
    static final long LARGE_INPUT = 64L << 20;
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final long CHECK_EVERY = 1L << 20;

    private final ReadableByteChannel in;
    private final long size;
    private final PrintWriter err;
    private final String label;
    private long read;
    private long nextCheck;
    private long lastDraw;
    private boolean drawn;

    /** {@code size} is the input's length, or -1 when unknown (stdin). */
    ProgressChannel(ReadableByteChannel in, long size, PrintWriter err, String label, long threshold) {
        this.in = in;
        this.size = size;
        this.err = err;
        this.label = label;
        this.nextCheck = threshold;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = in.read(dst);
        if (n > 0) {
            read += n;
            if (read >= nextCheck) {
                nextCheck = read + CHECK_EVERY;
                long now = System.nanoTime();
                if (!drawn || now - lastDraw >= REDRAW_NANOS) {
                    lastDraw = now;
                    draw();
                }
            }
        }
        return n;
    }

    /** Removes the progress line, if one was drawn. */
    void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    long bytesRead() {
        return read;
    }

    private void draw() {
        String text = size > 0
                ? String.format(Locale.ROOT, "\r%s %3d%%  %.2f / %.2f GB", label, read * 100 / size, read / 1e9, size / 1e9)
                : String.format(Locale.ROOT, "\r%s %.2f GB read", label, read / 1e9);
        err.print(text);
        err.flush();
        drawn = true;
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    @Override
    public void close() throws IOException {
        clear();
        in.close();
    }
}
