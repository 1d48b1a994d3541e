package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.queue.QueueMetadata;

/**
 * An ingest that runs out of memory (here: a trace of 600,000 distinct handles in a 24 MB heap) ends
 * with one line and exit 3 (an input too large for the heap), its queue stopped after the last block written and readable to there.
 * A real child process: the error must not be thrown in the test's JVM.
 */
class OutOfMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void outOfMemoryIsOneLineAndAStoppedQueue() throws Exception {
        Path trace = tmp.resolve("handles.txt");
        try (BufferedWriter w = Files.newBufferedWriter(trace, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < 600_000; i++) {
                w.write("        qemu-kvm-4242    [001] .....   100.000001: dma_write: handle=h");
                w.write(Integer.toString(i));
                w.write(" iova=0x1000 len=4096\n");
            }
        }
        Path q = tmp.resolve("q");
        Process p = Child.pinreplay(tmp, List.of("-Xmx24m"), "ingest", trace.toString(), "--queue", q.toString(),
                "--threads", "1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ExitCodes.BAD_INPUT, p.waitFor(), out);
        assertTrue(out.matches("pinreplay: out of memory after " + trace + ":\\d+; " + q + " is stopped there: give"
                + " the JVM a larger heap, e\\.g\\. PINREPLAY_JAVA_OPTS=-Xmx8g\\n"), out);

        QueueMetadata m = QueueMetadata.load(q);
        assertEquals(QueueMetadata.State.STOPPED, m.state());
        assertTrue(m.stoppedAt().startsWith("out of memory after "), m.stoppedAt());
        Run cat = Run.of("", "cat", "--queue", q.toString(), "--allow-incomplete");
        assertEquals(0, cat.code(), cat.err());
        assertEquals(m.records(), cat.out().lines().count());
        assertTrue(m.records() > 1000, "a prefix was stored: " + m.records());
    }
}
