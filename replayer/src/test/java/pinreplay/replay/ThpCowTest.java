package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * Transparent huge pages and pins (mm/huge_memory.c): a write fault fills a 2 MiB-aligned private anonymous range
 * with one PMD-mapped THP; after mprotect(PROT_READ) and back, do_huge_pmd_wp_page() reuses it by mapcount until
 * 5.17 (the lab's cow-pin-thp on 5.10: the device read the task's write), where do_wp_page() of 5.9-5.18 copies a
 * pinned small page. A PMD split by a partial mprotect() leaves the PTE path.
 */
class ThpCowTest {
    private static final String MAP = "mmap: addr=0x40000000 len=0x200000 prot=rw flags=private";
    private static final String TOUCH = "fault: addr=0x40000000 len=0x200000 write=1";
    private static final String PIN = "pin_user_pages_fast: start=0x40000000 nr_pages=512 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=buf";

    private static long lostPins(String kernel, String protectLen, String... policies) {
        return lostPinsAfter("", kernel, protectLen, policies);
    }

    private static long lostPinsAfter(String header, String kernel, String protectLen, String... policies) {
        Replays r = Replays.text(header + Replays.lines(MAP, TOUCH, PIN, "mprotect: addr=0x40000000 len=" + protectLen
                + " prot=r", "mprotect: addr=0x40000000 len=" + protectLen + " prot=rw",
                "fault: addr=0x40000000 len=0x1000 write=1"), kernel, FaultPoints.NONE, policies);
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.VIOLATION && "pin-lost-to-cow".equals(o.violation))
                .count();
    }

    @ParameterizedTest(name = "{0}, mprotect {1}, {2}: {3} lost")
    @CsvSource({
        "5.10, 0x200000, thp=always, 0",  // the whole PMD: reuse_swap_page() reuses the THP mapped once
        "5.10, 0x200000, thp=never, 1",   // small pages: page_count() != 1 copies the pinned page
        "5.10, 0x1000, thp=always, 1",    // the first page's PMD split: do_wp_page() on the PTE
        "5.18, 0x200000, thp=always, 1",  // page_count() for THPs too [U]
        "6.1, 0x200000, thp=always, 0",   // PageAnonExclusive
        "6.1, 0x1000, thp=always, 0",
    })
    void aPinnedThpSurvivesMprotectWhereTheReleaseReusesIt(String kernel, String len, String policy, long lost) {
        assertEquals(lost, lostPins(kernel, len, policy));
    }

    /** A recording names its machine's THP mode (pinreplay record's header); --policy thp still overrides it. */
    @ParameterizedTest(name = "header thp={0}, {1}: {2} lost")
    @CsvSource({"madvise, '', 1", "never, '', 1", "always, '', 0", "madvise, thp=always, 0"})
    void theRecordedMachinesModeDecides(String mode, String policy, long lost) {
        String header = "# pinreplay record: release=5.10.0-32-amd64 machine=x86_64\n# pinreplay record: thp=" + mode + "\n";
        assertEquals(lost, policy.isEmpty() ? lostPinsAfter(header, "5.10", "0x200000")
                : lostPinsAfter(header, "5.10", "0x200000", policy));
    }

    /** Under "madvise", MADV_HUGEPAGE (hugepage_madvise(): VM_HUGEPAGE) makes the range eligible; MADV_NOHUGEPAGE under "always" not. */
    @ParameterizedTest(name = "thp={0}, {1}: {2} lost")
    @CsvSource({"madvise, hugepage, 0", "always, nohugepage, 1"})
    void madviseChoosesTheRange(String mode, String advice, long lost) {
        Replays r = Replays.text(Replays.lines(MAP, "madvise: addr=0x40000000 len=0x200000 advice=" + advice, TOUCH, PIN,
                "mprotect: addr=0x40000000 len=0x200000 prot=r", "mprotect: addr=0x40000000 len=0x200000 prot=rw",
                "fault: addr=0x40000000 len=0x1000 write=1"), "5.10", FaultPoints.NONE, "thp=" + mode);
        assertEquals(lost, r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.VIOLATION
                && "pin-lost-to-cow".equals(o.violation)).count(), r.jsonl());
    }
}
