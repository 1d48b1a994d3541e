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
            CompletableFuture<QueueEnd> follower = CompletableFuture.supplyAsync(() -> {
                try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
                    return r.follow(followed, caughtUp::countDown);
                }
            });
            assertTrue(caughtUp.await(30, TimeUnit.SECONDS), "the follower read the first blocks and waited");
            assertFalse(follower.isDone(), "no end marker yet: still following");

            TestQueues.write(TestQueues.tee(sink, written), 5_000).finish();
            assertEquals(QueueEnd.State.COMPLETE, follower.get(30, TimeUnit.SECONDS).state(), "ended at the end marker");
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
            QueueEnd end;
            try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
                end = r.follow(followed, () -> Thread.currentThread().interrupt());
            } finally {
                Thread.interrupted();
            }
            assertEquals(QueueEnd.State.INTERRUPTED, end.state());
            assertEquals(1, followed.blocks.size());
            assertEquals(1, followed.ends);
        }
    }

    @Test
    void followerGivesUpWhenTheWriterIsGoneWithoutItsEndMarker() throws Exception {
        Path dir = tmp.resolve("q");
        CountDownLatch caughtUp = new CountDownLatch(1);
        CompletableFuture<QueueEnd> follower;
        try (EventQueue writerSide = TestQueues.create(dir)) {
            TestQueues.write(writerSide.appender(), 5_000).flush();
            follower = CompletableFuture.supplyAsync(() -> {
                try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
                    return r.follow(new TestQueues.Collect(), caughtUp::countDown);
                }
            });
            assertTrue(caughtUp.await(30, TimeUnit.SECONDS), "the follower read the first blocks and waited");
            assertFalse(follower.isDone(), "the writer lives: still following");
        } // the writer lets go of its lock without an end marker, as a killed process does
        QueueEnd end = follower.get(30, TimeUnit.SECONDS);
        assertEquals(QueueEnd.State.ABANDONED, end.state());
        assertEquals(2, end.blocks());
        assertEquals(5_005, end.records());
        assertEquals(5_000, end.lastLine());
        assertEquals(dir + ": incomplete: its writer is gone without finishing (killed or crashed); the queue holds"
                + " 2 blocks, 5005 records up to line 5000 (ingest --resume test.txt --queue " + dir + " continues it)",
                end.message());
    }

    @Test
    void followerWaitsForTheQueueToBeCreated() throws Exception {
        Path dir = tmp.resolve("later");
        TestQueues.Collect followed = new TestQueues.Collect();
        CompletableFuture<QueueEnd> follower = CompletableFuture.supplyAsync(() -> {
            try (EventQueue q = EventQueue.openWhenCreated(dir); QueueReader r = q.reader()) {
                return r.follow(followed, () -> { });
            }
        });
        try (EventQueue writerSide = TestQueues.create(dir)) {
            QueueBlockSink sink = writerSide.appender();
            TestQueues.write(sink, 3_000).finish();
        }
        assertEquals(QueueEnd.State.COMPLETE, follower.get(30, TimeUnit.SECONDS).state());
        assertEquals(2, followed.blocks.size());
    }

    @Test
    void aQueueReplacedWhileFollowedIsReportedNotMixedWithTheNewOne() throws Exception {
        Path dir = tmp.resolve("q");
        try (EventQueue writerSide = TestQueues.create(dir)) {
            TestQueues.write(writerSide.appender(), 5_000).flush();
            TestQueues.Collect followed = new TestQueues.Collect();
            boolean[] replaced = {false};
            QueueException e;
            try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
                e = org.junit.jupiter.api.Assertions.assertThrows(QueueException.class, () -> r.follow(followed, () -> {
                    if (!replaced[0]) { // what ingest --force does when it commits: the old queue aside, a new one in
                        replaced[0] = true;
                        try {
                            java.nio.file.Files.move(dir, tmp.resolve("old"));
                        } catch (java.io.IOException io) {
                            throw new java.io.UncheckedIOException(io);
                        }
                        try (EventQueue other = TestQueues.create(dir)) {
                            TestQueues.write(other.appender(), 10).finish();
                        }
                    }
                }));
            }
            assertEquals(QueueException.Reason.REPLACED, e.reason());
            assertEquals(dir + ": another queue took its place while it was read (ingest --force or --resume"
                    + " committed one); read it again", e.getMessage());
            assertTrue(followed.blocks.size() > 0, "the blocks read before are the first queue's");
        }
    }
}
