package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * mremap() growing a mapping in place extends its VMA (vma_adjust() on 5.10 and 6.1, vma_merge_extend() on 6.12 and 7.2): one VMA, not
 * two (FOLL_NOFAULT, 5.16, makes it show on 6.1 to 7.2). Found by the lab's fuzz-deep-202 on 6.1 and 6.12: a shared anonymous mapping shrunk to one page, the page after
 * it unmapped, then grown in place to four; btrfs's O_DIRECT read into its first two pages faulted them in
 * (fault_in_iov_iter_writeable(), which a raw recording shows only as fixup_user_fault() probes) and its FOLL_NOFAULT
 * GUP-fast got both, where the model, whose grown part was a VMA of its own, showed only the first present (1).
 */
class MremapGrowInPlaceTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.12", "7.2"})
    void aGrowthInPlaceIsOneMapping(String release) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x10000 prot=none flags=private",
                "mmap: addr=0x30000000 len=0x2000 prot=rw flags=shared",
                "sys_mremap(addr: 30000000, old_len: 2000, new_len: 1000, flags: 0, new_addr: 0)",
                "sys_mremap -> 0x30000000",
                "munmap: addr=0x30001000 len=0x3000",
                "sys_mremap(addr: 30000000, old_len: 1000, new_len: 4000, flags: 0, new_addr: 0)",
                "sys_mremap -> 0x30000000",
                "get_user_pages_fast: start=0x30000000 nr_pages=2 gup_flags=FOLL_WRITE|FOLL_NOFAULT ret=2"),
                release, FaultPoints.NONE);
        assertEquals("2", r.result(8), r.jsonl());
    }
}
