package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * An MREMAP_FIXED move of the same length over two VMAs (remap_move(), 6.17+; the 6.18.44 host's fuzz-host-312:
 * a MAP_HUGETLB mapping whose first half was made PROT_NONE, moved whole) moves each VMA with its own flags: the
 * writable half stays writable at the new address.
 */
class MremapMultipleVmasTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.18", "7.2"})
    void eachVmaMovesWithItsOwnFlags(String release) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x400000 prot=rw flags=private",
                "mprotect: addr=0x30000000 len=0x200000 prot=none",
                "sys_mremap(addr: 30000000, old_len: 400000, new_len: 400000, flags: 3, new_addr: 40000000)",
                "sys_mremap -> 0x40000000",
                "get_user_pages_fast: start=0x40200000 nr_pages=16 gup_flags=FOLL_WRITE ret=16",
                "get_user_pages: start=0x40000000 nr_pages=1 gup_flags=FOLL_WRITE ret=-EFAULT"),
                release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("16", r.result(5), r.jsonl());
        assertEquals("-EFAULT", r.result(6), r.jsonl());
    }
}
