package pinreplay.format.parse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads bytes held in memory, then another channel if one is given: a chunk of the input for a parsing
 * thread, or a partly read chunk and the rest of the input. Reusable through {@link #reset}.
 */
final class PrefixedChannel implements ReadableByteChannel {
    private byte[] bytes;
    private int pos;
    private int length;
    private ReadableByteChannel rest;

    PrefixedChannel reset(byte[] b, int len, ReadableByteChannel then) {
        bytes = b;
        pos = 0;
        length = len;
        rest = then;
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (pos < length) {
            int n = Math.min(dst.remaining(), length - pos);
            dst.put(bytes, pos, n);
            pos += n;
            return n;
        }
        return rest == null ? -1 : rest.read(dst);
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
        // the channel after the bytes belongs to the caller
    }
}
