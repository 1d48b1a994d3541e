package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one exit-code rule (README, "Exit codes"), command by command: 0 success with nothing found, 1 findings
 * (stalls included), 2 usage, 3 bad or incomplete input, 4 output failure; a closed stdout ends quietly with 0.
 */
class ExitCodesTest {
    private static final String MAP = "         app-100     [000] .....   1.000001: mmap: addr=0x7f0000000000 len=0x10000 "
            + "prot=rw flags=private\n";

    @TempDir
    Path tmp;

    private static String trace(String name) throws IOException {
        return Files.readString(Path.of("..", "traces", name));
    }

    private static Path traceFile(String name) {
        return Path.of("..", "traces", name).toAbsolutePath();
    }

    @Test
    void replaySuccessFindingsAndStalls() throws IOException {
        assertEquals(ExitCodes.OK, Run.of(MAP, "replay", "-").code());
        assertEquals(ExitCodes.FINDINGS, Run.of(trace("qemu-vfio-fsdax.txt"), "replay", "-", "--kernel", "4.14").code());
        Run stall = Run.of(trace("dax-truncate-longterm-stall.txt"), "replay", "-", "--kernel", "6.1",
                "--policy", "longterm-fsdax=allow");
        assertEquals(ExitCodes.OK, stall.code(), "exit 1 is for violations and divergences, the contract says");
        Run failOnStall = Run.of(trace("dax-truncate-longterm-stall.txt"), "replay", "-", "--kernel", "6.1",
                "--policy", "longterm-fsdax=allow", "--fail-on", "violation,divergence,stall");
        assertEquals(ExitCodes.FINDINGS, failOnStall.code(), "a stall is a finding when --fail-on names it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9.9", "2.6", "3.10", "4.13", "7.3"})
    void anUnmodelledReleaseIsAUsageErrorNamingTheModelledRange(String kernel) {
        Run r = Run.of(MAP, "replay", "-", "--kernel", kernel);
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        String range = "from " + pinreplay.replay.kernel.KernelRelease.OLDEST + " to "
                + pinreplay.replay.kernel.KernelRelease.NEWEST;
        assertTrue(r.err().contains("kernel " + kernel + " is not modelled: expected a release " + range), r.err());
        assertEquals("", r.out(), "nothing replayed");
        assertEquals(ExitCodes.USAGE, Run.of("", "profiles", "--kernel", kernel).code());
    }

    @Test
    void aPatchReleaseOfAModelledOneIsModelled() {
        assertEquals(ExitCodes.OK, Run.of(MAP, "replay", "-", "--kernel", "6.1.120").code());
        assertEquals(ExitCodes.OK, Run.of(MAP, "replay", "-", "--kernel", "4.14.336").code());
    }

    @Test
    void anEmptyOrAllUnknownTraceIsAWarningUnlessEventsAreRequired() {
        for (String text : List.of("", "# tracer: nop\n#\n",
                "  app-1 [000] .....  1.000000: sched_switch: prev_comm=a prev_pid=1 next_comm=b next_pid=2\n")) {
            Run r = Run.of(text, "replay", "-");
            assertEquals(ExitCodes.OK, r.code(), text);
            assertTrue(r.err().startsWith("pinreplay: warning: <stdin>: no event to replay"), r.err());
            Run required = Run.of(text, "replay", "-", "--require-events");
            assertEquals(ExitCodes.BAD_INPUT, required.code(), text);
            assertTrue(required.err().startsWith("pinreplay: <stdin>: no event to replay"), required.err());
        }
    }

    /** A last line without its newline is how a copy cut short ends: replayed, and said. */
    @Test
    void aLastLineWithoutANewlineIsAWarning() {
        Run r = Run.of(MAP.stripTrailing(), "replay", "-");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.err().contains("pinreplay: warning: <stdin>:1: the last line has no newline"), r.err());
    }

    @Test
    void malformedInputIsBadInputAndLenientSkipsIt() {
        String text = MAP + "  app-100 [000] .....  1.000002: vfio_dma_map: vaddr=0x1000\n"
                + MAP.replace("1.000001", "1.000003");
        Run strict = Run.of(text, "replay", "-");
        assertEquals(ExitCodes.BAD_INPUT, strict.code());
        assertTrue(strict.err().contains("<stdin>:2:"), strict.err());
        Run lenient = Run.of(text, "replay", "-", "--lenient", "--format", "jsonl");
        assertEquals(ExitCodes.OK, lenient.code(), lenient.err());
        assertTrue(lenient.err().startsWith("pinreplay: skipped <stdin>:2:"), lenient.err());
        assertEquals(2, lenient.out().lines().count(), "both mmaps replayed: " + lenient.out());
    }

    /** A queue given as a trace, a trace given as a queue, a gzipped trace: each is named for what it is. */
    @Test
    void inputOfTheWrongKindSaysWhatItIs() throws IOException {
        Path trace = Files.writeString(tmp.resolve("t.txt"), MAP);
        Path queue = tmp.resolve("q");
        assertEquals(ExitCodes.OK, Run.of("", "ingest", trace.toString(), "--queue", queue.toString()).code());
        Run asTrace = Run.of("", "replay", queue.toString());
        assertEquals(ExitCodes.BAD_INPUT, asTrace.code());
        assertEquals("pinreplay: " + queue + ": is a queue (written by ingest), expected a trace file: --queue " + queue
                + " reads it\n", asTrace.err());
        Run asQueue = Run.of("", "replay", "--queue", trace.toString());
        assertEquals(ExitCodes.BAD_INPUT, asQueue.code());
        assertEquals("pinreplay: " + trace + ": is a file, expected a queue directory (the directory pinreplay ingest"
                + " writes)\n", asQueue.err());
        Path gz = tmp.resolve("t.txt.gz");
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(MAP.getBytes(StandardCharsets.UTF_8));
        }
        for (String command : new String[] {"replay", "ingest"}) {
            Run r = "replay".equals(command) ? Run.of("", command, gz.toString(), "--lenient")
                    : Run.of("", command, gz.toString(), "--queue", tmp.resolve("gzq").toString(), "--lenient");
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
            assertEquals("pinreplay: " + gz + ":1: expected trace text (ftrace's trace or trace_pipe, trace-cmd report),"
                    + " got a gzip-compressed file: decompress it first (zcat FILE | pinreplay replay -)\n", r.err());
        }
    }

    @Test
    void anUnwritableOutputPathIsRefusedBeforeTheReplay() throws IOException {
        Path missing = tmp.resolve("nonexistent/dir/x.hgrm");
        Run r = Run.of(trace("qemu-vfio-fsdax.txt"), "replay", "-", "--kernel", "4.14", "--hgrm", missing.toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, r.code());
        assertEquals("", r.out(), "refused before the replay, which would have printed its report");
        assertTrue(r.err().contains("--hgrm " + missing + ": no such directory"), r.err());
        Run dir = Run.of(MAP, "replay", "-", "--hgrm", tmp.toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, dir.code());
        assertTrue(dir.err().contains("is a directory"), dir.err());
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Run campaign = Run.of("", "campaign", "../traces/nightly.yaml", "--out", file.resolve("out").toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, campaign.code(), campaign.err());
        assertTrue(campaign.err().contains("is not a directory"), campaign.err());
        Run synth = Run.of("", "synth", "qemu-vfio", "--events", "10", "-o", missing.toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, synth.code(), synth.err());
    }

    @Test
    void aWriteErrorOtherThanAClosedPipeIsAnOutputFailure() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        Run r = Run.of(MAP, full, "replay", "-", "--format", "jsonl");
        assertEquals(ExitCodes.OUTPUT_ERROR, r.code());
        assertEquals("pinreplay: cannot write the output: No space left on device\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "text", "json"})
    void aReaderClosingStdoutInProcessEndsTheReplayQuietly(String format) throws IOException {
        OutputStream headOne = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        Run r = Run.of(trace("qemu-vfio-fsdax.txt"), headOne, "replay", "-", "--kernel", "4.14", "--format", format);
        assertEquals(ExitCodes.OK, r.code());
        assertEquals("", r.err());
    }

    /**
     * {@code replay --format jsonl ... | head -1} for real: a child JVM whose stdout pipe has no reader gets EPIPE,
     * and must end with 0 and say nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"replay", "synth", "profiles"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
    void aClosedPipeEndsEveryCommandQuietly(String command) throws Exception {
        List<String> args = switch (command) {
            case "replay" -> List.of("replay", traceFile("qemu-vfio-fsdax.txt").toString(), "--kernel", "4.14",
                    "--format", "jsonl");
            case "synth" -> List.of("synth", "mixed", "--events", "20000");
            default -> List.of("profiles");
        };
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        p.getInputStream().close(); // the reader is gone before the first write
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertEquals("", err);
    }

    @Test
    void everyCommandHasItsCodes(@TempDir Path dir) throws IOException {
        assertEquals(ExitCodes.OK, Run.of("", "profiles").code());
        assertEquals(ExitCodes.OK, Run.of("", "faults").code());
        assertEquals(ExitCodes.OK, Run.of("", "synth", "--list").code());
        assertEquals(ExitCodes.USAGE, Run.of("", "synth", "no-such-scenario").code());
        assertEquals(ExitCodes.USAGE, Run.of("", "replay", "--no-such-option").code());
        assertEquals(ExitCodes.USAGE, Run.of(MAP, "replay", "-", "--inject", "eagain:times=1,times=2").code());
        assertEquals(ExitCodes.USAGE, Run.of("", "campaign").code());
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "replay", dir.resolve("none.txt").toString()).code());
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "cat", "--queue", dir.resolve("none").toString()).code());
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "campaign", "merge", dir.resolve("none").toString(), "--out",
                dir.resolve("m").toString()).code());
        Path q = dir.resolve("q");
        assertEquals(ExitCodes.OK, Run.of(MAP, "ingest", "-", "--queue", q.toString()).code());
        assertEquals(ExitCodes.OUTPUT_ERROR, Run.of(MAP, "ingest", "-", "--queue", q.toString()).code());
        assertEquals(ExitCodes.OK, Run.of("", "cat", "--queue", q.toString()).code());
        assertEquals(ExitCodes.OK, Run.of("", "completion").code());
        Run shell = Run.of("show pins\nexit\n", "shell", "--kernel", "4.14", traceFile("qemu-vfio-fsdax.txt").toString());
        assertEquals(ExitCodes.OK, shell.code(), shell.err());
        assertEquals(ExitCodes.USAGE, Run.of("", "shell", "--kernel", "9.9").code());
    }

    @Test
    void aCampaignWithAnUnmodelledKernelIsAUsageError(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("c.yaml");
        Files.writeString(spec, String.join("\n", "campaign: c", "traces:", "  - name: t",
                "    file: " + traceFile("qemu-vfio-fsdax.txt"), "kernels: [\"6.1\", \"2.6\"]", ""));
        Run r = Run.of("", "campaign", spec.toString(), "--out", dir.resolve("out").toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("expected a modelled kernel release (4.14 to"), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    /** A misspelled policy or synth parameter is a spec error (exit 2, its line), not an error in every cell. */
    @Test
    void campaignPolicyAndSynthTyposAreSpecErrors(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("p.yaml");
        Files.writeString(p, String.join("\n", "campaign: c", "traces:", "  - name: t",
                "    file: " + traceFile("qemu-vfio-fsdax.txt"), "kernels: [\"6.1\"]", "policies:",
                "  p: {dax-truncat: wait}", ""));
        Run policy = Run.of("", "campaign", p.toString(), "--out", dir.resolve("o1").toString());
        assertEquals(ExitCodes.USAGE, policy.code(), policy.err());
        assertTrue(policy.err().startsWith("pinreplay: " + p + ":7: policies.p: expected policies and values"),
                policy.err());
        Path s = dir.resolve("s.yaml");
        Files.writeString(s, String.join("\n", "campaign: c", "traces:",
                "  - synth: {scenario: qemu-vfio, params: {colour: red}}", "kernels: [\"6.1\"]", ""));
        Run synth = Run.of("", "campaign", s.toString(), "--out", dir.resolve("o2").toString());
        assertEquals(ExitCodes.USAGE, synth.code(), synth.err());
        assertTrue(synth.err().startsWith("pinreplay: " + s + ":3: traces[0].synth: expected a scenario"), synth.err());
    }

    /** A baseline that is not a campaign's output is refused before any cell runs, in words. */
    @Test
    void aWrongCampaignBaselineIsRefusedBeforeTheWork(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("c.yaml");
        Files.writeString(spec, String.join("\n", "campaign: c", "traces:", "  - name: t",
                "    file: " + traceFile("qemu-vfio-fsdax.txt"), "kernels: [\"6.1\"]", ""));
        Run r = Run.of("", "campaign", spec.toString(), "--out", dir.resolve("out").toString(), "--baseline",
                dir.resolve("none").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals("pinreplay: " + dir.resolve("none").resolve("summary.json") + ": expected a campaign summary (the"
                + " --out of a campaign run), got no such file\n", r.err());
        assertFalse(r.err().contains("[1/"), "no cell ran");
    }

    /** watch and cat --follow of a path that is a file: no queue will ever be there, so no wait. */
    @Test
    void followingAFileIsNotAQueue(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("trace.txt"), "x\n");
        Run watch = Run.of("", "watch", file.toString());
        assertEquals(ExitCodes.BAD_INPUT, watch.code(), watch.err());
        assertEquals("pinreplay: " + file + ": is a file, expected a queue directory (the directory pinreplay ingest"
                + " writes)\n", watch.err());
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "cat", "--queue", file.toString(), "--follow").code());
    }

    @Test
    void aPolicyGivenTwiceAndThreadsBeyondAnyMachineAreUsageErrors(@TempDir Path dir) throws IOException {
        Run twice = Run.of("", "replay", traceFile("qemu-vfio-fsdax.txt").toString(), "--policy", "thp=never",
                "--policy", "thp=always");
        assertEquals(ExitCodes.USAGE, twice.code(), twice.err());
        assertTrue(twice.err().contains("policy thp given twice: 'never' and 'always'"), twice.err());
        Path trace = Files.writeString(dir.resolve("t.txt"), "x\n");
        Run threads = Run.of("", "ingest", trace.toString(), "--queue", dir.resolve("q").toString(), "--threads", "99999");
        assertEquals(ExitCodes.USAGE, threads.code(), threads.err());
        assertTrue(threads.err().contains("--threads: expected 1 to 256, got 99999"), threads.err());
        assertFalse(Files.exists(dir.resolve("q")), "no queue left behind");
    }

    @Test
    void synthRefusesALengthOfNothing() {
        for (String[] args : new String[][] {{"--events", "0"}, {"--events", "-5"}, {"--duration", "0"},
            {"--duration", "NaN"}, {"--duration", "1e10"}}) {
            Run r = Run.of("", "synth", "qemu-vfio", args[0], args[1]);
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("pinreplay synth: " + args[0] + " expects "), r.err());
        }
        Run wrap = Run.of("", "synth", "qemu-vfio", "-p", "size=99999999999999999999");
        assertEquals(ExitCodes.USAGE, wrap.code(), wrap.err());
        assertTrue(wrap.err().contains("size must be at most 128T, got '99999999999999999999'"), wrap.err());
    }

    /** A command that fails with an Error, as the JVM would on a heap too small or a mapped file on a full disk. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        Error error;

        @Override
        public Integer call() {
            throw error;
        }
    }

    @Test
    void errorsAreOneLineAndADocumentedCode() {
        for (Object[] c : new Object[][] {
                {new OutOfMemoryError("Java heap space"), ExitCodes.BAD_INPUT, "pinreplay: out of memory (Java heap space)"},
                {new StackOverflowError(), ExitCodes.BAD_INPUT, "pinreplay: input nested too deeply"},
                {new InternalError("a fault occurred in an unsafe memory access"), ExitCodes.OUTPUT_ERROR,
                        "pinreplay: cannot write the output: a fault occurred"},
                {new AssertionError("x"), ExitCodes.OUTPUT_ERROR, "pinreplay: internal error: AssertionError: x"}}) {
            Boom boom = new Boom();
            boom.error = (Error) c[0];
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cl = Main.commandLine(java.io.InputStream.nullInputStream(), OutputStream.nullOutputStream());
            cl.addSubcommand(new CommandLine(boom));
            cl.setErr(new java.io.PrintWriter(err, true));
            assertEquals(c[1], cl.execute("boom"), err.toString());
            assertTrue(err.toString().startsWith((String) c[2]), err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
        }
    }
}
