package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * An O_DIRECT IORING_OP_READ in a raw recording: io_uring_enter() issues it inline, its GUP takes the buffer's pages
 * for the bios, the syscall returns, and the pages are held until the request's io_uring_complete (posted from the
 * submitter's task work, 5.10.162 to 7.2). Another thread's MADV_DONTNEED in between drops pages the device still
 * writes.
 * The lines follow the lab's dio-unmap-uring recordings' formats (5.10.223, 6.1.176, 6.12.117, 7.2.13).
 */
class IoUringDirectIoTest {
    private static final String MAIN = "  dio-unmap-2160    (   2160) [001] ";
    private static final String READER = "  dio-unmap-2164    (   2160) [001] ";
    private static final String RING = "0000000012345678";

    private static String submit(String kernel, String req, String flags) {
        return switch (kernel) {
            case "5.10" -> "io_uring_submit_sqe: ring " + RING + ", req " + req + ", op 22, data 0x5eed, flags "
                    + Long.decode(flags) + ", non block 1, sq_thread 0";
            case "6.1" -> "io_uring_submit_sqe: ring " + RING + ", req " + req + ", user_data 0x5eed, opcode READ, flags "
                    + flags + ", non block 1, sq_thread 0";
            default -> "io_uring_submit_req: ring " + RING + ", req " + req + ", user_data 0x5eed, opcode READ, flags "
                    + flags + ", sq_thread 0";
        };
    }

    private static String complete(String kernel, String req, String result) {
        return kernel.equals("5.10") ? "io_uring_complete: ring " + RING + ", user_data 0x5eed, result " + result + ", cflags 0"
                : "io_uring_complete: ring " + RING + ", req " + req + ", user_data 0x5eed, result " + result
                        + ", cflags 0x0 extra1 0 extra2 0 ";
    }

    /** The buffer, the reading thread, its io_uring_enter() with the GUP of the read's bios. */
    private static List<String> submitted(String kernel, String flags) {
        return List.of("# tracer: nop",
                MAIN + ".....   460.335392: tracing_mark_write: mmap: addr=0x7f49a391c000 len=0x100000 prot=rw flags=private",
                MAIN + ".....   460.335400: tracing_mark_write: fault: addr=0x7f49a391c000 len=0x100000 write=1",
                MAIN + ".....   460.344795: task_newtask: pid=2164 comm=dio-unmap clone_flags=3d0f00 oom_score_adj=0",
                READER + "...1.   460.345100: sys_io_uring_enter(fd: 5, to_submit: 1, min_complete: 0, flags: 0, argp: 0, argsz: 0)",
                READER + ".....   460.345150: " + submit(kernel, "00000000deadbeef", flags),
                READER + ".....   460.345283: p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) start=0x7f49a391c000 nr_pages=256 gup_flags=0x1",
                READER + ".....   460.348014: r_get_user_pages_fast_0: (__iov_iter_get_pages_alloc+0xe9/0x7a0 <- get_user_pages_fast) ret=256",
                READER + "...1.   460.348100: sys_io_uring_enter -> 0x1",
                READER + "...1.   460.348200: sys_io_uring_enter(fd: 5, to_submit: 0, min_complete: 1, flags: 1, argp: 0, argsz: 8)");
    }

    private static String trace(List<String> head, String... rest) {
        return String.join("\n", head) + "\n" + String.join("\n", rest) + "\n";
    }

    private static final String DONTNEED = MAIN + "...1.   460.650283: sys_madvise(start: 7f49a391c000, len_in: 10000, behavior: 4)";
    private static final String DONTNEED_RET = MAIN + "...1.   460.650300: sys_madvise -> 0x0";
    /** Line of {@link #DONTNEED_RET} after {@link #submitted}'s ten: a raw syscall acts at its return. */
    private static final int DONTNEED_LINE = 12;

    private static List<Outcome> divergences(Replays r) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.hasObserved && o.result != o.observed)
                .collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void theRequestHoldsItsPagesUntilItsCompletion(String kernel) {
        Replays r = Replays.text(trace(submitted(kernel, "0x0"), DONTNEED, DONTNEED_RET,
                READER + ".....   461.243817: " + complete(kernel, "00000000deadbeef", "1048576"),
                READER + "...1.   461.243900: sys_io_uring_enter -> 0x0",
                MAIN + "...1.   461.246283: sys_madvise(start: 7f49a392c000, len_in: 10000, behavior: 4)",
                MAIN + "...1.   461.246300: sys_madvise -> 0x0"), kernel, FaultPoints.NONE);
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
        assertEquals(DONTNEED_LINE, r.violations().get(0).line, r.jsonl());
        assertTrue(divergences(r).isEmpty(), r.jsonl());
    }

    /** 5.10 before 5.10.162 posts the CQE from the bio's completion, which a recording of the program mostly misses. */
    @ParameterizedTest
    @ValueSource(strings = {"5.10.100"})
    void anOlderKernelTakesThePagesAsReleasedAtTheGupsReturn(String kernel) {
        Replays r = Replays.text(trace(submitted("5.10", "0"), DONTNEED, DONTNEED_RET), kernel, FaultPoints.NONE);
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void aCompletionReleasesOnlyItsOwnRequest(String kernel) {
        Replays r = Replays.text(trace(submitted(kernel, "0x0"),
                READER + ".....   461.243817: " + complete(kernel, "00000000cafef00d", "4096"), DONTNEED, DONTNEED_RET,
                READER + ".....   461.343817: " + complete(kernel, "00000000deadbeef", "1048576"),
                MAIN + "...1.   461.346283: sys_madvise(start: 7f49a392c000, len_in: 10000, behavior: 4)",
                MAIN + "...1.   461.346300: sys_madvise -> 0x0"), kernel, FaultPoints.NONE);
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
        assertEquals(DONTNEED_LINE + 1, r.violations().get(0).line, r.jsonl());
    }

    /** IOSQE_CQE_SKIP_SUCCESS (REQ_F_CQE_SKIP): no completion would end the hold, so none begins. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void aRequestWithoutACqeHoldsNothing(String kernel) {
        Replays r = Replays.text(trace(submitted(kernel, "0x40"), DONTNEED, DONTNEED_RET), kernel, FaultPoints.NONE);
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    /** A GUP after io_uring_enter() returned (a futex's get_futex_key()) is not the request's. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void aGupOutsideTheSubmissionIsNotHeld(String kernel) {
        List<String> head = submitted(kernel, "0x0");
        Replays r = Replays.text(trace(head.subList(0, 5),
                READER + ".....   460.345150: " + submit(kernel, "00000000deadbeef", "0x0"),
                READER + "...1.   460.345200: sys_io_uring_enter -> 0x1",
                READER + ".....   460.345283: p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) start=0x7f49a391c000 nr_pages=1 gup_flags=0x1",
                READER + ".....   460.348014: r_get_user_pages_fast_0: (get_futex_key+0xb0/0x620 <- get_user_pages_fast) ret=1",
                DONTNEED, DONTNEED_RET), kernel, FaultPoints.NONE);
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    /** do_exit()'s io_uring_files_cancel() waits for the task's requests: their pages are released by then. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void theSubmittersExitEndsItsRequests(String kernel) {
        Replays r = Replays.text(trace(submitted(kernel, "0x0"),
                READER + ".....   461.243817: sched_process_exit: comm=dio-unmap pid=2164 prio=120",
                DONTNEED, DONTNEED_RET), kernel, FaultPoints.NONE);
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    /** With the program's dio_submit marker open, the marker's request holds the pages: the GUP is not held again. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void aMarkedRequestIsPlayedOnce(String kernel) {
        List<String> head = submitted(kernel, "0x0");
        Replays r = Replays.text(trace(List.of(head.get(0), head.get(1), head.get(2), head.get(3),
                READER + ".....   460.345000: tracing_mark_write: dio_submit: handle=dio ino=12 offset=0 len=0x100000 buf=0x7f49a391c000 rw=read"),
                String.join("\n", head.subList(4, head.size())),
                READER + ".....   461.243817: " + complete(kernel, "00000000deadbeef", "1048576"),
                READER + "...1.   461.243900: sys_io_uring_enter -> 0x0",
                READER + ".....   461.244000: tracing_mark_write: dio_complete: handle=dio ret=1048576",
                DONTNEED, DONTNEED_RET), kernel, FaultPoints.NONE);
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertTrue(divergences(r).isEmpty(), r.jsonl());
    }
}
