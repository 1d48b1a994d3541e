package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import pinreplay.inject.Catalog;

/** {@code replay --inject/--seed} and {@code faults}: wiring, records, exit codes and spec errors. */
class ReplayInjectTest {
    private static String trace(String name) throws Exception {
        return Files.readString(Path.of("..", "traces", name));
    }

    @Test
    void injectedRecordNamesInjectorPointEventAndHandle() throws Exception {
        Run r = Run.of(trace("vfio-pfnmap-bar.txt"), "replay", "-", "--kernel", "6.15", "--format", "jsonl",
                "--inject", "mmap-unlock:fail-nth=1", "--seed", "7");
        assertTrue(r.out().contains("{\"line\":8,\"ts\":400.000100,\"pid\":6100,\"event\":\"vfio_dma_map\","
                + "\"handle\":\"bar0\",\"injected\":\"mmap-unlock\",\"point\":\"fixup_user_fault\","
                + "\"effect\":\"unlocked\"}"), r.out());
        assertTrue(r.out().contains("\"event\":\"vfio_dma_map\",\"handle\":\"bar0\",\"result\":0,"), r.out());
    }

    @Test
    void textReportListsEachInjection() throws Exception {
        Run r = Run.of(trace("vfio-pfnmap-bar.txt"), "replay", "-", "--kernel", "6.15",
                "--inject", "mmap-unlock:fail-nth=1,race=munmap");
        assertTrue(r.out().contains("Injections: 1 {mmap-unlock/fixup_user_fault=1}"), r.out());
        assertTrue(r.out().contains("  line 8 (ts 400.000100, pid 6100) vfio_dma_map [bar0]: mmap-unlock at"
                + " fixup_user_fault: unlocked"), r.out());
        assertTrue(r.out().contains("vfio_dma_map                        2        1  -EFAULT x1"), r.out());
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        String t = trace("qemu-vfio-fsdax.txt");
        String[] args = {"replay", "-", "--kernel", "5.10", "--format", "jsonl", "--inject", "migrate:probability=50",
                "--inject", "truncate:probability=30,times=2", "--seed", "11"};
        assertEquals(Run.of(t, args).out(), Run.of(t, args).out());
    }

    @Test
    void badSpecExitsTwoNamingTheKeyAndWhatWasExpected() {
        Run unknownKey = Run.of("", "replay", "-", "--inject", "eagain:race=munmap");
        assertEquals(ExitCodes.USAGE, unknownKey.code());
        assertTrue(unknownKey.err().contains("--inject eagain: expected a key among task, at, fail-nth"),
                unknownKey.err());
        Run badValue = Run.of("", "replay", "-", "--inject", "mmap-unlock:probability=101");
        assertEquals(ExitCodes.USAGE, badValue.code());
        assertTrue(badValue.err().contains("probability expected an integer in [0, 100], got '101'"), badValue.err());
        Run badName = Run.of("", "replay", "-", "--inject", "oom");
        assertEquals(ExitCodes.USAGE, badName.code());
        assertTrue(badName.err().contains("expected an injector among mmap-unlock"), badName.err());
        Run badRace = Run.of("", "replay", "-", "--inject", "mmap-unlock:race=fork");
        assertTrue(badRace.err().contains("race expected none|munmap|mprotect|remap, got 'fork'"), badRace.err());
    }

    @Test
    void faultsListsEveryInjectorItsPointsAndKeys() {
        Run text = Run.of("", "faults");
        assertEquals(ExitCodes.OK, text.code());
        for (Catalog.Injector i : Catalog.ALL) {
            assertTrue(text.out().contains("\n" + i.name()), i.name());
            assertTrue(text.out().contains("points: " + String.join(", ", i.points())), i.name());
        }
        assertTrue(text.out().contains("    race         none|munmap|mprotect|remap"), text.out());
        Run json = Run.of("", "faults", "--format", "json");
        assertTrue(json.out().startsWith("{\"injectors\":[{\"name\":\"mmap-unlock\""), json.out());
        assertTrue(json.out().contains("\"points\":[\"faultin_page\",\"fixup_user_fault\"]"), json.out());
        assertTrue(json.out().contains("\"common_keys\":[{\"name\":\"task\""), json.out());
    }
}
