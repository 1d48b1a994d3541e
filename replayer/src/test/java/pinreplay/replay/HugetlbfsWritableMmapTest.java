package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * hugetlbfs_file_mmap() (fs/hugetlbfs/inode.c, 5.10 to 7.2) sets i_size to the end of a writable mapping ("if
 * (vma->vm_flags & VM_WRITE && inode->i_size < len) i_size_write(inode, len)"), shared or private: a MFD_HUGETLB memfd
 * of one huge page mapped writable at an offset of one huge page has its second huge page, which hugetlb_no_page()
 * then faults in (found by the lab's fuzz-deep-204 and -208 on 5.10: 16 and 512 pages pinned where the model, taking
 * the mapping past i_size, said -EFAULT). A read-only mapping leaves i_size, and the fault past it is VM_FAULT_SIGBUS.
 */
class HugetlbfsWritableMmapTest {
    private static Replays replay(String release, String... events) {
        return Replays.text("# tracer: nop\n" + Replays.lines(events), release, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"5.10,private,rw,512", "6.1,private,rw,512", "6.12,private,rw,512", "7.2,private,rw,512",
        "5.10,shared,rw,512", "7.2,shared,rw,512", "5.10,private,r,-EFAULT", "6.12,shared,r,-EFAULT"})
    void aWritableMappingPastTheEndGrowsTheFile(String release, String flags, String prot, String pinned) {
        Replays r = replay(release, "file: ino=70 fs=hugetlbfs size=0x200000 dev=0:16",
                "mmap: addr=0x7f4000000000 len=0x200000 prot=" + prot + " flags=" + flags + " ino=70 pgoff=512",
                "pin_user_pages: start=0x7f4000000000 nr_pages=512 gup_flags=FOLL_LONGTERM handle=p");
        assertEquals(pinned, r.result(4), r.jsonl());
    }
}
