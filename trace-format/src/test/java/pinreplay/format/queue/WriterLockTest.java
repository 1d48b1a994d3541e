package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventWriter;

/** One writer per queue, also within one process (the cross-process case: the cli's QueueWritersTest). */
class WriterLockTest {
    private static final String ME = "pinreplay \\(pid " + ProcessHandle.current().pid() + " on [^,]+, since "
            + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)";

    @TempDir
    Path tmp;

    @Test
    void aSecondWriterIsRefusedWithTheFirstNamed() {
        Path dir = tmp.resolve("q");
        try (EventQueue first = TestQueues.create(dir)) {
            EventWriter w = TestQueues.write(first.appender(), 100);
            w.flush();
            for (boolean replace : new boolean[] {false, true}) {
                QueueException e = assertThrows(QueueException.class, () ->
                        EventQueue.create(dir, new QueueMetadata(), replace, TestQueues.SMALL));
                assertEquals(QueueException.Reason.BUSY, e.reason());
                assertTrue(e.reason().isOutput());
                assertTrue(e.getMessage().matches(dir.toString().replace("\\", "\\\\") + ": already being written by "
                        + ME + "; one writer per queue"), e.getMessage());
            }
            assertTrue(WriterLock.holder(dir).isPresent(), "the first writer still holds it");
            w.finish();
        }
        assertEquals(Optional.empty(), WriterLock.holder(dir), "let go when the writer closed");
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            assertEquals(QueueEnd.State.COMPLETE, r.readTo(new TestQueues.Collect()).state(), "not corrupted");
        }
    }

    @Test
    void aReaderAskingWhoWritesDoesNotDropTheWritersLock() {
        Path dir = tmp.resolve("q");
        try (EventQueue first = TestQueues.create(dir)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(WriterLock.holder(dir).get().matches(ME));
            }
            assertThrows(QueueException.class, () -> TestQueues.create(dir));
        }
        assertFalse(WriterLock.holder(dir).isPresent());
    }

    @Test
    void aLosingWritersTemporaryLockFileDoesNotMakeANewDirectoryLookTaken() throws Exception {
        Path dir = java.nio.file.Files.createDirectory(tmp.resolve("q"));
        java.nio.file.Files.writeString(dir.resolve(WriterLock.TEMP_PREFIX + "4242.1"), "pinreplay (pid 4242)\n");
        try (EventQueue q = EventQueue.create(dir, new QueueMetadata(), false, TestQueues.SMALL)) {
            TestQueues.write(q.appender(), 10).finish();
        }
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            assertEquals(QueueEnd.State.COMPLETE, r.readTo(new TestQueues.Collect()).state());
        }
    }

    @Test
    void aReaderProbingTheLockOfAGoneWriterForLongDoesNotMakeTheNextWriterRefuse() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("q"));
        Path file = Files.writeString(dir.resolve(WriterLock.FILE_NAME), "pinreplay (pid 4242 on gone, since"
                + " 2025-01-02T03:04:05Z)\n");
        Process reader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SharedLockProbe.class.getName(), file.toString(), "1000")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader said = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", said.readLine());
        try (WriterLock lock = WriterLock.acquire(dir)) {
            assertTrue(WriterLock.holder(dir).get().matches(ME), "the new writer's own line");
        }
        assertEquals(0, reader.waitFor());
    }
}
