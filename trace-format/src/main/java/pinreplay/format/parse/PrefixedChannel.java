package pinreplay.format.parse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Reads bytes held in memory, then another channel: a partly read chunk, then the rest of the input. */
final class PrefixedChannel implements ReadableByteChannel {
    private final byte[] bytes;
    private final int length;
    private final ReadableByteChannel rest;
    private int pos;

    PrefixedChannel(byte[] b, int len, ReadableByteChannel then) {
        bytes = b;
        length = len;
        rest = then;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (pos < length) {
            int n = Math.min(dst.remaining(), length - pos);
            dst.put(bytes, pos, n);
            pos += n;
            return n;
        }
        return rest.read(dst);
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
