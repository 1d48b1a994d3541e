package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * btrfs's O_DIRECT read keeps the bytes before the first page its GUP could not get (5.16+): where the model knows no
 * mapping there (memory from before the recording), the recorded result says whether the kernel got the rest.
 */
class BtrfsDirectReadPriorMemoryTest {
    private static Replays read(String mapLen, String ret) {
        return Replays.text(Replays.lines(
                "file: ino=258 fs=btrfs dax=0 size=65536",
                "mmap: addr=0x40000000 len=" + mapLen + " prot=rw flags=private",
                "fault: addr=0x40000000 len=" + mapLen + " write=1",
                "dio_submit: handle=r ino=258 offset=0 len=0x8000 buf=0x40000000 rw=read",
                "dio_complete: handle=r ret=" + ret),
                "7.2", FaultPoints.NONE);
    }

    @Test
    void theRestOfTheBufferWasMappedBeforeTheRecording() {
        Replays r = read("0x4000", "32768");
        assertEquals("32768", r.result(5), r.jsonl());
        assertNotNull(r.call(5).assumed, r.jsonl());
    }

    @Test
    void aKnownBufferDecidesAlone() {
        Replays r = read("0x8000", "32768");
        assertEquals("32768", r.result(5), r.jsonl());
        assertNull(r.call(5).assumed, r.jsonl());
    }
}
