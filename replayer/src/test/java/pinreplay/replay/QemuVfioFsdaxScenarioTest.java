package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.outcome.Outcome;

/** traces/qemu-vfio-fsdax.txt: QEMU guest RAM on an fsdax file mapped by vfio (seeds 000, 002). */
class QemuVfioFsdaxScenarioTest {
    private static final String TRACE = "qemu-vfio-fsdax.txt";

    @Test
    void onV414VfioPinsFsdaxAndTruncatedBlocksAreCorruptedInTheirNewFile() {
        Replays r = Replays.file(TRACE, "4.14");
        assertEquals("0", r.result(Lines.of(TRACE, "vfio_dma_map:")));
        assertEquals("0", r.result(Lines.of(TRACE, "ftruncate:")));
        List<Outcome> v = r.violations();
        assertEquals(1, v.size(), r.jsonl());
        Outcome o = v.get(0);
        assertEquals("dma-into-reallocated-block", o.violation);
        assertEquals("vfio0", o.handle);
        assertEquals(13, o.victimIno);
        assertEquals(0x1000, o.victimOffset);
        assertEquals(Lines.of(TRACE, "dma_write:"), o.line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.16", "4.19", "5.10", "6.1", "6.15"})
    void fromTheVfioFixOnTheMapIsRefusedWithEopnotsupp(String kernel) {
        Replays r = Replays.file(TRACE, kernel);
        assertEquals("-EOPNOTSUPP", r.result(Lines.of(TRACE, "vfio_dma_map:")));
        assertEquals("0", r.result(Lines.of(TRACE, "ftruncate:")));
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertEquals("-EFAULT", r.result(Lines.of(TRACE, "dma_write:")));
    }

    @Test
    void allowingLongtermFsdaxMakesTheTruncateWaitUntilTheUnmap() {
        Replays r = Replays.file(TRACE, "6.1", "longterm-fsdax=allow");
        assertEquals("0", r.result(Lines.of(TRACE, "vfio_dma_map:")));
        // vfio_dma_unmap releases the pins 0.5 s later: the waiting truncate completes then.
        Outcome t = r.call(Lines.of(TRACE, "ftruncate:"));
        assertEquals(0, t.result);
        assertTrue(t.latencyNs >= 500_000_000L && t.latencyNs < 510_000_000L, r.jsonl());
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertTrue(r.stalls().isEmpty(), r.jsonl());
    }

    @Test
    void onV65AWritableLongtermPinOfASharedDaxFileFailsTheDirtyTrackingCheckOnceFsdaxIsAllowed() {
        Replays r = Replays.file(TRACE, "6.5", "longterm-fsdax=allow");
        assertEquals("-EFAULT", r.result(Lines.of(TRACE, "vfio_dma_map:")));
    }
}
