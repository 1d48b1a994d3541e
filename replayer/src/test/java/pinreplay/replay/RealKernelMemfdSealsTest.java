package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.replay.outcome.Outcome;

/**
 * The lab's memfd-seal-pins on real 5.10 to 7.2 (mm/memfd.c memfd_add_seals()): F_SEAL_WRITE refused while the memfd
 * is mapped shared and writable, refused again while an io_uring fixed buffer pins 64 KiB of it though nothing maps it
 * (memfd_wait_for_pins()), accepted once the buffer is gone; the same with an O_DIRECT read in flight into a second
 * memfd's pages (its bios hold them until the read returns) and, on 6.12 and 7.2, with a udmabuf's pins; -EPERM on a
 * memfd made without MFD_ALLOW_SEALING.
 */
class RealKernelMemfdSealsTest {
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(delimiter = '|', value = {
        "5.10 | memfd-seal-pins | -EBUSY -EBUSY 0 -EBUSY 0 0 -EPERM",
        "6.1  | memfd-seal-pins | -EBUSY -EBUSY 0 -EBUSY 0 0 -EPERM",
        "6.12 | memfd-seal-pins | -EBUSY -EBUSY 0 -EBUSY 0 0 -EBUSY 0 -EPERM",
        "7.2  | memfd-seal-pins | -EBUSY -EBUSY 0 -EBUSY 0 0 -EBUSY 0 -EPERM",
        "5.10 | memfd-seal-pins-markers | -EBUSY -EBUSY -EBUSY -EBUSY 0 0 -EBUSY -EBUSY 0 0 0 0 -EPERM -EPERM",
        "7.2  | memfd-seal-pins-markers | -EBUSY -EBUSY -EBUSY -EBUSY 0 0 -EBUSY -EBUSY 0 0 0 0 -EBUSY -EBUSY 0 0 -EPERM -EPERM"})
    void pinsAndSharedWritableMappingsRefuseTheWriteSeal(String release, String name, String expected) {
        Replays r = Replays.file("real/" + release + "/" + name + ".txt", release);
        List<String> seals = r.outcomes.stream()
                .filter(o -> o.kind == Outcome.Kind.CALL && o.event == EventType.ADD_SEALS)
                .map(o -> o.result < 0 ? Errno.describe(o.result) : Long.toString(o.result)).toList();
        assertEquals(expected, String.join(" ", seals), r.jsonl());
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.hasObserved && !o.agrees()));
        assertTrue(r.violations().isEmpty());
    }
}
