package pinreplay.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import pinreplay.cli.ExitCodes;
import pinreplay.cli.Main;

/** The shell's {@code diff}: the session under one change, as {@code pinreplay diff} reports it. */
class SessionDiffTest {
    private static final String SEED_004 = Path.of("..", "traces", "qemu-memfile-ext4.txt").toString();

    private static String cliDiff(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.commandLine(new ByteArrayInputStream(new byte[0]), out).execute(args);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void diffKernelReportsWhatTheCommandLineDiffReportsAndLeavesTheSessionWhereItWas() {
        Harness h = new Harness("6.1");
        h.run("load " + SEED_004);
        h.run("step 5");
        String state = h.state();
        String diff = h.run("diff kernel 6.15");
        assertEquals(cliDiff("diff", SEED_004, "--kernel", "6.1", "--against-kernel", "6.15"), diff);
        assertTrue(diff.contains("line 22 dma_write [ram-shared]: result 4096 -> -EFAULT; violation write-to-clean-folio"
                + " -> none;"), diff);
        assertEquals(5, h.session.events());
        assertEquals(state, h.state());
        assertTrue(h.session.prompt().startsWith("pinreplay[6.1] line 12 "), h.session.prompt());
    }

    @Test
    void diffExitsOneWhenTheRunsDifferAndZeroWhenNot() {
        Harness h = new Harness("4.14");
        h.run("load " + Path.of("..", "traces", "qemu-vfio-fsdax.txt"));
        assertEquals(ExitCodes.FINDINGS, h.dispatcher.execute("diff policy dax-truncate=fail", ""));
        assertTrue(h.out.toString().contains("line 19 ftruncate: result 0 -> -EBUSY;"), h.out.toString());
        assertEquals(ExitCodes.OK, h.dispatcher.execute("diff kernel 4.14.300", ""));
        assertTrue(h.out.toString().endsWith("no difference in 7 calls; violations 1 -> 1, stalls 0 -> 0\n"),
                h.out.toString());
    }

    @Test
    void typedEventsAreDiffedWithTheTrace() {
        Harness h = new Harness("6.1");
        h.run("load " + SEED_004);
        h.run("run");
        h.run("pin_user_pages: start=0x7f4000000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p9");
        String diff = h.run("diff kernel 6.15");
        assertTrue(diff.contains("line 0 pin_user_pages [p9]: result 1 -> -EFAULT;"), diff);
        assertTrue(diff.contains("6 of 17 calls differ"), diff);
    }

    @Test
    void badRequestsAreUsageErrors() {
        Harness h = new Harness();
        assertEquals(ExitCodes.USAGE, h.dispatcher.execute("diff kernel 6.1", ""));
        assertTrue(h.err.toString().contains("no trace loaded"), h.err.toString());
        h.run("load " + SEED_004);
        assertEquals(ExitCodes.USAGE, h.dispatcher.execute("diff seed 3", ""));
        assertTrue(h.err.toString().contains("expected kernel, policy or inject, got 'seed'"), h.err.toString());
        assertEquals(ExitCodes.USAGE, h.dispatcher.execute("diff kernel 2.6", ""));
    }
}
