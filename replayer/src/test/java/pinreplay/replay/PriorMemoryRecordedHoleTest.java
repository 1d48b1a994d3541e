package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A GUP over pages the recording mapped and pages it unmapped, and nothing else (the lab's fuzz-deep-202 on 5.10: an
 * io_uring registration of three pages of a mapping mremap() had shrunk to one, pinning 1, then -EFAULT; a child's
 * O_DIRECT read from a page its parent had unmapped before the fork): the model's state explains the result, so
 * no memory from before the recording is assumed ({@code "assumed"} is absent), for the partial pin, the
 * registration's -EFAULT and a one-page GUP of the hole alike.
 */
class PriorMemoryRecordedHoleTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aPinStoppedAtARecordedHoleAssumesNothing(String release) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x10000 prot=none flags=private",
                "mmap: addr=0x30000000 len=0x2000 prot=rw flags=private",
                "sys_mremap(addr: 30000000, old_len: 2000, new_len: 1000, flags: 0, new_addr: 0)",
                "sys_mremap -> 0x30000000",
                "pin_user_pages: start=0x30000000 nr_pages=3 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=1",
                "get_user_pages_fast: start=0x30001000 nr_pages=1 gup_flags=FOLL_WRITE ret=-EFAULT",
                "io_uring_register_buffers: handle=h addr=0x30000000 len=0x3000 ret=-EFAULT"),
                release, FaultPoints.NONE);
        assertEquals("1", r.result(5), r.jsonl());
        assertNull(r.call(5).assumed, "the first page mapped, the second unmapped by the shrink");
        assertEquals("-EFAULT", r.result(6));
        assertNull(r.call(6).assumed, "the hole the shrink left");
        assertEquals("-EFAULT", r.result(7));
        assertNull(r.call(7).assumed, "the registration's first iovec stopped at the hole too");
    }
}
