package pinreplay.format.queue;

import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.DocumentContext;

import pinreplay.format.BlockSink;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;

/**
 * Reads a queue's blocks, in order, into any {@link BlockSink} (an {@link pinreplay.format.EventReader},
 * a replayer, another queue). Each block is checked (magic, sequence, length, checksum) and copied into
 * one reused buffer; the sink sees exactly the bytes the writer appended. Reading stops at the end
 * marker; {@link #readTo} takes what is there now, {@link #follow} waits for more like {@code tail -f}.
 */
public final class QueueReader implements AutoCloseable {
    private static final int NONE = 0, BLOCK = 1, END = 2;

    private final EventQueue queue;
    private final ExcerptTailer tailer;
    private final CRC32C crc = new CRC32C();
    private final byte[] buf = new byte[EventWriter.BLOCK_SIZE];
    private int length;
    private long blocks;
    private boolean ended;

    QueueReader(EventQueue queue, ExcerptTailer tailer) {
        this.queue = queue;
        this.tailer = tailer;
    }

    /**
     * Hands every stored block to {@code sink}, then calls {@link BlockSink#onEnd()}. A queue whose
     * writer did not finish, or which lacks blocks its metadata promises, throws after the blocks that
     * could be read were delivered.
     *
     * @throws QueueException INCOMPLETE, TRUNCATED, CORRUPT or TOO_NEW
     */
    public void readTo(BlockSink sink) {
        try {
            drain(sink);
            if (!ended && queue.reloadMetadata().finished()) {
                drain(sink); // the writer finished after the first pass: its end marker is there now
            }
            if (!ended) {
                QueueMetadata m = queue.metadata();
                if (m.finished()) {
                    throw new QueueException(QueueException.Reason.TRUNCATED, queue.dir() + ": truncated queue: "
                            + "the writer stored " + m.blocks() + " blocks and an end marker, but only " + blocks
                            + " blocks and no end marker can be read");
                }
                throw new QueueException(QueueException.Reason.INCOMPLETE, queue.dir()
                        + ": incomplete (writer did not finish): it crashed or is still writing;"
                        + " cat --follow waits for it");
            }
        } catch (QueueException e) {
            sink.onEnd();
            throw e;
        }
        sink.onEnd();
    }

    /**
     * Like {@link #readTo} but waits for blocks still to come until the end marker, calling
     * {@code idle} each time it has caught up with the writer (flush output there). Backs off with
     * Chronicle's balanced pauser (up to about 20 ms between polls).
     *
     * @return true at the end marker, false when the thread was interrupted first
     */
    public boolean follow(BlockSink sink, Runnable idle) {
        Pauser pauser = Pauser.balanced();
        try {
            while (!ended && !Thread.currentThread().isInterrupted()) {
                if (poll(sink) != NONE) {
                    pauser.reset();
                    continue;
                }
                idle.run();
                pauser.pause();
            }
        } catch (QueueException e) {
            sink.onEnd();
            throw e;
        }
        sink.onEnd();
        return ended;
    }

    /** Blocks handed to the sink so far. */
    public long blocks() {
        return blocks;
    }

    /** Whether the end marker has been read. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        tailer.close();
    }

    private void drain(BlockSink sink) {
        while (!ended && poll(sink) != NONE) {
            // each poll delivers one block or reads the end marker
        }
    }

    /** Reads one excerpt, checks it, and hands a block to {@code sink} once Chronicle lets go of it. */
    private int poll(BlockSink sink) {
        int kind;
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return NONE;
            }
            kind = copy(dc.wire().bytes());
        } catch (QueueException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt("cannot read block " + blocks + ": " + e.getMessage());
        } catch (InternalError e) {
            // The JVM turns SIGBUS on a mapped page past the end of a shortened file into this error.
            throw new QueueException(QueueException.Reason.TRUNCATED, queue.dir() + ": truncated queue: a queue"
                    + " file ends before block " + blocks + " (it was cut short after the writer wrote it)");
        }
        if (kind == END) {
            ended = true;
            return END;
        }
        sink.onBlock(buf, length);
        blocks++;
        return BLOCK;
    }

    /** Checks the excerpt header and copies a block's payload into {@link #buf}; returns its kind. */
    private int copy(Bytes<?> b) {
        long size = b.readRemaining();
        if (size < Excerpt.HEADER) {
            throw corrupt("excerpt after block " + blocks + " has " + size + " bytes, less than a header");
        }
        int magic = b.readInt();
        int kind = b.readUnsignedByte();
        int version = b.readUnsignedByte();
        b.readShort();
        long seq = b.readInt() & 0xffffffffL;
        int len = b.readInt();
        int checksum = b.readInt();
        if (magic != Excerpt.MAGIC || (kind != Excerpt.BLOCK && kind != Excerpt.END)) {
            throw corrupt("excerpt after block " + blocks + " is not a pinreplay block");
        }
        if (version > Record.FORMAT_VERSION) {
            throw new QueueException(QueueException.Reason.TOO_NEW, queue.dir() + ": block " + seq
                    + " has format version " + version + ", newer than this pinreplay reads ("
                    + Record.FORMAT_VERSION + ")");
        }
        if (seq != blocks) {
            throw corrupt("expected block " + blocks + ", got " + (kind == Excerpt.END ? "the end marker after "
                    + seq + " blocks" : "block " + seq));
        }
        if (len < 0 || len != size - Excerpt.HEADER) {
            throw corrupt("block " + seq + " says " + len + " bytes but holds " + (size - Excerpt.HEADER));
        }
        if (kind == Excerpt.END) {
            return END;
        }
        if (len > buf.length) {
            throw corrupt("block " + seq + " holds " + len + " bytes, more than a block (" + buf.length + ")");
        }
        b.read(buf, 0, len);
        crc.reset();
        crc.update(buf, 0, len);
        if ((int) crc.getValue() != checksum) {
            throw corrupt("block " + seq + " fails its checksum");
        }
        length = len;
        return BLOCK;
    }

    private QueueException corrupt(String what) {
        return new QueueException(QueueException.Reason.CORRUPT, queue.dir() + ": corrupt queue: " + what);
    }
}
