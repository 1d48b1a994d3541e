package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A private mapping of a hugetlbfs file: hugetlb_no_page() gives a page the file does not hold a new anonymous folio,
 * even on a read fault (only VM_MAYSHARE adds it to the page cache); hugetlbfs_punch_hole() unmaps the range from
 * every VMA, private copies too (hugetlb_vmdelete_list()), where a punch of another file leaves COW copies mapped.
 */
class HugetlbPrivateFileTest {
    private static Replays replay(String release, String... events) {
        return Replays.text("# tracer: nop\n" + Replays.lines(events), release, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aReadFaultInAPrivateMappingLeavesThePageCacheEmpty(String release) {
        Replays r = replay(release, "file: ino=70 fs=hugetlbfs size=0x400000",
                "mmap: addr=0x7f4000000000 len=0x400000 prot=r flags=private ino=70 pgoff=0",
                "pin_user_pages: start=0x7f4000000000 nr_pages=1 gup_flags=FOLL_LONGTERM handle=p",
                "add_seals: ino=70 seals=0x8",
                "mmap: addr=0x7f5000000000 len=0x400000 prot=r flags=shared ino=70 pgoff=0",
                "pin_user_pages: start=0x7f5000000000 nr_pages=1 gup_flags=FOLL_LONGTERM handle=q",
                "add_seals: ino=70 seals=0x8");
        assertEquals("1", r.result(4), r.jsonl());
        assertEquals("0", r.result(5), "memfd_wait_for_pins(): the pinned folio is anonymous, not the file's");
        assertEquals("1", r.result(7));
        assertEquals("0", r.result(8), "sealed already");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.12", "7.2"})
    void aPunchUnmapsPrivateCopiesOfAHugetlbfsFileOnly(String release) {
        for (String fs : new String[] {"hugetlbfs", "tmpfs"}) {
            Replays r = replay(release, "file: ino=70 fs=" + fs + " size=0x400000",
                    "mmap: addr=0x7f4000000000 len=0x400000 prot=rw flags=private ino=70 pgoff=0",
                    "fault: addr=0x7f4000000000 len=0x200000 write=1",
                    "fallocate: ino=70 mode=punch_hole offset=0x0 len=0x200000",
                    "get_user_pages_fast: start=0x7f4000000000 nr_pages=1 gup_flags=FOLL_NOFAULT");
            // 6.1: follow_hugetlb_page() faults the punched page in again despite FOLL_NOFAULT (5.16 to 6.4)
            boolean refused = fs.equals("hugetlbfs") && !release.equals("6.1");
            assertEquals(refused ? "-EFAULT" : "1", r.result(6), fs + ": " + r.jsonl());
        }
    }
}
