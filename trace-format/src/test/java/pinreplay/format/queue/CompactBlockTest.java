package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.format.ValueType;
import pinreplay.format.bench.MixedTrace;
import pinreplay.format.parse.TraceParser;

/**
 * The compact block layout gives back every block byte for byte: random records of every kind
 * (property style, many seeds), and parsed traces, whose size per event it also pins.
 */
class CompactBlockTest {
    private static final byte[][] WORDS = {
        ascii("qemu-kvm"), ascii("fio"), ascii("<idle>"), ascii("rw"), ascii(""), ascii("a b=c"), ascii("0x10"),
        ascii("/user.slice/user-0.slice/session-2.scope"), ascii("true"), ascii("vfio7"), "ü€".getBytes(StandardCharsets.UTF_8),
    };
    private static final long[] EDGES = {
        0, 1, -1, 2, 127, 128, -128, 255, 4096, 0x7fffffffL, 0x80000000L, 0xffffffffL, -0x80000000L,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 0x0000ffffffffffffL, 253L << 32 | 3,
    };

    @Test
    void randomRecordsOfEveryKindComeBackByteForByte() {
        for (int seed = 1; seed <= 60; seed++) {
            Random r = new Random(seed);
            TestQueues.Collect blocks = new TestQueues.Collect();
            EventWriter w = new EventWriter(blocks);
            int n = seed % 3 == 0 ? 40_000 : 3_000;
            long line = 0;
            long ts = r.nextLong();
            for (int i = 0; i < n; i++) {
                line += r.nextInt(10) < 8 ? 1 : r.nextInt(5) - 1;
                ts += r.nextInt(10) < 8 ? r.nextInt(5000) : value(r);
                randomRecord(r, w, Math.max(0, line), ts);
            }
            w.finish();
            int[] kinds = roundTrip(blocks);
            assertTrue(kinds[0] > 0, "seed " + seed + ": no block came out smaller");
        }
    }

    /**
     * Records of one shape whose values repeat while the text around them changes, or whose repeated
     * value is followed by a shorter payload: the encoder compares such text with the last record of
     * the shape, and must still see every difference.
     */
    @Test
    void repeatedValuesWithOtherTextAroundThemComeBackByteForByte() {
        String[] payloads = {
            "ino=7 index=10", "ino=7 index=10", "ino=7 index=9", "ino=7 index=100", "ino=7  index=100",
            "ino=7 index=100", "ino=7 index=10", "ino=7 index=100 ", "ino=7 index=100", "ino=77 index=100",
            "ino=7 index=1000", "ino=7 index=100", "ino=7 idx=100", "ino=7 index=100", "ino=7 index=",
        };
        long[] index = {10, 10, 9, 100, 100, 100, 10, 100, 100, 100, 1000, 100, 100, 100, 100};
        long[] ino = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        TestQueues.Collect blocks = new TestQueues.Collect();
        EventWriter w = new EventWriter(blocks);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < payloads.length; i++) {
                byte[] p = ascii(payloads[i]);
                w.begin(EventType.WRITEBACK_DIRTY_FOLIO, 1 + round * payloads.length + i).pid(42).cpu(1).ts(1000L * i, 0)
                        .field(Field.INO, ValueType.DEC, ino[i]).field(Field.INDEX, ValueType.DEC, index[i]);
                w.raw(p, 0, p.length);
                w.commit();
            }
        }
        w.finish();
        assertEquals(1, roundTrip(blocks)[0]);
    }

    @Test
    void aBlockThatIsNoSequenceOfRecordsIsStoredAsItIs() {
        byte[] garbage = new byte[1000];
        new Random(7).nextBytes(garbage);
        assertEquals(-1, new BlockEncoder().encode(garbage, garbage.length));
        byte[] oddPad = records(w -> w.begin(EventType.DMA_WRITE, 1).field(Field.LEN, ValueType.DEC, 4096).commit());
        oddPad[Record.HEADER + 3] = 1; // the byte after a field's value type, always 0
        assertEquals(-1, new BlockEncoder().encode(oddPad, oddPad.length));
    }

    @Test
    void mixedTraceTakesAtMost32BytesPerEvent() throws IOException {
        for (int run : new int[] {1, 2}) {
            byte[] text = MixedTrace.lines(200_000, run);
            Sizes s = parseAndRoundTrip(text);
            assertTrue(s.perEvent() <= 32, "taskRun=" + run + ": " + s);
            assertTrue(s.memory > 2.5 * s.stored, "taskRun=" + run + ": " + s);
        }
    }

    @Test
    void realRecordingsComeBackByteForByte() throws IOException {
        Path root = Paths.get("..", "traces", "real");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".txt")).sorted()::iterator) {
                Sizes s = parseAndRoundTrip(Files.readAllBytes(f));
                assertTrue(s.stored < s.memory, f + ": " + s);
            }
        }
    }

    /** PREEMPT_RT's 7 flag characters are packed into the record's 5 bytes; the compact layout keeps them. */
    @Test
    void preemptRtFlagsComeBackByteForByte() throws IOException {
        Path sample = Paths.get("src", "test", "resources", "samples", "a14-preempt-rt.txt");
        Sizes s = parseAndRoundTrip(Files.readAllBytes(sample));
        assertTrue(s.stored < s.memory, s.toString());
    }

    /** Bytes of a parsed text in memory and in the queue. */
    record Sizes(long events, long memory, long stored) {
        double perEvent() {
            return (double) stored / events;
        }
    }

    private static Sizes parseAndRoundTrip(byte[] text) throws IOException {
        TestQueues.Collect blocks = new TestQueues.Collect();
        EventWriter w = new EventWriter(blocks);
        new TraceParser("t.txt", w, true).parse(Channels.newChannel(new java.io.ByteArrayInputStream(text)));
        w.finish();
        long events = w.records() - w.count(EventType.SYMBOL);
        long memory = blocks.blocks.stream().mapToLong(b -> b.length).sum();
        long stored = 0;
        BlockEncoder enc = new BlockEncoder();
        BlockDecoder dec = new BlockDecoder();
        byte[] out = new byte[EventWriter.BLOCK_SIZE];
        for (byte[] b : blocks.blocks) {
            int n = enc.encode(b, b.length);
            if (n < 0) {
                dec.stored(b, b.length);
                stored += b.length;
            } else {
                byte[] compact = Arrays.copyOf(enc.buffer(), n);
                assertEquals(b.length, dec.decode(compact, n, out));
                assertArrayEquals(b, Arrays.copyOf(out, b.length));
                stored += n;
            }
        }
        return new Sizes(events, memory, stored);
    }

    /** Encodes and decodes every block in order; returns how many were compact and stored. */
    private static int[] roundTrip(TestQueues.Collect blocks) {
        BlockEncoder enc = new BlockEncoder();
        BlockDecoder dec = new BlockDecoder();
        byte[] out = new byte[EventWriter.BLOCK_SIZE];
        int[] kinds = new int[2];
        for (byte[] b : blocks.blocks) {
            int n = enc.encode(b, b.length);
            if (n < 0) {
                kinds[1]++;
                dec.stored(b, b.length);
                continue;
            }
            kinds[0]++;
            assertTrue(n < b.length);
            byte[] compact = Arrays.copyOf(enc.buffer(), n);
            Arrays.fill(out, (byte) 0x5a);
            assertEquals(b.length, dec.decode(compact, n, out));
            assertArrayEquals(b, Arrays.copyOf(out, b.length));
        }
        return kinds;
    }

    private static void randomRecord(Random r, EventWriter w, long line, long ts) {
        EventType[] types = EventType.values();
        EventType t = types[r.nextInt(types.length)];
        if (t == EventType.SYMBOL) {
            t = EventType.UNKNOWN;
        }
        w.begin(t, line & 0xffffffffL);
        if (r.nextInt(8) != 0) { // records with the context columns; the others are comments and the like
            int tsBits = r.nextInt(3) == 0 ? Record.B_TS_RAW : r.nextInt(2) == 0 ? Record.B_TS_NANOS : 0;
            w.ts(r.nextInt(20) == 0 ? value(r) : ts, tsBits);
            w.pid(r.nextInt(10) == 0 ? (int) value(r) : 4000 + r.nextInt(4));
            if (r.nextBoolean()) {
                w.tgid(r.nextInt(4) == 0 ? -1 : 4000 + r.nextInt(3));
            }
            w.cpu(r.nextInt(10) == 0 ? r.nextInt(0x10000) : r.nextInt(4));
            byte[] flags = ascii(r.nextBoolean() ? "d..2." : r.nextBoolean() ? "...1" : "Nh.X");
            w.irqFlags(flags, 0, r.nextInt(3) == 0 ? 0 : flags.length);
            byte[] comm = WORDS[r.nextInt(3)];
            w.comm(comm, 0, comm.length);
        }
        w.bit(r.nextInt(4) == 0 ? Record.B_MARKER : r.nextInt(4) == 0 ? Record.B_PROBE : 0);
        int nf = r.nextInt(12) == 0 ? r.nextInt(EventWriter.MAX_FIELDS) : r.nextInt(8);
        StringBuilder payload = new StringBuilder();
        boolean template = r.nextBoolean();
        for (int i = 0; i < nf; i++) {
            byte vtype = (byte) r.nextInt(9);
            long v = r.nextInt(3) == 0 ? value(r) : r.nextInt(3) == 0 ? i : r.nextInt(100_000);
            int key = r.nextInt(6) == 0 ? -1 : r.nextInt(Field.COUNT);
            if (vtype == ValueType.SYM && r.nextInt(4) != 0) {
                byte[] word = WORDS[r.nextInt(WORDS.length)];
                if (key < 0) {
                    w.unknownField(ascii("k" + r.nextInt(3)), 0, 2, ValueType.SYM, w.symbols().intern(word, 0, word.length));
                } else {
                    w.symbolField(Field.of(key), word, 0, word.length);
                }
                payload.append(' ').append(Field.of(Math.max(key, 0)).key()).append('=')
                        .append(new String(word, StandardCharsets.UTF_8));
                continue;
            }
            if (key < 0) {
                byte[] k = ascii("extra" + r.nextInt(4));
                w.unknownField(k, 0, k.length, vtype, v);
            } else {
                w.field(Field.of(key), vtype, v);
            }
            payload.append(r.nextInt(3) == 0 ? " " : " key=").append(text(vtype, v));
        }
        if (template || r.nextInt(3) == 0) {
            byte[] p = (r.nextInt(5) == 0 ? "unknown text " + r.nextInt(50) : payload.toString())
                    .getBytes(StandardCharsets.UTF_8);
            w.raw(p, 0, Math.min(p.length, Record.MAX_SIZE - w.pendingSize()));
        }
        w.commit();
    }

    /** A value as a trace prints it (what a template finds), or something near it. */
    private static String text(byte vtype, long v) {
        return switch (vtype) {
            case ValueType.HEX -> "0x" + Long.toHexString(v);
            case ValueType.HEX_BARE -> Long.toHexString(v);
            case ValueType.PTR -> String.format("%016x", v);
            case ValueType.BOOL -> v != 0 ? "true" : "false";
            case ValueType.DEVNO -> (v >>> 32) + ":" + (v & 0xffffffffL);
            case ValueType.ERRNO -> "-EFAULT";
            case ValueType.FOLL -> "FOLL_WRITE";
            default -> Long.toString(v);
        };
    }

    private static long value(Random r) {
        return r.nextBoolean() ? EDGES[r.nextInt(EDGES.length)] : r.nextLong() >> r.nextInt(64);
    }

    private static byte[] records(java.util.function.Consumer<EventWriter> build) {
        TestQueues.Collect blocks = new TestQueues.Collect();
        EventWriter w = new EventWriter(blocks);
        build.accept(w);
        w.finish();
        return blocks.blocks.get(0);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
