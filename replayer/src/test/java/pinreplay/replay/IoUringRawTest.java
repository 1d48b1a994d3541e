package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * In a raw recording io_uring_register(IORING_REGISTER_BUFFERS) is judged at its return: the model's result of the
 * pin_user_pages*() call inside it, then io_sqe_buffer_register()'s own checks, against the syscall's recorded
 * result.
 */
class IoUringRawTest {
    /** An mmap() of fd 3 (a file openat() opened) or anonymous memory, then the registration of its 16 pages. */
    private static String trace(boolean file, String pinRet, String ret) {
        return "# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 42, mode: 180)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_mmap(addr: 0, len: 10000, prot: 3, flags: " + (file ? "1" : "22")
                + ", fd: " + (file ? "3" : "ffffffffffffffff") + ", off: 0)\n"
                + " t-9 [000] .....  1.000003: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000004: sys_io_uring_register(fd: 4, opcode: 0, arg: 7ffd0000, nr_args: 1)\n"
                + " t-9 [000] .....  1.000005: p_pin_user_pages_0: (pin_user_pages+0x0/0x50) start=0x7f0000000000 "
                + "nr_pages=16 gup_flags=0x10001\n"
                + " t-9 [000] .....  1.000006: r_pin_user_pages_0: (io_sqe_buffer_register+0x121/0x530 <- "
                + "pin_user_pages) ret=" + pinRet + "\n"
                + " t-9 [000] .....  1.000007: sys_io_uring_register -> " + ret + "\n";
    }

    @Test
    void aFileBackedBufferIsRefusedAfterItsPinOn61() {
        // io_sqe_buffer_register() (5.1-6.4): a VMA with a file neither shmem nor hugetlbfs is -EOPNOTSUPP
        Replays r = Replays.text(trace(true, "16", "0xffffffffffffffa1"), "6.1", FaultPoints.NONE);
        Outcome o = r.call(9);
        assertEquals(EventType.IO_URING_REGISTER_BUFFERS, o.event);
        assertEquals("-EOPNOTSUPP", r.result(9));
        assertTrue(o.hasObserved && o.agrees(), r.jsonl());
        assertEquals("16", r.result(7), "the pin itself succeeded");
    }

    @Test
    void anAnonymousBufferRegisters() {
        Replays r = Replays.text(trace(false, "16", "0x0"), "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(9));
        assertTrue(r.call(9).agrees(), r.jsonl());
    }

    /**
     * A file the recording only saw opened (no mmap hook said shmem or hugetlbfs) is taken for ext4-like: a recorded
     * success says it is one io_uring accepts, and the model takes it, saying so.
     */
    @Test
    void aRecordedSuccessOnAFileOfUnknownKindIsTaken() {
        Replays r = Replays.text(trace(true, "16", "0x0"), "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(9));
        assertTrue(r.call(9).agrees() && r.call(9).assumed.contains("a file it never described"), r.jsonl());
        assertEquals(0, r.summary.divergences);
    }

    /** A known anonymous buffer the kernel refused: the model's 0 stands against the recording. */
    @Test
    void aRecordedRefusalTheModelDoesNotMakeDisagrees() {
        Replays r = Replays.text(trace(false, "16", "0xffffffffffffffa1"), "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(9));
        assertEquals(1, r.summary.divergences);
    }

    @Test
    void aSecondRegistrationOnTheSameRingIsBusyWithoutAPin() {
        Replays r = Replays.text(trace(false, "16", "0x0")
                + " t-9 [000] .....  1.000008: sys_io_uring_register(fd: 4, opcode: 0, arg: 7ffd0000, nr_args: 1)\n"
                + " t-9 [000] .....  1.000009: sys_io_uring_register -> 0xfffffffffffffff0\n", "6.1", FaultPoints.NONE);
        assertEquals("-EBUSY", r.result(11));
        assertTrue(r.call(11).agrees(), r.jsonl());
    }

    @Test
    void aRefusalBeforeAnyPinIsNotJudged() {
        Replays r = Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000004: sys_io_uring_register(fd: 4, opcode: 0, arg: 7ffd0000, nr_args: 1)\n"
                + " t-9 [000] .....  1.000007: sys_io_uring_register -> 0xfffffffffffffff2\n", "6.1", FaultPoints.NONE);
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL), r.jsonl());
    }
}
