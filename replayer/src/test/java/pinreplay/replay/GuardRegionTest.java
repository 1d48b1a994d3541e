package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Guard regions (MADV_GUARD_INSTALL, 6.13+): the markers stop GUP where they begin (handle_pte_marker():
 * VM_FAULT_SIGSEGV, -EFAULT from faultin_page()), as fuzz-ops' seed 105 showed on 7.2: a vmsplice() of five pages of
 * an fs-DAX private mapping whose third and fourth pages were guarded took two. MADV_DONTNEED keeps the markers
 * (zap_nonpresent_ptes()), MADV_GUARD_REMOVE and munmap() drop them, fork() copies them (copy_pte_marker()).
 */
class GuardRegionTest {
    private static final String MAP = "mmap: addr=0x30000000 len=0x6000 prot=rw flags=private";
    private static final String TOUCH = "fault: addr=0x30000000 len=0x6000 write=1";
    private static final String GUARD = "madvise: addr=0x30002000 len=0x2000 advice=guard_install";
    private static final String GUP = "get_user_pages_fast: start=0x30000000 nr_pages=5 gup_flags=0 handle=g";

    @ParameterizedTest(name = "{0}: {1} pages")
    @CsvSource({"7.2, 2", "6.12, 5"})
    void aGupStopsAtTheGuard(String kernel, String pages) {
        Replays r = Replays.text(Replays.lines(MAP, TOUCH, GUARD, GUP), kernel, FaultPoints.NONE);
        assertEquals(pages, r.result(4), r.jsonl());
    }

    @Test
    void theFirstPageGuardedIsEfault() {
        Replays r = Replays.text(Replays.lines(MAP, TOUCH, GUARD, GUP.replace("0x30000000", "0x30002000")), "7.2",
                FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(4), r.jsonl());
    }

    @Test
    void dontneedKeepsTheMarkersRemoveAndMunmapDropThem() {
        Replays r = Replays.text(Replays.lines(MAP, TOUCH, GUARD,
                "madvise: addr=0x30000000 len=0x6000 advice=dontneed", GUP,
                "madvise: addr=0x30000000 len=0x6000 advice=guard_remove", GUP, GUARD,
                "munmap: addr=0x30000000 len=0x6000", MAP, GUP), "7.2", FaultPoints.NONE);
        assertEquals("2", r.result(5), r.jsonl());
        assertEquals("5", r.result(7));
        assertEquals("5", r.result(11), "a new mapping has no markers");
    }

    @Test
    void aPopulateStopsThereToo() {
        Replays r = Replays.text(Replays.lines(MAP, GUARD, "madvise: addr=0x30000000 len=0x6000 advice=populate_write"),
                "7.2", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(3), r.jsonl());
    }
}
