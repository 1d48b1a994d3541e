package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that runs one subcommand builds only that one under the root (start-up of one-liners); everything that
 * lists the others (top-level help, a mistyped name's suggestions, the completion script) still gets the whole tree.
 */
class CommandTreeTest {
    @TempDir
    Path tmp;

    private String run(int expectedExit, String... args) throws IOException, InterruptedException {
        Process p = Child.pinreplay(tmp, args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(expectedExit, p.waitFor(), out);
        return out;
    }

    @Test
    void oneSubcommandRunsAndExplainsItself() throws Exception {
        String help = run(ExitCodes.OK, "replay", "--help");
        assertTrue(help.startsWith("Usage: pinreplay replay "), help);
        String profiles = run(ExitCodes.OK, "profiles");
        assertTrue(profiles.startsWith("Modelled releases "), profiles);
        String usage = run(ExitCodes.USAGE, "replay", "--no-such-option");
        assertTrue(usage.startsWith("pinreplay replay: Unknown option: '--no-such-option'"), usage);
    }

    @Test
    void whatListsTheOtherSubcommandsSeesThemAll() throws Exception {
        String help = run(ExitCodes.OK, "--help");
        for (String name : new String[] {"record", "ingest", "replay", "explore", "shell"}) {
            assertTrue(help.contains("\n  " + name + " "), name + " in\n" + help);
        }
        String typo = run(ExitCodes.USAGE, "repaly");
        assertTrue(typo.contains("replay"), typo);
        String script = run(ExitCodes.OK, "completion", "bash");
        assertTrue(script.contains("ingest") && script.contains("campaign"), script);
    }
}
