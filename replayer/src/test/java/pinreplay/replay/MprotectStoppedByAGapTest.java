package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * An mprotect() refused with -ENOMEM at a gap has changed the VMAs before it (do_mprotect_pkey() breaks its loop over
 * the VMAs, 5.10-7.2; the 6.18.44 host's fuzz-host-302: PROT_READ|PROT_WRITE over a read-only hugetlbfs mapping and
 * the hole after it, then writes into the mapping): the first part is writable, the part past the gap is not.
 */
class MprotectStoppedByAGapTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void theVmasBeforeTheGapTakeTheNewProtection(String release) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x4000 prot=r flags=private",
                "munmap: addr=0x30002000 len=0x1000",
                "sys_mprotect(start: 30000000, len: 4000, prot: 3)",
                "sys_mprotect -> 0xfffffffffffffff4",
                "get_user_pages: start=0x30000000 nr_pages=2 gup_flags=FOLL_WRITE ret=2",
                "get_user_pages: start=0x30003000 nr_pages=1 gup_flags=FOLL_WRITE ret=-EFAULT"),
                release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("2", r.result(5), r.jsonl());
        assertEquals("-EFAULT", r.result(6), r.jsonl());
    }
}
