package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A recording that starts between a program's memfd_create(MFD_HUGETLB) + ftruncate() and its {@code file} line: the
 * raw mmap() maps an fd the recording never saw opened, on hugetlbfs (hugetlbfs_file_mmap()'s probe), whose size the
 * model guesses to hold the mapping (and MAP_LOCKED populates it so); the file line, then the program's mmap marker,
 * name it and give i_size. Past it hugetlb_no_page() is VM_FAULT_SIGBUS (GUP -EFAULT) unless the mapping is writable
 * (hugetlbfs_file_mmap(): "if (vma->vm_flags & VM_WRITE && inode->i_size < len) i_size_write()", 5.10-7.2). Found
 * cutting the lab's 7.2 fuzz-dev-803-markers at 20 % and -816-markers at 90 %: the model pinned 216 pages where the
 * kernel's vfio map met the file's end at its first page.
 */
class HugetlbfsFdDeclaredLateTest {
    private static final String P = " fuzz-9 [000] .....  1.0000";

    private static Replays replay(String release, int prot, String protName) {
        String t = "# tracer: nop\n"
                + "# pinreplay record: hugepages size=2048kB nr=64 free=64 resv=0 default=1 surplus=0 overcommit=0\n"
                + P + "01: tracing_mark_write: file: ino=5432 fs=hugetlbfs dax=0 size=4194304 dev=0:18\n"
                + P + "02: sys_mmap(addr: 0x7f4000000000, len: 0x400000, prot: " + prot
                + ", flags: 0x2012, fd: 0xd, off: 0x600000)\n"
                + P + "03: p_hugetlbfs_file_mmap_0: (hugetlbfs_file_mmap+0x4/0x1c0)\n"
                + P + "04: sys_mmap -> 0x7f4000000000\n"
                + P + "05: tracing_mark_write: mmap: addr=0x7f4000000000 len=0x400000 prot=" + protName
                + " flags=private ino=5432 pgoff=1536 locked=1\n"
                + P + "06: tracing_mark_write: pin_user_pages: start=0x7f4000100000 nr_pages=16"
                + " gup_flags=FOLL_LONGTERM handle=p\n";
        return Replays.text(t, release, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0} prot={2}")
    @CsvSource({"7.2,1,r,-EFAULT", "6.12,1,r,-EFAULT", "6.1,1,r,-EFAULT", "5.10,1,r,-EFAULT", "7.2,3,rw,16",
        "5.10,3,rw,16"})
    void theFileLineSizesTheFileTheMmapGuessed(String release, int prot, String protName, String pinned) {
        Replays r = replay(release, prot, protName);
        assertEquals(pinned, r.result(8), r.jsonl());
        assertNull(r.call(8).assumed, r.jsonl());
    }
}
