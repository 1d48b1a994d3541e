package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * mlock() makes the range VM_LOCKED (mlock_fixup()) and populates it, so MADV_DONTNEED refuses it (-EINVAL: 6.1+
 * madvise_dontneed_free_valid_vma(), 5.10 can_madv_lru_vma()); and a hugetlb VMA cannot be split inside a huge page by
 * madvise() or mprotect() either (__split_vma() -> hugetlb_vm_op_split(), 5.10-7.2).
 */
class MlockAndHugetlbSplitTest {
    private static final List<String> MLOCK = List.of(
            "               p-300     (    300) [000] ...1.    10.000100: sys_mmap(addr: 0, len: 10000, prot: 3, flags: 22, fd: ffffffff, off: 0)",
            "               p-300     (    300) [000] ...1.    10.000200: sys_mmap -> 0x7f0000000000",
            "               p-300     (    300) [000] ...1.    10.000300: sys_mlock(start: 7f0000000000, len: 10000)",
            "               p-300     (    300) [000] ...1.    10.000400: sys_mlock -> 0x0",
            "               p-300     (    300) [000] .....    10.000450: tracing_mark_write: pin_user_pages: start=0x7f0000000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p",
            "               p-300     (    300) [000] ...1.    10.000500: sys_madvise(start: 7f0000000000, len_in: 10000, behavior: 4)",
            "               p-300     (    300) [000] ...1.    10.000600: sys_madvise -> 0xffffffffffffffea");

    /**
     * mlock() and munlock() stopped by a gap (-ENOMEM, apply_vma_lock_flags() 5.10-7.2) leave the VMAs before it changed,
     * nothing when the range starts in the gap: MADV_DONTNEED refuses the locked part only.
     */
    private static final List<String> MLOCK_GAP = List.of(
            "               p-300     (    300) [000] ...1.    10.000100: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 22, fd: ffffffff, off: 0)",
            "               p-300     (    300) [000] ...1.    10.000200: sys_mmap -> 0x7f0000000000",
            "               p-300     (    300) [000] ...1.    10.000300: sys_munmap(addr: 7f0000002000, len: 1000)",
            "               p-300     (    300) [000] ...1.    10.000400: sys_munmap -> 0x0",
            "               p-300     (    300) [000] ...1.    10.000500: sys_mlock(start: 7f0000002000, len: 2000)",
            "               p-300     (    300) [000] ...1.    10.000600: sys_mlock -> 0xfffffffffffffff4",
            "               p-300     (    300) [000] ...1.    10.000700: sys_mlock(start: 7f0000000000, len: 4000)",
            "               p-300     (    300) [000] ...1.    10.000800: sys_mlock -> 0xfffffffffffffff4",
            "               p-300     (    300) [000] ...1.    10.000900: sys_madvise(start: 7f0000003000, len_in: 1000, behavior: 4)",
            "               p-300     (    300) [000] ...1.    10.001000: sys_madvise -> 0x0",
            "               p-300     (    300) [000] ...1.    10.001100: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)",
            "               p-300     (    300) [000] ...1.    10.001200: sys_madvise -> 0xffffffffffffffea",
            "               p-300     (    300) [000] ...1.    10.001300: sys_munlock(start: 7f0000000000, len: 4000)",
            "               p-300     (    300) [000] ...1.    10.001400: sys_munlock -> 0xfffffffffffffff4",
            "               p-300     (    300) [000] ...1.    10.001500: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)",
            "               p-300     (    300) [000] ...1.    10.001600: sys_madvise -> 0x0");
    private static final List<String> HUGETLB = List.of(
            "           t-100     [000] .....   1.000020: mmap: addr=0x7f0000000000 len=0x400000 prot=rw flags=private hugetlb=1",
            "           t-100     [000] .....   1.000030: madvise: addr=0x7f0000001000 len=0x1000 advice=dontfork ret=-22",
            "           t-100     [000] .....   1.000040: madvise: addr=0x7f0000000000 len=0x1000 advice=hugepage ret=-22",
            "           t-100     [000] .....   1.000050: mprotect: addr=0x7f0000000000 len=0x1000 prot=r ret=-22",
            "           t-100     [000] .....   1.000060: madvise: addr=0x7f0000000000 len=0x200000 advice=dontfork ret=0");

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void anMlockedRangeIsNotDiscarded(String kernel) {
        Replays r = Replays.text(String.join("\n", MLOCK) + "\n", kernel, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void aHugetlbVmaIsNotSplitInsideAHugePage(String kernel) {
        Replays r = Replays.text(String.join("\n", HUGETLB) + "\n", kernel, FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertEquals("-EINVAL", r.result(3), r.jsonl());
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertEquals("0", r.result(5), r.jsonl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void anMlockStoppedByAGapLocksTheVmasBeforeIt(String kernel) {
        Replays r = Replays.text(String.join("\n", MLOCK_GAP) + "\n", kernel, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("-EINVAL", r.result(12), r.jsonl());
        assertEquals("0", r.result(16), r.jsonl());
    }

    /**
     * do_mlock() returns the gap's -ENOMEM before __mm_populate() (5.10-7.2): the pages it locked are not faulted in, as
     * a FOLL_NOFAULT pin (5.16+) shows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12", "7.2"})
    void anMlockStoppedByAGapFaultsNothingIn(String kernel) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "mmap: addr=0x30000000 len=0x2000 prot=rw flags=private",
                "sys_mlock(start: 30000000, len: 3000)", "sys_mlock -> 0xfffffffffffffff4",
                "pin_user_pages_fast: start=0x30000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_NOFAULT handle=p",
                "madvise: addr=0x30000000 len=0x1000 advice=dontneed"), kernel, FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(5), "not populated: " + r.jsonl());
        assertEquals("-EINVAL", r.result(6), "locked: " + r.jsonl());
    }

    /**
     * munlock() inside a hugetlb VMA leaves it whole (mlock_fixup() skips hugetlb VMAs before splitting, 5.10-7.2; the
     * 6.18.44 host's fuzz-host-333): a MADV_DONTNEED of its aligned huge pages after is 0 (hugetlb takes it from 5.18).
     */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12", "7.2"})
    void anMunlockInsideAHugetlbVmaDoesNotSplitIt(String kernel) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x40000000 len=0x400000 prot=rw flags=shared hugetlb=1",
                "sys_munlock(start: 401ec000, len: 5000)",
                "sys_munlock -> 0x0",
                "sys_madvise(start: 40000000, len_in: 200000, behavior: 4)",
                "sys_madvise -> 0x0"), kernel, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("0", r.result(5), r.jsonl());
    }

    /**
     * mlock2(MLOCK_ONFAULT) over a hugetlb VMA faults it in all the same: mlock_fixup() leaves the VMA alone, so it gets
     * no VM_LOCKONFAULT for populate_vma_page_range() to skip (5.10-7.2; the lab's fuzz-host-329 on 7.2: btrfs's
     * FOLL_NOFAULT pin of an O_DIRECT read into the mapping got its 16 pages); anonymous small pages stay absent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"6.12", "7.2"})
    void mlockOnFaultPopulatesAHugetlbVma(String kernel) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x40000000 len=0x200000 prot=rw flags=private hugetlb=1",
                "mmap: addr=0x50000000 len=0x10000 prot=rw flags=private",
                "sys_mlock2(start: 40000000, len: 200000, flags: 1)", "sys_mlock2 -> 0x0",
                "sys_mlock2(start: 50000000, len: 10000, flags: 1)", "sys_mlock2 -> 0x0",
                "pin_user_pages_fast: start=0x40010000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_NOFAULT",
                "pin_user_pages_fast: start=0x50000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_NOFAULT"),
                kernel, FaultPoints.NONE);
        assertEquals("16", r.result(7), r.jsonl());
        assertEquals("-EFAULT", r.result(8), r.jsonl());
    }
}
