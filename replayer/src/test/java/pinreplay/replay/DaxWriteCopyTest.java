package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void aFaultKeepsTheWholeWordsOfTheDestinationFrom64() {
        assertEquals("8192", written(1, "6.1"));
        assertEquals("8191", written(1, "6.12"));
        assertEquals("8191", written(1, "7.2"));
        assertEquals("8192", written(0, "7.2"), "a destination aligned as the buffer loses nothing");
    }
}
