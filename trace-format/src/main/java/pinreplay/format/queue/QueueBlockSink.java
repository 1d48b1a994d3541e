package pinreplay.format.queue;

import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import pinreplay.format.BlockSink;
import pinreplay.format.Record;

/**
 * Appends each block it receives to the queue as one excerpt ({@link Excerpt}), and the end marker on
 * {@link #onEnd()}. Per block: one checksum pass and one copy into the mapped file; nothing per event,
 * nothing allocated.
 */
public final class QueueBlockSink implements BlockSink {
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final EventQueue queue;
    private final ExcerptAppender appender;
    private final CRC32C crc = new CRC32C();
    private long blocks;
    private boolean ended;

    QueueBlockSink(EventQueue queue, ExcerptAppender appender) {
        this.queue = queue;
        this.appender = appender;
    }

    @Override
    public void onBlock(byte[] buf, int length) {
        if (ended) {
            throw new IllegalStateException("block after the end marker");
        }
        crc.reset();
        crc.update(buf, 0, length);
        append(Excerpt.BLOCK, blocks, buf, length, (int) crc.getValue());
        blocks++;
    }

    /** Appends the end marker: readers following the queue stop here. */
    @Override
    public void onEnd() {
        if (!ended) {
            append(Excerpt.END, blocks, NO_PAYLOAD, 0, 0);
            ended = true;
        }
    }

    /** Blocks appended so far (the end marker not counted). */
    public long blocks() {
        return blocks;
    }

    public EventQueue queue() {
        return queue;
    }

    private void append(int kind, long seq, byte[] buf, int length, int checksum) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeInt(Excerpt.MAGIC)
                    .writeByte((byte) kind)
                    .writeByte((byte) Record.FORMAT_VERSION)
                    .writeShort((short) 0)
                    .writeInt((int) seq)
                    .writeInt(length)
                    .writeInt(checksum);
            b.write(buf, 0, length);
        } catch (RuntimeException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE,
                    queue.dir() + ": cannot append to the queue: " + e.getMessage(), e);
        }
    }
}
