package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.queue.QueueMetadata;

/**
 * A full disk while writing a queue: exit 4 with one line, the queue marked stopped after its last
 * whole block and readable up to there; {@code --force} leaves the old queue. Needs a small tmpfs,
 * so root (as in CI); skipped otherwise.
 */
class DiskFullTest {
    @TempDir
    Path tmp;
    private Path mnt;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path dir = Files.createDirectory(tmp.resolve("mnt"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "pinreplay-test", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here: " + out);
        mnt = dir;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mnt != null) {
            // lazily: Chronicle may unmap its files a moment after it is closed
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
        }
    }

    private Path trace(String name, int events) throws IOException {
        Path t = tmp.resolve(name);
        assertEquals(0, Run.of("", "synth", "mixed", "--seed", "2", "--events", Integer.toString(events), "-o", t.toString()).code());
        return t;
    }

    @Test
    void aFullDiskStopsTheQueueAfterItsLastWholeBlock() throws IOException {
        Path trace = trace("big.txt", 240_000);
        Path q = mnt.resolve("q");
        Run r = Run.of("", "ingest", trace.toString(), "--queue", q.toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, r.code());
        assertTrue(r.err().matches("pinreplay: " + q + ": disk full while appending block \\d+\\n"), r.err());

        QueueMetadata m = QueueMetadata.load(q);
        assertEquals(QueueMetadata.State.STOPPED, m.state());
        assertEquals("disk full while appending block " + m.blocks(), m.stoppedAt());
        Run cat = Run.of("", "cat", "--queue", q.toString(), "--format", "jsonl");
        assertEquals(ExitCodes.BAD_INPUT, cat.code());
        assertEquals("pinreplay: " + q + ": the ingest stopped early: disk full while appending block " + m.blocks()
                + "; the queue holds its first " + m.blocks() + " blocks, " + m.records() + " records up to line "
                + m.lines() + "\n", cat.err());

        Path ref = tmp.resolve("ref");
        assertEquals(0, Run.of("", "ingest", trace.toString(), "--queue", ref.toString()).code());
        String whole = Run.of("", "cat", "--queue", ref.toString(), "--format", "jsonl").out();
        assertTrue(cat.out().length() > 100_000 && whole.startsWith(cat.out()), "an exact prefix");

        Run another = Run.of("", "ingest", trace.toString(), "--queue", mnt.resolve("q2").toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, another.code());
        assertEquals(1, another.err().lines().count(), "one line, no stack trace: " + another.err());
        assertTrue(another.err().contains("disk full"), another.err());
    }

    @Test
    void forceOnAFullDiskKeepsTheOldQueue() throws IOException {
        Path q = mnt.resolve("q");
        assertEquals(0, Run.of("", "ingest", trace("small.txt", 3_000).toString(), "--queue", q.toString()).code());
        String before = Run.of("", "cat", "--queue", q.toString()).out();
        Run r = Run.of("", "ingest", trace("big.txt", 240_000).toString(), "--queue", q.toString(), "--force");
        assertEquals(ExitCodes.OUTPUT_ERROR, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("disk full"), r.err());
        Run after = Run.of("", "cat", "--queue", q.toString());
        assertEquals(0, after.code(), after.err());
        assertEquals(before, after.out());
        try (Stream<Path> s = Files.list(mnt)) {
            assertEquals(List.of("q"), s.map(p -> p.getFileName().toString()).toList(), "the new queue is gone");
        }
    }
}
