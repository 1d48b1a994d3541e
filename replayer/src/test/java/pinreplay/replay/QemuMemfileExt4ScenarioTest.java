package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.outcome.Outcome;

/** traces/qemu-memfile-ext4.txt: memory-backend-file on ext4, share=on and share=off, with vfio (seed 004). */
class QemuMemfileExt4ScenarioTest {
    private static final String TRACE = "qemu-memfile-ext4.txt";

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.4"})
    void beforeV65SharedFileRamIsPinnedAndTheDeviceWritesIntoACleanedFolio(String kernel) {
        Replays r = Replays.file(TRACE, kernel);
        assertEquals("0", r.result(Lines.of(TRACE, "handle=ram-shared vaddr")));
        assertEquals("1", r.result(Lines.of(TRACE, "handle=aif-shared")));
        List<Outcome> v = r.violations();
        assertEquals(1, v.size(), r.jsonl());
        assertEquals("write-to-clean-folio", v.get(0).violation);
        assertEquals("ram-shared", v.get(0).handle);
        assertEquals(Lines.of(TRACE, "dma_write: handle=ram-shared"), v.get(0).line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.5", "6.10", "6.15"})
    void fromV65SharedFileRamIsRefusedWithEfault(String kernel) {
        Replays r = Replays.file(TRACE, kernel);
        assertEquals("-EFAULT", r.result(Lines.of(TRACE, "handle=ram-shared vaddr")));
        assertEquals("-EFAULT", r.result(Lines.of(TRACE, "pin_user_pages_fast: start=0x7f4000000000")));
        assertEquals(List.of(), r.violationKinds(), "QEMU's unpin of the refused pin is no violation");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.5", "6.15"})
    void sharePrivateIsFineEverywhere(String kernel) {
        Replays r = Replays.file(TRACE, kernel);
        assertEquals("0", r.result(Lines.of(TRACE, "handle=ram-private vaddr")));
        assertEquals("1", r.result(Lines.of(TRACE, "handle=aif-private")));
        assertTrue(r.violations().stream().noneMatch(o -> "ram-private".equals(o.handle)
                || "aif-private".equals(o.handle)), r.jsonl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.15"})
    void allowingTheWriteBringsTheBugBack(String kernel) {
        Replays r = Replays.file(TRACE, kernel, "longterm-file-write=allow");
        assertEquals("0", r.result(Lines.of(TRACE, "handle=ram-shared vaddr")));
        assertEquals(List.of("write-to-clean-folio"), r.violationKinds());
    }
}
