package pinreplay.cli;

import java.io.IOException;
import java.io.OutputStream;

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
