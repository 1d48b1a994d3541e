package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;

/** Timestamps that go back in time on one CPU are stored as they are, but counted in the metadata. */
class TimestampOrderTest {
    @TempDir
    Path tmp;

    @Test
    void backwardsTimestampsPerCpuAreCountedWithTheFirstLine() {
        Path dir = tmp.resolve("q");
        byte[] comm = "fio".getBytes(StandardCharsets.US_ASCII);
        long[][] events = { // line, cpu, ts
            {1, 0, 100}, {2, 1, 50}, {3, 0, 110}, {4, 1, 40}, {5, 0, 105}, {6, 0, 105}, {7, 1, 60}};
        try (EventQueue q = TestQueues.create(dir)) {
            EventWriter w = new EventWriter(q.appender());
            for (long[] e : events) {
                w.begin(EventType.PUT_PAGE, e[0]).cpu((int) e[1]).ts(e[2], 0).comm(comm, 0, comm.length).commit();
            }
            w.begin(EventType.COMMENT, 8).raw(comm, 0, comm.length); // no timestamp
            w.commit();
            w.finish();
        }
        QueueMetadata m = QueueMetadata.load(dir);
        assertEquals(2, m.backwards(), "line 4 on CPU 1 and line 5 on CPU 0; equal times are in order");
        assertEquals(4, m.firstBackwardsLine());
        assertEquals(m.toText(), QueueMetadata.load(dir).toText());
    }
}
