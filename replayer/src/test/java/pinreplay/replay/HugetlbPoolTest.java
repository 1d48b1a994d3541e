package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.replay.fault.FaultPoints;

/**
 * The hugetlb pool of a recording that counted it ({@code # pinreplay record: hugepages ... nr= free= resv=}), as
 * mm/hugetlb.c keeps it (5.10, 6.1, 6.12, 7.2): hugetlb_reserve_pages() at mmap (-ENOMEM), alloc_hugetlb_folio() at
 * fault (VM_FAULT_SIGBUS, which GUP returns as -EFAULT), hugetlbfs_fallocate() (-ENOSPC), and the release of
 * reservations at munmap (hugetlb_vm_op_close(), a MAP_HUGETLB shared mapping's inode going).
 */
class HugetlbPoolTest {
    private static final String NOP = "# tracer: nop\n";

    private static String pool(int pages) {
        return "# pinreplay record: hugepages size=2048kB nr=" + pages + " free=" + pages
                + " resv=0 default=1 surplus=0 overcommit=0\n";
    }

    private static String call(int n, String enter, String ret) {
        return " t-9 [000] .....  1.0000" + String.format("%02d", 2 * n) + ": " + enter + "\n"
                + " t-9 [000] .....  1.0000" + String.format("%02d", 2 * n + 1) + ": " + ret + "\n";
    }

    /** Four pages: a shared MAP_HUGETLB mapping of three, a private one of two (line 6), then of one (line 8). */
    @Test
    void aMappingThePoolCannotReserveIsRefusedWithEnomem() {
        Replays r = Replays.text(NOP + pool(4)
                + call(1, "sys_mmap(addr: 0, len: 600000, prot: 3, flags: 40021, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0x7f0000000000")
                + call(2, "sys_mmap(addr: 0, len: 400000, prot: 3, flags: 40022, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0xfffffffffffffff4")
                + call(3, "sys_mmap(addr: 0, len: 200000, prot: 3, flags: 40022, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0x7f0000800000")
                // the first goes: its inode with it (hugetlbfs_evict_inode()), and its three reservations
                + call(4, "sys_munmap(addr: 7f0000000000, len: 600000)", "sys_munmap -> 0x0")
                + call(5, "sys_mmap(addr: 0, len: 600000, prot: 3, flags: 40022, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0x7f0000000000"), "6.1", FaultPoints.NONE);
        assertEquals(Long.toString(0x7f0000000000L), r.result(4));
        assertEquals("-ENOMEM", r.result(6));
        assertEquals(Long.toString(0x7f0000800000L), r.result(8));
        assertEquals(Long.toString(0x7f0000000000L), r.result(12));
    }

    /** An MFD_HUGETLB memfd of two pages over a pool of three: mapped shared twice, then private. */
    @Test
    void aSecondSharedMappingReservesNothingAPrivateOneReservesAgain() {
        Replays r = Replays.text(NOP + pool(3)
                + call(1, "sys_memfd_create(uname: 47b142, flags: 4)", "sys_memfd_create -> 0x3")
                + call(2, "sys_ftruncate(fd: 3, length: 400000)", "sys_ftruncate -> 0x0")
                + call(3, "sys_mmap(addr: 0, len: 400000, prot: 3, flags: 1, fd: 3, off: 0)", "sys_mmap -> 0x7f0000000000")
                + call(4, "sys_mmap(addr: 0, len: 400000, prot: 3, flags: 1, fd: 3, off: 0)", "sys_mmap -> 0x7f0000400000")
                + call(5, "sys_mmap(addr: 0, len: 400000, prot: 3, flags: 2, fd: 3, off: 0)",
                        "sys_mmap -> 0xfffffffffffffff4"), "5.10", FaultPoints.NONE);
        assertEquals(Long.toString(0x7f0000400000L), r.result(10)); // region_chg(): the inode's map has both pages
        assertEquals("-ENOMEM", r.result(12)); // a private mapping reserves all it maps: one page is left
    }

    /**
     * One page, reserved by a shared mapping; a MAP_NORESERVE private one has none to fault: the GUP (its probe's line 7
     * with the pool's line, 6 without) is -EFAULT, and succeeds once the reserved mapping went (line 11, or 10).
     */
    private static String noreserveFault(String pool) {
        return NOP + pool
                + call(1, "sys_mmap(addr: 0, len: 200000, prot: 3, flags: 40021, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0x7f0000000000")
                + call(2, "sys_mmap(addr: 0, len: 200000, prot: 3, flags: 44022, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0x7f0000200000")
                + call(3, "p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) start=0x7f0000200000 nr_pages=512 "
                        + "gup_flags=0x1", "r_get_user_pages_fast_0: (x+0x9d/0x2f0 <- get_user_pages_fast) ret=-14")
                + call(4, "sys_munmap(addr: 7f0000000000, len: 200000)", "sys_munmap -> 0x0")
                + call(5, "p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) start=0x7f0000200000 nr_pages=512 "
                        + "gup_flags=0x1", "r_get_user_pages_fast_0: (x+0x9d/0x2f0 <- get_user_pages_fast) ret=512");
    }

    @Test
    void aFaultPastThePoolIsASigbusThatGupReturnsAsEfault() {
        for (String release : new String[] {"5.10", "6.1", "6.12", "7.2"}) {
            Replays r = Replays.text(noreserveFault(pool(1)), release, FaultPoints.NONE);
            assertEquals("-EFAULT", r.result(7), release);
            assertEquals("512", r.result(11), release);
        }
    }

    @Test
    void withoutPoolCountersThePoolIsUnlimited() {
        Replays r = Replays.text(noreserveFault(""), "6.1", FaultPoints.NONE);
        assertEquals("512", r.result(6)); // as before pools were modelled: every fault finds a page
        assertTrue(r.results(EventType.MMAP).isEmpty(), "an mmap is judged only against a counted pool");
    }

    /** A memfd's fallocate() while a shared mapping holds the pool's one page: -ENOSPC, then 0 once it went. */
    @Test
    void aHugetlbfsFallocatePastThePoolIsEnospc() {
        Replays r = Replays.text(NOP + pool(1)
                + call(1, "sys_memfd_create(uname: 47b142, flags: 4)", "sys_memfd_create -> 0x3")
                + call(2, "sys_mmap(addr: 0, len: 200000, prot: 3, flags: 40021, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0x7f0000000000")
                + call(3, "sys_fallocate(fd: 3, mode: 0, offset: 0, len: 200000)", "sys_fallocate -> 0xffffffffffffffe4")
                + call(4, "sys_munmap(addr: 7f0000000000, len: 200000)", "sys_munmap -> 0x0")
                + call(5, "sys_fallocate(fd: 3, mode: 0, offset: 0, len: 200000)", "sys_fallocate -> 0x0"), "6.12",
                FaultPoints.NONE);
        assertEquals("-ENOSPC", r.result(8));
        assertEquals("0", r.result(12));
    }

    /**
     * The pool is the machine's: a refusal where the counters had pages (another task's reservations, or the lost start
     * of a recording) is taken as recorded, with an assumption, and the counters follow it (the next mapping is refused
     * too); with strict state it is a disagreement.
     */
    @Test
    void aRefusalTheCountersDidNotForeseeIsAssumedAndFollowed() {
        String trace = NOP + pool(2)
                + call(1, "sys_mmap(addr: 0, len: 200000, prot: 3, flags: 40021, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0xfffffffffffffff4")
                + call(2, "sys_mmap(addr: 0, len: 400000, prot: 3, flags: 40021, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0xfffffffffffffff4");
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals("-ENOMEM", r.result(4));
        assertTrue(r.call(4).agrees() && r.call(4).assumed.contains("hugetlb pool held fewer"), r.jsonl());
        assertEquals("-ENOMEM", r.result(6));
        assertTrue(r.call(6).assumed == null, "the counters now say the pool has no page: " + r.jsonl());
        Replays strict = Replays.text(trace, "6.1", FaultPoints.NONE, true);
        assertEquals("0", strict.result(4));
    }

    /**
     * A private MAP_HUGETLB page written by its owner (pid 100), shared with a child by fork() while a shared mapping
     * holds the pool's other page: the child's write (a FOLL_WRITE GUP, line 7) needs a copy it cannot get; the owner's
     * copy finds none either, so hugetlb_wp() unmaps the page from the child (unmap_ref_private()) and reuses it (line
     * 8); the child's next fault there is a SIGBUS (hugetlb_no_page(): HPAGE_RESV_UNMAPPED, line 9).
     */
    @Test
    void theOwnersCopyTakesThePageFromTheChildWhenThePoolIsEmpty() {
        for (String release : new String[] {"5.10", "6.1", "6.12", "7.2"}) {
            String trace = NOP + pool(2)
                    + "         app-100     [000] .....   1.000001: tracing_mark_write: mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=private hugetlb=1\n"
                    + "         app-100     [000] .....   1.000002: tracing_mark_write: mmap: addr=0x7f0000400000 len=0x200000 prot=rw flags=shared hugetlb=1\n"
                    + "         app-100     [000] .....   1.000003: tracing_mark_write: fault: addr=0x7f0000000000 len=0x200000 write=1\n"
                    + "         app-100     [000] .....   1.000004: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n"
                    + "         app-101     [000] .....   1.000005: tracing_mark_write: get_user_pages_fast: start=0x7f0000000000 nr_pages=512 gup_flags=FOLL_WRITE ret=-EFAULT\n"
                    + "         app-100     [000] .....   1.000006: tracing_mark_write: get_user_pages_fast: start=0x7f0000000000 nr_pages=512 gup_flags=FOLL_WRITE ret=512\n"
                    + "         app-101     [000] .....   1.000007: tracing_mark_write: get_user_pages_fast: start=0x7f0000000000 nr_pages=512 gup_flags=FOLL_WRITE ret=-EFAULT\n";
            Replays r = Replays.text(trace, release, FaultPoints.NONE);
            assertEquals("-EFAULT", r.result(7), release);
            assertEquals("512", r.result(8), release);
            assertEquals("-EFAULT", r.result(9), release);
        }
    }
}
