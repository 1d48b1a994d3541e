package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * hugetlb_no_page(): from 6.1 the folio is looked up in the page cache first and i_size tested only when it is
 * missing, so a huge page fallocate(FALLOC_FL_KEEP_SIZE) put past i_size maps (the 6.18.44 host's
 * fuzz-long-494-markers: a registration of a private mapping of an hugetlbfs memfd truncated to 0 under it, then
 * fallocated KEEP_SIZE); 5.10 tests i_size first: VM_FAULT_SIGBUS, -EFAULT for GUP. (A writable mmap() after the
 * truncation would have grown i_size again: hugetlbfs_file_mmap().)
 */
class HugetlbFaultBeyondEofTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"5.10, private, -EFAULT", "6.1, private, 1", "6.12, shared, 1", "7.2, private, 1", "7.2, shared, 1"})
    void aFolioFallocatedPastISizeMaps(String release, String flags, String result) {
        Replays r = Replays.text(Replays.lines(
                "file: ino=30 fs=hugetlbfs dax=0 size=0x200000",
                "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=" + flags + " ino=30 pgoff=0",
                "ftruncate: ino=30 size=0 ret=0",
                "fallocate: ino=30 offset=0 len=0x200000 mode=keep_size",
                "get_user_pages: start=0x7f0000001000 nr_pages=1 gup_flags=FOLL_WRITE",
                "get_user_pages: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE"),
                release, FaultPoints.NONE);
        assertEquals(result, r.result(5), r.jsonl());
    }
}
