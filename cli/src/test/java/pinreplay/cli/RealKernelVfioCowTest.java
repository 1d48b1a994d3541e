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
 * The lab's vfio-edu cow case on real kernels: a page shared with a fork()ed child is mapped for the device
 * (VFIO_IOMMU_MAP_DMA, read-only in cow-ro, writable in cow-rw), then the parent writes it. The log says whether
 * the device read the parent's new letter ('B') or the old one ('A': the parent's write went to a copy). The
 * replay with markers reports {@code pin-lost-to-cow} for exactly the cases where the kernel read 'A': 5.10's
 * read-only pin (a R/O FOLL_PIN unshares a shared anonymous page only from 5.19, a7f226604170) and none from 6.1;
 * the raw recordings as many.
 */
class RealKernelVfioCowTest {
    private static final String LOST = "\"violation\":\"pin-lost-to-cow\"";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void withMarkersTheModelLosesThePinInTheCasesWhereTheKernelDid(String release) throws IOException {
        Path dir = Path.of("..", "traces", "real", release);
        Path trace = dir.resolve("vfio-cow-markers.txt");
        List<String> text = Files.readAllLines(trace);
        String out = Run.of("", "replay", trace.toString(), "--kernel", release, "--format", "jsonl").out();
        Set<String> lostInModel = new TreeSet<>();
        out.lines().filter(l -> l.contains(LOST)).forEach(l ->
                lostInModel.add(caseAt(text, Integer.parseInt(l.substring("{\"line\":".length(), l.indexOf(','))))));
        assertEquals(staleInKernel(dir.resolve("vfio-cow-markers.log")), lostInModel, out);
    }

    /**
     * The raw recordings alike: they do not show the page's first write (an untraced fault), but no zero-page unpin
     * followed the pin inside the map, so the pinned page was the task's own (as many losses as cases read 'A').
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void rawTheModelLosesThePinAsOftenAsTheKernelDid(String release) throws IOException {
        Path dir = Path.of("..", "traces", "real", release);
        String out = Run.of("", "replay", dir.resolve("vfio-cow.txt").toString(), "--kernel", release, "--format",
                "jsonl").out();
        assertEquals(staleInKernel(dir.resolve("vfio-cow.log")).size(), out.lines().filter(l -> l.contains(LOST)).count(),
                out);
    }

    /** The cases whose log line says the device read the older letter. */
    private static Set<String> staleInKernel(Path log) throws IOException {
        Set<String> stale = new TreeSet<>();
        List<String> lines = Files.readAllLines(log);
        assertFalse(lines.stream().noneMatch(l -> l.contains("the device read")), log + " has no verdict");
        for (String line : lines) {
            int at = line.indexOf("vfio-edu: cow-");
            if (at >= 0 && line.contains("the device read 'A'")) {
                stale.add(line.substring(at + "vfio-edu: ".length()).split(" ")[0]);
            }
        }
        return stale;
    }

    /** The case whose DMA mapping marker last precedes {@code line} (1-based) of the recording. */
    private static String caseAt(List<String> text, int line) {
        String marker = "vfio_dma_map: handle=";
        for (int i = line - 1; i >= 0; i--) {
            int at = text.get(i).indexOf(marker);
            if (at >= 0) {
                return text.get(i).substring(at + marker.length()).split(" ")[0];
            }
        }
        return "line " + line;
    }
}
