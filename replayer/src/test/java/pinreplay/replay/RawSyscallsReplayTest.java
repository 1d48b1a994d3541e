package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * raw_syscalls' sys_enter/sys_exit are the same calls as syscalls' sys_enter_NAME/sys_exit_NAME: a recording of
 * either, or of both (each call then enters and returns twice), changes the model once.
 */
class RawSyscallsReplayTest {
    private static final String RAW_MMAP = """
                        prog-300     [000] .....   100.000001: sys_enter: NR 9 (0, 10000, 1, 22, ffffffffffffffff, 0)
                        prog-300     [000] .....   100.000002: sys_exit: NR 9 = 139637976727552
            """;
    private static final String NAMED_MMAP_ENTER =
            "            prog-300     [000] .....   100.000001: sys_mmap(addr: 0, len: 10000, prot: 1, flags: 22, fd: ffffffffffffffff, off: 0)\n";
    private static final String NAMED_MMAP_EXIT =
            "            prog-300     [000] .....   100.000002: sys_mmap -> 0x7f0000000000\n";
    private static final String RAW_MUNMAP = """
                        prog-300     [000] .....   100.000003: sys_enter: NR 11 (7f0000008000, 8000, 0, 0, 0, 0)
                        prog-300     [000] .....   100.000004: sys_exit: NR 11 = 0
            """;
    private static final String PINS = """
                        prog-300     [000] .....   100.000005: pin_user_pages_fast: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=-14
                        prog-300     [000] .....   100.000006: pin_user_pages_fast: start=0x7f0000000000 nr_pages=16 gup_flags=FOLL_LONGTERM ret=8
            """;

    private static Replays replay(String trace) {
        return Replays.text("# tracer: nop\n" + trace, "6.1", FaultPoints.NONE);
    }

    @Test
    void aRawMmapAndMunmapShapeTheAddressSpace() {
        Replays r = replay(RAW_MMAP + RAW_MUNMAP + PINS);
        Outcome write = r.call(6);
        assertEquals("-EFAULT", r.result(6), r.jsonl());
        assertNull(write.assumed, "the mapping was recorded");
        assertEquals("8", r.result(7), "the munmap() took the upper half");
        assertTrue(write.agrees() && r.call(7).agrees(), r.jsonl());
    }

    @Test
    void bothPrintingsOfOneCallChangeTheModelOnce() {
        String both = NAMED_MMAP_ENTER + RAW_MMAP.lines().findFirst().orElseThrow() + "\n"
                + RAW_MMAP.lines().skip(1).findFirst().orElseThrow() + "\n" + NAMED_MMAP_EXIT;
        Replays r = replay(both + RAW_MUNMAP + PINS);
        assertEquals("-EFAULT", r.result(8), r.jsonl());
        assertEquals("8", r.result(9), r.jsonl());
        assertTrue(r.call(8).agrees() && r.call(9).agrees() && r.call(8).assumed == null, r.jsonl());
    }
}
