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
