package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventWriter;

/** Following a queue while its writer is still appending ({@code cat --follow}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
class FollowTest {
    @TempDir
    Path tmp;

    @Test
    void followerGetsEveryBlockAndStopsAtTheEndMarkerWrittenLater() throws Exception {
        Path dir = tmp.resolve("q");
        TestQueues.Collect written = new TestQueues.Collect();
        CountDownLatch caughtUp = new CountDownLatch(1);
        try (EventQueue writerSide = TestQueues.create(dir)) {
            QueueBlockSink sink = writerSide.appender();
            EventWriter w = TestQueues.write(TestQueues.tee(sink, written), 5_000);
            w.flush();

            TestQueues.Collect followed = new TestQueues.Collect();
            CompletableFuture<Boolean> follower = CompletableFuture.supplyAsync(() -> {
                try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
                    return r.follow(followed, caughtUp::countDown);
                }
            });
            assertTrue(caughtUp.await(30, TimeUnit.SECONDS), "the follower read the first blocks and waited");
            assertFalse(follower.isDone(), "no end marker yet: still following");

            TestQueues.write(TestQueues.tee(sink, written), 5_000).finish();
            assertTrue(follower.get(30, TimeUnit.SECONDS), "ended at the end marker");
            assertEquals(written.blocks.size(), followed.blocks.size());
            for (int i = 0; i < written.blocks.size(); i++) {
                assertArrayEquals(written.blocks.get(i), followed.blocks.get(i), "block " + i);
            }
            assertEquals(1, followed.ends);
        }
    }

    @Test
    void followingStopsWhenTheThreadIsInterrupted() {
        Path dir = tmp.resolve("q");
        try (EventQueue writerSide = TestQueues.create(dir)) {
            TestQueues.write(writerSide.appender(), 100).flush();
            TestQueues.Collect followed = new TestQueues.Collect();
            boolean ended;
            try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
                ended = r.follow(followed, () -> Thread.currentThread().interrupt());
            } finally {
                Thread.interrupted();
            }
            assertFalse(ended);
            assertEquals(1, followed.blocks.size());
            assertEquals(1, followed.ends);
        }
    }
}
