package pinreplay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads standard input and, whenever nothing is waiting in it (a live {@code trace_pipe} between
 * bursts), first runs {@code idle}: ingest flushes its partial block there, so a {@code cat --follow}
 * sees events as they come rather than 256 KiB at a time. A regular file never looks idle before its
 * end, so ingesting a file still writes full blocks. The parser only reads between lines, when every
 * record is complete, so flushing there is safe.
 */
final class IdleFlushChannel implements ReadableByteChannel {
    private final ReadableByteChannel in;
    private final InputStream stream;
    private final Runnable idle;

    /** {@code in} reads from {@code stream}, whose {@link InputStream#available()} tells idleness. */
    IdleFlushChannel(ReadableByteChannel in, InputStream stream, Runnable idle) {
        this.in = in;
        this.stream = stream;
        this.idle = idle;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (stream.available() == 0) {
            idle.run();
        }
        return in.read(dst);
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
