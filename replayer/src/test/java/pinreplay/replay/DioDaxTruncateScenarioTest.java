package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.outcome.Outcome;

/**
 * traces/dio-dax-truncate.txt (seed 001): O_DIRECT into a DAX mapping with a truncate racing, under each
 * {@code dax-truncate} option; traces/dax-truncate-longterm-stall.txt: a long-term pin turns the wait into a stall.
 */
class DioDaxTruncateScenarioTest {
    private static final String TRACE = "dio-dax-truncate.txt";
    private static final String STALL = "dax-truncate-longterm-stall.txt";

    private static long line(String text) {
        return Lines.of(TRACE, text);
    }

    @Test
    void noneFreesTheBlocksUnderDmaAndTheNewFileIsCorrupted() {
        Replays r = Replays.file(TRACE, "5.10", "dax-truncate=none");
        assertEquals("0", r.result(line("ftruncate:")));
        List<Outcome> v = r.violations();
        assertEquals(1, v.size(), r.jsonl());
        assertEquals("dma-into-reallocated-block", v.get(0).violation);
        assertEquals(21, v.get(0).victimIno);
        assertEquals(0, v.get(0).victimOffset);
        assertEquals(line("dio_complete:"), v.get(0).line);
        assertEquals("65536", r.result(line("dio_complete:")));
    }

    @Test
    void failRefusesTheTruncateWithEbusy() {
        Replays r = Replays.file(TRACE, "5.10", "dax-truncate=fail");
        assertEquals("-EBUSY", r.result(line("ftruncate:")));
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    @Test
    void waitCompletesTheTruncateWhenTheDirectIoReleasesItsPages() {
        Replays r = Replays.file(TRACE, "5.10", "dax-truncate=wait");
        Outcome t = r.call(line("ftruncate:"));
        assertEquals(0, t.result);
        // Blocked from 200.000200 until dio_complete at 200.004200: 4 ms plus the truncate's own work.
        assertTrue(t.latencyNs >= 4_000_000L && t.latencyNs < 4_100_000L, r.jsonl());
        assertTrue(r.violations().isEmpty(), r.jsonl());
        // Reported when it completes (during the dio_complete), still carrying the line where it started.
        int truncateAt = r.outcomes.indexOf(t);
        int laterFileAt = r.outcomes.indexOf(r.call(line("file: ino=21")));
        assertTrue(truncateAt > laterFileAt, r.jsonl());
    }

    @Test
    void remapMovesPinnedBlocksToLostFoundWithoutViolation() {
        Replays r = Replays.file(TRACE, "5.10", "dax-truncate=remap");
        assertEquals("0", r.result(line("ftruncate:")));
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertEquals("65536", r.result(line("dio_complete:")));
    }

    @Test
    void nodaxGivesPageCacheSemanticsWithoutViolation() {
        Replays r = Replays.file(TRACE, "5.10", "dax-truncate=nodax");
        assertEquals("0", r.result(line("ftruncate:")));
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    @Test
    void releasesBeforeBreakLayoutsDoNotWaitAndReleasesAfterDo() {
        assertEquals(List.of("dma-into-reallocated-block"), Replays.file(TRACE, "4.18").violationKinds());
        Replays ext4Waits = Replays.file(TRACE, "4.19");
        assertTrue(ext4Waits.violations().isEmpty(), ext4Waits.jsonl());
        assertTrue(ext4Waits.call(line("ftruncate:")).latencyNs >= 4_000_000L);
    }

    @Test
    void aLongtermPinTurnsTheWaitIntoAStall() {
        Replays r = Replays.file(STALL, "6.1", "longterm-fsdax=allow", "dax-truncate=wait");
        assertEquals("0", r.result(Lines.of(STALL, "rdma_reg_mr:")));
        List<Outcome> stalls = r.stalls();
        assertEquals(1, stalls.size(), r.jsonl());
        Outcome s = stalls.get(0);
        assertEquals(Lines.of(STALL, "ftruncate:"), s.line);
        assertArrayEquals(new String[] {"mr0"}, s.waitingOn);
        assertEquals(2_000_000_000L, s.blockedNs);
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.line == s.line));
    }

    @Test
    void theLongtermPinItselfIsRefusedOnFsdax() {
        Replays r = Replays.file(STALL, "6.1");
        assertEquals("-EOPNOTSUPP", r.result(Lines.of(STALL, "rdma_reg_mr:")));
        assertTrue(r.stalls().isEmpty());
    }
}
