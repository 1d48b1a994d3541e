package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * {@code trace-cmd report} prints syscall events by their print fmt ({@code sys_enter_mmap: addr: 0x.., len: ..}); the
 * record keeps the event's name as a field, which is no argument: the mapping is the one the program asked for.
 */
class TraceCmdSyscallsTest {
    private static final String TRACE = """
            # tracer: nop
                        prog-300 [000]   100.000001: sys_enter_mmap:       addr: 0x00000000, len: 0x00010000, prot: 0x00000001, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000
                        prog-300 [000]   100.000002: sys_exit_mmap:        0x7f0000000000
                        prog-300 [000]   100.000003: pin_user_pages_fast: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=-14
            """;

    @Test
    void aReadOnlyMappingRefusesAWritePin() {
        Replays r = Replays.text(TRACE, "6.1", FaultPoints.NONE);
        Outcome o = r.call(4);
        assertEquals("-EFAULT", r.result(4), r.jsonl());
        assertNull(o.assumed, "the mapping was recorded: nothing assumed");
        assertTrue(o.agrees());
    }
}
