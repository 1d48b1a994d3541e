package pinreplay.format.parse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32C;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;
import pinreplay.format.TraceFormatException;

/**
 * Parses one trace on several threads into exactly what one {@link TraceParser} writes: the same
 * blocks byte for byte, the same line numbers, errors and counts. The calling thread reads the input
 * in chunks that end at a newline; worker threads parse chunks into record streams of their own,
 * with symbol ids of their own; the calling thread copies each chunk's records, in input order, into
 * the writer, mapping the ids and adding the lines of the chunks before ({@link EventWriter#copy}).
 *
 * <p>Why the mapped ids come out as one parser's: a worker parses its chunks in input order and writes
 * a symbol's SYMBOL record just before its first record using it, so a symbol new to the writer
 * always arrives with its SYMBOL record, in the order one parser would have defined it.
 *
 * <p>A malformed line stops a strict parse after every record before it is in the writer, with the
 * line counted from the start of the input. A line longer than a chunk (malformed: it cannot fit a
 * record) ends the parallel part: the chunks before it are copied, the rest is parsed on the calling
 * thread. Nothing is allocated per line; chunk buffers are reused.
 */
public final class ParallelParser {
    /** Input bytes per chunk: a few thousand lines, so the hand-offs cost nothing next to the parsing. */
    public static final int DEFAULT_CHUNK = 1 << 20;

    private final String source;
    private final EventWriter out;
    private final boolean lenient;
    private final int threads;
    private final int chunkSize;

    private final ParseStats total = new ParseStats();
    private long lines;
    /** Input bytes of the chunks merged so far (and before the parse, when taken up again). */
    private long offset;
    private Checkpoint.Sink checkpoints;

    /**
     * @param threads   parsing threads (the calling thread reads and copies besides)
     * @param chunkSize input bytes per chunk; a longer line is parsed after the parallel part
     */
    public ParallelParser(String sourceName, EventWriter out, boolean lenient, int threads, int chunkSize) {
        if (threads < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("threads and chunk size must be positive");
        }
        this.source = sourceName;
        this.out = out;
        this.lenient = lenient;
        this.threads = threads;
        this.chunkSize = chunkSize;
    }

    /** Takes a parse up again at {@code c}, as {@link TraceParser#from} does. */
    public ParallelParser from(Checkpoint c) {
        lines = c.lines();
        offset = c.offset();
        total.lines = c.lines();
        total.malformed = c.malformed();
        return this;
    }

    /** Reports a {@link Checkpoint} to {@code sink} after each chunk that ends a line is in the writer. */
    public ParallelParser checkpoints(Checkpoint.Sink sink) {
        checkpoints = sink;
        return this;
    }

    /**
     * Reads {@code in} to its end, as {@link TraceParser#parse} does.
     *
     * @throws TraceFormatException on the first malformed line, unless lenient
     */
    public ParseStats parse(ReadableByteChannel in) throws IOException {
        BlockingQueue<Chunk> todo = new ArrayBlockingQueue<>(2 * threads + 2);
        ArrayDeque<Chunk> free = new ArrayDeque<>();
        for (int i = 0; i < 2 * threads + 2; i++) {
            free.add(new Chunk(chunkSize));
        }
        ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
        Worker[] workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(todo);
            workers[i].thread.start();
        }
        try {
            Chunk filling = free.poll();
            int have = 0;
            long queued = offset; // input bytes handed to the workers
            while (true) {
                IOException readError = null;
                boolean eof = false;
                ByteBuffer window = filling.window.limit(chunkSize).position(have);
                try {
                    while (window.hasRemaining() && !eof) {
                        eof = in.read(window) < 0;
                    }
                } catch (IOException e) {
                    readError = e;
                }
                have = window.position();
                int cut = eof ? have : lastNewline(filling.in, have) + 1;
                if (cut == 0 && readError == null && !eof) {
                    // a line longer than a chunk: the rest goes through one parser, after the chunks before it
                    while (!inFlight.isEmpty()) {
                        merge(inFlight.poll());
                    }
                    return new TraceParser(source, out, lenient, total, lines, offset).checkpoints(checkpoints)
                            .parse(new PrefixedChannel(filling.in, have, in));
                }
                Chunk next = free.isEmpty() ? merge(inFlight.poll()) : free.poll();
                System.arraycopy(filling.in, cut, next.in, 0, have - cut);
                have -= cut;
                filling.inLength = cut;
                filling.reset();
                filling.first = queued == 0;
                queued += cut;
                inFlight.add(filling);
                todo.add(filling);
                if (readError != null) {
                    while (!inFlight.isEmpty()) {
                        merge(inFlight.poll());
                    }
                    throw readError;
                }
                if (eof) {
                    break;
                }
                filling = next;
            }
            while (!inFlight.isEmpty()) {
                merge(inFlight.poll());
            }
            out.flush();
            return total;
        } finally {
            for (Worker w : workers) {
                w.stop();
            }
        }
    }

    /** Copies a parsed chunk's records into the writer; returns the chunk for reuse. */
    private Chunk merge(Chunk c) {
        c.awaitParsed();
        if (c.failure instanceof RuntimeException r) {
            throw r;
        }
        if (c.failure instanceof Error e) {
            throw e;
        }
        Worker w = c.worker;
        byte[] b = c.out;
        for (int o = 0; o < c.outLength; o += Record.u16(b, o + Record.SIZE)) {
            int type = b[o + Record.TYPE] & 0xff;
            int rawFrom = o + Record.HEADER + Record.u16(b, o + Record.NFIELDS) * Record.FIELD_SIZE;
            int rawTo = rawFrom + Record.u16(b, o + Record.RAWLEN);
            if (type == EventType.SYMBOL.code()) {
                int local = (int) Record.i64(b, o + Record.HEADER + 4);
                if ((b[o + Record.BITS] & Record.B_KEYS) != 0) {
                    w.keyIds = define(w.keyIds, local, out.keys(), b, rawFrom, rawTo);
                } else {
                    w.symbolIds = define(w.symbolIds, local, out.symbols(), b, rawFrom, rawTo);
                }
                continue;
            }
            if (type == EventType.COMMENT.code()) {
                if (rawTo > rawFrom && b[rawFrom] == '#') {
                    total.headerLine(b, rawFrom, rawTo);
                } else {
                    total.preambleLine(b, rawFrom, rawTo);
                }
            }
            out.copy(b, o, w.symbolIds, w.keyIds, lines);
        }
        if (c.error != null) {
            out.flush();
            throw c.error.shiftedBy(lines);
        }
        total.addChunk(c.stats, lines, source);
        lines += c.stats.lines();
        offset += c.inLength;
        if (checkpoints != null && c.inLength > 0 && c.in[c.inLength - 1] == '\n') {
            checkpoints.reached(new Checkpoint(lines, offset, c.crc, total.malformed));
        }
        return c;
    }

    /** Maps a worker's symbol {@code local} to the writer's id for the same bytes (interned now if new). */
    private static int[] define(int[] ids, int local, SymbolTable table, byte[] b, int from, int to) {
        int[] m = local < ids.length ? ids : Arrays.copyOf(ids, Math.max(local + 1, ids.length * 2));
        m[local] = table.intern(b, from, to);
        return m;
    }

    /** Index of the last {@code '\n'} in {@code b[0, to)}, or -1. */
    private static int lastNewline(byte[] b, int to) {
        for (int i = to - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A piece of the input and, once parsed, its records (worker symbol ids, lines from 1) and counts. */
    private static final class Chunk {
        final byte[] in;
        final ByteBuffer window;
        int inLength;
        /** Whether this chunk starts the input (its first line is checked for CR line ends). */
        boolean first;
        byte[] out;
        int outLength;

        // Set by the worker, read by the calling thread after awaitParsed().
        Worker worker;
        ParseStats stats;
        TraceFormatException error;
        Throwable failure;
        /** CRC32C of the chunk's input bytes, when checkpoints are asked for. */
        int crc;
        private boolean parsed;

        Chunk(int size) {
            in = new byte[size];
            window = ByteBuffer.wrap(in);
            out = new byte[size + size / 4];
        }

        synchronized void reset() {
            outLength = 0;
            worker = null;
            stats = null;
            error = null;
            failure = null;
            parsed = false;
        }

        void append(byte[] block, int length) {
            if (outLength + length > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + length));
            }
            System.arraycopy(block, 0, out, outLength, length);
            outLength += length;
        }

        synchronized void parsed() {
            parsed = true;
            notifyAll();
        }

        synchronized void awaitParsed() {
            while (!parsed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a parsing thread");
                }
            }
        }
    }

    /**
     * A parsing thread: one {@link TraceParser} and writer for all its chunks, so its symbols and
     * caches stay warm; the calling thread keeps its map from the worker's symbol ids to the writer's.
     */
    private final class Worker {
        private final BlockingQueue<Chunk> todo;
        private final Thread thread;
        private final EventWriter local;
        private final TraceParser parser;
        private final CRC32C crc = new CRC32C();
        private Chunk current;
        // Owned by the calling thread.
        int[] symbolIds = new int[1024];
        int[] keyIds = new int[64];

        Worker(BlockingQueue<Chunk> todo) {
            this.todo = todo;
            this.local = new EventWriter((block, length) -> current.append(block, length));
            this.parser = new TraceParser(source, local, lenient);
            this.thread = new Thread(this::run, "pinreplay-parser");
            thread.setDaemon(true);
        }

        private void run() {
            while (true) {
                Chunk c;
                try {
                    c = todo.take();
                } catch (InterruptedException e) {
                    return; // stop(): the parse is over
                }
                current = c;
                c.worker = this;
                parser.nextChunk(c.first);
                try {
                    if (checkpoints != null) {
                        crc.reset();
                        crc.update(c.in, 0, c.inLength);
                        c.crc = (int) crc.getValue();
                    }
                    c.stats = parser.parseChunk(c.in, c.inLength);
                } catch (TraceFormatException e) {
                    c.error = e;
                } catch (RuntimeException | Error e) {
                    c.failure = e;
                }
                c.parsed();
            }
        }

        void stop() {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
