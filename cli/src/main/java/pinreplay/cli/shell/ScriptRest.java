package pinreplay.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a script has not run yet, as bytes: the standard input of a CLI command the script runs, so that one reading
 * {@code -} gets the rest of the script (the reader has already buffered past the command's line).
 */
final class ScriptRest extends InputStream {
    private final Reader script;
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private ByteBuffer bytes = ByteBuffer.allocate(0);

    ScriptRest(Reader script) {
        this.script = script;
    }

    @Override
    public int read() throws IOException {
        return fill() ? bytes.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, bytes.remaining());
        bytes.get(b, off, n);
        return n;
    }

    private boolean fill() throws IOException {
        while (!bytes.hasRemaining()) {
            chars.clear();
            if (script.read(chars) < 0) {
                return false;
            }
            chars.flip();
            bytes = StandardCharsets.UTF_8.encode(chars);
        }
        return true;
    }
}
