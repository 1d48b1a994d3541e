package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pinreplay shell} with a script on standard input, run in-process as from a pipe. */
class ShellCommandTest {
    private static final String VFIO = Path.of("..", "traces", "qemu-vfio-fsdax.txt").toString();

    @Test
    void aScriptStepsAndShowsWithoutPrompts() {
        Run r = Run.of("step 3\nshow handles\n", "shell", "--kernel", "4.14", VFIO);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("17: qemu-kvm-4242    [001] .....   100.000100: vfio_dma_map: handle=vfio0"),
                r.out());
        assertTrue(r.out().contains("  -> vfio_dma_map = 0 [vfio0], "), r.out());
        assertTrue(r.out().endsWith("vfio0            vfio     mm 1 [0x7f0000000000, +0x40000000)\n"), r.out());
        assertFalse(r.out().contains("pinreplay["), "no prompt in a script");
        assertEquals("", r.err());
    }

    /** docs/shell.md: a CLI command reading "-" reads the rest of the script (the reader buffered past its line). */
    @Test
    void aCommandReadingStandardInputGetsTheRestOfTheScript() throws java.io.IOException {
        String trace = Files.readString(Path.of(VFIO));
        Run direct = Run.of("", "replay", VFIO, "--kernel", "6.1", "--format", "jsonl");
        Run scripted = Run.of("replay - --kernel 6.1 --format jsonl\n" + trace, "shell");
        assertEquals(direct.code(), scripted.code(), scripted.err());
        assertEquals(direct.out(), scripted.out());
        assertFalse(scripted.out().contains("typed:"), "no line of the trace ran as a shell command");
    }

    @Test
    void theExitCodeFollowsReplaysViolationsExitOne() {
        assertEquals(ExitCodes.FINDINGS, Run.of("run\n", "shell", "--kernel", "4.14", VFIO).code());
        Run clean = Run.of("run\n", "shell", "--kernel", "6.1", VFIO);
        assertEquals(ExitCodes.OK, clean.code(), clean.out() + clean.err());
        // Going back before the violation undoes it.
        assertEquals(ExitCodes.OK, Run.of("run\nback 2\n", "shell", "--kernel", "4.14", VFIO).code());
    }

    @Test
    void aFailingLineIsNamedAndStopsTheScript() {
        Run r = Run.of("step\nshow nothing\nstep\n", "shell", VFIO);
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("script:2: expected one of [mm, vmas, pins, page, file, handles, lock, iommu, stats], "
                + "got 'nothing'\n", r.err());
        assertFalse(r.out().contains("16:"), "the third line did not run");
    }

    @Test
    void badInputExitsThreeWithTheScriptLine() {
        Run missing = Run.of("\n# comment\nload no-such-trace.txt\n", "shell");
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertEquals("script:3: no-such-trace.txt: no such file\n", missing.err());
        Run typed = Run.of("mmap: addr=zz len=0x1000 prot=rw flags=private\n", "shell");
        assertEquals(ExitCodes.BAD_INPUT, typed.code());
        assertTrue(typed.err().startsWith("script:1: expected a number for addr, got \"zz\""), typed.err());
        Run usage = Run.of("step -3\n", "shell", VFIO);
        assertEquals(ExitCodes.USAGE, usage.code());
        assertEquals(ExitCodes.USAGE, Run.of("", "shell", "--kernel", "nine").code());
    }

    @Test
    void cliCommandsRunInsideTheShell() {
        Run r = Run.of("profiles --kernel 6.1\nreplay --kernel 4.14 " + VFIO + "\nstep\n", "shell", VFIO);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("* io-uring-file-backed-check"), r.out());
        assertTrue(r.out().contains("Violations: 1"), r.out());
        assertTrue(r.out().contains("15: qemu-kvm-4242"), r.out());
        Run bad = Run.of("replay --kernel six " + VFIO + "\n", "shell");
        assertEquals(ExitCodes.USAGE, bad.code());
        assertTrue(bad.err().startsWith("script:1: "), bad.err());
    }

    @Test
    void helpListsEveryCommand() {
        Run r = Run.of("help\nhelp back\n", "shell");
        for (String c : new String[] {"load", "step", "run", "break", "watch", "unbreak", "back", "reverse-continue",
                "where", "list", "show", "info", "set", "inject", "save", "replay", "ingest", "profiles", "EVENT:",
                "exit"}) {
            assertTrue(r.out().contains("\n  " + c + " "), c + " in\n" + r.out());
        }
        assertFalse(r.out().contains("  shell "), r.out());
        assertTrue(r.out().contains("Usage: back [-h] [N|until COND...]"), r.out());
    }

    @Test
    void exitStopsReadingAndSaveWritesATrace(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("s.txt");
        Run r = Run.of("step 2\nsave " + saved + "\nexit\nstep\n", "shell", VFIO);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertFalse(r.out().contains("17:"), r.out());
        String text = Files.readString(saved);
        assertTrue(text.startsWith("# tracer: nop\n"), text);
        assertTrue(text.endsWith("mmap: addr=0x7f0000000000 len=0x40000000 prot=rw flags=shared ino=12 pgoff=0\n"),
                text);
        Run replayed = Run.of("", "replay", "--kernel", "4.14", saved.toString());
        assertEquals(ExitCodes.OK, replayed.code(), replayed.err());
    }

    @Test
    void aQueueLoadsLikeItsText(@TempDir Path dir) throws Exception {
        Path q = dir.resolve("q");
        assertEquals(ExitCodes.OK, Run.of(Files.readString(Path.of(VFIO)), "ingest", "-", "--queue", q.toString()).code());
        Run fromQueue = Run.of("run\nshow stats\n", "shell", "--kernel", "4.14", "--queue", q.toString());
        Run fromText = Run.of("run\nshow stats\n", "shell", "--kernel", "4.14", VFIO);
        assertEquals(ExitCodes.FINDINGS, fromQueue.code(), fromQueue.err());
        assertEquals(fromText.out().replace(VFIO, q.toString()), fromQueue.out());
    }

    @Test
    void startOptionsConfigureTheSessionAndBadValuesAreUsageErrors() {
        Run r = Run.of("inject list\nshow stats\n", "shell", "--kernel", "6.1", "--policy", "longterm-fsdax=allow",
                "--inject", "eagain:probability=100", "--seed", "7", VFIO);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("eagain:probability=100\n"), r.out());
        assertTrue(r.out().contains("kernel: 6.1 {longterm-fsdax=allow}, seed 7, injectors eagain:probability=100"),
                r.out());
        Run policy = Run.of("set policy dax-truncate=sometimes\n", "shell", VFIO);
        assertEquals(ExitCodes.USAGE, policy.code());
        assertTrue(policy.err().startsWith("script:1: policy dax-truncate expects one of"), policy.err());
        Run pid = Run.of("show vmas 99\n", "shell", VFIO);
        assertEquals("script:1: expected a known pid, got 99 (show mm lists them)\n", pid.err());
        assertEquals(ExitCodes.USAGE, Run.of("", "shell", "--inject", "nosuch", VFIO).code());
    }
}
