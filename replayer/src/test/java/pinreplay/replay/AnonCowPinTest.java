package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * Copy-on-write of pinned anonymous pages across the three do_wp_page() eras (mm/memory.c): reuse by mapcount
 * until 5.8, by page_count() == 1 from 5.9 (09854ba94c6a), by PageAnonExclusive from 5.19 (6c287605fd56); fork()'s
 * early copy of maybe-pinned pages from 5.9 (70e806e4e645) and the R/O pin's unshare from 5.19 (a7f226604170).
 */
class AnonCowPinTest {
    private static final String MAP = "mmap: addr=0x30000000 len=0x4000 prot=rw flags=private";
    private static final String TOUCH = "fault: addr=0x30000000 len=0x4000 write=1";
    private static final String PIN_RW = "pin_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=buf";
    private static final String PIN_RO = "pin_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_LONGTERM handle=buf";
    private static final String FORK = "sched_process_fork: comm=app pid=100 child_comm=app child_pid=101";
    private static final String WRITE_ONE = "fault: addr=0x30001000 len=0x1000 write=1";

    private static long lostPins(String trace, String kernel) {
        Replays r = Replays.text(trace, kernel, FaultPoints.NONE);
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.VIOLATION && "pin-lost-to-cow".equals(o.violation))
                .count();
    }

    /** mprotect(PROT_READ) write-protects a pinned page; PROT_WRITE again and a write: only 5.9-5.18 copy it. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.8, 0", "5.9, 1", "5.10, 1", "5.18, 1", "5.19, 0", "6.1, 0", "7.2, 0"})
    void aWriteAfterMprotectLosesThePinOnlyWhilePageCountDecides(String kernel, long lost) {
        String t = Replays.lines(MAP, TOUCH, PIN_RW, "mprotect: addr=0x30000000 len=0x4000 prot=r",
                "mprotect: addr=0x30000000 len=0x4000 prot=rw", WRITE_ONE);
        assertEquals(lost, lostPins(t, kernel));
    }

    /** A page pinned before fork(): shared with the child until 5.8, so the parent's write copies it away. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.8, 1", "5.9, 0", "5.10, 0", "6.1, 0", "7.2, 0"})
    void forkCopiesAPinnedPageForTheChildFrom59(String kernel, long lost) {
        assertEquals(lost, lostPins(Replays.lines(MAP, TOUCH, PIN_RW, FORK, WRITE_ONE), kernel));
    }

    /** A R/O pin of a page shared with a child: before 5.19 the parent's next write copies it away from the pin. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.8, 1", "5.10, 1", "5.18, 1", "5.19, 0", "6.1, 0", "6.12, 0"})
    void aReadOnlyPinAfterForkUnsharesFrom519(String kernel, long lost) {
        assertEquals(lost, lostPins(Replays.lines(MAP, TOUCH, FORK, PIN_RO, WRITE_ONE), kernel));
    }

    /** A writable pin after fork() breaks COW itself: the pinned page is the parent's own, everywhere. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.8", "5.10", "6.1"})
    void aWritablePinAfterForkPinsTheParentsCopy(String kernel) {
        assertEquals(0, lostPins(Replays.lines(MAP, TOUCH, FORK, PIN_RW, WRITE_ONE), kernel));
    }

    /** Without a pin a COW copy is no violation. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.8", "5.10", "6.1"})
    void unpinnedCowIsNoViolation(String kernel) {
        assertEquals(0, lostPins(Replays.lines(MAP, TOUCH, FORK, WRITE_ONE, TOUCH), kernel));
    }

    /**
     * 5.10: a page the child no longer shares (it exited) is still write-protected in the parent; a R/O pin
     * leaves page_count() above 1, so the parent's write copies it away all the same. 6.1 unshares at the pin.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.10, 1", "6.1, 0"})
    void aReadOnlyPinOfAWriteProtectedPageAfterTheChildExited(String kernel, long lost) {
        String t = Replays.lines(MAP, TOUCH, FORK, "sched_process_exit: comm=app pid=101 prio=120", PIN_RO, WRITE_ONE);
        assertEquals(lost, lostPins(t.replace("app-100     [000] .....   1.000004", "app-101     [000] .....   1.000004"),
                kernel));
    }

    /** vfio pins a device-read-only map without FOLL_WRITE: the same R/O pin of a page shared with a child. */
    @ParameterizedTest(name = "{0}, prot={1}: {2}")
    @CsvSource({"5.10, r, 1", "5.10, rw, 0", "6.1, r, 0", "7.2, r, 0"})
    void aReadOnlyVfioMapAfterFork(String kernel, String prot, long lost) {
        String map = "vfio_dma_map: handle=ro vaddr=0x30000000 iova=0x200000 size=0x4000 prot=" + prot;
        assertEquals(lost, lostPins(Replays.lines(MAP, TOUCH, FORK, map, WRITE_ONE), kernel));
    }

    private static final String HUGE = "mmap: addr=0x40000000 len=0x200000 prot=rw flags=private hugetlb=1";
    private static final String HUGE_TOUCH = "fault: addr=0x40000000 len=0x200000 write=1";
    private static final String HUGE_PIN_RW =
            "pin_user_pages_fast: start=0x40000000 nr_pages=512 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=huge";
    private static final String HUGE_PIN_RO = "pin_user_pages_fast: start=0x40000000 nr_pages=512 gup_flags=FOLL_LONGTERM handle=huge";
    private static final String HUGE_WRITE = "fault: addr=0x40001000 len=0x1000 write=1";

    /** A pinned private hugetlb page before fork(): copy_hugetlb_page_range() copies it for the child from 5.12. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.8, 1", "5.10, 1", "5.11, 1", "5.12, 0", "5.19, 0", "6.1, 0", "7.2, 0"})
    void forkCopiesAPinnedHugetlbPageForTheChildFrom512(String kernel, long lost) {
        assertEquals(lost, lostPins(Replays.lines(HUGE, HUGE_TOUCH, HUGE_PIN_RW, FORK, HUGE_WRITE), kernel));
    }

    /**
     * fork() of a read-only private hugetlb mapping whose page is pinned: from 5.12 the child gets a copy, which
     * hugetlb_install_page() maps writable whatever VM_WRITE until 6.18 (make_huge_pte(dst_vma, new, 1)), so the child's
     * GUP-fast takes it for a write (an O_DIRECT read into it, 6.1.176: fuzz-long-406); 5.10 shares the page
     * write-protected and 6.18.44 (fuzz-deepest-857-markers) and 7.2.13 map the copy read-only: the slow path refuses the
     * read-only VMA.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.10, -EFAULT", "6.1, 16", "6.12, 16", "6.18, -EFAULT", "7.2, -EFAULT"})
    void theChildsCopyOfAPinnedReadOnlyHugetlbPageIsWritableUntil618(String kernel, String got) {
        Replays r = Replays.text(Replays.lines(HUGE, HUGE_TOUCH, HUGE_PIN_RW,
                "mprotect: addr=0x40000000 len=0x200000 prot=r", FORK)
                + "         app-101     [000] .....   1.000009: get_user_pages_fast: start=0x40000000 nr_pages=16 "
                + "gup_flags=FOLL_WRITE\n", kernel, FaultPoints.NONE);
        assertEquals(got, r.result(6), r.jsonl());
    }

    /** hugetlb_cow() / hugetlb_wp() reuse a page mapped once whatever its refcount: mprotect() loses no pin. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.8", "5.10", "5.18", "6.1", "7.2"})
    void aHugetlbWriteAfterMprotectReusesThePinnedPage(String kernel) {
        String t = Replays.lines(HUGE, HUGE_TOUCH, HUGE_PIN_RW, "mprotect: addr=0x40000000 len=0x200000 prot=r",
                "mprotect: addr=0x40000000 len=0x200000 prot=rw", HUGE_WRITE);
        assertEquals(0, lostPins(t, kernel));
    }

    /** A R/O pin of a hugetlb page shared with a child: unshared at the pin from 5.19, else copied at the write. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.10, 1", "5.18, 1", "5.19, 0", "6.1, 0", "7.2, 0"})
    void aReadOnlyHugetlbPinAfterForkUnsharesFrom519(String kernel, long lost) {
        assertEquals(lost, lostPins(Replays.lines(HUGE, HUGE_TOUCH, FORK, HUGE_PIN_RO, HUGE_WRITE), kernel));
    }

    /**
     * The zero page a read-only pin of untouched memory took: the task's write replaces it. A long-term pin's device
     * keeps reading zeros (lost); an O_DIRECT write's request read the buffer as it was when issued (no loss).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1"})
    void aWriteOverAPinnedZeroPageLosesOnlyALongtermPin(String kernel) {
        assertEquals(1, lostPins(Replays.lines(MAP, PIN_RO, WRITE_ONE), kernel));
        assertEquals(0, lostPins(Replays.lines("file: ino=12 fs=ext4 size=0x100000", MAP,
                "dio_submit: handle=w ino=12 offset=0 len=0x4000 buf=0x30000000 rw=write", WRITE_ONE,
                "dio_complete: handle=w ret=16384"), kernel));
    }
}
