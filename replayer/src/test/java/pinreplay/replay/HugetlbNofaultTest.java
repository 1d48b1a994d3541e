package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A FOLL_NOFAULT GUP of a hugetlb mapping whose page was never faulted in (btrfs's first pin of an O_DIRECT write's
 * buffer, the lab's fuzz-deep-205 on 6.1: 16 pages of a MFD_HUGETLB memfd mapped shared): __get_user_pages() gives a
 * hugetlb VMA to follow_hugetlb_page(), which calls hugetlb_fault() without looking at FOLL_NOFAULT (5.16 to 6.4), so
 * the pages are faulted in and pinned; from 6.5 hugetlb goes through faultin_page(), which refuses them (-EFAULT).
 */
class HugetlbNofaultTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1,16", "6.12,-EFAULT", "7.2,-EFAULT"})
    void hugetlbFaultsInANofaultPage(String release, String pinned) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines("file: ino=70 fs=hugetlbfs size=0x200000 dev=0:16",
                "mmap: addr=0x7f4000000000 len=0x200000 prot=rw flags=shared ino=70 pgoff=0",
                "get_user_pages_fast: start=0x7f400007b000 nr_pages=16 gup_flags=FOLL_NOFAULT"),
                release, FaultPoints.NONE);
        assertEquals(pinned, r.result(4), r.jsonl());
    }

    /** The same GUP recorded with its result: on 6.1 the model faults the pages in itself, assuming nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1"})
    void aRecordedNofaultPinOfHugetlbAssumesNothing(String release) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines("file: ino=70 fs=hugetlbfs size=0x200000 dev=0:16",
                "mmap: addr=0x7f4000000000 len=0x200000 prot=rw flags=shared ino=70 pgoff=0",
                "get_user_pages_fast: start=0x7f400007b000 nr_pages=16 gup_flags=FOLL_NOFAULT ret=16"),
                release, FaultPoints.NONE);
        assertEquals("16", r.result(4), r.jsonl());
        assertNull(r.call(4).assumed, r.jsonl());
    }
}
