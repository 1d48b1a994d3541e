package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventReader;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;

class EventQueueTest {
    @TempDir
    Path tmp;

    @Test
    void blocksReadBackAreTheBytesTheWriterAppended() {
        Path dir = tmp.resolve("q");
        TestQueues.Collect written = new TestQueues.Collect();
        try (EventQueue q = TestQueues.create(dir)) {
            QueueBlockSink sink = q.appender();
            EventWriter w = TestQueues.write(TestQueues.tee(sink, written), 20_000);
            w.finish();
            q.metadata().countsFrom(w).lines(20_000).blocks(sink.blocks()).complete();
            q.saveMetadata();
        }
        assertTrue(written.blocks.size() > 3, "several 256 KiB blocks");

        TestQueues.Collect read = new TestQueues.Collect();
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            r.readTo(read);
            assertTrue(r.ended());
            assertEquals(written.blocks.size(), r.blocks());
        }
        assertEquals(written.blocks.size(), read.blocks.size());
        for (int i = 0; i < read.blocks.size(); i++) {
            assertArrayEquals(written.blocks.get(i), read.blocks.get(i), "block " + i);
        }
        assertEquals(1, read.ends);
    }

    @Test
    void eventsComeBackThroughAnEventReader() {
        Path dir = tmp.resolve("q");
        try (EventQueue q = TestQueues.create(dir)) {
            EventWriter w = TestQueues.write(q.appender(), 5_000);
            w.finish();
            q.metadata().countsFrom(w).complete();
            q.saveMetadata();
        }
        AtomicLong maps = new AtomicLong();
        AtomicLong lastIova = new AtomicLong();
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            r.readTo(new EventReader(ev -> {
                if (ev.type() == EventType.VFIO_DMA_MAP) {
                    maps.incrementAndGet();
                    lastIova.set(ev.get(Field.IOVA));
                }
            }));
            assertEquals(5_000, q.metadata().count(EventType.VFIO_DMA_MAP));
            assertEquals(5, q.metadata().count(EventType.COMMENT));
        }
        assertEquals(5_000, maps.get());
        assertEquals(5_000L << 12, lastIova.get());
    }

    @Test
    void writerThatDidNotFinishLeavesAnIncompleteButReadableQueue() {
        Path dir = tmp.resolve("q");
        try (EventQueue q = TestQueues.create(dir)) {
            TestQueues.write(q.appender(), 10_000).flush(); // no end marker: as if the writer crashed
        }
        TestQueues.Collect read = new TestQueues.Collect();
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            QueueEnd end = r.readTo(read);
            assertEquals(QueueEnd.State.ABANDONED, end.state());
            assertEquals(QueueException.Reason.INCOMPLETE, end.failure().reason());
            assertTrue(end.message().startsWith(dir + ": incomplete: its writer is gone without finishing"), end.message());
            assertFalse(r.ended());
        }
        assertTrue(read.blocks.size() >= 2, "every block written before the crash is delivered");
        assertEquals(1, read.ends);
    }

    @Test
    void stoppedWriterKeepsItsErrorInTheMetadata() {
        Path dir = tmp.resolve("q");
        try (EventQueue q = TestQueues.create(dir)) {
            QueueBlockSink sink = q.appender();
            EventWriter w = TestQueues.write(sink, 10);
            w.finish();
            q.metadata().countsFrom(w).blocks(sink.blocks()).stopped("bad.txt:11: expected key=value, got 'x'");
            q.saveMetadata();
        }
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            QueueEnd end = r.readTo(new TestQueues.Collect());
            assertEquals(QueueMetadata.State.STOPPED, q.metadata().state());
            assertEquals("bad.txt:11: expected key=value, got 'x'", q.metadata().stoppedAt());
            assertEquals(QueueEnd.State.STOPPED, end.state());
            assertEquals(dir + ": the ingest stopped early: bad.txt:11: expected key=value, got 'x'; the queue holds"
                    + " its first 1 block, 10 records up to line 10", end.message());
        }
    }

    @Test
    void metadataKeepsOddSourceNamesAndCountsExactly() {
        Path dir = tmp.resolve("q");
        String source = " my trace\\with\nnewline=and:colon ü";
        try (EventQueue q = EventQueue.create(dir, new QueueMetadata().source(source).createdBy("pinreplay 9"),
                false, TestQueues.SMALL)) {
            q.metadata().count(EventType.PIN_USER_PAGES_FAST, 7).count(EventType.UNKNOWN, 3)
                    .count(EventType.SYMBOL, 2).lines(12).malformed(2).blocks(1).complete();
            q.saveMetadata();
        }
        QueueMetadata m = QueueMetadata.load(dir);
        assertEquals(source, m.source());
        assertEquals("pinreplay 9", m.createdBy());
        assertEquals(7, m.count(EventType.PIN_USER_PAGES_FAST));
        assertEquals(3, m.count(EventType.UNKNOWN));
        assertEquals(10, m.records());
        assertEquals(2, m.symbols());
        assertEquals(12, m.lines());
        assertEquals(2, m.malformed());
        assertTrue(m.finished());
        assertEquals(m.toText(), QueueMetadata.load(dir).toText(), "same metadata, same text");
    }
}
