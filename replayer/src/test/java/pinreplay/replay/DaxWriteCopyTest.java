package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * An O_DIRECT write to an fs-DAX file is a CPU copy (dax_iomap_rw()); from a buffer whose third page is unmapped, at
 * file position 1, it stops at the hole: 8192 bytes on 6.1, 8191 from 6.4 (__copy_user_nocache() keeps whole 8-byte
 * words of the destination; traces/real/RELEASE/fs-dio-markers.txt, `dax-holed-off1-write`).
 */
class DaxWriteCopyTest {
    private static String written(long offset, String kernel) {
        return Replays.text(Replays.lines(
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x40000000 len=0x4000 write=1",
                "munmap: addr=0x40002000 len=0x1000",
                "file: ino=12 fs=ext4 dax=1 size=65536 dev=259:0",
                "dio_submit: handle=d ino=12 dev=259:0 offset=" + offset + " len=0x4000 buf=0x40000000 rw=write",
                "dio_complete: handle=d"), kernel, FaultPoints.NONE, true).result(6);
    }

    /** The same write with a recorded result of 8192; the buffer's third page {@code unmapped} by the recording, or never mapped in it. */
    private static Replays recorded(boolean unmapped) {
        return Replays.text(Replays.lines(
                "mmap: addr=0x40000000 len=0x" + (unmapped ? "4000" : "2000") + " prot=rw flags=private",
                "fault: addr=0x40000000 len=0x2000 write=1",
                unmapped ? "munmap: addr=0x40002000 len=0x1000" : "mmap: addr=0x40003000 len=0x1000 prot=rw flags=private",
                "file: ino=12 fs=ext4 dax=1 size=65536 dev=259:0",
                "dio_submit: handle=d ino=12 dev=259:0 offset=1 len=0x4000 buf=0x40000000 rw=write",
                "dio_complete: handle=d ret=8192"), "7.2", FaultPoints.NONE);
    }

    @Test
    void aHoleTheRecordingUnmappedIsNotTakenForMemoryFromBeforeIt() {
        Replays shown = recorded(true);
        assertEquals("8191", shown.result(6), shown.jsonl());
        assertNull(shown.call(6).assumed, shown.jsonl());
        Replays unseen = recorded(false);
        assertEquals("8192", unseen.result(6), "a page the recording never described may predate it: " + unseen.jsonl());
        assertNotNull(unseen.call(6).assumed, unseen.jsonl());
    }

    @Test
    void aFaultKeepsTheWholeWordsOfTheDestinationFrom64() {
        assertEquals("8192", written(1, "6.1"));
        assertEquals("8191", written(1, "6.12"));
        assertEquals("8191", written(1, "7.2"));
        assertEquals("8192", written(0, "7.2"), "a destination aligned as the buffer loses nothing");
    }
}
