package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * hugetlb mappings and hugetlbfs files work in huge pages (2 MiB), as mm/mmap.c, mm/hugetlb.c and fs/hugetlbfs/inode.c
 * of the 5.10.262 to 7.2.13 trees have it: ksys_mmap_pgoff() rounds the length up, a MAP_FIXED address inside a huge
 * page is -EINVAL, so is splitting a VMA there (hugetlb_vm_op_split()) and a size that is not a huge page multiple
 * (hugetlbfs_setattr()); a punch-hole frees whole huge pages only (hugetlbfs_punch_hole()).
 */
class HugetlbGranularityTest {
    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void mappingsWorkInHugePages(String kernel) {
        Replays r = run(kernel, "mmap: addr=0x40000000 len=0x1000 prot=rw flags=private hugetlb=1",
                "pin_user_pages: start=0x40001000 nr_pages=2 gup_flags=FOLL_WRITE",
                "mmap: addr=0x40201000 len=0x200000 prot=rw flags=private hugetlb=1",
                "munmap: addr=0x40000000 len=0x1000",
                "munmap: addr=0x40000000 len=0x200000");
        assertEquals("0", r.result(1));
        assertEquals("2", r.result(2), "the mapping is one huge page long");
        assertEquals("-EINVAL", r.result(3), r.jsonl());
        assertEquals("-EINVAL", r.result(4), "a split inside the huge page");
        assertEquals("0", r.result(5));
    }

    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aHugetlbfsFileIsPunchedAndTruncatedInHugePages(String kernel) {
        Replays r = run(kernel, "file: ino=1001 fs=hugetlbfs size=0x400000",
                "mmap: addr=0x7f0000000000 len=0x400000 prot=rw flags=shared ino=1001 pgoff=0",
                "fault: addr=0x7f0000000000 len=0x1000 write=1",
                "pin_user_pages: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM",
                "madvise: addr=0x7f0000000000 len=0x1000 advice=remove",
                "fallocate: ino=1001 mode=punch_hole offset=0x1000 len=0x200000",
                "ftruncate: ino=1001 size=0x1000",
                "ftruncate: ino=1001 size=0x200000");
        assertEquals("0", r.result(5), r.jsonl());
        assertEquals("0", r.result(6), r.jsonl());
        assertFalse(r.jsonl().contains("pinned-page-discarded"), "no whole huge page was punched: " + r.jsonl());
        assertEquals("-EINVAL", r.result(7));
        assertEquals("0", r.result(8));
    }
}
