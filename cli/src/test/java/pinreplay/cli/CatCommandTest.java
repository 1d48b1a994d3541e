package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.format.BlockSink;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.ValueType;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueBlockSink;
import pinreplay.format.queue.QueueMetadata;
import pinreplay.format.queue.QueueReader;

class CatCommandTest {
    @TempDir
    Path tmp;

    private Path ingest(String name, String trace) throws IOException {
        Path q = tmp.resolve(name);
        Run r = Run.of(trace, "ingest", "-", "--queue", q.toString());
        assertEquals(0, r.code(), r.err());
        return q;
    }

    private static List<byte[]> blocks(Path q) {
        List<byte[]> out = new ArrayList<>();
        try (EventQueue queue = EventQueue.open(q); QueueReader r = queue.reader()) {
            r.readTo((buf, len) -> out.add(Arrays.copyOf(buf, len)));
        }
        return out;
    }

    /** The shared samples of the parser's tests, plus this module's own trace. */
    private static String trace(String sample) throws IOException {
        return sample.isEmpty() ? IngestCommandTest.TRACE
                : Files.readString(Path.of("../trace-format/src/test/resources/samples", sample));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "native.txt", "layouts.txt", "probes.txt"})
    void ingestCatIngestGivesAnIdenticalQueue(String sample) throws IOException {
        Path first = ingest("first", trace(sample));
        Run cat = Run.of("", "cat", "--queue", first.toString(), "--format", "ftrace");
        assertEquals(0, cat.code(), cat.err());
        Path second = ingest("second", cat.out());

        List<byte[]> a = blocks(first);
        List<byte[]> b = blocks(second);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "block " + i);
        }
        QueueMetadata ma = QueueMetadata.load(first);
        QueueMetadata mb = QueueMetadata.load(second);
        for (EventType t : EventType.values()) {
            assertEquals(ma.count(t), mb.count(t), t.eventName());
        }
        assertEquals(ma.lines(), mb.lines());
        assertEquals(ma.symbols(), mb.symbols());
        assertEquals(ma.blocks(), mb.blocks());
    }

    @Test
    void jsonlPrintsOneObjectPerEventAndSkipsComments() throws IOException {
        Path q = ingest("q", IngestCommandTest.TRACE);
        Run cat = Run.of("", "cat", "--queue", q.toString(), "--format", "jsonl");
        assertEquals(0, cat.code(), cat.err());
        List<String> lines = cat.out().lines().toList();
        assertEquals(6, lines.size());
        assertTrue(lines.get(0).startsWith("{\"line\":3,"), lines.get(0));
        assertTrue(lines.get(0).contains("\"event\":\"vfio_dma_map\""), lines.get(0));
    }

    @Test
    void unknownFormatIsAUsageError() throws IOException {
        Path q = ingest("q", IngestCommandTest.TRACE);
        Run r = Run.of("", "cat", "--queue", q.toString(), "--format", "xml");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("pinreplay cat: Invalid value for option '--format': expected one of [ftrace, jsonl]"), r.err());
        assertTrue(r.err().endsWith("Try 'pinreplay cat --help' for more information.\n"), "no help dump: " + r.err());
    }

    @Test
    void missingDirectoryExits3() {
        Run r = Run.of("", "cat", "--queue", tmp.resolve("nosuch").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("pinreplay: " + tmp.resolve("nosuch") + ": no such queue directory\n", r.err());
        assertFalse(Files.exists(tmp.resolve("nosuch")));
    }

    @Test
    void directoryThatIsNotAQueueExits3() {
        Run r = Run.of("", "cat", "--queue", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("pinreplay: " + tmp + ": not a pinreplay queue (no pinreplay-queue.properties)\n", r.err());
    }

    @Test
    void newerFormatVersionExits3() throws IOException {
        Path q = ingest("q", IngestCommandTest.TRACE);
        Path meta = q.resolve(QueueMetadata.FILE_NAME);
        Files.writeString(meta, Files.readString(meta).replace("format.version=" + pinreplay.format.Record.FORMAT_VERSION, "format.version=99"));
        Run r = Run.of("", "cat", "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("pinreplay: " + q + ": queue format version 99 is newer than this pinreplay"
                + " reads (" + pinreplay.format.Record.FORMAT_VERSION + ")"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void crashedWriterLeavesAQueueThatPrintsThenSaysIncomplete() {
        Path q = tmp.resolve("q");
        try (EventQueue queue = EventQueue.create(q, new QueueMetadata().source("crash.txt"), false)) {
            dmaWrites(queue.appender(), 1, 3).flush(); // no finish(): no end marker, as after a crash
        }
        Run r = Run.of("", "cat", "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals(3, r.out().lines().count(), "the events that were written are printed");
        assertEquals("pinreplay: " + q + ": incomplete: its writer is gone without finishing (killed or crashed);"
                + " the queue holds 1 block, 3 records up to line 3 (ingest --resume crash.txt --queue " + q + " continues it)\n",
                r.err());

        Run allowed = Run.of("", "cat", "--queue", q.toString(), "--allow-incomplete");
        assertEquals(ExitCodes.OK, allowed.code());
        assertEquals(r.out(), allowed.out());
        assertEquals(r.err(), allowed.err(), "still says how far it goes");
    }

    @Test
    void unreadableOrDamagedQueueFilesExit3() throws IOException {
        Path q = ingest("q", IngestCommandTest.TRACE);
        Path cq4;
        try (java.util.stream.Stream<Path> s = Files.list(q)) {
            cq4 = s.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        Files.move(cq4, q.resolve("saved"));
        Files.createDirectory(cq4);
        Run dir = Run.of("", "cat", "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, dir.code());
        assertEquals("pinreplay: " + cq4 + ": cannot read the queue file: not a regular file\n", dir.err());
        Files.delete(cq4);
        Files.move(q.resolve("saved"), cq4);

        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(q.resolve("metadata.cq4t").toFile(), "rw")) {
            f.write(new byte[16]);
        }
        Run damaged = Run.of("", "cat", "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, damaged.code());
        assertEquals("pinreplay: " + q.resolve("metadata.cq4t") + ": damaged queue metadata (Chronicle's table store has"
                + " no valid header); the queue cannot be read\n", damaged.err());
    }

    @Test
    void jsonlOfInvalidUtf8IsValidJson() throws IOException {
        byte[] text = "        fio-900 [000] ..... 2.000000: my_event: name=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path q = tmp.resolve("q");
        assertEquals(0, Run.of("", "ingest", Files.write(tmp.resolve("t.txt"), text).toString(), "--queue",
                q.toString()).code());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Run.of("", out, "cat", "--queue", q.toString(), "--format", "jsonl").code());
        String json = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        assertTrue(json.endsWith(",\"payload\":\"name=caf\ufffd\"}\n"), json);
    }

    @Test
    void closedPipeEndsQuietlyWithZero() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append(IngestCommandTest.TRACE.lines().skip(3).findFirst().orElseThrow()).append('\n');
        }
        Path q = ingest("q", big.toString());
        OutputStream headOne = new OutputStream() { // like `| head -c 100`: then the pipe is gone
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written > 100) {
                    throw new IOException("Broken pipe");
                }
                written += len;
            }
        };
        Run r = Run.of("", headOne, "cat", "--queue", q.toString());
        assertEquals(0, r.code());
        assertEquals("", r.err());
    }

    @Test
    void otherWriteErrorsExit4() throws IOException {
        Path q = ingest("q", IngestCommandTest.TRACE);
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        Run r = Run.of("", full, "cat", "--queue", q.toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, r.code());
        assertEquals("pinreplay: cannot write the output: No space left on device\n", r.err());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
    void followPrintsEventsAsTheyArriveAndEndsAtTheEndMarker() throws Exception {
        Path q = tmp.resolve("q");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventQueue queue = EventQueue.create(q, new QueueMetadata().source("live.txt"), false)) {
            QueueBlockSink sink = queue.appender();
            EventWriter w = dmaWrites(sink, 1, 5);
            w.flush();
            CompletableFuture<Run> follower = CompletableFuture.supplyAsync(() ->
                    Run.of("", out, "cat", "--queue", q.toString(), "--follow"));
            while (lines(out) < 5) { // the first events are printed while the writer is idle
                Thread.sleep(10);
                assertFalse(follower.isDone(), () -> follower.join().err());
            }
            dmaWrites(w, 6, 10).finish();
            Run r = follower.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.err());
            assertEquals(10, lines(out));
        }
    }

    private static long lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().count(); // synchronized with the writer
    }

    private static EventWriter dmaWrites(BlockSink sink, int from, int to) {
        return dmaWrites(new EventWriter(sink), from, to);
    }

    private static EventWriter dmaWrites(EventWriter w, int from, int to) {
        byte[] handle = "vfio0".getBytes(StandardCharsets.US_ASCII);
        for (int i = from; i <= to; i++) {
            w.begin(EventType.DMA_WRITE, i).pid(4242).ts(100_000_000_000L + i, 0)
                    .symbolField(Field.HANDLE, handle, 0, handle.length)
                    .field(Field.IOVA, ValueType.HEX, 0x1000L * i).field(Field.LEN, ValueType.DEC, 64);
            w.commit();
        }
        return w;
    }
}
