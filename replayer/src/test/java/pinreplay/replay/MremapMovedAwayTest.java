package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * mremap() moving a mapping leaves its old range a hole the recording made, as munmap() does: a later registration
 * over it fails on what the model knows, with nothing assumed about memory from before the recording (the lab's
 * fuzz-deep-203 on 6.1, 6.12 and 7.2: an io_uring registration of 6 MiB over a hugetlbfs mapping moved away and a
 * truncated file, judged -EFAULT with "assumed": "unmapped").
 */
class MremapMovedAwayTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void theOldRangeOfAMoveIsARecordedHole(String release) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x10000 prot=rw flags=private",
                "mmap: addr=0x30008000 len=0x2000 prot=rw flags=private",
                "sys_mremap(addr: 30008000, old_len: 2000, new_len: 2000, flags: 3, new_addr: 30000000)",
                "sys_mremap -> 0x30000000",
                "io_uring_register_buffers: handle=h addr=0x30008000 len=0x2000 ret=-EFAULT",
                "get_user_pages_fast: start=0x30000000 nr_pages=12 gup_flags=FOLL_WRITE ret=8"),
                release, FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(5), r.jsonl());
        assertNull(r.call(5).assumed, "the old range move_vma() unmapped");
        assertEquals("8", r.result(6), r.jsonl());
        assertNull(r.call(6).assumed, "the moved pages and the rest of the first mapping, then the hole where they were");
    }
}
