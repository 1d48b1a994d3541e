package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.VmArea;

/**
 * What a recording that started late says of the memory before it, and what it does not say: a call refused before
 * any page was asked for tells nothing (7.2.13 fuzz-deepest-805-markers cut at 35 %: IORING_REGISTER_BUFFERS -EBUSY
 * over 6 MiB had been taken as mapped memory), and a mremap() that grew a mapping in place found the range free.
 */
class PriorMemoryContradictedTest {
    @Test
    void aRegistrationRefusedForItsTableGuessesNoMemory() {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "mmap: addr=0x10000000 len=0x1000 prot=rw flags=private",
                "io_uring_register_buffers: handle=h1 addr=0x10000000 len=0x1000 ret=0",
                "io_uring_register_buffers: handle=h1 addr=0x20000000 len=0x4000 ret=-EBUSY",
                "get_user_pages: start=0x20000000 nr_pages=1 gup_flags=0"), "7.2", FaultPoints.NONE);
        assertEquals("-EBUSY", r.result(4), r.jsonl());
        assertEquals("-EFAULT", r.result(5), "io_sqe_buffers_register() never looked at it: " + r.jsonl());
    }

    /** vma_expandable() (5.10-7.2): the range a mapping grows over in place was free, whatever had been guessed there. */
    @Test
    void aMappingGrownInPlaceReplacesWhatWasGuessedThere() {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "get_user_pages: start=0x10002000 nr_pages=2 gup_flags=0 ret=2",
                "mmap: addr=0x10000000 len=0x2000 prot=r flags=private",
                "sys_mremap(addr: 10000000, old_len: 2000, new_len: 4000, flags: 1, new_addr: 0)",
                "sys_mremap -> 0x10000000"), "7.2", FaultPoints.NONE);
        assertEquals("anonymous", r.call(2).assumed, r.jsonl());
        List<VmArea> vmas = r.replayer.kernel().tasks.mmOf(100).vmas;
        assertEquals(1, vmas.size(), vmas.toString());
        assertEquals(0x10004000L, vmas.get(0).end);
    }

    /** A handle the recording shows nothing of refused -EBUSY: its ring held a table from before the recording. */
    @Test
    void aRegistrationRefusedForATableNeverSeenHadOneFromBefore() {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "io_uring_register_buffers: handle=h2 addr=0x20000000 len=0x4000 ret=-EBUSY",
                "get_user_pages: start=0x20000000 nr_pages=1 gup_flags=0"), "5.10", FaultPoints.NONE);
        assertEquals("-EBUSY", r.result(2), r.jsonl());
        assertTrue(r.call(2).assumed.contains("held a buffer table from before the recording"), r.jsonl());
        assertEquals("-EFAULT", r.result(3), r.jsonl());
    }
}
