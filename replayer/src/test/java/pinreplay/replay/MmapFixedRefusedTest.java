package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A MAP_FIXED mapping that the file's ->mmap() refuses leaves a gap where the mappings it was to replace were
 * (mmap_region() unmapped them first: unmap_and_free_vma in 5.10 and 6.1, vms_abort_munmap_vmas() once
 * vms_clean_up_area() ran in 6.12 and 7.2). A refusal before mmap_region() leaves them be.
 */
class MmapFixedRefusedTest {
    /**
     * remap_file_pages() of page 1 of a memfd sealed F_SEAL_FUTURE_WRITE, -EPERM (seen on Debian's 6.1.176,
     * fuzz-deepest-805): 5.10 and 6.1 test the seal in shmem_mmap(), after the unmap, so page 1 is gone; 6.12 and 7.2
     * in do_mmap() (memfd_check_seals_mmap()), before it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10, -EFAULT", "6.1, -EFAULT", "6.12, 1", "7.2, 1"})
    void aFutureWriteSealRefusedInShmemMmapLeavesAGap(String release, String pageOne) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "sys_memfd_create(uname: 4a02f5, flags: 2)",
                "sys_memfd_create -> 0x3",
                "sys_ftruncate(fd: 3, length: 3000)",
                "sys_ftruncate -> 0x0",
                "sys_mmap(addr: 0, len: 3000, prot: 3, flags: 1, fd: 3, off: 0)",
                "sys_mmap -> 0x7f0000000000",
                "sys_fcntl(fd: 3, cmd: 409, arg: 10)",
                "sys_fcntl -> 0x0",
                "sys_remap_file_pages(start: 7f0000001000, size: 1000, prot: 0, pgoff: 2, flags: 0)",
                "sys_remap_file_pages -> 0xffffffffffffffff",
                "get_user_pages: start=0x7f0000000000 nr_pages=1 gup_flags=0",
                "get_user_pages: start=0x7f0000001000 nr_pages=1 gup_flags=0"),
                release, FaultPoints.NONE);
        assertEquals("1", r.result(12), r.jsonl());
        assertEquals(pageOne, r.result(13), r.jsonl());
    }

    /** F_SEAL_WRITE is refused by mapping_map_writable(): after the unmap in 5.10, before it from 6.1.119 and 6.12. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10, -EFAULT", "6.1, 1", "7.2, 1"})
    void aWriteSealRefusedAfterTheUnmapOnlyIn510(String release, String pageOne) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "sys_memfd_create(uname: 4a02f5, flags: 2)",
                "sys_memfd_create -> 0x3",
                "sys_ftruncate(fd: 3, length: 3000)",
                "sys_ftruncate -> 0x0",
                "sys_mmap(addr: 0, len: 3000, prot: 1, flags: 2, fd: 3, off: 0)",
                "sys_mmap -> 0x7f0000000000",
                "sys_fcntl(fd: 3, cmd: 409, arg: 8)",
                "sys_fcntl -> 0x0",
                "sys_mmap(addr: 7f0000001000, len: 1000, prot: 3, flags: 11, fd: 3, off: 0)",
                "sys_mmap -> 0xffffffffffffffff",
                "get_user_pages: start=0x7f0000001000 nr_pages=1 gup_flags=0"),
                release, FaultPoints.NONE);
        assertEquals(pageOne, r.result(12), r.jsonl());
    }

    /**
     * A MAP_FIXED hugetlbfs mapping at a file offset off a huge page: hugetlbfs_file_mmap()'s -EINVAL comes after the
     * unmap in every release; one at an unaligned address is refused by hugetlb_get_unmapped_area(), before it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aHugetlbfsOffsetOffAHugePageLeavesAGap(String release) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "sys_memfd_create(uname: 4a02f5, flags: 4)",
                "sys_memfd_create -> 0x3",
                "sys_mmap(addr: 0, len: 400000, prot: 3, flags: 1, fd: 3, off: 0)",
                "sys_mmap -> 0x7f0000200000",
                "sys_mmap(addr: 7f0000201000, len: 1000, prot: 3, flags: 11, fd: 3, off: 0)",
                "sys_mmap -> 0xffffffffffffffea",
                "sys_mmap(addr: 7f0000400000, len: 200000, prot: 3, flags: 11, fd: 3, off: 1000)",
                "sys_mmap -> 0xffffffffffffffea",
                "get_user_pages: start=0x7f0000200000 nr_pages=1 gup_flags=0",
                "get_user_pages: start=0x7f0000400000 nr_pages=1 gup_flags=0"),
                release, FaultPoints.NONE);
        assertEquals("1", r.result(10), r.jsonl());
        assertEquals("-EFAULT", r.result(11), r.jsonl());
    }
}
