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
 * The lab's dio-fork scenario on real kernels: fork() while an O_DIRECT read into private anonymous memory is in
 * flight, then a write by the parent, by the child or by nobody. The program's log says, from its own page and the
 * frames pagemap shows, whether the read landed in the parent's page. On 5.10 and 6.1 the read holds FOLL_GET
 * references, which page_needs_cow_for_dma() does not see: fork() shares the pages and the parent's write copies
 * its page away from the read; from 6.2 the read pins (FOLL_PIN) and fork() gives the child the copy. The replay of
 * the recording with markers reports {@code pin-lost-to-cow} for exactly the cases where the kernel lost the read.
 */
class RealKernelDioForkTest {
    private static final String LOST = "\"violation\":\"pin-lost-to-cow\",\"handle\":\"";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void theModelLosesTheReadWhereTheKernelDid(String release) throws IOException {
        Path dir = Path.of("..", "traces", "real", release);
        String out = Run.of("", "replay", dir.resolve("dio-fork-markers.txt").toString(), "--kernel", release,
                "--format", "jsonl").out();
        Set<String> lostInModel = new TreeSet<>();
        out.lines().filter(l -> l.contains(LOST)).forEach(l -> {
            int at = l.indexOf(LOST) + LOST.length();
            lostInModel.add(l.substring(at, l.indexOf('"', at)));
        });
        assertEquals(lostInKernel(dir.resolve("dio-fork-markers.log")), lostInModel, out);
    }

    /**
     * The raw recording (no markers) names no request, so only the count is compared: the bios' references, held from
     * the GUP's kretprobe until the pread64() returns, are what the parent's write copies away from.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void theRawRecordingLosesAsManyReads(String release) throws IOException {
        Path dir = Path.of("..", "traces", "real", release);
        String out = Run.of("", "replay", dir.resolve("dio-fork.txt").toString(), "--format", "jsonl").out();
        assertEquals(lostInKernel(dir.resolve("dio-fork.log")).size(), out.lines().filter(l -> l.contains(LOST)).count(),
                out);
    }

    /** The cases whose log line says the read went to a page the parent lost. */
    private static Set<String> lostInKernel(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        assertFalse(lines.stream().noneMatch(l -> l.contains("after the read")), log + " has no verdict");
        Set<String> lost = new TreeSet<>();
        for (String line : lines) {
            int at = line.indexOf("dio-fork: ");
            if (at >= 0 && line.contains("the read went to a page the parent lost")) {
                lost.add(line.substring(at + "dio-fork: ".length()).split(" ")[0]);
            }
        }
        return lost;
    }
}
