package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.queue.QueueMetadata;
import pinreplay.format.queue.WriterLock;

/**
 * One writer per queue between processes, and following a queue whose writer comes late or goes away.
 * The other writer is a real {@code pinreplay ingest -} child process reading a pipe this test holds
 * open, so it is writing for exactly as long as the test wants.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
class QueueWritersTest {
    private static final String LINE = "        qemu-kvm-4242    [001] .....   100.%06d: dma_write: handle=vfio0 iova=0x1000 len=4096\n";

    @TempDir
    Path tmp;

    private static String lines(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(String.format(LINE, i));
        }
        return sb.toString();
    }

    /** A child {@code ingest - --queue q} that has written {@code n} lines and waits for more. */
    private Process writer(Path q, int n) throws IOException, InterruptedException {
        Process p = Child.pinreplay(tmp, "ingest", "-", "--queue", q.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream in = p.getOutputStream();
        in.write(lines(0, n).getBytes(StandardCharsets.US_ASCII));
        in.flush();
        while (!(Files.exists(q.resolve(QueueMetadata.FILE_NAME)) && WriterLock.holder(q).isPresent())) {
            assertTrue(p.isAlive(), "the writer started");
            Thread.sleep(5);
        }
        return p;
    }

    @Test
    void aSecondIngestIsRefusedWhileTheFirstWritesAndTheQueueStaysWhole() throws Exception {
        Path q = tmp.resolve("q");
        Path trace = Files.writeString(tmp.resolve("t.txt"), lines(0, 10));
        Process first = writer(q, 100);
        String holder = "pinreplay \\(pid " + first.pid() + " on [^,]+, since [0-9T:Z-]+\\)";
        for (List<String> more : List.of(List.<String>of(), List.of("--force"))) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("ingest", trace.toString(), "--queue", q.toString()),
                    more.stream()).toArray(String[]::new);
            Run second = Run.of("", args);
            assertEquals(ExitCodes.OUTPUT_ERROR, second.code(), String.join(" ", args));
            assertTrue(second.err().matches("pinreplay: " + q + ": already being written by " + holder
                    + "; one writer per queue\\n"), second.err());
        }
        first.getOutputStream().write(lines(100, 200).getBytes(StandardCharsets.US_ASCII));
        first.getOutputStream().close();
        assertEquals(0, first.waitFor());
        Run cat = Run.of("", "cat", "--queue", q.toString());
        assertEquals(0, cat.code(), cat.err());
        assertEquals(lines(0, 200), cat.out(), "the first writer's events, all of them, nothing else");
    }

    @Test
    void twoIngestsIntoOneNewDirectoryOneWinsTheOtherIsRefused() throws Exception {
        Path q = tmp.resolve("q");
        Path trace = Files.writeString(tmp.resolve("t.txt"), lines(0, 200_000));
        Process a = Child.pinreplay(tmp, "ingest", trace.toString(), "--queue", q.toString())
                .redirectErrorStream(true).start();
        Process b = Child.pinreplay(tmp, "ingest", trace.toString(), "--queue", q.toString())
                .redirectErrorStream(true).start();
        String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<Integer> codes = List.of(a.waitFor(), b.waitFor());
        assertTrue(codes.contains(0) && codes.contains(ExitCodes.OUTPUT_ERROR), codes + " " + outA + outB);
        String refusal = codes.get(0) == 0 ? outB : outA;
        assertTrue(refusal.matches("pinreplay: " + q + ": (already being written by pinreplay \\(pid \\d+ .*; one writer"
                + " per queue|already holds a queue \\(use --force to replace it\\))\\n"), refusal);
        Run cat = Run.of("", "cat", "--queue", q.toString(), "--format", "jsonl");
        assertEquals(0, cat.code(), cat.err());
        assertEquals(200_000, cat.out().lines().count());
    }

    @Test
    void followWaitsForTheQueueThenGivesUpWhenItsWriterIsKilled() throws Exception {
        Path q = tmp.resolve("live");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Run> follower = CompletableFuture.supplyAsync(() ->
                Run.of("", out, "cat", "--queue", q.toString(), "--follow"));
        Thread.sleep(100); // the follower starts first, as it may in the README's example
        Process w = writer(q, 50);
        while (out.toString(StandardCharsets.UTF_8).lines().count() < 50) {
            assertTrue(!follower.isDone(), () -> follower.join().err());
            Thread.sleep(10); // the writer flushes when its pipe is idle
        }
        w.destroyForcibly(); // SIGKILL: no end marker, ever
        Run r = follower.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("pinreplay: " + q + ": incomplete: its writer is gone without finishing (killed or crashed); the"
                + " queue holds 1 block, 50 records up to line 50 (it was ingested from standard input, which cannot be read"
                + " again: ingest FILE --queue " + q + " --force starts over)\n", r.err());
        assertEquals(lines(0, 50), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeLiveExampleWorksAsWritten() throws Exception {
        Path launcher = tmp.resolve("pinreplay");
        StringBuilder cmd = new StringBuilder("exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "'");
        for (String f : Child.launcherFlags()) {
            cmd.append(' ').append(f);
        }
        cmd.append(" -cp '").append(System.getProperty("java.class.path")).append("' ").append(Main.class.getName())
                .append(" \"$@\"\n");
        Files.writeString(launcher, "#!/bin/sh\n" + cmd);
        assertTrue(launcher.toFile().setExecutable(true));
        // README: sudo cat /sys/kernel/tracing/trace_pipe | ./pinreplay ingest - --queue live &
        //         ./pinreplay cat --queue live --follow
        Process p = new ProcessBuilder("sh", "-c", "./pinreplay synth gup-writeback --seed 7 --events 20000"
                + " | ./pinreplay ingest - --queue live &\n./pinreplay cat --queue live --follow > followed.txt\n"
                + "code=$?; wait; exit $code").directory(tmp.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        Run cat = Run.of("", "cat", "--queue", tmp.resolve("live").toString());
        assertEquals(0, cat.code(), cat.err());
        assertTrue(cat.out().lines().count() > 20_000);
        assertEquals(cat.out(), Files.readString(tmp.resolve("followed.txt")));
    }
}
