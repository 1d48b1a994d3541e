package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.Outcome;

/**
 * io_uring_register() calls a raw recording shows without a pin inside (or with fewer pins than iovecs): the checks
 * the kernel makes on the syscall's arguments and the ring's table, in its order, judged when the recording says
 * enough; and the ring's pins released where the kernel releases them.
 */
class IoUringRegisterChecksTest {
    /** Trace lines of task 9; {@link #exitLine} is the line number of the last io_uring_register() return added. */
    private final List<String> lines = new ArrayList<>(List.of("# tracer: nop"));
    private int exitLine;

    private IoUringRegisterChecksTest line(String event) {
        lines.add(String.format(" t-9 [000] .....  1.%06d: %s", lines.size(), event));
        return this;
    }

    /** The task's execve(): every ring it uses is set up afterwards (ring fds are O_CLOEXEC). */
    private IoUringRegisterChecksTest exec() {
        return line("sched_process_exec: filename=/t pid=9 old_pid=9");
    }

    private IoUringRegisterChecksTest anonymous16Pages() {
        return line("sys_mmap(addr: 0, len: 10000, prot: 3, flags: 22, fd: ffffffffffffffff, off: 0)")
                .line("sys_mmap -> 0x7f0000000000");
    }

    private IoUringRegisterChecksTest register(int opcode, String arg, int nrArgs, int pins, String ret) {
        line("sys_io_uring_register(fd: 4, opcode: " + Integer.toHexString(opcode) + ", arg: " + arg + ", nr_args: "
                + Integer.toHexString(nrArgs) + ")");
        for (int i = 0; i < pins; i++) {
            line("p_pin_user_pages_0: (pin_user_pages+0x0/0x50) start=0x7f0000000000 nr_pages=16 gup_flags=0x10001");
            line("r_pin_user_pages_0: (io_sqe_buffer_register+0x121/0x530 <- pin_user_pages) ret=16");
        }
        line("sys_io_uring_register -> " + ret);
        exitLine = lines.size();
        return this;
    }

    private static String ret(int errno) {
        return "0x" + Long.toHexString(-errno);
    }

    private Replays replay(String kernel) {
        return Replays.text(String.join("\n", lines) + "\n", kernel, FaultPoints.NONE);
    }

    private void assertJudged(String kernel, EventType event, String expected) {
        Replays r = replay(kernel);
        Outcome o = r.call(exitLine);
        assertEquals(event, o.event);
        assertEquals(expected, r.result(exitLine));
        assertTrue(o.hasObserved && o.agrees(), r.jsonl());
    }

    private void assertUnjudged(String kernel) {
        Replays r = replay(kernel);
        int at = exitLine;
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.line == at), r.jsonl());
    }

    @Test
    void unregisterWithoutATableIsEnxioOnceTheTasksExecWasSeen() {
        exec().register(1, "0", 0, 0, ret(Errno.ENXIO));
        assertJudged("6.1", EventType.IO_URING_UNREGISTER_BUFFERS, "-ENXIO");
    }

    /**
     * IORING_REGISTER_BUFFERS2 (15, the table's size and flags in user memory, not judged) makes the ring's table, so
     * its unregister is judged against a table (0, not -ENXIO); IORING_REGISTER_BUFFERS_UPDATE (16) keeps it.
     */
    @Test
    void aTableMadeWithBuffers2IsThereForTheUnregister() {
        exec().anonymous16Pages().register(15, "7ffd0000", 32, 1, "0x0");
        assertUnjudged("6.12");
        register(16, "7ffd0000", 32, 1, "0x1");
        register(1, "0", 0, 0, "0x0");
        assertJudged("6.12", EventType.IO_URING_UNREGISTER_BUFFERS, "0");
    }

    /**
     * A program's markers beside a recording without kprobes: a registration the recording shows no pin of is the
     * marker's to judge, and the table it made goes with an unregister the syscall's own events judged, so the next
     * registration is not -EBUSY (iouring-register-errors on a 6.18 host).
     */
    @Test
    void aMarkersTableGoesWithAnUnregisterTheSyscallJudged() {
        exec().anonymous16Pages().register(0, "7ffd0000", 1, 0, "0x0");
        line("tracing_mark_write: io_uring_register_buffers: handle=ring1 addr=0x0 len=0x0 ret=0");
        register(1, "0", 0, 0, "0x0");
        line("tracing_mark_write: io_uring_unregister_buffers: handle=ring1 ret=0");
        register(0, "7ffd0000", 1, 0, "0x0");
        line("tracing_mark_write: io_uring_register_buffers: handle=ring1 addr=0x7f0000000000 len=0x10000 ret=0");
        Replays r = replay("6.12");
        int marker = lines.size();
        assertEquals("0", r.result(marker), r.jsonl());
        assertTrue(r.call(marker).agrees(), r.jsonl());
    }

    @Test
    void unregisterOnARingOlderThanTheRecordingIsNotJudged() {
        register(1, "0", 0, 0, "0x0");
        assertUnjudged("6.1");
    }

    @Test
    void aRingWhoseSetupWasRecordedIsKnownWithoutTheTasksExec() {
        line("sys_io_uring_setup(entries: 8, params: 7ffd0000)").line("sys_io_uring_setup -> 0x4");
        register(1, "0", 0, 0, ret(Errno.ENXIO));
        assertJudged("6.1", EventType.IO_URING_UNREGISTER_BUFFERS, "-ENXIO");
    }

    @Test
    void aRingSetUpAgainAtAClosedRingsFdStartsWithoutItsTable() {
        exec().anonymous16Pages().register(0, "7ffd0000", 1, 1, "0x0");
        line("sys_io_uring_setup(entries: 8, params: 7ffd0000)").line("sys_io_uring_setup -> 0x4");
        register(0, "7ffd0000", 1, 1, "0x0");
        assertJudged("5.10", EventType.IO_URING_REGISTER_BUFFERS, "0"); // not the old ring's -EBUSY
    }

    /** io_sqe_buffers_register() checks the table before any pin: "if (ctx->user_bufs) return -EBUSY;" (5.10-7.2). */
    @Test
    void anEbusyRegistrationOnARingOlderThanTheRecordingShowsATableRegisteredBeforeIt() {
        register(0, "7ffd0000", 1, 0, ret(Errno.EBUSY));
        int busy = exitLine;
        register(1, "0", 0, 0, "0x0");
        assertJudged("6.1", EventType.IO_URING_UNREGISTER_BUFFERS, "0");
        Replays r = replay("6.1");
        assertEquals("-EBUSY", r.result(busy), r.jsonl());
        assertTrue(r.call(busy).agrees() && r.call(busy).assumed.contains("registered before the recording"), r.jsonl());
    }

    @Test
    void unregisterWithAnArgumentIsEinvalWhateverTheTable() {
        register(1, "7ffd0000", 0, 0, ret(Errno.EINVAL));
        assertJudged("5.10", EventType.IO_URING_UNREGISTER_BUFFERS, "-EINVAL");
    }

    @Test
    void unregisterAfterARegistrationSucceedsThenIsEnxio() {
        exec().anonymous16Pages().register(0, "7ffd0000", 1, 1, "0x0").register(1, "0", 0, 0, "0x0");
        assertJudged("6.12", EventType.IO_URING_UNREGISTER_BUFFERS, "0");
        register(1, "0", 0, 0, ret(Errno.ENXIO));
        assertJudged("6.12", EventType.IO_URING_UNREGISTER_BUFFERS, "-ENXIO");
    }

    /** __io_uring_register()'s "if (!arg)" -EFAULT (6.1+) comes before io_sqe_buffers_register()'s -EBUSY. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.10, -EBUSY", "6.1, -EFAULT", "7.2, -EFAULT"})
    void aNullArrayOnABusyRingIsEfaultFrom61(String kernel, String expected) {
        exec().anonymous16Pages().register(0, "7ffd0000", 1, 1, "0x0")
                .register(0, "0", 1, 0, ret(expected.equals("-EBUSY") ? Errno.EBUSY : Errno.EFAULT));
        assertJudged(kernel, EventType.IO_URING_REGISTER_BUFFERS, expected);
    }

    /** 5.10.y: nr_args passes, then io_copy_iov() from NULL faults. */
    @Test
    void aNullArrayWithNoIovecsIsEinvalOn510AndEfaultFrom61() {
        exec().register(0, "0", 0, 0, ret(Errno.EINVAL));
        assertJudged("5.10", EventType.IO_URING_REGISTER_BUFFERS, "-EINVAL");
        lines.set(exitLine - 1, lines.get(exitLine - 1).replace(ret(Errno.EINVAL), ret(Errno.EFAULT)));
        assertJudged("6.1", EventType.IO_URING_REGISTER_BUFFERS, "-EFAULT");
    }

    @ParameterizedTest(name = "nr_args {0}")
    @CsvSource({"0", "16385"})
    void nrArgsOutsideTheTableLimitIsEinval(int nrArgs) {
        exec().register(0, "7ffd0000", nrArgs, 0, ret(Errno.EINVAL));
        assertJudged("6.12", EventType.IO_URING_REGISTER_BUFFERS, "-EINVAL");
    }

    @Test
    void aRegistrationRefusedAfterItsFirstPinIsNotJudged() {
        // the second iovec failed io_buffer_validate() (or was an empty slot): the recording cannot tell
        exec().anonymous16Pages().register(0, "7ffd0000", 2, 1, ret(Errno.EFAULT));
        assertUnjudged("6.1");
    }

    @Test
    void closingARingReleasesTheTablesPins() {
        // io_ring_exit_work() unpins from a kworker the recording does not follow
        exec().anonymous16Pages().register(0, "7ffd0000", 1, 1, "0x0");
        Replays open = replay("6.1");
        assertEquals(1, pinsHeld(open));
        line("sys_close(fd: 4)").line("sys_close -> 0x0");
        assertEquals(0, pinsHeld(replay("6.1")));
    }

    @Test
    void aFailedRegistrationLeavesNoPin() {
        exec().anonymous16Pages().register(0, "7ffd0000", 2, 1, ret(Errno.EFAULT));
        assertEquals(0, pinsHeld(replay("6.1")));
    }

    private static long pinsHeld(Replays r) {
        return r.replayer.kernel().registrations.live().stream().filter(x -> x.kind == Registration.Kind.GUP).count();
    }

    /** io_buffer_validate(): {NULL, 0} is an empty slot (5.13+, and 5.10 as Debian ships it). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.4, -EFAULT", "5.10, 0", "6.1, 0", "7.2, 0"})
    void anEmptySlotRegistersWithoutAPin(String kernel, String expected) {
        Replays r = Replays.text(Replays.lines("io_uring_register_buffers: handle=ring addr=0x0 len=0x0",
                "io_uring_unregister_buffers: handle=ring"), kernel, FaultPoints.NONE);
        assertEquals(expected, r.result(1));
        assertEquals(expected.equals("0") ? "0" : "-ENXIO", r.result(2));
    }

    /** io_validate_user_buf_range(): 1 GiB and -EFAULT, 1 TiB and -EINVAL in 7.2; UIO_MAXIOV iovecs before 5.13. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.4, 1024, 1073741824, -14", "5.10, 16384, 1073741824, -14", "6.12, 16384, 1073741824, -14",
        "7.2, 16384, 1099511627776, -22"})
    void bufferLimitsPerRelease(String kernel, long maxIovecs, long maxLen, int tooLong) {
        Profile p = Profile.of(KernelRelease.parse(kernel), Policies.NONE);
        assertEquals(maxIovecs, p.ioUringMaxRegBuffers);
        assertEquals(maxLen, p.ioUringBufferMax);
        assertEquals(tooLong, p.ioUringBufferTooLong);
    }
}
