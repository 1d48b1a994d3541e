package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.outcome.Outcome;

/**
 * traces/real/6.1/dax-punch-munmap-dio-markers.txt, recorded on Debian 6.1: O_DIRECT reads into an fs-DAX
 * mapping, the mapping is unmapped, the file's blocks are punched out (the punch returns at once, while the
 * read ends 0.58 s after it), then a new DAX file is created. The 6.1 profile reproduces the mapping_mapped() hole.
 */
class RealKernelHoleTest {
    private static final String TRACE = "real/6.1/dax-punch-munmap-dio-markers.txt";

    @Test
    void theRecordedPunchHoleAfterMunmapFreesTheBlocksTheReadStillFills() {
        Replays r = Replays.file(TRACE, "6.1");
        Outcome punch = r.call(Lines.of(TRACE, "tracing_mark_write: fallocate:"));
        assertEquals(0, punch.result);
        assertTrue(punch.hasObserved && punch.agrees(), "the kernel's own result");
        List<Outcome> v = r.violations();
        assertEquals(1, v.size());
        assertEquals("dma-into-reallocated-block", v.get(0).violation);
        assertEquals(14, v.get(0).victimIno, "the DAX file created after the punch (ino 14) got the blocks of ino 13");
        assertTrue(v.get(0).detail.contains("mapping_mapped()"), v.get(0).detail);
    }

    /** Fixed, the punch waits; fixing only the check would leave it asleep: 6.1.y's completion does not wake it. */
    @Test
    void withTheCheckTheSamePunchWaitsForTheRead() {
        Replays r = Replays.file(TRACE, "6.1", "dax-busy-unmapped=check", "dax-truncate-wakeup=ideal");
        assertTrue(r.violations().isEmpty(), r.violations().toString());
        Outcome punch = r.call(Lines.of(TRACE, "tracing_mark_write: fallocate:"));
        assertTrue(punch.latencyNs > 550_000_000L, "slept until the read completed: " + punch.latencyNs);
        Replays asleep = Replays.file(TRACE, "6.1", "dax-busy-unmapped=check");
        assertEquals(List.of("dax-wakeup-missed"), asleep.stalls().stream().map(o -> o.cause).toList());
        assertEquals(punch.line, asleep.stalls().get(0).line);
    }

    /**
     * The raw recordings of the same program (no markers): the read's bios hold the buffer's pages from their GUP
     * until the pread64() returns (or an IORING_OP_READ's io_uring_complete: the kernels' logs say 320 of 512 pages of
     * the new file were overwritten, 5.10 to 6.12), so the punch or truncate that did not wait frees blocks they still fill,
     * up to 6.12; 7.2's dax_layout_busy_page_range() no longer skips a file no VMA maps (6.15), so it waits.
     */
    @ParameterizedTest
    @CsvSource({"5.10,dax-punch-munmap-dio,3", "6.1,dax-punch-munmap-dio-xfs,3", "6.12,dax-truncate-munmap-dio,3",
            "7.2,dax-truncate-munmap-dio,0", "7.2,dax-punch-munmap-dio-xfs,0", "5.10,dax-truncate-munmap-uring,3",
            "6.1,dax-truncate-munmap-uring,3", "6.12,dax-truncate-munmap-uring,3", "7.2,dax-truncate-munmap-uring,0"})
    void theRawRecordingSeesTheBlocksFreedUnderTheRead(String release, String name, int freed) {
        Replays r = Replays.file("real/" + release + "/" + name + ".txt", release);
        assertEquals(freed, r.violations().size(), r.jsonl());
        assertTrue(r.violations().stream().allMatch(o -> o.violation.equals("dma-after-free")
                && o.detail.contains("fd-known file #")), r.jsonl());
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.hasObserved && !o.agrees()),
                "every recorded result agrees");
        assertTrue(r.stalls().isEmpty());
    }
}
