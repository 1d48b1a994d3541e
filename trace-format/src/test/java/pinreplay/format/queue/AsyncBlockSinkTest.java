package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.BlockSink;
import pinreplay.format.EventWriter;

@Timeout(value = 60, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
class AsyncBlockSinkTest {
    @TempDir
    Path tmp;

    @Test
    void blocksArriveInOrderWithTheirBytesAndTheEndLast() {
        TestQueues.Collect direct = new TestQueues.Collect();
        TestQueues.Collect viaThread = new TestQueues.Collect();
        try (AsyncBlockSink async = new AsyncBlockSink(viaThread, "test-writer")) {
            TestQueues.write(TestQueues.tee(direct, async), 50_000).finish();
        }
        assertTrue(direct.blocks.size() > 10);
        assertEquals(direct.blocks.size(), viaThread.blocks.size());
        for (int i = 0; i < direct.blocks.size(); i++) {
            assertArrayEquals(direct.blocks.get(i), viaThread.blocks.get(i), "block " + i);
        }
        assertEquals(1, viaThread.ends);
    }

    @Test
    void exchangedBuffersCarryEveryBlockIntactThroughAFullRing() {
        TestQueues.Collect direct = new TestQueues.Collect();
        TestQueues.Collect viaThread = new TestQueues.Collect();
        BlockSink slow = new BlockSink() { // the ring fills, so every slot's buffer changes hands many times
            @Override
            public void onBlock(byte[] buf, int length) {
                if (viaThread.blocks.size() % 4 == 0) {
                    sleep();
                }
                viaThread.onBlock(buf, length);
            }

            @Override
            public void onEnd() {
                viaThread.onEnd();
            }
        };
        TestQueues.write(direct, 50_000).finish();
        try (AsyncBlockSink async = new AsyncBlockSink(slow, "test-writer")) {
            TestQueues.write(async, 50_000).finish(); // EventWriter hands its blocks over by exchange
        }
        assertTrue(direct.blocks.size() > 10);
        assertEquals(direct.blocks.size(), viaThread.blocks.size());
        for (int i = 0; i < direct.blocks.size(); i++) {
            assertArrayEquals(direct.blocks.get(i), viaThread.blocks.get(i), "block " + i);
        }
        assertEquals(1, viaThread.ends);
    }

    @Test
    void exchangeReturnsAFreeBufferOfTheBlockSize() {
        TestQueues.Collect got = new TestQueues.Collect();
        try (AsyncBlockSink async = new AsyncBlockSink(got, "test-writer")) {
            byte[] mine = new byte[EventWriter.BLOCK_SIZE];
            mine[0] = 42;
            byte[] next = async.exchange(mine, 1);
            assertEquals(EventWriter.BLOCK_SIZE, next.length);
            assertTrue(next != mine, "the ring keeps the producer's buffer");
            byte[] small = {7};
            assertSame(small, async.exchange(small, 1), "a buffer of another size is copied, not kept");
            async.onEnd();
        }
        assertEquals(2, got.blocks.size());
        assertEquals(42, got.blocks.get(0)[0]);
        assertEquals(7, got.blocks.get(1)[0]);
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void consumerFailureIsRethrownToTheProducer() {
        RuntimeException diskFull = new RuntimeException("No space left on device");
        BlockSink failing = (buf, len) -> {
            throw diskFull;
        };
        try (AsyncBlockSink async = new AsyncBlockSink(failing, "test-writer")) {
            // It surfaces on a later block, or at the latest when the stream ends.
            RuntimeException e = assertThrows(RuntimeException.class, () -> TestQueues.write(async, 50_000).finish());
            assertSame(diskFull, e);
        }
    }

    @Test
    void queueWrittenThroughTheWriterThreadReadsBack() {
        Path dir = tmp.resolve("q");
        TestQueues.Collect written = new TestQueues.Collect();
        try (EventQueue q = TestQueues.create(dir)) {
            QueueBlockSink sink = q.appender();
            try (AsyncBlockSink async = new AsyncBlockSink(sink, "queue-writer")) {
                TestQueues.write(TestQueues.tee(written, async), 20_000).finish();
            }
            q.metadata().blocks(sink.blocks()).complete();
            q.saveMetadata();
        }
        TestQueues.Collect read = new TestQueues.Collect();
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            r.readTo(read);
        }
        assertEquals(written.blocks.size(), read.blocks.size());
        for (int i = 0; i < read.blocks.size(); i++) {
            assertArrayEquals(written.blocks.get(i), read.blocks.get(i), "block " + i);
        }
    }
}
