package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab's cow-pin scenarios on real kernels: the program's log says, for each case, whether the device read
 * the letter the task last wrote into its pinned io_uring buffer ('B') or the older one ('A': the task's write
 * went to a copy). The replay of the recording with markers reports {@code pin-lost-to-cow} for exactly the
 * cases where the kernel read 'A' (5.10's mprotect case: do_wp_page() copies when page_count() != 1, also after
 * mremap() moved the pinned buffer with its page tables; 5.10's
 * hugetlb fork case: copy_hugetlb_page_range() shares a pinned huge page before 5.12), and so does the raw
 * recording's, from the write fault the recorder traced (exceptions:page_fault_user). cow-pin-thp-madvise ran
 * under transparent_hugepage=madvise: the recording's header says so, the replay maps small pages, and 5.10 loses
 * the pins that cow-pin-thp's huge page kept.
 */
class RealKernelCowPinTest {
    private static final String LOST = "\"violation\":\"pin-lost-to-cow\"";

    /** Every cow-pin scenario on every release of the lab. */
    static Stream<Arguments> recordings() {
        return Stream.of("cow-pin", "cow-pin-hugetlb", "cow-pin-thp", "cow-pin-thp-madvise")
                .flatMap(s -> Stream.of("5.10", "6.1", "6.12", "7.2").map(r -> Arguments.of(s, r)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordings")
    void withMarkersTheModelLosesThePinInTheCasesWhereTheKernelDid(String scenario, String release) throws IOException {
        Path dir = Path.of("..", "traces", "real", release);
        Path trace = dir.resolve(scenario + "-markers.txt");
        List<String> text = Files.readAllLines(trace);
        Set<String> lostInModel = new TreeSet<>();
        replay(trace, release).lines().filter(l -> l.contains(LOST)).forEach(l ->
                lostInModel.add(caseAt(text, Integer.parseInt(l.substring("{\"line\":".length(), l.indexOf(','))))));
        assertEquals(staleInKernel(dir.resolve(scenario + "-markers.log")), lostInModel);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordings")
    void rawTheModelLosesAsManyPinsAsTheKernelDid(String scenario, String release) throws IOException {
        Path dir = Path.of("..", "traces", "real", release);
        String out = replay(dir.resolve(scenario + ".txt"), release);
        assertEquals(staleInKernel(dir.resolve(scenario + ".log")).size(), out.lines().filter(l -> l.contains(LOST)).count(),
                out);
    }

    private static String replay(Path trace, String release) {
        return Run.of("", "replay", trace.toString(), "--kernel", release, "--format", "jsonl").out();
    }

    /** The cases whose log line says the device read the older letter. */
    private static Set<String> staleInKernel(Path log) throws IOException {
        Set<String> stale = new TreeSet<>();
        List<String> lines = Files.readAllLines(log);
        assertFalse(lines.stream().noneMatch(l -> l.contains("the device read")), log + " has no verdict");
        for (String line : lines) {
            int at = line.indexOf("cow-pin: ");
            if (at >= 0 && line.contains("the device read 'A'")) {
                stale.add(line.substring(at + "cow-pin: ".length()).split(" ")[0]);
            }
        }
        return stale;
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
