package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * FALLOC_FL_INSERT_RANGE and COLLAPSE_RANGE check the range against i_size (ext4_insert_range(): "if (offset >=
 * inode->i_size) return -EINVAL", 5.10-7.2): on a file made before the recording, known only as one of a declared
 * file's device, the size the model holds is no size, and the recorded result decides (6.1 fuzz-dev-814-markers cut
 * at 65 and 80 %: an insert_range of an fs-DAX ext4 file said -EINVAL where the kernel inserted).
 */
class FallocateUnsizedFileTest {
    /** ino 13, of the device of a declared file, first named by an O_DIRECT write: an ext4 file of unknown size. */
    private static Replays replay(String fallocate) {
        return Replays.text(Replays.lines("file: ino=12 fs=ext4 dax=0 size=65536 dev=254:0",
                "mmap: addr=0x30000000 len=0x1000 prot=rw flags=private",
                "dio_submit: handle=w ino=13 offset=0 len=0x1000 buf=0x30000000 rw=write dev=254:0",
                "dio_complete: handle=w ret=4096", fallocate), "6.1", FaultPoints.NONE);
    }

    @Test
    void anInsertIntoAFileOfUnknownSizeTakesTheRecordedResult() {
        Replays r = replay("fallocate: ino=13 mode=insert_range offset=0x3000 len=0x2000 ret=0 dev=254:0");
        assertEquals("0", r.result(5), r.jsonl());
        assertTrue(r.call(5).assumed != null, r.jsonl());
    }

    @Test
    void aRefusalOfTheModeItselfIsStillTheModels() {
        // vfs_fallocate() (5.10-7.2): INSERT_RANGE with another flag is -EINVAL whatever the size
        Replays r = replay("fallocate: ino=13 mode=insert_range|keep_size offset=0x3000 len=0x2000 ret=0 dev=254:0");
        assertEquals("-EINVAL", r.result(5), r.jsonl());
    }

    /**
     * A marker naming an inode number with another device than the declared file of that number: a different file,
     * from before the recording (7.2.13 and 6.12.117 fuzz-deepest-810-markers cut at 50 %: COLLAPSE_RANGE of pmem
     * file 132, -EINVAL, taken for xfs file 132 of 32 KiB).
     */
    @Test
    void aNumberOnAnotherDeviceIsAnotherFile() {
        Replays r = Replays.text(Replays.lines("file: ino=132 fs=xfs dax=0 size=32768 dev=254:48",
                "fallocate: ino=132 mode=collapse_range offset=0x2000 len=0x4000 ret=-EINVAL dev=259:0",
                "fallocate: ino=132 mode=collapse_range offset=0x2000 len=0x4000 dev=254:48"), "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("0", r.result(3), "the declared file's own: " + r.jsonl());
    }
}
