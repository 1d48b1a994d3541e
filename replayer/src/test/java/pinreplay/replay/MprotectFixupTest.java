package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * mprotect_fixup() per VMA of the range (5.10-7.2): a VMA whose flags do not change is left whole ("if (newflags ==
 * oldflags) return 0;", before any split_vma()), and an mseal()ed VMA is -EPERM there, the VMAs before it changed
 * (can_modify_vma() 6.12, vma_is_sealed() 7.2; 6.10's do_mprotect_pkey() refuses the whole range first). The 6.18.44
 * host's fuzz-long-420-markers and fuzz-long-404-markers.
 */
class MprotectFixupTest {
    /**
     * PROT_READ again over the inside of a read-only hugetlbfs mapping: nothing to split, so the huge page stays one VMA
     * that MADV_DONTNEED of the whole huge page discards (a split inside it would have made that -EINVAL).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.12", "7.2"})
    void aVmaKeepingItsProtectionIsNotSplit(String release) {
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x7f0000000000 len=0x200000 prot=r flags=shared hugetlb=1",
                "mprotect: addr=0x7f000000a000 len=0xd8000 prot=r ret=0",
                "madvise: addr=0x7f0000000000 len=0x200000 advice=dontneed"),
                release, FaultPoints.NONE);
        assertEquals("0", r.result(3), r.jsonl());
    }

    /** PROT_READ over an anonymous mapping whose second half is sealed: 6.12+ changed the first half, 6.10 nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.10, 1", "6.12, -EFAULT", "7.2, -EFAULT"})
    void aSealedVmaStopsTheLoopWithTheVmasBeforeItChanged(String release, String firstHalfWrite) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x4000 prot=rw flags=private",
                "sys_mseal(start: 30002000, len: 2000, flags: 0)", "sys_mseal -> 0x0",
                "sys_mprotect(start: 30000000, len: 4000, prot: 1)", "sys_mprotect -> 0xffffffffffffffff",
                "get_user_pages: start=0x30000000 nr_pages=1 gup_flags=FOLL_WRITE",
                "get_user_pages: start=0x30002000 nr_pages=1 gup_flags=FOLL_WRITE"),
                release, FaultPoints.NONE);
        assertEquals(firstHalfWrite, r.result(6), r.jsonl());
        assertEquals("1", r.result(7), "the sealed half keeps PROT_WRITE");
    }
}
