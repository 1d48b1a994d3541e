package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Before 6.11 udmabuf_create() holds page references (shmem_read_mapping_page(), get_page()), not pins: the model
 * takes the create as recorded, and its release too, instead of calling that release unbalanced.
 */
class UdmabufBefore611Test {
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void aReleaseOfACreateTakenAsRecordedIsNoViolation(String kernel) {
        Replays r = Replays.text(Replays.lines(
                "file: ino=10 fs=tmpfs dax=0 size=1048576",
                "udmabuf_create: handle=ub1 ino=10 offset=0x0 size=0x10000 seals=0x2 ret=5",
                "udmabuf_release: handle=ub1"), kernel, FaultPoints.NONE);
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
        assertEquals("0", r.result(3), r.jsonl());
        assertTrue(r.call(3).assumed.contains("before 6.11"), r.jsonl());
    }
}
