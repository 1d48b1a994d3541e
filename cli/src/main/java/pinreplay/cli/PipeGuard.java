package pinreplay.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Standard output that remembers whether a write failed because the reader went away ({@code | head}):
 * a command then ends quietly with 0, while any other write error (disk full) stays an error.
 */
final class PipeGuard extends OutputStream {
    private final OutputStream out;
    private boolean closedByReader;

    PipeGuard(OutputStream out) {
        this.out = out;
    }

    /** Whether a write failed with EPIPE: the reading end of the pipe was closed. */
    boolean closedByReader() {
        return closedByReader;
    }

    /**
     * A write that failed with {@code e}: the end of the output when the reader of {@code stdout} closed the pipe
     * ({@code | head} has what it wanted), else an error (exit 4). {@code stdout} is null for a file.
     */
    static void writeFailed(PipeGuard stdout, UncheckedIOException e) {
        if (stdout == null || !stdout.closedByReader) {
            throw new OutputException("cannot write the output: " + e.getCause().getMessage());
        }
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw noted(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw noted(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw noted(e);
        }
    }

    private IOException noted(IOException e) {
        if ("Broken pipe".equals(e.getMessage())) {
            closedByReader = true;
        }
        return e;
    }
}
