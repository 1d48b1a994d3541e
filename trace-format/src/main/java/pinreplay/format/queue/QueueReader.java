package pinreplay.format.queue;

import java.util.Optional;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.DocumentContext;

import pinreplay.format.BlockSink;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;

/**
 * Reads a queue's blocks, in order, into any {@link BlockSink} (an {@link pinreplay.format.EventReader},
 * a replayer, another queue). Each block is checked (magic, sequence, length, checksum), copied out and
 * decoded ({@link CompactBlock}) into one reused buffer; the sink sees exactly the block the writer
 * packed, so what it gets is always an exact prefix of the ingest. {@link #readTo} takes what is there now; {@link #follow} waits for more
 * like {@code tail -f}. Both return a {@link QueueEnd} saying how the queue ends and how far it goes:
 * complete, stopped early, or incomplete (its writer still appending, or gone: {@link WriterLock}).
 * The metadata's promises are checked against the blocks: a queue with fewer blocks or other counts
 * than its metadata says fails, end marker or not.
 */
public final class QueueReader implements AutoCloseable {
    private static final int NONE = 0, BLOCK = 1, END = 2;

    private final EventQueue queue;
    private final ExcerptTailer tailer;
    private final CRC32C crc = new CRC32C();
    private final byte[] buf = new byte[EventWriter.BLOCK_SIZE];
    private final byte[] stored = new byte[EventWriter.BLOCK_SIZE];
    private final BlockDecoder decoder = new BlockDecoder();
    private final Tally tally = new Tally();
    private int length;
    private long blocks;
    private boolean ended;

    QueueReader(EventQueue queue, ExcerptTailer tailer) {
        this.queue = queue;
        this.tailer = tailer;
    }

    /**
     * Hands every block stored now to {@code sink}, then calls {@link BlockSink#onEnd()} (also when it
     * throws, after the blocks that could be read).
     *
     * @throws QueueException TRUNCATED, CORRUPT or TOO_NEW
     */
    public QueueEnd readTo(BlockSink sink) {
        return read(sink, false, () -> { });
    }

    /**
     * Like {@link #readTo} but waits for blocks still to come until the end marker, calling {@code idle}
     * each time it has caught up with the writer (flush output there), and gives up when the writer is
     * gone without finishing ({@link QueueEnd.State#ABANDONED}) or the thread is interrupted. Backs off
     * with Chronicle's balanced pauser (up to about 20 ms between polls).
     */
    public QueueEnd follow(BlockSink sink, Runnable idle) {
        return read(sink, true, idle);
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

    private QueueEnd read(BlockSink sink, boolean follow, Runnable idle) {
        try {
            return readBlocks(sink, follow, idle);
        } finally {
            sink.onEnd();
        }
    }

    private QueueEnd readBlocks(BlockSink sink, boolean follow, Runnable idle) {
        Pauser pauser = Pauser.balanced();
        while (true) {
            if (follow && Thread.currentThread().isInterrupted()) {
                return end(QueueEnd.State.INTERRUPTED, "");
            }
            int kind = poll(sink);
            if (kind == BLOCK) {
                pauser.reset();
                continue;
            }
            if (kind == END) {
                // The writer saves its final metadata before the end marker.
                QueueMetadata m = queue.reloadMetadata();
                return m.finished() ? checkedEnd(m) : end(QueueEnd.State.ABANDONED, m.source());
            }
            // Caught up with the writer.
            QueueMetadata m = queue.reloadMetadata();
            if (m.finished()) {
                drain(sink); // the writer appends every block before it saves its final metadata
                if (ended) {
                    return checkedEnd(m);
                }
                if (blocks < m.blocks()) {
                    throw new QueueException(QueueException.Reason.TRUNCATED, queue.dir() + ": truncated queue:"
                            + " its metadata promises " + m.blocks() + " blocks, but only " + blocks + " can be read");
                }
                // Every block is here but no end marker: stopped by a full disk, killed just before the
                // marker, or about to append it. The marker carries nothing more.
                return checkedEnd(m);
            } else {
                Optional<String> writer = WriterLock.holder(queue.dir());
                if (writer.isEmpty()) {
                    drain(sink);
                    if (ended || queue.reloadMetadata().finished()) {
                        continue; // it finished just before it let go of the lock
                    }
                    return end(QueueEnd.State.ABANDONED, m.source());
                }
                if (!follow) {
                    return end(QueueEnd.State.WRITING, writer.get());
                }
            }
            idle.run();
            pauser.pause();
        }
    }

    /** The end of a finished queue, once its metadata agrees with the blocks read. */
    private QueueEnd checkedEnd(QueueMetadata m) {
        if (m.blocks() != blocks) {
            throw new QueueException(m.blocks() > blocks ? QueueException.Reason.TRUNCATED : QueueException.Reason.CORRUPT,
                    queue.dir() + ": " + (m.blocks() > blocks ? "truncated" : "corrupt") + " queue: its metadata promises "
                            + m.blocks() + " blocks, but " + blocks + " and the end marker are stored");
        }
        for (EventType t : EventType.values()) {
            long promised = t == EventType.SYMBOL ? m.symbols() : m.count(t);
            if (promised != tally.count(t)) {
                throw corrupt("its metadata promises " + promised + " " + t.eventName() + " records, but the blocks"
                        + " hold " + tally.count(t));
            }
        }
        return m.state() == QueueMetadata.State.STOPPED ? end(QueueEnd.State.STOPPED, m.stoppedAt())
                : end(QueueEnd.State.COMPLETE, "");
    }

    private QueueEnd end(QueueEnd.State state, String detail) {
        return new QueueEnd(queue.dir(), state, blocks, tally.records(), tally.lastLine(), detail);
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
        } catch (Exception e) { // Chronicle throws IOExceptions undeclared (a queue file it cannot open)
            throw queue.unreadable(e);
        } catch (InternalError e) {
            // The JVM turns SIGBUS on a mapped page past the end of a shortened file into this error.
            throw new QueueException(QueueException.Reason.TRUNCATED, queue.dir() + ": truncated queue: a queue"
                    + " file ends before block " + blocks + " (it was cut short after the writer wrote it)");
        }
        if (kind == END) {
            ended = true;
            return END;
        }
        tally.add(buf, length);
        sink.onBlock(buf, length);
        blocks++;
        return BLOCK;
    }

    /**
     * Checks the excerpt header, copies a block's payload out and decodes it into {@link #buf}; returns
     * its kind.
     */
    private int copy(Bytes<?> b) {
        long size = b.readRemaining();
        if (size < Excerpt.HEADER) {
            throw corrupt("excerpt after block " + blocks + " has " + size + " bytes, less than a header");
        }
        int magic = b.readInt();
        int kind = b.readUnsignedByte();
        int version = b.readUnsignedByte();
        int encoding = b.readUnsignedByte();
        b.readByte();
        long seq = b.readInt() & 0xffffffffL;
        int len = b.readInt();
        int checksum = b.readInt();
        int blockLength = b.readInt();
        if (magic != Excerpt.MAGIC || (kind != Excerpt.BLOCK && kind != Excerpt.END)) {
            throw corrupt("excerpt after block " + blocks + " is not a pinreplay block");
        }
        if (version > Record.FORMAT_VERSION) {
            throw new QueueException(QueueException.Reason.TOO_NEW, queue.dir() + ": block " + seq
                    + " has format version " + version + ", newer than this pinreplay reads ("
                    + Record.FORMAT_VERSION + ")");
        }
        if (version < Record.FORMAT_VERSION) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE, queue.dir() + ": block " + seq
                    + " has format version " + version + ", older than this pinreplay reads (" + Record.FORMAT_VERSION
                    + "): ingest its trace again");
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
        if (len > buf.length || blockLength < 0 || blockLength > buf.length) {
            throw corrupt("block " + seq + " holds " + Math.max(len, blockLength) + " bytes, more than a block ("
                    + buf.length + ")");
        }
        byte[] payload = encoding == Excerpt.COMPACT ? stored : buf;
        b.read(payload, 0, len);
        crc.reset();
        crc.update(payload, 0, len);
        if ((int) crc.getValue() != checksum) {
            throw corrupt("block " + seq + " fails its checksum");
        }
        if (encoding == Excerpt.STORED && len == blockLength) {
            decoder.stored(buf, len);
        } else if (encoding != Excerpt.COMPACT || decoded(len) != blockLength) {
            throw corrupt("block " + seq + " does not decode to the " + blockLength + " bytes its header says");
        }
        length = blockLength;
        return BLOCK;
    }

    /** The compact block in {@link #stored} decoded into {@link #buf}: its length, or -1 when it does not decode. */
    private int decoded(int len) {
        try {
            return decoder.decode(stored, len, buf);
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    private QueueException corrupt(String what) {
        return new QueueException(QueueException.Reason.CORRUPT, queue.dir() + ": corrupt queue: " + what);
    }
}
