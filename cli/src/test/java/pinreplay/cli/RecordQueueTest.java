package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.record.FakeTracefs;

/**
 * {@code record --queue}: the recording is ingested while it is written, so a reader of the queue sees an
 * event before the recorded command ends, and the finished queue is the one {@code ingest} makes of the file.
 * The script runs for real, as root, against a fake tracefs; the command stands in for {@code trace_pipe},
 * appending event lines to the output file.
 */
class RecordQueueTest {
    private static final String PIN = "             fio-900     [000] .....   100.000100: pin_user_pages_fast: "
            + "start=0x7f1000000000 nr_pages=8 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p1 ret=8";
    private static final String UNPIN = "             fio-900     [000] .....   100.000200: unpin_user_pages: handle=p1 dirty=1";

    @TempDir
    Path tmp;
    private FakeTracefs fs;

    @BeforeEach
    void setUp() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        assumeTrue("0".equals(new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()),
                "the recording script checks for root; CI runs as root");
        fs = new FakeTracefs(tmp, List.of("pin_user_pages_fast", "unpin_user_pages"),
                List.of("syscalls:sys_enter_mmap", "syscalls:sys_exit_mmap"));
    }

    private Process record(Path out, Path queue, String command) throws IOException {
        ProcessBuilder pb = Child.pinreplay(Path.of("").toAbsolutePath(), "record", "--tracefs", fs.root.toString(),
                "-o", out.toString(), "--queue", queue.toString(), "--", "/bin/sh", "-c", command);
        pb.environment().put("PATH", fs.bin + ":" + System.getenv("PATH"));
        return pb.redirectErrorStream(true).redirectOutput(tmp.resolve("record.log").toFile()).start();
    }

    @Test
    void aReaderSeesTheEventsWhileTheCommandRunsAndTheQueueEqualsTheFilesIngest() throws Exception {
        Path out = tmp.resolve("run.trace");
        Path queue = tmp.resolve("live");
        Path seen = tmp.resolve("seen");
        // the command appends one event, waits (at most 30 s) until the test has read it from the queue, then another
        String command = "printf '%s\\n' '" + PIN + "' >> " + out + "; n=0; while [ ! -e " + seen + " ] && [ $n -lt 600 ];"
                + " do sleep 0.05; n=$((n + 1)); done; printf '%s\\n' '" + UNPIN + "' >> " + out;
        Process p = record(out, queue, command);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean live = false;
        while (!live && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            live = Files.exists(queue) && Run.of("", "cat", "--queue", queue.toString()).out().contains("pin_user_pages_fast");
        }
        Files.writeString(seen, "");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "record did not end");
        String log = Files.readString(tmp.resolve("record.log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(live, "the pin was not in the queue while the command ran: " + log);

        Run whole = Run.of("", "cat", "--queue", queue.toString(), "--format", "ftrace");
        assertEquals(0, whole.code(), whole.err());
        assertTrue(whole.out().contains(UNPIN), whole.out());
        Run ingested = Run.of("", "ingest", out.toString(), "--queue", tmp.resolve("after").toString());
        assertEquals(0, ingested.code(), ingested.err());
        assertEquals(Run.of("", "cat", "--queue", tmp.resolve("after").toString(), "--format", "ftrace").out(), whole.out());
    }

    @Test
    void ctrlCEndsTheRecordingAndTheQueueIsCompleteWithWhatWasRecorded() throws Exception {
        Path out = tmp.resolve("run.trace");
        Path queue = tmp.resolve("live");
        // a terminal's Ctrl-C signals the whole foreground process group: the JVM, the script and the command
        // (setsid makes the JVM lead a group of its own; env restores SIGINT where the build ignores it)
        ProcessBuilder pb = Child.pinreplay(Path.of("").toAbsolutePath(), "record", "--tracefs", fs.root.toString(),
                "-o", out.toString(), "--queue", queue.toString(), "--", "/bin/sh", "-c",
                "printf '%s\\n' '" + PIN + "' >> " + out + "; sleep 30");
        pb.command().addAll(0, List.of("setsid", "env", "--default-signal=INT"));
        pb.environment().put("PATH", fs.bin + ":" + System.getenv("PATH"));
        Process p = pb.redirectErrorStream(true).redirectOutput(tmp.resolve("record.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.isAlive() && System.nanoTime() < deadline
                && !(Files.exists(queue) && Run.of("", "cat", "--queue", queue.toString()).out().contains("pin_user_pages_fast"))) {
            Thread.sleep(100);
        }
        new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "record did not end");
        assertEquals(ExitCodes.INTERRUPTED, p.exitValue(), Files.readString(tmp.resolve("record.log")));
        String meta = Files.readString(queue.resolve("pinreplay-queue.properties"));
        assertTrue(meta.contains("state=complete"), meta);
        assertTrue(Run.of("", "cat", "--queue", queue.toString()).out().contains("pin_user_pages_fast"));
    }

    @Test
    void aRecordingThatFailsLeavesTheQueueStoppedWithItsExitCode() throws Exception {
        Files.createDirectories(fs.instance()); // "another recording is running"
        Path queue = tmp.resolve("q");
        Process p = record(tmp.resolve("run.trace"), queue, "true");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "record did not end");
        assertEquals(ExitCodes.SYSTEM_REFUSED, p.exitValue(), Files.readString(tmp.resolve("record.log")));
        String meta = Files.readString(queue.resolve("pinreplay-queue.properties"));
        assertTrue(meta.contains("the recording failed (exit 5)"), meta);
    }

    @Test
    void usage() {
        Run dry = Run.of("", "record", "--dry-run", "-o", "/tmp/t", "--queue", "q", "--", "/bin/true");
        assertEquals(ExitCodes.USAGE, dry.code());
        assertTrue(dry.err().contains("--queue: a dry run only prints the script"), dry.err());
        Run force = Run.of("", "record", "-o", "/tmp/t", "--force", "--", "/bin/true");
        assertEquals(ExitCodes.USAGE, force.code());
        assertTrue(force.err().contains("--force replaces the queue of --queue DIR"), force.err());
    }
}
