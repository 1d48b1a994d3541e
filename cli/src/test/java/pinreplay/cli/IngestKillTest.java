package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.BlockSink;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueEnd;
import pinreplay.format.queue.QueueMetadata;
import pinreplay.format.queue.QueueReader;
import pinreplay.replay.run.QueueSource;

/**
 * {@code kill -9} of a real {@code ingest} process at 20 random moments of a 2-million-event trace:
 * each time the queue left behind reads as an exact prefix of the uninterrupted ingest's blocks (as
 * {@code cat} reads it), and {@code ingest --resume} then finishes a queue identical to it, block for
 * block and in its metadata. Serial and parallel parsing alternate, in the killed ingest and in the
 * resumed one.
 */
class IngestKillTest {
    private static final int EVENTS = 2_000_000;
    private static final int KILLS = 20;
    private static final String PROPERTIES = QueueMetadata.FILE_NAME;

    @TempDir
    Path tmp;

    @Test
    void killedIngestLeavesAnExactPrefixAndResumeWritesTheUninterruptedQueue() throws Exception {
        Path trace = tmp.resolve("trace.txt");
        Run synth = Run.of("", "synth", "mixed", "--seed", "13", "--events", Integer.toString(EVENTS), "-o", trace.toString());
        assertEquals(0, synth.code(), synth.err());

        // The reference: one uninterrupted ingest by a child process, timed so the kills spread over its work.
        Path ref = tmp.resolve("ref");
        long start = System.nanoTime();
        Process whole = ingest(trace, ref, "1");
        long created = 0;
        while (whole.isAlive()) {
            if (created == 0 && Files.exists(ref.resolve(PROPERTIES))) {
                created = System.nanoTime() - start;
            }
            Thread.sleep(2);
        }
        assertEquals(0, whole.waitFor());
        long took = System.nanoTime() - start;
        List<Long> refBlocks = digests(ref);
        String refProperties = Files.readString(ref.resolve(PROPERTIES));
        assertTrue(refBlocks.size() > 500, "a trace of many blocks: " + refBlocks.size());

        SplittableRandom random = new SplittableRandom(20_240_513);
        Path cat = tmp.resolve("cat.txt");
        long work = Math.max(1, took - created); // from the queue's creation to the end of the ingest
        for (int k = 0; k < KILLS; k++) {
            long at = random.nextLong(work);
            String threads = k % 2 == 0 ? "1" : "3";
            Path q = tmp.resolve("q" + k);
            Process p = ingest(trace, q, threads);
            while (!Files.exists(q.resolve(PROPERTIES)) && p.isAlive()) {
                Thread.sleep(1); // the JVM starts: no queue yet
            }
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < at && p.isAlive()) {
                Thread.sleep(1);
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            String where = "kill " + k + " " + at / 1_000_000 + " ms into an ingest of " + work / 1_000_000
                    + " ms (--threads " + threads + ")";

            if (!EventQueue.unborn(q)) {
                List<Long> prefix = new ArrayList<>();
                StringWriter err = new StringWriter();
                QueueEnd end = read(q, digester(prefix), true, new PrintWriter(err, true));
                assertEquals(refBlocks.subList(0, prefix.size()), prefix, where + ": an exact prefix");
                if (end.state() == QueueEnd.State.COMPLETE) {
                    assertEquals(refBlocks.size(), prefix.size(), where);
                } else {
                    assertEquals(QueueEnd.State.ABANDONED, end.state(), where);
                    assertTrue(err.toString().contains("(ingest --resume " + trace + " --queue " + q + " continues it)"),
                            err.toString());
                }
                if (k == 1) {
                    assertCatPrintsAPrefixOfTheReference(q, ref, cat, where);
                }
            }

            String resumeThreads = k % 4 < 2 ? "2" : "1";
            Run resumed = Run.of("", "ingest", trace.toString(), "--queue", q.toString(), "--resume",
                    "--threads", resumeThreads);
            assertEquals(0, resumed.code(), where + ": " + resumed.err());
            assertEquals(refBlocks, digests(q), where + ", resumed with --threads " + resumeThreads);
            assertEquals(refProperties, Files.readString(q.resolve(PROPERTIES)), where);
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(0, s.filter(f -> f.getFileName().toString().startsWith(".")).count(), "no leftovers");
            }
            delete(q);
        }
    }

    /** The real cat command: exit 3, how far it goes, and text that is the reference's first lines. */
    private static void assertCatPrintsAPrefixOfTheReference(Path q, Path ref, Path cat, String where) throws IOException {
        Path got = cat.resolveSibling("cat-killed.txt");
        Run r;
        try (OutputStream out = Files.newOutputStream(got)) {
            r = Run.of("", out, "cat", "--queue", q.toString());
        }
        if (QueueMetadata.load(q).finished()) {
            return;
        }
        assertEquals(ExitCodes.BAD_INPUT, r.code(), where);
        assertTrue(r.err().contains(": incomplete: its writer is gone without finishing"), r.err());
        try (OutputStream out = Files.newOutputStream(cat)) {
            assertEquals(0, Run.of("", out, "cat", "--queue", ref.toString()).code());
        }
        assertTrue(Files.size(got) < Files.size(cat), where);
        assertEquals(Files.size(got), Files.mismatch(got, cat), where + ": cat prints the first lines of the reference");
        Files.delete(got);
        Files.delete(cat);
    }

    private Process ingest(Path trace, Path q, String threads) throws IOException {
        return Child.pinreplay(tmp, "ingest", trace.toString(), "--queue", q.toString(), "--threads", threads)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Each block's two checksums (CRC32C and CRC32) and length: equal lists, equal blocks. */
    private static List<Long> digests(Path q) {
        List<Long> out = new ArrayList<>();
        QueueEnd end = read(q, digester(out), false, null);
        assertEquals(QueueEnd.State.COMPLETE, end.state());
        return out;
    }

    private static QueueEnd read(Path q, BlockSink sink, boolean allowIncomplete, PrintWriter err) {
        try (EventQueue queue = EventQueue.open(q); QueueReader reader = queue.reader()) {
            return QueueSource.checked(reader.readTo(sink), allowIncomplete, err);
        }
    }

    private static BlockSink digester(List<Long> out) {
        CRC32C a = new CRC32C();
        CRC32 b = new CRC32();
        return new BlockSink() {
            @Override
            public void onBlock(byte[] buf, int length) {
                a.reset();
                b.reset();
                a.update(buf, 0, length);
                b.update(buf, 0, length);
                out.add(a.getValue() << 32 ^ b.getValue() ^ (long) length << 13);
            }

            @Override
            public void onEnd() {
                // nothing to flush
            }
        };
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
