package pinreplay.format.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import pinreplay.format.BlockSink;
import pinreplay.format.Record;

/**
 * Appends each block it receives to the queue as one excerpt ({@link Excerpt}), and on
 * {@link #onEnd()} saves the final metadata, then the end marker: a reader that sees the marker
 * always finds the metadata finished. Per block: one walk of the record headers ({@link Tally}), the
 * {@link CompactBlock} encoding, one checksum pass and one copy into the mapped file; nothing
 * allocated. The encoding keeps the queue file small: every byte appended is a byte of fresh page
 * cache the kernel zeroes first.
 *
 * <p>A failed append (a full disk faults the mapped page: the JVM throws {@link InternalError}) is
 * rolled back, so readers stop before it, and thrown as a {@link QueueException}; the writer then
 * calls {@link #stopAfterFailure}.
 */
public final class QueueBlockSink implements BlockSink {
    private static final byte[] NO_PAYLOAD = new byte[0];
    /** Free space under which a fault while appending is reported as a full disk. */
    private static final long NEARLY_FULL = 4L * pinreplay.format.EventWriter.BLOCK_SIZE;

    private final EventQueue queue;
    private final ExcerptAppender appender;
    private final CRC32C crc = new CRC32C();
    private final Tally tally = new Tally();
    private final BlockEncoder encoder = new BlockEncoder();
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
        int n = encoder.encode(buf, length);
        byte[] payload = n < 0 ? buf : encoder.buffer();
        int stored = n < 0 ? length : n;
        crc.reset();
        crc.update(payload, 0, stored);
        append(Excerpt.BLOCK, n < 0 ? Excerpt.STORED : Excerpt.COMPACT, blocks, payload, stored,
                (int) crc.getValue(), length);
        tally.add(buf, length); // only what was appended: a full disk stops the queue before the failed block
        blocks++;
    }

    /**
     * Saves the metadata (complete unless the writer marked it stopped; counts and blocks as appended),
     * then appends the end marker: readers following the queue stop there.
     */
    @Override
    public void onEnd() {
        if (!ended) {
            QueueMetadata m = queue.metadata();
            if (!m.finished()) {
                m.complete();
            }
            m.countsFrom(tally, blocks);
            queue.saveMetadata();
            append(Excerpt.END, Excerpt.STORED, blocks, NO_PAYLOAD, 0, 0, 0);
            ended = true;
        }
    }

    /**
     * After a failed append: marks the queue stopped with {@code why}, counting the blocks that were
     * appended, and leaves it without an end marker (there is no room for one). The queue's reserve
     * of disk space is given back first, so the metadata can be written on a full disk.
     */
    public void stopAfterFailure(String why) {
        queue.releaseReserve();
        queue.metadata().countsFrom(tally, blocks).lines(tally.lastLine()).stopped(why);
        queue.saveMetadata();
    }

    /** Blocks appended so far (the end marker not counted). */
    public long blocks() {
        return blocks;
    }

    /** Highest source line of a record appended so far. */
    public long lastLine() {
        return tally.lastLine();
    }

    public EventQueue queue() {
        return queue;
    }

    private void append(int kind, int encoding, long seq, byte[] buf, int length, int checksum, int blockLength) {
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                Bytes<?> b = dc.wire().bytes();
                b.writeInt(Excerpt.MAGIC)
                        .writeByte((byte) kind)
                        .writeByte((byte) Record.FORMAT_VERSION)
                        .writeByte((byte) encoding)
                        .writeByte((byte) 0)
                        .writeInt((int) seq)
                        .writeInt(length)
                        .writeInt(checksum)
                        .writeInt(blockLength);
                b.write(buf, 0, length);
            } catch (RuntimeException | InternalError e) {
                dc.rollbackOnClose(); // readers must not see half a block
                throw e;
            }
        } catch (InternalError e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE, queue.dir() + ": "
                    + (nearlyFull() ? "disk full" : "a fault writing the memory-mapped queue file (disk full,"
                    + " or the file was cut short)") + " while appending block " + seq, e);
        } catch (RuntimeException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE,
                    queue.dir() + ": cannot append to the queue: " + e.getMessage(), e);
        }
    }

    private boolean nearlyFull() {
        try {
            return Files.getFileStore(queue.dir()).getUsableSpace() < NEARLY_FULL;
        } catch (IOException e) {
            return false;
        }
    }
}
