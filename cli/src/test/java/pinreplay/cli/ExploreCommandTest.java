package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * explore on the seeds' multi-task scenarios (traces/explore/): each recorded order is benign, explore finds the
 * order that goes wrong, and the reproducer it writes makes replay (the same command) report the violation.
 */
class ExploreCommandTest {
    @TempDir
    Path dir;

    private static String trace(String name) {
        return Path.of("..", "traces", "explore", name).toString();
    }

    /** The recorded order is benign: replay exits 0. */
    private static void recordedOrderIsBenign(String trace, String... options) {
        Run r = Run.of("", concat(new String[] {"replay", trace}, options));
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Violations: none") && r.out().contains("Stalls: none"), r.out());
    }

    /** The replay command printed under the first outcome whose description contains {@code what}. */
    private static String commandFor(Run explore, String what) {
        List<String> lines = explore.out().lines().collect(Collectors.toList());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("outcome ") && lines.get(i).contains(what)) {
                for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
                    if (lines.get(j).strip().startsWith("pinreplay replay ")) {
                        return lines.get(j).strip();
                    }
                }
            }
        }
        return null;
    }

    /** Runs the printed replay command (the reproducer) and returns its report. */
    private static Run reproduce(String command) {
        String[] words = command.substring("pinreplay ".length()).split(" ");
        return Run.of("", words);
    }

    private Run explore(String trace, String... options) {
        Run r = Run.of("", concat(new String[] {"explore", trace, "--out", dir.toString()}, options));
        assertTrue(r.out().contains("recorded order: nothing goes wrong"), r.out() + r.err());
        return r;
    }

    @Test
    void aTruncateDuringODirectFreesTheDaxBlockUnderDma() {
        String t = trace("dax-dio-truncate.txt");
        recordedOrderIsBenign(t, "--kernel", "6.12");
        Run r = explore(t, "--kernel", "6.12");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.out());
        String afterFree = commandFor(r, "violation dma-after-free [dio0] at dio_complete");
        assertNotNull(afterFree, r.out());
        Run a = reproduce(afterFree);
        assertEquals(ExitCodes.FINDINGS, a.code());
        assertTrue(a.out().contains("dma-after-free [dio0]") && a.out().contains("mapping_mapped()"), a.out());
        String reallocated = commandFor(r, "violation dma-into-reallocated-block [dio0]");
        assertNotNull(reallocated, r.out());
        assertTrue(reproduce(reallocated).out().contains("dma-into-reallocated-block [dio0] victim inode 21"));
        assertTrue(r.out().contains("1 event(s) moved"), r.out());
    }

    /** The same trace and seed give the same standard output (the wall time goes to stderr); --out is this run's. */
    @Test
    void twoRunsPrintTheSameBytesAndLeaveOnlyTheirReproducers() throws java.io.IOException {
        String t = trace("dax-dio-truncate.txt");
        java.nio.file.Files.writeString(dir.resolve("outcome-99.txt"), "an earlier run's\n");
        Run first = explore(t, "--kernel", "6.12", "--seed", "5");
        Run second = explore(t, "--kernel", "6.12", "--seed", "5");
        assertEquals(first.out(), second.out());
        assertTrue(first.err().matches("pinreplay explore: \\d+ order\\(s\\) in [0-9.]+ s\\n"), first.err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("outcome-99.txt")), "an earlier run's reproducer is gone");
    }

    @Test
    void theSynthesizedDaxTruncateWorkloadToo() {
        String t = dir.resolve("dax-truncate.txt").toString();
        assertEquals(ExitCodes.OK, Run.of("", "synth", "dax-truncate", "--events", "140", "-o", t).code());
        recordedOrderIsBenign(t, "--kernel", "4.14");
        Run r = explore(t, "--kernel", "4.14", "--max-orders", "500");
        String afterFree = commandFor(r, "violation dma-after-free");
        assertNotNull(afterFree, r.out());
        assertTrue(reproduce(afterFree).out().contains("dma-after-free [dio"));
        assertNotNull(commandFor(r, "violation dma-into-reallocated-block"), r.out());
    }

    @Test
    void onSixOneTheTruncateSleepsForeverInstead() {
        String t = trace("dax-dio-truncate.txt");
        Run r = explore(t, "--kernel", "6.1");
        String stall = commandFor(r, "stall ftruncate (dax-wakeup-missed)");
        assertNotNull(stall, r.out());
        Run s = reproduce(stall);
        assertEquals(ExitCodes.FINDINGS, s.code());
        assertTrue(s.out().contains("Stalls: 1") && s.out().contains("dax-wakeup-missed"), s.out());
    }

    @Test
    void theVfioRetryRacesAnUnmapOfTheBar() {
        String t = trace("vfio-bar-unmap.txt");
        String[] kernel = {"--kernel", "6.15", "--policy", "vfio-pfnmap=fault-no-retry"};
        recordedOrderIsBenign(t, kernel);
        Run r = explore(t, kernel);
        assertEquals(ExitCodes.FINDINGS, r.code(), r.out());
        String stale = commandFor(r, "violation stale-vma [bar0] at vfio_dma_map");
        assertNotNull(stale, r.out());
        assertTrue(stale.contains("--inject mmap-unlock:at=line:") && stale.contains("race=munmap"), stale);
        Run s = reproduce(stale);
        assertTrue(s.out().contains("stale-vma [bar0]") && s.out().contains("unmapped meanwhile"), s.out());
        String outlives = commandFor(r, "violation iommu-outlives-mapping [bar0] at munmap");
        assertNotNull(outlives, r.out());
        assertTrue(reproduce(outlives).out().contains("iommu-outlives-mapping [bar0]"));
    }

    @Test
    void onTheDefaultKernelTheRetrySeesTheUnmapAndFails() {
        Run r = explore(trace("vfio-bar-unmap.txt"));
        assertTrue(r.out().contains("result line 10 vfio_dma_map: 0 -> -EFAULT"), r.out());
        assertTrue(!r.out().contains("stale-vma"), r.out());
    }

    @Test
    void writebackBetweenPinAndDeviceWriteLeavesAWriteIntoACleanFolio() {
        String t = trace("memfile-writeback.txt");
        recordedOrderIsBenign(t, "--kernel", "6.1");
        Run r = explore(t, "--kernel", "6.1");
        String clean = commandFor(r, "violation write-to-clean-folio [aif] at dma_write");
        assertNotNull(clean, r.out());
        assertTrue(reproduce(clean).out().contains("write-to-clean-folio [aif]"));
        // from 6.5 the long-term pin of a dirty-tracked file is refused: no order goes wrong
        Run modern = explore(t, "--kernel", "6.5");
        assertEquals(ExitCodes.OK, modern.code(), modern.out());
    }

    @Test
    void pruningSkipsOnlyEquivalentOrders() {
        String t = trace("dax-dio-truncate.txt");
        Run pruned = explore(t, "--kernel", "6.1");
        Run all = explore(t, "--kernel", "6.1", "--no-prune");
        assertEquals(outcomes(all), outcomes(pruned));
        assertTrue(explored(pruned) < explored(all), pruned.out() + all.out());
    }

    @Test
    void sameSeedSameOutputAndBoundsCut() {
        String t = trace("dax-dio-truncate.txt");
        Run a = explore(t, "--kernel", "6.12", "--seed", "7");
        Run b = explore(t, "--kernel", "6.12", "--seed", "7");
        assertEquals(a.out().replaceAll("[0-9.]+ s \\(", ""), b.out().replaceAll("[0-9.]+ s \\(", ""));
        Run cut = explore(t, "--kernel", "6.12", "--max-orders", "3");
        assertTrue(cut.out().contains("orders: 3 explored") && cut.out().contains("cut by"), cut.out());
        assertEquals(ExitCodes.USAGE, Run.of("", "explore", t, "--max-orders", "0").code());
    }

    @Test
    void differentResultsAreFindingsOnlyWhenAsked() {
        String t = trace("dax-dio-truncate.txt");
        assertEquals(ExitCodes.OK, explore(t).code());
        assertEquals(ExitCodes.FINDINGS, explore(t, "--fail-on", "divergence").code());
    }

    private static List<String> outcomes(Run r) {
        return r.out().lines().filter(l -> l.startsWith("outcome ") || l.startsWith("recorded order"))
                .map(l -> l.replaceAll("^outcome \\d+: ", "").replaceAll(" \\(\\d+ order\\(s\\)\\)", "")).sorted()
                .collect(Collectors.toList());
    }

    private static long explored(Run r) {
        String l = r.out().lines().filter(x -> x.startsWith("orders: ")).findFirst().orElseThrow();
        return Long.parseLong(l.substring("orders: ".length(), l.indexOf(' ', "orders: ".length())));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
