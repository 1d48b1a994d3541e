package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.format.EventType;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * A program's dio_submit marker before its pread64() and dio_complete marker after: the raw syscall's return is the
 * request's completion (a synchronous iomap_dio_rw() waits for its bios), even when another thread's MADV_REMOVE,
 * which waited for that read's pins, returned before the reading thread wrote its marker. Distilled from the 6.12.117
 * lab's madvise-matrix-markers recording, where the marker trailed the madvise's return by 1.2 ms.
 */
class SyncDirectIoReturnTest {
    private static final String MAIN = "  madvise-matrix-2160    (   2160) [001] ";
    private static final String READER = "  madvise-matrix-2164    (   2160) [001] ";
    private static final String TRACE = String.join("\n",
            "# tracer: nop",
            MAIN + ".....   460.335087: tracing_mark_write: file: ino=14 fs=ext4 dax=1 size=1048576 dev=259:1",
            MAIN + ".....   460.335090: tracing_mark_write: file: ino=12 fs=ext4 dax=0 size=2097152 dev=254:16",
            MAIN + ".....   460.335392: tracing_mark_write: mmap: addr=0x7f49a3a1c000 len=0x100000 prot=rw flags=shared ino=14 pgoff=0",
            MAIN + ".....   460.344795: task_newtask: pid=2164 comm=madvise-matrix clone_flags=3d0f00 oom_score_adj=0",
            MAIN + ".....   460.344854: sched_process_fork: comm=madvise-matrix pid=2160 child_comm=madvise-matrix child_pid=2164",
            READER + ".....   460.345121: tracing_mark_write: dio_submit: handle=dio ino=12 offset=0 len=0x100000 buf=0x7f49a3a1c000 rw=read",
            READER + "...1.   460.345176: sys_pread64(fd: 4, buf: 7f49a3a1c000, count: 100000, pos: 0)",
            READER + ".....   460.345283: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f49a3a1c000 nr_pages=256 gup_flags=0x1",
            READER + ".....   460.348014: r_pin_user_pages_fast_0: (iov_iter_extract_pages+0xf7/0x890 <- pin_user_pages_fast) ret=256",
            MAIN + "...1.   460.650283: sys_madvise(start: 7f49a3a1c000, len_in: 100000, behavior: 9)",
            READER + "...1.   461.243817: sys_pread64 -> 0x100000",
            MAIN + "...1.   461.246376: sys_madvise -> 0x0",
            MAIN + ".....   461.246451: tracing_mark_write: madvise: addr=0x7f49a3a1c000 len=0x100000 advice=remove ret=0",
            READER + ".....   461.247653: tracing_mark_write: dio_complete: handle=dio ret=1048576",
            "");
    /** Lines of {@link #TRACE} (header on line 1). */
    private static final int MADVISE_RETURN = 13, DIO_COMPLETE = 15;

    private static List<Outcome> divergences(Replays r) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.hasObserved && o.result != o.observed)
                .collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12", "7.2"})
    void theReadsReturnDropsItsPinsSoTheRemoveThatWaitedForThemAgrees(String kernel) {
        Replays r = Replays.text(TRACE, kernel, FaultPoints.NONE);
        assertEquals(0, r.call(MADVISE_RETURN).result, r.jsonl());
        assertEquals(1048576, r.call(DIO_COMPLETE).result, "the marker reports what the return completed: " + r.jsonl());
        assertTrue(divergences(r).isEmpty(), r.jsonl());
        assertTrue(r.stalls().isEmpty(), r.jsonl());
        assertTrue(r.violations().isEmpty(), "the pins were gone before the hole was punched: " + r.jsonl());
    }

    /**
     * The raw recording of the same program's MADV_DONTNEED case (no markers): the bios hold the buffer's pages from
     * the GUP's kretprobe until the pread64() returns, so the other thread's MADV_DONTNEED in between drops pages the
     * device still writes (FOLL_GET references through 6.1, pins from 6.2), and one right after the return drops none.
     */
    @ParameterizedTest
    @CsvSource({"5.10,pread64", "6.1,pread64", "6.12,pread64", "7.2,pread64", "6.1,preadv", "7.2,preadv", "6.1,read",
            "7.2,read", "6.1,preadv2", "7.2,preadv2", "5.10,readv", "7.2,readv"})
    void aRawReadHoldsItsPagesUntilItsReturn(String kernel, String call) {
        String enter = switch (call) {
            case "pread64" -> "sys_pread64(fd: 4, buf: 7f49a391c000, count: 100000, pos: 0)";
            case "preadv" -> "sys_preadv(fd: 4, vec: 7ffc4e6a1f30, vlen: 1, pos_l: 0, pos_h: 0)";
            case "preadv2" -> "sys_preadv2(fd: 4, vec: 7ffc4e6a1f30, vlen: 1, pos_l: 0, pos_h: 0, flags: 0)";
            case "readv" -> "sys_readv(fd: 4, vec: 7ffc4e6a1f30, vlen: 1)";
            default -> "sys_read(fd: 4, buf: 7f49a391c000, count: 100000)";
        };
        String raw = String.join("\n",
                "# tracer: nop",
                MAIN + ".....   460.335392: tracing_mark_write: mmap: addr=0x7f49a391c000 len=0x100000 prot=rw flags=private",
                MAIN + ".....   460.335400: tracing_mark_write: fault: addr=0x7f49a391c000 len=0x100000 write=1",
                MAIN + ".....   460.344795: task_newtask: pid=2164 comm=madvise-matrix clone_flags=3d0f00 oom_score_adj=0",
                READER + "...1.   460.345176: " + enter,
                READER + ".....   460.345283: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f49a391c000 nr_pages=256 gup_flags=0x1",
                READER + ".....   460.348014: r_pin_user_pages_fast_0: (iov_iter_extract_pages+0xf7/0x890 <- pin_user_pages_fast) ret=256",
                MAIN + "...1.   460.650283: sys_madvise(start: 7f49a391c000, len_in: 10000, behavior: 4)",
                MAIN + "...1.   460.650300: sys_madvise -> 0x0",
                READER + "...1.   461.243817: sys_" + call + " -> 0x100000",
                MAIN + "...1.   461.246283: sys_madvise(start: 7f49a392c000, len_in: 10000, behavior: 4)",
                MAIN + "...1.   461.246300: sys_madvise -> 0x0",
                "");
        Replays r = Replays.text(raw, kernel, FaultPoints.NONE);
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
        assertEquals(9, r.violations().get(0).line, r.jsonl());
        assertTrue(divergences(r).isEmpty(), r.jsonl());
    }

    /**
     * A read() whose return the recorder filtered out (less than 512 bytes) or lost: the task's next syscall shows it
     * returned, so the MADV_DONTNEED after that drops no page the read still holds.
     */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void aReadWhoseReturnIsMissingEndsAtTheTasksNextSyscall(String kernel) {
        String raw = String.join("\n",
                "# tracer: nop",
                MAIN + ".....   460.335392: tracing_mark_write: mmap: addr=0x7f49a391c000 len=0x100000 prot=rw flags=private",
                MAIN + ".....   460.335400: tracing_mark_write: fault: addr=0x7f49a391c000 len=0x100000 write=1",
                MAIN + "...1.   460.345176: sys_read(fd: 4, buf: 7f49a391c000, count: 100000)",
                MAIN + ".....   460.345283: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f49a391c000 nr_pages=256 gup_flags=0x1",
                MAIN + ".....   460.348014: r_pin_user_pages_fast_0: (iov_iter_extract_pages+0xf7/0x890 <- pin_user_pages_fast) ret=256",
                MAIN + "...1.   460.650283: sys_madvise(start: 7f49a391c000, len_in: 10000, behavior: 4)",
                MAIN + "...1.   460.650300: sys_madvise -> 0x0",
                "");
        Replays r = Replays.text(raw, kernel, FaultPoints.NONE);
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertTrue(divergences(r).isEmpty(), r.jsonl());
    }

    /**
     * Without the read's return in the recording the model still holds the pins when the kernel's MADV_REMOVE returns:
     * one divergence that says so, and the kernel wins (the task no longer waits, no stall, no second outcome).
     */
    @ParameterizedTest
    @ValueSource(strings = {"6.12", "7.2"})
    void aRemoveTheModelStillHasWaitingIsOneDivergenceNamedAsSuch(String kernel) {
        String lost = TRACE.lines().filter(l -> !l.contains("sys_pread64 ->")).collect(Collectors.joining("\n"));
        Replays r = Replays.text(lost, kernel, FaultPoints.NONE);
        List<Outcome> d = divergences(r);
        assertEquals(1, d.size(), r.jsonl());
        assertEquals(MADVISE_RETURN - 1, d.get(0).line, r.jsonl());
        assertEquals(Outcome.WAITING, d.get(0).result);
        assertEquals("still waiting for pins to drop", Outcome.describe(d.get(0).result));
        assertTrue(r.jsonl().contains("\"result\":\"waiting\""), r.jsonl());
        assertTrue(r.stalls().isEmpty(), r.jsonl());
        assertTrue(r.outcomes.stream().noneMatch(o -> o.event == EventType.SYSCALL_EXIT), r.jsonl());
        assertEquals(1048576, r.call(DIO_COMPLETE - 1).result, r.jsonl());
    }
}
