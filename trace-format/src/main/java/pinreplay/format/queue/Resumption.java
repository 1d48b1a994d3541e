package pinreplay.format.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import pinreplay.format.BlockSink;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;
import pinreplay.format.parse.Checkpoint;

/**
 * Where {@code ingest --resume} takes a crashed or stopped ingest up again, and how. The old queue's
 * readable blocks are an exact prefix of its records; the resumed ingest starts at the last
 * {@link Checkpoint} whose lines all have their records in that prefix. The new queue gets the
 * records of those lines copied through a fresh {@link EventWriter} (which packs them into the same
 * blocks and interns the same symbols in the same order), then the parser goes on from the
 * checkpoint's byte of the input. Blocks are a function of the record sequence, so the finished queue
 * is the one an uninterrupted ingest writes.
 */
public final class Resumption {
    private final boolean lenient;
    private final List<Checkpoint> kept;
    private final Checkpoint at;

    private Resumption(boolean lenient, List<Checkpoint> kept) {
        this.lenient = lenient;
        this.kept = kept;
        this.at = kept.isEmpty() ? Checkpoint.START : kept.get(kept.size() - 1);
    }

    /**
     * Plans the resumption of {@code old}: reads its blocks (up to any damage) and its checkpoints.
     * A queue without checkpoints (ingested from standard input, or by an older pinreplay) resumes
     * from the first line, with {@code lenientIfUnknown}.
     */
    public static Resumption plan(EventQueue old, boolean lenientIfUnknown) {
        Tally stored = new Tally();
        try (QueueReader r = old.reader()) {
            r.readTo(new BlockSink() {
                @Override
                public void onBlock(byte[] buf, int length) {
                    stored.add(buf, length);
                }

                @Override
                public void onEnd() {
                    // the prefix is all that matters
                }
            });
        } catch (QueueException e) {
            if (e.reason() == QueueException.Reason.TOO_NEW) {
                throw e;
            }
            // damaged or cut short after a prefix: resume from what is readable
        }
        Checkpoints.Log log = Checkpoints.load(old.dir());
        List<Checkpoint> kept = new ArrayList<>();
        if (log != null) {
            for (Checkpoint c : log.checkpoints()) {
                if (c.lines() > stored.lastLine()) {
                    break;
                }
                kept.add(c);
            }
        }
        return new Resumption(log != null ? log.lenient() : lenientIfUnknown, kept);
    }

    /** A resumption from the first line (a queue killed before it held anything). */
    public static Resumption fromStart(boolean lenient) {
        return new Resumption(lenient, List.of());
    }

    /** Where the parse goes on. */
    public Checkpoint at() {
        return at;
    }

    /** Whether the ingest being resumed was lenient (it goes on the same way). */
    public boolean lenient() {
        return lenient;
    }

    /** The checkpoints passed, for the new queue's own checkpoint file. */
    public List<Checkpoint> kept() {
        return kept;
    }

    /**
     * Checks that {@code input} begins with the bytes the first ingest read up to the checkpoint, then
     * leaves it positioned there.
     *
     * @throws QueueException MISMATCH naming the first stretch that differs
     */
    public void verify(FileChannel input, String source) throws IOException {
        if (input.size() < at.offset()) {
            throw new QueueException(QueueException.Reason.MISMATCH, source + ": has " + input.size()
                    + " bytes, fewer than the " + at.offset() + " the interrupted ingest had read: not its input"
                    + " (ingest --force starts over)");
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        CRC32C crc = new CRC32C();
        long pos = 0;
        input.position(0);
        for (Checkpoint c : kept) {
            crc.reset();
            while (pos < c.offset()) {
                buf.clear().limit((int) Math.min(buf.capacity(), c.offset() - pos));
                int n = input.read(buf);
                if (n < 0) {
                    break;
                }
                crc.update(buf.array(), 0, n);
                pos += n;
            }
            if (pos != c.offset() || (int) crc.getValue() != c.crc()) {
                throw new QueueException(QueueException.Reason.MISMATCH, source + ": is not the input the"
                        + " interrupted ingest read: it differs before byte " + c.offset() + " (line " + c.lines()
                        + "); ingest --force starts over");
            }
        }
        input.position(at.offset());
    }

    /** Copies the old queue's records of the lines before the checkpoint into {@code to}. */
    public void copy(EventQueue old, EventWriter to) {
        Copier copier = new Copier(to, at.lines());
        try (QueueReader r = old.reader()) {
            r.readTo(copier);
        } catch (QueueException e) {
            // the damage plan() met, after the prefix it chose from
        }
        copier.forgetUncopiedSymbols();
    }

    /** Feeds records to the writer until the first one past the checkpoint's lines. */
    private static final class Copier implements BlockSink {
        private final EventWriter to;
        private final long lines;
        private int[] symbolIds = new int[0];
        private int[] keyIds = new int[0];
        private int symbolsCopied;
        private int keysCopied;
        boolean done;

        Copier(EventWriter to, long lines) {
            this.to = to;
            this.lines = lines;
        }

        @Override
        public void onBlock(byte[] b, int length) {
            for (int o = 0; o < length && !done; o += Record.u16(b, o + Record.SIZE)) {
                if ((b[o + Record.TYPE] & 0xff) == EventType.SYMBOL.code()) {
                    define(b, o);
                } else if (Record.u32(b, o + Record.LINE) > lines) {
                    done = true;
                } else {
                    symbolIds = identity(symbolIds, to.symbols().size());
                    keyIds = identity(keyIds, to.keys().size());
                    to.copy(b, o, symbolIds, keyIds, 0);
                    symbolsCopied = to.symbols().size();
                    keysCopied = to.keys().size();
                }
            }
        }

        @Override
        public void onEnd() {
            done = true;
        }

        /** A symbol record: interned now, written by the writer before the record that uses it. */
        private void define(byte[] b, int o) {
            int from = o + Record.HEADER + Record.u16(b, o + Record.NFIELDS) * Record.FIELD_SIZE;
            SymbolTable t = (b[o + Record.BITS] & Record.B_KEYS) != 0 ? to.keys() : to.symbols();
            long id = Record.i64(b, o + Record.HEADER + 4);
            if (t.intern(b, from, from + Record.u16(b, o + Record.RAWLEN)) != id) {
                throw new IllegalStateException("symbol " + id + " of the old queue does not come back as " + id);
            }
        }

        /** Symbols defined for the first record past the checkpoint: the parser defines them again. */
        void forgetUncopiedSymbols() {
            to.symbols().truncate(symbolsCopied);
            to.keys().truncate(keysCopied);
        }

        private static int[] identity(int[] ids, int size) {
            if (ids.length > size) {
                return ids;
            }
            int[] m = Arrays.copyOf(ids, Math.max(size + 1, ids.length * 2));
            for (int i = ids.length; i < m.length; i++) {
                m[i] = i;
            }
            return m;
        }
    }
}
