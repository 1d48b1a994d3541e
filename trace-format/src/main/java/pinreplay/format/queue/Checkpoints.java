package pinreplay.format.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import pinreplay.format.parse.Checkpoint;

/**
 * {@value #FILE_NAME}: how far in its input an ingest got, for {@code ingest --resume}. The parser
 * reports a {@link Checkpoint} about once per MiB of input, after the records of the lines before it
 * are in the writer; each is appended here as one 32-byte entry (a {@code write} the kernel keeps
 * even if the process is killed the next instant). Resuming takes the last checkpoint whose records
 * all reached the queue's readable blocks.
 *
 * <pre>
 * header, 32 bytes: u32 magic "PRCK", u32 version 1, u32 flags (1: --lenient), 20 zero bytes
 * entry,  32 bytes: u64 lines, u64 offset, u64 malformed, u32 CRC32C of the input since the last
 *                   entry, u32 CRC32C of the entry's first 28 bytes
 * </pre>
 *
 * A torn or damaged entry ends the list. All integers little-endian.
 */
public final class Checkpoints implements Checkpoint.Sink, AutoCloseable {
    public static final String FILE_NAME = "pinreplay-queue.checkpoints";
    private static final int MAGIC = 'P' | 'R' << 8 | 'C' << 16 | 'K' << 24;
    private static final int VERSION = 1;
    private static final int LENIENT = 1;
    private static final int ENTRY = 32;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer entry = ByteBuffer.allocate(ENTRY).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long position;

    private Checkpoints(Path file, FileChannel channel, long position) {
        this.file = file;
        this.channel = channel;
        this.position = position;
    }

    /** What a queue's file says: how the ingest parsed, and its checkpoints in input order. */
    public record Log(boolean lenient, List<Checkpoint> checkpoints) {
    }

    /**
     * Starts {@code dir}'s file with the given checkpoints already passed (those a resumed ingest keeps).
     *
     * @throws QueueException UNWRITABLE
     */
    static Checkpoints create(Path dir, boolean lenient, List<Checkpoint> kept) {
        Path file = dir.resolve(FILE_NAME);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            ByteBuffer h = ByteBuffer.allocate(ENTRY).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC).putInt(VERSION).putInt(lenient ? LENIENT : 0).flip();
            ch.write(h, 0);
            Checkpoints c = new Checkpoints(file, ch, ENTRY);
            for (Checkpoint k : kept) {
                c.reached(k);
            }
            return c;
        } catch (IOException e) {
            throw unwritable(file, e);
        }
    }

    /** Appends one entry. */
    @Override
    public void reached(Checkpoint c) {
        entry.clear();
        entry.putLong(c.lines()).putLong(c.offset()).putLong(c.malformed()).putInt(c.crc());
        crc.reset();
        crc.update(entry.array(), 0, ENTRY - 4);
        entry.putInt((int) crc.getValue()).flip();
        try {
            while (entry.hasRemaining()) {
                position += channel.write(entry, position);
            }
        } catch (IOException e) {
            throw unwritable(file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // every entry was written already
        }
    }

    /**
     * Reads {@code dir}'s file; null when there is none (an ingest of standard input, or by an older
     * pinreplay). A damaged header is an empty log: the ingest starts from the first line again.
     */
    public static Log load(Path dir) {
        byte[] all;
        try {
            all = Files.readAllBytes(dir.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new QueueException(QueueException.Reason.CORRUPT,
                    dir.resolve(FILE_NAME) + ": cannot read: " + EventQueue.reason(e));
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Checkpoint> list = new ArrayList<>();
        if (all.length < ENTRY || b.getInt(0) != MAGIC || b.getInt(4) != VERSION) {
            return new Log(false, list);
        }
        boolean lenient = (b.getInt(8) & LENIENT) != 0;
        CRC32C crc = new CRC32C();
        for (int o = ENTRY; o + ENTRY <= all.length; o += ENTRY) {
            crc.reset();
            crc.update(all, o, ENTRY - 4);
            if ((int) crc.getValue() != b.getInt(o + ENTRY - 4)) {
                break;
            }
            list.add(new Checkpoint(b.getLong(o), b.getLong(o + 8), b.getInt(o + 24), b.getLong(o + 16)));
        }
        return new Log(lenient, list);
    }

    private static QueueException unwritable(Path file, IOException e) {
        return new QueueException(QueueException.Reason.UNWRITABLE, file + ": cannot write: " + EventQueue.reason(e));
    }
}
