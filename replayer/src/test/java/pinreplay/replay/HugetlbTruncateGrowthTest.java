package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * hugetlbfs_setattr() calls hugetlb_vmtruncate() for every size change, a growth too (5.10-7.2): every VMA's pages from
 * the new size to the file's end are unmapped (hugetlb_vmdelete_list(), private copies too) and the folios there
 * removed (remove_inode_hugepages(inode, offset, LLONG_MAX)), those fallocate(FALLOC_FL_KEEP_SIZE) put past the old
 * size with them. The 6.18.44 host's fuzz-deeper-732-markers: an O_DIRECT write from a private mapping of an
 * MFD_HUGETLB memfd at file offset 4 MiB, size 2 MiB, fallocated KEEP_SIZE there, after ftruncate() to 4 MiB: -EFAULT.
 * (Mapped read-only first: hugetlbfs_file_mmap() grows i_size over a writable mapping.)
 */
class HugetlbTruncateGrowthTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"6.1, private", "6.12, shared", "7.2, private", "7.2, shared"})
    void aGrowthUnmapsAndRemovesTheFoliosFromTheNewSize(String release, String flags) {
        Replays r = Replays.text(Replays.lines(
                "file: ino=30 fs=hugetlbfs dax=0 size=0x200000",
                "mmap: addr=0x7f0000000000 len=0x200000 prot=r flags=" + flags + " ino=30 pgoff=1024",
                "mprotect: addr=0x7f0000000000 len=0x200000 prot=rw",
                "fallocate: ino=30 mode=keep_size offset=0x400000 len=0x400000 ret=0",
                "get_user_pages: start=0x7f0000001000 nr_pages=1 gup_flags=FOLL_WRITE",
                "ftruncate: ino=30 size=0x400000 ret=0",
                "get_user_pages: start=0x7f0000001000 nr_pages=1 gup_flags=0",
                "ftruncate: ino=30 size=0x800000 ret=0",
                "get_user_pages: start=0x7f0000001000 nr_pages=1 gup_flags=0"),
                release, FaultPoints.NONE);
        assertEquals("1", r.result(5), r.jsonl());
        assertEquals("-EFAULT", r.result(7), r.jsonl());
        // within i_size again, the page cache empty: a new folio
        assertEquals("1", r.result(9), r.jsonl());
    }
}
