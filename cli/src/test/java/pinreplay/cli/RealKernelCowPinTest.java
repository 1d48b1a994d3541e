package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lab's cow-pin scenario on real kernels: the program's log says, for each case, whether the device read
 * the letter the task last wrote into its pinned io_uring buffer ('B') or the older one ('A': the task's write
 * went to a copy). The replay of the recording with markers reports {@code pin-lost-to-cow} for exactly the
 * cases where the kernel read 'A' (5.10's mprotect case: do_wp_page() copies when page_count() != 1).
 */
class RealKernelCowPinTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void theModelLosesThePinWhereTheKernelDid(String release) throws IOException {
        Path dir = Path.of("..", "traces", "real", release);
        Set<String> staleInKernel = new TreeSet<>();
        List<String> log = Files.readAllLines(dir.resolve("cow-pin-markers.log"));
        for (String line : log) {
            int at = line.indexOf("cow-pin: cow-");
            if (at >= 0 && line.contains("the device read")) {
                String handle = line.substring(at + "cow-pin: ".length()).split(" ")[0];
                if (line.contains("the device read 'A'")) {
                    staleInKernel.add(handle);
                }
            }
        }
        assertFalse(log.isEmpty());
        Path trace = dir.resolve("cow-pin-markers.txt");
        List<String> text = Files.readAllLines(trace);
        Run run = Run.of("", "replay", trace.toString(), "--kernel", release, "--format", "jsonl");
        Set<String> lostInModel = new TreeSet<>();
        run.out().lines().filter(l -> l.contains("\"violation\":\"pin-lost-to-cow\"")).forEach(l -> {
            int line = Integer.parseInt(l.substring("{\"line\":".length(), l.indexOf(',')));
            lostInModel.add(caseAt(text, line));
        });
        assertEquals(staleInKernel, lostInModel, run.out());
    }

    /** The case whose buffer registration marker last precedes {@code line} (1-based) of the recording. */
    private static String caseAt(List<String> text, int line) {
        String marker = "io_uring_register_buffers: handle=";
        for (int i = line - 1; i >= 0; i--) {
            int at = text.get(i).indexOf(marker);
            if (at >= 0) {
                return text.get(i).substring(at + marker.length()).split(" ")[0];
            }
        }
        return "line " + line;
    }
}
