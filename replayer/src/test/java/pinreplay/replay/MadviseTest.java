package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/** madvise(): do_madvise()'s checks, the per-VMA rules, their release differences, fork and pinned pages. */
class MadviseTest {
    private static final String ANON = "mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=private";
    /** Task 100 forks task 101 (trace lines after those of {@link Replays#lines}, at 2 s). */
    private static final String FORK = " app-100 [000] ..... 2.000000: sched_process_fork: comm=app pid=100"
            + " child_comm=app child_pid=101\n";

    /** A native event of the child, task 101, on the line after {@link #FORK}. */
    private static String child(int n, String event) {
        return " app-101 [000] ..... 2.00000" + n + ": " + event + "\n";
    }

    private static String result(String kernel, String... events) {
        Replays r = Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
        return r.result(events.length);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // do_madvise(): the advice first, then the range (5.10 to 7.2)
        "madvise: addr=0x7f0000000001 len=0x1000 advice=dontneed | 6.12 | -EINVAL",
        "madvise: addr=0x7f0000000001 len=0 advice=dontneed | 6.12 | -EINVAL",
        "madvise: addr=0x7f0000000000 len=0 advice=dontneed | 6.12 | 0",
        "madvise: addr=0x7f0000000000 len=0 advice=77 | 6.12 | -EINVAL",
        "madvise: addr=0x7f0000000000 len=0xffffffffffffffff advice=dontneed | 6.12 | -EINVAL",
        "madvise: addr=0x7f0000000000 len=0xffffffffffff0000 advice=dontneed | 6.12 | -EINVAL",
        "madvise: addr=0x7f0000000000 len=0x1001 advice=dontneed | 6.12 | 0",
        "madvise: addr=0x7f0000000000 len=0x20000 advice=dontneed | 6.12 | -ENOMEM",
        // madvise_behavior_valid(): MADV_POPULATE_* 5.14, MADV_DONTNEED_LOCKED 5.18, guard regions 6.13
        "madvise: addr=0x7f0000000000 len=0x1000 advice=populate_write | 5.10 | -EINVAL",
        "madvise: addr=0x7f0000000000 len=0x1000 advice=populate_write | 5.14 | 0",
        "madvise: addr=0x7f0000000000 len=0x1000 advice=dontneed_locked | 5.17 | -EINVAL",
        "madvise: addr=0x7f0000000000 len=0x1000 advice=dontneed_locked | 5.18 | 0",
        "madvise: addr=0x7f0000000000 len=0x1000 advice=guard_install | 6.12 | -EINVAL",
        "madvise: addr=0x7f0000000000 len=0x1000 advice=102 | 6.13 | 0",
        // per VMA: MADV_FREE only on private anonymous memory, MADV_WIPEONFORK neither on files nor shared memory
        "madvise: addr=0x7f0000000000 len=0x1000 advice=free | 6.12 | 0",
        "madvise: addr=0x7f0000000000 len=0x1000 advice=remove | 6.12 | -EINVAL",
    })
    void doMadviseChecksAsTheRelease(String event, String kernel, String expected) {
        assertEquals(expected, result(kernel, ANON, event));
    }

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = '|', value = {
        // madvise_dontneed_free_valid_vma(): hugetlb from 5.18 (90e7e7f5ef3f); MADV_FREE never
        "dontneed | -EINVAL | 0",
        "free | -EINVAL | -EINVAL",
        "cold | -EINVAL | -EINVAL",
        "wipeonfork | -EINVAL | -EINVAL",
        "dodump | 0 | 0",
    })
    void hugetlbAdviceBefore518AndAfter(String advice, String on510, String on61) {
        String map = "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=private hugetlb=1";
        String call = "madvise: addr=0x7f0000000000 len=0x200000 advice=" + advice;
        assertEquals(on510, result("5.10", map, call));
        assertEquals(on61, result("6.1", map, call));
    }

    @Test
    void doforkOfHugetlbIsRefusedFrom70() {
        String map = "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=shared hugetlb=1";
        String call = "madvise: addr=0x7f0000000000 len=0x200000 advice=dofork";
        assertEquals("0", result("6.12", map, call));
        assertEquals("-EINVAL", result("7.2", map, call));
    }

    @Test
    void vmLockedRefusesDontneedButNotDontneedLocked() {
        String map = "mmap: addr=0x7f0000000000 len=0x4000 prot=rw flags=private locked=1";
        assertEquals("-EINVAL", result("6.1", map, "madvise: addr=0x7f0000000000 len=0x4000 advice=dontneed"));
        assertEquals("0", result("6.1", map, "madvise: addr=0x7f0000000000 len=0x4000 advice=dontneed_locked"));
        assertEquals("-EINVAL", result("6.1", map, "madvise: addr=0x7f0000000000 len=0x4000 advice=remove"));
    }

    @Test
    void populateStopsAtTheHoleFrom69() {
        // [rw][hole][read-only]: before 631426ba1d45 the walk skips the hole and the read-only VMA's -EINVAL wins
        String[] events = {ANON, "munmap: addr=0x7f0000001000 len=0x1000",
            "mprotect: addr=0x7f0000002000 len=0x1000 prot=r",
            "madvise: addr=0x7f0000000000 len=0x3000 advice=populate_write"};
        assertEquals("-EINVAL", result("6.1", events));
        assertEquals("-ENOMEM", result("6.12", events));
    }

    @Test
    void aHoleIsEnomemAfterTheMappedPartsWereAdvised() {
        // DONTFORK reaches the VMA after the hole: the child of the fork has no mapping there
        Replays r = Replays.text(Replays.lines(ANON, "munmap: addr=0x7f0000001000 len=0x1000",
                "madvise: addr=0x7f0000000000 len=0x3000 advice=dontfork")
                + FORK + child(1, "madvise: addr=0x7f0000002000 len=0x1000 advice=dontneed")
                + child(2, "madvise: addr=0x7f0000000000 len=0x1000 advice=dontneed"),
                "6.12", FaultPoints.NONE);
        assertEquals("-ENOMEM", r.result(3));
        assertEquals("-ENOMEM", r.result(5), "dup_mmap() skips VM_DONTCOPY");
        assertEquals("-ENOMEM", r.result(6));
    }

    @Test
    void wipeonforkKeepsTheMappingInTheChild() {
        Replays r = Replays.text(Replays.lines(ANON, "madvise: addr=0x7f0000000000 len=0x1000 advice=wipeonfork")
                + FORK + child(1, "madvise: addr=0x7f0000000000 len=0x1000 advice=dontneed"),
                "6.12", FaultPoints.NONE);
        assertEquals("0", r.result(2));
        assertEquals("0", r.result(4));
    }

    /** madvise_remove(): VM_SHARED|VM_WRITE until the 5.10.241 backport of 6.7's vma_is_shared_maywrite() test. */
    @Test
    void removeOfAReadOnlySharedMappingFrom61And510241() {
        String[] events = {"file: ino=5 fs=tmpfs size=0x10000",
            "mmap: addr=0x7f0000000000 len=0x10000 prot=r flags=shared ino=5 pgoff=0",
            "madvise: addr=0x7f0000000000 len=0x10000 advice=remove"};
        assertEquals("-EACCES", result("5.10.223", events));
        assertEquals("0", result("5.10.241", events));
        assertEquals("0", result("5.10", events));
        assertEquals("0", result("6.1", events));
    }

    /**
     * MADV_REMOVE's punch (shmem_fallocate()) is -EPERM under a write seal: on a tmpfs file whose seals the recording
     * does not show, the recorded -EPERM stands (7.2.13 fuzz-deepest-812-markers cut at 90 %); known seals decide.
     */
    @Test
    void removeOfAShmemFileOfUnknownSealsTakesTheRecordedRefusal() {
        String map = "mmap: addr=0x7f0000000000 len=0x3000 prot=rw flags=shared ino=5 pgoff=0";
        Replays r = Replays.text(Replays.lines("file: ino=5 fs=tmpfs size=0x3000", map,
                "madvise: addr=0x7f0000001000 len=0x1000 advice=remove ret=-EPERM"), "7.2", FaultPoints.NONE);
        assertEquals("-EPERM", r.result(3), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void dontneedOfARegisteredBufferLeavesThePinsOnPagesTheTaskNoLongerMaps() {
        Replays r = Replays.text(Replays.lines(ANON, "fault: addr=0x7f0000000000 len=0x10000 write=1",
                "io_uring_register_buffers: handle=ring addr=0x7f0000000000 len=0x10000",
                "madvise: addr=0x7f0000000000 len=0x10000 advice=dontneed",
                "madvise: addr=0x7f0000000000 len=0x10000 advice=free"), "6.12", FaultPoints.NONE);
        assertEquals("0", r.result(4));
        List<String> kinds = r.violationKinds();
        assertEquals(List.of("pinned-page-discarded"), kinds, r.jsonl());
        assertTrue(r.violations().get(0).line == 4);
    }

    @Test
    void aPinnedPageCachePageIsDiscardedByRemoveNotByDontneed() {
        Replays r = Replays.text(Replays.lines("file: ino=5 fs=tmpfs size=0x10000",
                "mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=shared ino=5 pgoff=0",
                "fault: addr=0x7f0000000000 len=0x10000 write=1",
                "io_uring_register_buffers: handle=ring addr=0x7f0000000000 len=0x10000",
                "madvise: addr=0x7f0000000000 len=0x10000 advice=dontneed",
                "fault: addr=0x7f0000000000 len=0x10000 write=1",
                "madvise: addr=0x7f0000000000 len=0x10000 advice=remove"), "6.12", FaultPoints.NONE);
        assertEquals("0", r.result(5));
        assertEquals("0", r.result(7));
        assertEquals(1, r.violations().size(), r.jsonl());
        assertEquals(7, r.violations().get(0).line, "the refault found the same shmem pages; the punch took them");
    }

    @Test
    void rawMadviseIsJudgedAtItsReturnAndAssumesWhatItFoundMapped() {
        // MAP_LOCKED (0x2000) makes the VMA VM_LOCKED; 0x7f1000000000 was never described (glibc's heap, say)
        Replays r = Replays.text(""
                + " t-9 [000] .....  1.000001: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 2022, fd: ffffffffffffffff,"
                + " off: 0)\n"
                + " t-9 [000] .....  1.000002: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000003: sys_madvise(start: 7f0000000000, len_in: 4000, behavior: 4)\n"
                + " t-9 [000] .....  1.000004: sys_madvise -> 0xffffffffffffffea\n"
                + " t-9 [000] .....  1.000005: sys_madvise(start: 7f1000000000, len_in: 2000, behavior: 4)\n"
                + " t-9 [000] .....  1.000006: sys_madvise -> 0x0\n"
                + " t-9 [000] .....  1.000007: sys_madvise(start: 7f1000000000, len_in: 2000, behavior: 8)\n"
                + " t-9 [000] .....  1.000008: sys_madvise -> 0x0\n", "6.1", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(4));
        assertTrue(r.call(4).agrees());
        assertEquals("0", r.result(6));
        assertEquals("anonymous", r.call(6).assumed);
        assertEquals("0", r.result(8), "the memory assumed anonymous takes MADV_FREE");
        assertEquals(null, r.call(8).assumed);
    }

    /** vfs_fallocate() from madvise_remove(): a BAR's device file is neither a regular file nor a block device. */
    @Test
    void removeOfADeviceMappingIsNoDevice() {
        assertEquals("-ENODEV", result("6.12", "mmap: addr=0x7f3000000000 len=0x100000 prot=rw flags=shared ino=50 "
                + "pgoff=0 pfnmap=1", "madvise: addr=0x7f3000000000 len=0x1000 advice=remove"));
    }
}
