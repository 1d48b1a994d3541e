package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventWriter;

class QueueErrorsTest {
    @TempDir
    Path tmp;

    private Path completeQueue(int events) {
        Path dir = tmp.resolve("q");
        try (EventQueue q = TestQueues.create(dir)) {
            QueueBlockSink sink = q.appender();
            EventWriter w = TestQueues.write(sink, events);
            w.finish();
            q.metadata().countsFrom(w).blocks(sink.blocks()).complete();
            q.saveMetadata();
        }
        return dir;
    }

    private static QueueException readFails(Path dir) {
        return assertThrows(QueueException.class, () -> {
            try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
                r.readTo(new TestQueues.Collect());
            }
        });
    }

    private static Path cq4(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    @Test
    void missingDirectoryIsReportedAndNotCreated() {
        Path dir = tmp.resolve("nosuch");
        QueueException e = assertThrows(QueueException.class, () -> EventQueue.open(dir));
        assertEquals(QueueException.Reason.MISSING, e.reason());
        assertEquals(dir + ": no such queue directory", e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void directoryWithoutMetadataIsNotAQueue() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("photos"));
        QueueException e = assertThrows(QueueException.class, () -> EventQueue.open(dir));
        assertEquals(QueueException.Reason.NOT_A_QUEUE, e.reason());
        assertEquals(dir + ": not a pinreplay queue (no pinreplay-queue.properties)", e.getMessage());
    }

    @Test
    void newerFormatVersionIsRefusedWithTheWriterNamed() throws IOException {
        Path dir = completeQueue(10);
        Path meta = dir.resolve(QueueMetadata.FILE_NAME);
        int v = pinreplay.format.Record.FORMAT_VERSION;
        String text = Files.readString(meta).replace("format.version=" + v, "format.version=" + (v + 1))
                .replace("created.by=pinreplay test", "created.by=pinreplay 7.0");
        Files.writeString(meta, text);
        QueueException e = assertThrows(QueueException.class, () -> EventQueue.open(dir));
        assertEquals(QueueException.Reason.TOO_NEW, e.reason());
        assertEquals(dir + ": queue format version " + (v + 1) + " is newer than this pinreplay reads (" + v
                + "); use the pinreplay that wrote it (pinreplay 7.0)", e.getMessage());
    }

    @Test
    void olderFormatVersionIsRefusedWithHowToRecover() throws IOException {
        Path dir = completeQueue(10);
        Path meta = dir.resolve(QueueMetadata.FILE_NAME);
        int v = pinreplay.format.Record.FORMAT_VERSION;
        Files.writeString(meta, Files.readString(meta).replace("format.version=" + v, "format.version=1"));
        QueueException e = assertThrows(QueueException.class, () -> EventQueue.open(dir));
        assertEquals(dir + ": queue format version 1 is older than this pinreplay reads (" + v + "): ingest its"
                + " trace again (cat --format ftrace with the pinreplay that wrote it prints the trace)", e.getMessage());
    }

    @Test
    void existingQueueIsKeptUnlessReplaceIsAsked() {
        Path dir = completeQueue(10);
        QueueException e = assertThrows(QueueException.class, () -> TestQueues.create(dir));
        assertEquals(QueueException.Reason.EXISTS, e.reason());
        assertEquals(dir + ": already holds a queue (use --force to replace it)", e.getMessage());
        assertEquals(10, QueueMetadata.load(dir).count(pinreplay.format.EventType.VFIO_DMA_MAP));
    }

    @Test
    void replacementTakesThePlaceOfTheOldQueueOnlyWhenCommitted() {
        Path dir = completeQueue(10);
        try (EventQueue q = EventQueue.create(dir, new QueueMetadata().source("new.txt"), true, TestQueues.SMALL)) {
            TestQueues.write(q.appender(), 3).finish();
            assertEquals("test.txt", QueueMetadata.load(dir).source(), "the old queue stays until the commit");
        } // not committed: the ingest failed
        assertEquals(10, QueueMetadata.load(dir).count(pinreplay.format.EventType.VFIO_DMA_MAP));
        assertEquals(List.of("q"), siblings(), "the new queue is deleted");

        try (EventQueue q = EventQueue.create(dir, new QueueMetadata().source("new.txt"), true, TestQueues.SMALL)) {
            TestQueues.write(q.appender(), 3).finish();
            q.commit();
        }
        assertEquals("new.txt", QueueMetadata.load(dir).source());
        assertEquals(3, QueueMetadata.load(dir).count(pinreplay.format.EventType.VFIO_DMA_MAP));
        assertEquals(List.of("q"), siblings(), "the old queue is deleted");
    }

    private List<String> siblings() {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void replaceNeverDeletesADirectoryThatIsNotAQueue() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("home"));
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        QueueException e = assertThrows(QueueException.class, () ->
                EventQueue.create(dir, new QueueMetadata(), true, TestQueues.SMALL));
        assertEquals(QueueException.Reason.EXISTS, e.reason());
        assertTrue(e.getMessage().contains("is not a pinreplay queue"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("notes.txt")));
    }

    @Test
    void replaceRefusesAQueueDirectoryWithForeignFiles() throws IOException {
        Path dir = completeQueue(10);
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        QueueException e = assertThrows(QueueException.class, () ->
                EventQueue.create(dir, new QueueMetadata(), true, TestQueues.SMALL));
        assertEquals(dir + ": holds notes.txt, which is not part of a queue; not replacing it", e.getMessage());
        assertTrue(Files.exists(dir.resolve("notes.txt")));
        assertTrue(QueueMetadata.presentIn(dir));
    }

    @Test
    void unwritableLocationIsAnOutputError() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Path dir = file.resolve("q");
        QueueException e = assertThrows(QueueException.class, () -> TestQueues.create(dir));
        assertEquals(QueueException.Reason.UNWRITABLE, e.reason());
        assertTrue(e.reason().isOutput());
        assertEquals(dir + ": cannot create the queue directory: not a directory", e.getMessage());
    }

    @Test
    void damagedBlockFailsItsChecksum() throws IOException {
        Path dir = completeQueue(5_000);
        Path file = cq4(dir);
        byte[] all = Files.readAllBytes(file);
        int at = indexOf(all, "payload-MARKER-for-tests".getBytes(StandardCharsets.US_ASCII));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write('X');
        }
        QueueException e = readFails(dir);
        assertEquals(QueueException.Reason.CORRUPT, e.reason());
        assertEquals(dir + ": corrupt queue: block 0 fails its checksum", e.getMessage());
    }

    @Test
    void blockOfAnOlderFormatIsRefusedWithHowToRecover() throws IOException {
        Path dir = completeQueue(10);
        patchFirstBlockHeader(dir, 5, 2); // the format version byte of block 0
        QueueException e = readFails(dir);
        assertEquals(QueueException.Reason.NOT_A_QUEUE, e.reason());
        assertEquals(dir + ": block 0 has format version 2, older than this pinreplay reads ("
                + pinreplay.format.Record.FORMAT_VERSION + "): ingest its trace again", e.getMessage());
    }

    @Test
    void compactBlockThatDoesNotDecodeIsCorrupt() throws IOException {
        Path dir = completeQueue(10);
        patchFirstBlockHeader(dir, 6, Excerpt.STORED); // compact bytes claimed to be the block as it is
        QueueException e = readFails(dir);
        assertEquals(QueueException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().startsWith(dir + ": corrupt queue: block 0 does not decode to the "), e.getMessage());
    }

    /** Overwrites byte {@code at} of the first block's excerpt header (after its magic). */
    private static void patchFirstBlockHeader(Path dir, int at, int value) throws IOException {
        Path file = cq4(dir);
        int magic = indexOf(Files.readAllBytes(file), "PRQ1".getBytes(StandardCharsets.US_ASCII));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(magic + at);
            f.write(value);
        }
    }

    @Test
    void fileCutShortIsReportedAsTruncated() throws IOException {
        Path dir = completeQueue(20_000);
        Path file = cq4(dir);
        byte[] all = Files.readAllBytes(file);
        int end = all.length;
        while (all[end - 1] == 0) {
            end--;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(end / 2);
        }
        QueueException e = readFails(dir);
        assertEquals(QueueException.Reason.TRUNCATED, e.reason());
        assertTrue(e.getMessage().startsWith(dir + ": truncated queue: "), e.getMessage());
    }

    @Test
    void finishedQueueWithoutItsEndMarkerIsTruncated() {
        Path dir = tmp.resolve("q");
        try (EventQueue q = TestQueues.create(dir)) {
            QueueBlockSink sink = q.appender();
            EventWriter w = TestQueues.write(sink, 10_000);
            w.flush();
            // Metadata claims one more block and an end marker than the Chronicle files hold.
            q.metadata().countsFrom(w).blocks(sink.blocks() + 1).complete();
            q.saveMetadata();
        }
        QueueException e = readFails(dir);
        assertEquals(QueueException.Reason.TRUNCATED, e.reason());
        assertEquals(dir + ": truncated queue: its metadata promises 5 blocks, but only 4 can be read", e.getMessage());
    }

    @Test
    void queueFileThatIsNotARegularFileIsUnreadableInput() throws IOException {
        Path dir = completeQueue(10);
        Path file = cq4(dir);
        Files.delete(file);
        Files.createDirectory(file);
        QueueException e = assertThrows(QueueException.class, () -> EventQueue.open(dir));
        assertEquals(QueueException.Reason.UNREADABLE, e.reason());
        assertFalse(e.reason().isOutput(), "bad input (exit 3), not an output failure");
        assertEquals(file + ": cannot read the queue file: not a regular file", e.getMessage());
    }

    @Test
    void queueFileWithoutReadPermissionIsUnreadableInput() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads files whatever their mode");
        Path dir = completeQueue(10);
        Path file = cq4(dir);
        Files.setPosixFilePermissions(file, java.util.Set.of());
        QueueException e = readFails(dir);
        assertEquals(QueueException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
    }

    @Test
    void damagedChronicleMetadataIsReportedAsDamagedQueueMetadata() throws IOException {
        Path dir = completeQueue(10);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("metadata.cq4t").toFile(), "rw")) {
            f.write(new byte[16]); // the header, zeroed
        }
        QueueException e = assertThrows(QueueException.class, () -> EventQueue.open(dir));
        assertEquals(QueueException.Reason.CORRUPT, e.reason());
        assertEquals(dir.resolve("metadata.cq4t") + ": damaged queue metadata (Chronicle's table store has no valid"
                + " header); the queue cannot be read", e.getMessage());
    }

    @Test
    void metadataPromisingMoreBlocksThanStoredFailsEvenWithTheEndMarker() throws IOException {
        Path dir = completeQueue(20_000);
        Path meta = dir.resolve(QueueMetadata.FILE_NAME);
        String text = Files.readString(meta);
        long blocks = QueueMetadata.load(dir).blocks();
        Files.writeString(meta, text.replace("blocks=" + blocks + "\n", "blocks=" + (blocks + 1) + "\n"));
        QueueException e = readFails(dir);
        assertEquals(QueueException.Reason.TRUNCATED, e.reason());
        assertEquals(dir + ": truncated queue: its metadata promises " + (blocks + 1) + " blocks, but " + blocks
                + " and the end marker are stored", e.getMessage());

        Files.writeString(meta, text.replace("events.vfio_dma_map=20000", "events.vfio_dma_map=20001"));
        e = readFails(dir);
        assertEquals(QueueException.Reason.CORRUPT, e.reason());
        assertEquals(dir + ": corrupt queue: its metadata promises 20001 vfio_dma_map records, but the blocks hold 20000",
                e.getMessage());
    }

    @Test
    void aSymbolicLinkIsNeverWrittenThrough() throws IOException {
        Path real = completeQueue(10);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        for (boolean replace : new boolean[] {false, true}) {
            QueueException e = assertThrows(QueueException.class, () ->
                    EventQueue.create(link, new QueueMetadata(), replace, TestQueues.SMALL));
            assertEquals(QueueException.Reason.EXISTS, e.reason());
            assertEquals(link + ": is a symbolic link; a queue is written only into a directory of its own (give"
                    + " the directory itself, not a link to it)", e.getMessage());
        }
        assertEquals(10, QueueMetadata.load(real).count(pinreplay.format.EventType.VFIO_DMA_MAP), "the target is untouched");
        assertTrue(Files.isSymbolicLink(link));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("marker not found");
    }
}
