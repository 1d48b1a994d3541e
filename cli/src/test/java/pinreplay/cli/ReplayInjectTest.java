package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    void jsonReportCarriesTheInjectedRecords() throws Exception {
        Run r = Run.of(trace("vfio-pfnmap-bar.txt"), "replay", "-", "--kernel", "6.15", "--format", "json",
                "--inject", "fixup_user_fault:fail-nth=1");
        assertTrue(r.out().contains(
                "\"injections\":{\"mmap-unlock/fixup_user_fault\":1},\"injected\":[{\"line\":8,"), r.out());
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
        assertTrue(unknownKey.err().contains("--inject eagain: expected a key among task, at, point, fail-nth"),
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
        assertTrue(json.out().contains("{\"function\":\"migrate_pages\",\"injector\":\"enomem\"}"), json.out());
        assertTrue(text.out().contains("    migrate_pages[:KEYS] = enomem:point=migrate_pages[,KEYS]"), text.out());
    }

    @Test
    void sweepReportsEachSiteWithTheCommandThatReproducesIt() throws Exception {
        String t = trace("inject/dio-dax-inflight.txt");
        Run r = Run.of(t, "replay", "-", "--kernel", "5.10", "--policy", "dax-truncate=none", "--sweep", "truncate");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.out().startsWith("pinreplay sweep: truncate, seed 0: 2 site(s), 2 change the outcome,"
                + " 2 with violations\n"), r.out());
        assertTrue(r.out().contains("fail-nth=2: line 15 ftruncate at do_truncate: ftruncate(inode 20, 0x0): 0\n"
                + "    violation: dma-after-free [dio0] at line 15\n"
                + "    pinreplay replay - --kernel 5.10 --policy dax-truncate=none --inject truncate:fail-nth=2 --seed 0\n"),
                r.out());
        Run repro = Run.of(t, "replay", "-", "--kernel", "5.10", "--policy", "dax-truncate=none", "--inject",
                "truncate:fail-nth=2", "--seed", "0");
        assertTrue(repro.out().contains("dma-after-free"), repro.out());
    }

    @Test
    void sweepJsonlHasOneRecordPerSiteAndASummary() throws Exception {
        Run r = Run.of("", "replay", "../traces/vfio-pfnmap-bar.txt", "--kernel", "6.15", "--policy",
                "vfio-pfnmap=fault-no-retry", "--sweep", "mmap-unlock:race=remap", "--format", "jsonl");
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("{\"fail_nth\":1,\"line\":8,\"event\":\"vfio_dma_map\",\"handle\":\"bar0\","
                + "\"injected\":\"mmap-unlock\",\"point\":\"fixup_user_fault\""), lines.get(0));
        assertTrue(lines.get(0).contains("\"violations\":[\"stale-vma [bar0] at line 8\"],\"command\":\"pinreplay replay"
                + " ../traces/vfio-pfnmap-bar.txt --kernel 6.15 --policy vfio-pfnmap=fault-no-retry --inject"
                + " mmap-unlock:fail-nth=1,race=remap --seed 0\"}"), lines.get(0));
        assertEquals("{\"sweep\":\"mmap-unlock:race=remap\",\"seed\":0,\"sites\":1,\"changed\":1,"
                + "\"with_violations\":1,\"capped\":false}", lines.get(1));
    }

    @Test
    void sweepMaxCapsTheRunsAndJsonIsRefused() throws Exception {
        String t = trace("inject/dio-dax-inflight.txt");
        Run capped = Run.of(t, "replay", "-", "--kernel", "5.10", "--sweep", "truncate", "--sweep-max", "1",
                "--fail-on", "stall");
        assertEquals(ExitCodes.OK, capped.code(), capped.err());
        assertTrue(capped.out().contains("1 site(s) (capped by --sweep-max)"), capped.out());
        Run json = Run.of(t, "replay", "-", "--sweep", "truncate", "--format", "json");
        assertEquals(ExitCodes.USAGE, json.code());
        assertTrue(json.err().contains("--sweep prints text or jsonl, got --format json"), json.err());
    }
}
