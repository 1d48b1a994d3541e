package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;
import pinreplay.format.bench.MixedTrace;

/** A parallel parse writes exactly the blocks, counts, line numbers and errors of one parser. */
class ParallelParserTest {
    private static final String HEADER = "# tracer: nop\n#\n# entries-in-buffer/entries-written: 400/900   #P:4\n"
            + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n";
    private static final String BAD = "hello world\n";
    private static final String UNKNOWN_KEY = "             fio-900     [000] ..... 7.000001: munmap: addr=0x1000 len=4096 color=blue\n";
    private static final String LONG_LINE = "      modprobe-203     [000] ..... 8.000001: pwm_get: " + "x".repeat(900) + "\n";

    /** What a writer received: every block's bytes, where blocks end, and its counts. */
    private record Written(byte[] bytes, List<Integer> blockEnds, long records, long lastLine, long symbols,
                           String stats, String error) {
    }

    private static Written run(byte[] text, boolean lenient, int threads, int chunk) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Integer> ends = new ArrayList<>();
        EventWriter w = new EventWriter((b, n) -> {
            all.write(b, 0, n);
            ends.add(all.size());
        });
        String stats = null;
        String error = null;
        ReadableByteChannel in = dribble(text, 777); // reads end mid-line, as pipes and files do
        try {
            stats = (threads == 0 ? new TraceParser("t.txt", w, lenient).parse(in)
                    : new ParallelParser("t.txt", w, lenient, threads, chunk).parse(in)).toString();
        } catch (TraceFormatException e) {
            error = e.getMessage() + " @" + e.line();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        w.flush();
        return new Written(all.toByteArray(), ends, w.records(), w.lastLine(), w.count(EventType.SYMBOL), stats, error);
    }

    private static void assertSameAsOneParser(byte[] text, boolean lenient, int threads, int chunk) {
        Written one = run(text, lenient, 0, 0);
        Written par = run(text, lenient, threads, chunk);
        assertArrayEquals(one.bytes(), par.bytes(), "queue bytes");
        assertEquals(one.blockEnds(), par.blockEnds(), "block boundaries");
        assertEquals(one.records(), par.records());
        assertEquals(one.lastLine(), par.lastLine());
        assertEquals(one.symbols(), par.symbols());
        assertEquals(one.stats(), par.stats());
        assertEquals(one.error(), par.error());
    }

    private static byte[] trace(int lines, String... inserts) {
        StringBuilder sb = new StringBuilder(HEADER);
        String mixed = new String(MixedTrace.lines(lines), StandardCharsets.US_ASCII);
        int step = mixed.length() / (inserts.length + 1);
        int from = 0;
        for (String insert : inserts) {
            int at = mixed.indexOf('\n', from + step) + 1;
            sb.append(mixed, from, at).append(insert);
            from = at;
        }
        return sb.append(mixed, from, mixed.length()).toString().getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @CsvSource({"1, 4096", "2, 4096", "2, 65536", "3, 300", "2, 1048576"})
    void parallelParseWritesTheBlocksOfOneParser(int threads, int chunk) {
        byte[] text = trace(30_000, UNKNOWN_KEY, UNKNOWN_KEY);
        assertSameAsOneParser(text, false, threads, chunk);
    }

    @ParameterizedTest
    @CsvSource({"2, 4096", "3, 300"})
    void malformedLineStopsAtTheSameFileLineWithEveryEarlierEventKept(int threads, int chunk) {
        byte[] text = trace(20_000, BAD, BAD);
        Written par = run(text, false, threads, chunk);
        assertTrue(par.error().startsWith("t.txt:"), par.error());
        assertSameAsOneParser(text, false, threads, chunk);
    }

    @ParameterizedTest
    @CsvSource({"2, 4096", "3, 300"})
    void lenientCountsAndReportsMatchOneParser(int threads, int chunk) {
        String[] bad = new String[14];
        java.util.Arrays.fill(bad, BAD);
        bad[3] = UNKNOWN_KEY;
        bad[7] = "# tracer: function\n";
        byte[] text = trace(20_000, bad);
        assertSameAsOneParser(text, true, threads, chunk);
    }

    @ParameterizedTest
    @CsvSource({"true, 2, 512", "false, 2, 512", "true, 1, 100000"})
    void lineLongerThanAChunkIsParsedAfterTheChunksBeforeIt(boolean lenient, int threads, int chunk) {
        byte[] text = trace(5_000, LONG_LINE, BAD, LONG_LINE);
        assertSameAsOneParser(text, lenient, threads, chunk);
    }

    @ParameterizedTest
    @CsvSource({"2, 64", "2, 4096"})
    void lastLineWithoutNewlineAndCrlfLinesMatchOneParser(int threads, int chunk) {
        String crlf = new String(trace(300), StandardCharsets.US_ASCII).replace("\n", "\r\n");
        byte[] text = (crlf + "             fio-900     [000] ..... 9.000001: munmap: addr=0x2000 len=4096")
                .getBytes(StandardCharsets.US_ASCII);
        assertSameAsOneParser(text, false, threads, chunk);
        assertSameAsOneParser(text, true, threads, chunk);
    }

    @ParameterizedTest
    @CsvSource({"2, 4096"})
    void emptyInputWritesNothing(int threads, int chunk) {
        Written par = run(new byte[0], false, threads, chunk);
        assertEquals(0, par.bytes().length);
        assertSameAsOneParser(new byte[0], false, threads, chunk);
    }

    @ParameterizedTest
    @CsvSource({"2, 4096", "3, 300"})
    void readErrorKeepsTheCompleteLinesBeforeItAsOneParserDoes(int threads, int chunk) {
        byte[] text = trace(3_000);
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        ByteArrayOutputStream par = new ByteArrayOutputStream();
        EventWriter w1 = new EventWriter((b, n) -> one.write(b, 0, n));
        EventWriter w2 = new EventWriter((b, n) -> par.write(b, 0, n));
        assertThrows(IOException.class, () -> new TraceParser("t.txt", w1, false).parse(failingAfter(text, 100_000)));
        IOException e = assertThrows(IOException.class,
                () -> new ParallelParser("t.txt", w2, false, threads, chunk).parse(failingAfter(text, 100_000)));
        assertEquals("disk gone", e.getMessage());
        w1.flush();
        w2.flush();
        assertTrue(w2.lastLine() > 600, "lines before the error kept: " + w2.lastLine());
        assertEquals(w1.lastLine(), w2.lastLine());
        assertArrayEquals(one.toByteArray(), par.toByteArray());
    }

    /** Reads of at most {@code step} bytes. */
    private static ReadableByteChannel dribble(byte[] text, int step) {
        return new ReadableByteChannel() {
            private int pos;

            @Override
            public int read(ByteBuffer dst) {
                if (pos == text.length) {
                    return -1;
                }
                int n = Math.min(Math.min(dst.remaining(), step), text.length - pos);
                dst.put(text, pos, n);
                pos += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    /** The first {@code limit} bytes, then an I/O error. */
    private static ReadableByteChannel failingAfter(byte[] text, int limit) {
        ReadableByteChannel head = dribble(java.util.Arrays.copyOf(text, limit), 4096);
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                int n = head.read(dst);
                if (n < 0) {
                    throw new IOException("disk gone");
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
