package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue ingested from a {@code pinreplay record} recording replays, and is watched, under the release its
 * header names, as the recording's text is: not under the newest modelled release, whose rules differ (a
 * 6.1 recording of vfio and writeback diverges under 7.2).
 */
class QueueRecordedReleaseTest {
    private static final String RECORDING = "../traces/real/6.1/vfio-writeback.txt";

    @TempDir
    Path tmp;

    private Path ingested() {
        Path q = tmp.resolve("q");
        Run ingest = Run.of("", "ingest", RECORDING, "--queue", q.toString());
        assertEquals(0, ingest.code(), ingest.err());
        return q;
    }

    @Test
    void replayOfTheQueueUsesTheRecordedRelease() {
        Path q = ingested();
        Run text = Run.of("", "replay", RECORDING, "--format", "jsonl");
        Run queue = Run.of("", "replay", "--queue", q.toString(), "--format", "jsonl");
        assertEquals(0, queue.code(), queue.err());
        assertEquals(text.out(), queue.out());
        assertFalse(queue.out().contains("\"agrees\":false"), "replayed under 6.1, every recorded result agrees");
        assertTrue(Run.of("", "replay", "--queue", q.toString()).out().startsWith("pinreplay replay: kernel 6.1.176\n"));
        assertTrue(Run.of("", "replay", "--queue", q.toString(), "--kernel", "7.2", "--format", "jsonl").out()
                .contains("\"agrees\":false"), "the release matters for this recording");
    }

    @Test
    void watchOfTheQueueUsesTheRecordedRelease() {
        Path q = ingested();
        Run watch = Run.of("", "watch", q.toString());
        assertEquals(0, watch.code(), watch.out() + watch.err());
        assertEquals("", watch.out());
        Run newest = Run.of("", "watch", q.toString(), "--kernel", "7.2");
        assertEquals(ExitCodes.FINDINGS, newest.code(), newest.err());
        assertTrue(newest.out().contains("divergence"), newest.out());
    }
}
