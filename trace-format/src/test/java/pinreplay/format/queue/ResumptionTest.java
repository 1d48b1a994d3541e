package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.format.BlockSink;
import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.Checkpoint;
import pinreplay.format.parse.ParallelParser;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.print.FtracePrinter;
import pinreplay.format.synth.Scenario;
import pinreplay.format.synth.Synthesizer;

/**
 * An ingest cut short after any number of blocks (its later blocks, its end marker and its final
 * metadata lost, its checkpoints not), then resumed, ends as the queue of an uninterrupted ingest:
 * the same blocks, byte for byte, and the same metadata. Serial and parallel parsing alike.
 */
class ResumptionTest {
    private static final int THREADS_CHUNK = 64 << 10;

    @TempDir
    static Path tmp;
    static Path trace;

    @BeforeAll
    static void trace() throws IOException {
        Scenario sc = Synthesizer.scenario("mixed");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        EventWriter w = new EventWriter(new EventReader(new FtracePrinter(text)));
        Synthesizer.run(sc, sc.params(), 3, 40_000, 0, w);
        w.finish();
        trace = Files.write(tmp.resolve("trace.txt"), text.toByteArray());
        assertTrue(Files.size(trace) > 3 << 20, "several of the serial parser's 1 MiB buffers");
    }

    /** Ingests the trace, as the cli does, from {@code from}; keeps only the first {@code keep} blocks. */
    private static void ingest(EventQueue q, int threads, Resumption from, long keep) throws IOException {
        QueueBlockSink sink = q.appender();
        BlockSink cut = new BlockSink() {
            long n;

            @Override
            public void onBlock(byte[] buf, int length) {
                if (n++ < keep) {
                    sink.onBlock(buf, length);
                }
            }

            @Override
            public void onEnd() {
                if (n <= keep) {
                    sink.onEnd();
                }
            }
        };
        Checkpoint start = from != null ? from.at() : Checkpoint.START;
        Checkpoint.Sink checkpoints = q.checkpoints(false, from != null ? from.kept() : List.of());
        EventWriter w = new EventWriter(cut);
        try (FileChannel in = FileChannel.open(trace)) {
            if (from != null) {
                from.verify(in, "trace.txt");
                try (EventQueue old = EventQueue.open(tmp.resolve("cut"))) {
                    from.copy(old, w);
                }
            }
            var stats = threads == 0
                    ? new TraceParser("trace.txt", w, false).from(start).checkpoints(checkpoints).parse(in)
                    : new ParallelParser("trace.txt", w, false, threads, THREADS_CHUNK).from(start)
                            .checkpoints(checkpoints).parse(in);
            q.metadata().lines(stats.lines()).malformed(stats.malformed());
        }
        w.finish();
    }

    private static TestQueues.Collect blocks(Path dir) {
        TestQueues.Collect c = new TestQueues.Collect();
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            assertEquals(QueueEnd.State.COMPLETE, r.readTo(c).state());
        }
        return c;
    }

    @ParameterizedTest
    @CsvSource({"0,0", "0,1", "0,7", "3,3", "3,12", "2,15"})
    void resumedIngestWritesTheUninterruptedQueue(int threads, long keep) throws IOException {
        Path whole = tmp.resolve("whole" + threads + "-" + keep);
        try (EventQueue q = EventQueue.create(whole, new QueueMetadata().source("trace.txt"), false, TestQueues.SMALL)) {
            ingest(q, threads, null, Long.MAX_VALUE);
            q.commit();
        }
        Path cut = tmp.resolve("cut");
        try (EventQueue q = EventQueue.create(cut, new QueueMetadata().source("trace.txt"), false, TestQueues.SMALL)) {
            ingest(q, threads, null, keep); // as if killed after `keep` blocks
        }
        try (EventQueue q = EventQueue.replacing(cut, new QueueMetadata().source("trace.txt"), TestQueues.SMALL)) {
            Resumption r;
            try (EventQueue old = EventQueue.open(cut)) {
                r = Resumption.plan(old, false);
            }
            assertTrue(keep > 1 || r.at().lines() == 0, "nothing stored, nothing kept");
            ingest(q, threads == 0 ? 3 : 0, r, Long.MAX_VALUE); // the other parser resumes
            q.commit();
        }
        TestQueues.Collect a = blocks(whole);
        TestQueues.Collect b = blocks(cut);
        assertEquals(a.blocks.size(), b.blocks.size());
        for (int i = 0; i < a.blocks.size(); i++) {
            assertArrayEquals(a.blocks.get(i), b.blocks.get(i), "block " + i);
        }
        assertEquals(QueueMetadata.load(whole).toText(), QueueMetadata.load(cut).toText());
        assertEquals(List.of("cut", "trace.txt", whole.getFileName().toString()),
                Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList());
        deleteQueue(cut);
        deleteQueue(whole);
    }

    @ParameterizedTest
    @CsvSource({"0", "3"})
    void anotherInputIsRefused(int threads) throws IOException {
        Path cut = tmp.resolve("cut");
        try (EventQueue q = EventQueue.create(cut, new QueueMetadata().source("trace.txt"), false, TestQueues.SMALL)) {
            ingest(q, threads, null, 6);
        }
        byte[] text = Files.readAllBytes(trace);
        text[1000] ^= 1;
        Path other = Files.write(tmp.resolve("other.txt"), text);
        Resumption r;
        try (EventQueue old = EventQueue.open(cut)) {
            r = Resumption.plan(old, false);
        }
        try (FileChannel in = FileChannel.open(other)) {
            QueueException e = assertThrows(QueueException.class, () -> r.verify(in, "other.txt"));
            assertEquals(QueueException.Reason.MISMATCH, e.reason());
            assertTrue(e.getMessage().startsWith("other.txt: is not the input the interrupted ingest read: it differs"
                    + " before byte "), e.getMessage());
        }
        try (FileChannel in = FileChannel.open(Files.write(other, new byte[100]))) {
            QueueException e = assertThrows(QueueException.class, () -> r.verify(in, "other.txt"));
            assertTrue(e.getMessage().startsWith("other.txt: has 100 bytes, fewer than the "), e.getMessage());
        }
        Files.delete(other);
        deleteQueue(cut);
    }

    private static void deleteQueue(Path dir) throws IOException {
        for (Path f : Files.list(dir).toList()) {
            Files.delete(f);
        }
        Files.delete(dir);
    }
}
