package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * Which fs-DAX size changes wait for busy DAX pages, as fs/ext4 and fs/xfs of the 5.10.262, 6.1.176, 6.12.117 and
 * 7.2.13 trees call the layout break: over the whole file, on every ATTR_SIZE change (ext4_setattr(),
 * xfs_vn_setattr(): a growth and the same size too) and every punch-hole, whole pages freed or not; ext4's punch at
 * i_size returns before the break until ext4_fallocate() breaks first (6.15, 6.12.41). xfs_file_fallocate() breaks
 * them before every mode, an allocation too; ext4_fallocate() allocates without.
 */
class DaxBreakLayoutsTest {
    /** An O_DIRECT read from a disk file holds pages 0-15 of DAX file 20 (through its mapping) until line 7. */
    private static Replays replay(String kernel, String fs, String call) {
        return Replays.text(Replays.lines(
                "file: ino=20 fs=" + fs + " dax=1 size=0x200000",
                "mmap: addr=0x7f1000000000 len=0x200000 prot=rw flags=shared ino=20 pgoff=0",
                "fault: addr=0x7f1000000000 len=0x10000 write=1",
                "file: ino=30 fs=ext4 dax=0 size=0x100000",
                "dio_submit: handle=dio0 ino=30 offset=0 len=0x10000 buf=0x7f1000000000 rw=read",
                call,
                "dio_complete: handle=dio0"), kernel, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "5.10 | ext4 | ftruncate: ino=20 size=0x400000                                 | true",
        "7.2  | xfs  | ftruncate: ino=20 size=0x200000                                 | true",
        "6.12 | ext4 | fallocate: ino=20 offset=0x1000 len=0x800 mode=punch_hole        | true",
        "7.2  | xfs  | fallocate: ino=20 offset=0x100800 len=0x800 mode=punch_hole      | true",
        "5.10 | ext4 | fallocate: ino=20 offset=0x200000 len=0x1000 mode=punch_hole     | false",
        "6.12.40 | ext4 | fallocate: ino=20 offset=0x200000 len=0x1000 mode=punch_hole  | false",
        "6.12 | ext4 | fallocate: ino=20 offset=0x200000 len=0x1000 mode=punch_hole     | true",
        "7.2  | ext4 | fallocate: ino=20 offset=0x200000 len=0x1000 mode=punch_hole     | true",
        "6.12 | xfs  | fallocate: ino=20 offset=0x200000 len=0x1000 mode=punch_hole     | true",
        "5.10 | xfs  | fallocate: ino=20 offset=0x200000 len=0x1000 mode=allocate       | true",
        "6.12 | xfs  | fallocate: ino=20 offset=0 len=0x1000 mode=allocate              | true",
        "7.2  | xfs  | fallocate: ino=20 offset=0x300000 len=0x1000 mode=allocate       | true",
        "6.1  | ext4 | fallocate: ino=20 offset=0x200000 len=0x1000 mode=allocate       | false",
        "7.2  | ext4 | fallocate: ino=20 offset=0 len=0x1000 mode=allocate              | false",
    })
    void theBreakCoversTheWholeFile(String kernel, String fs, String call, boolean waits) {
        Replays r = replay(kernel, fs, call);
        Outcome t = r.call(6);
        assertEquals(0, t.result, r.jsonl());
        assertEquals(waits, t.latencyNs >= 1_000, "slept until the completion: " + t.latencyNs + "\n" + r.jsonl());
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    /**
     * The other fallocate() modes break the layouts as a punch-hole does: xfs_file_fallocate() before every mode, after
     * its mode mask; ext4_fallocate() before every mode but allocation, ahead of the mode's checks, from 6.15 and
     * 6.12.41 (a collapse or insert it then refuses waited first); before, ext4_zero_range() broke them only over
     * whole blocks, ext4_collapse_range() and ext4_insert_range() after their checks.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ';', value = {
        "6.1.74; ext4; offset=0x1000 len=0x1000 mode=zero_range; 0; true",
        "6.1; ext4; offset=0x1000 len=0x800 mode=zero_range; 0; false",
        "6.12.40; ext4; offset=0x1000 len=0x800 mode=zero_range|keep_size; 0; false",
        "6.12; ext4; offset=0x1000 len=0x800 mode=zero_range|keep_size; 0; true",
        "5.10; xfs; offset=0x1000 len=0x800 mode=zero_range; 0; true",
        "7.2; ext4; offset=0x1000 len=0x1000 mode=collapse_range; 0; true",
        "5.10; ext4; offset=0x1000 len=0x1000 mode=insert_range; 0; true",
        "6.1.74; xfs; offset=0x1000 len=0x1000 mode=insert_range; 0; true",
        "6.12; xfs; offset=0x200000 len=0x1000 mode=unshare_range|keep_size; 0; true",
        "7.2; xfs; offset=0x200000 len=0x1000 mode=keep_size; 0; true",
        "6.1; ext4; offset=0x200000 len=0x1000 mode=keep_size; 0; false",
        "7.2; ext4; offset=0x1000 len=0x1000 mode=write_zeroes ret=0; 0; true",
        // refused by the mode's own checks: before the break on old ext4, after it on xfs and new ext4
        "6.1; ext4; offset=0x800 len=0x1000 mode=collapse_range; -EINVAL; false",
        "6.12.40; ext4; offset=0x1000 len=0x200000 mode=insert_range|keep_size; -EOPNOTSUPP; false",
        "6.12; ext4; offset=0x800 len=0x1000 mode=collapse_range; -EINVAL; true",
        "7.2; xfs; offset=0x100000 len=0x100000 mode=collapse_range; -EINVAL; true",
        "6.1.74; xfs; offset=0x200000 len=0x1000 mode=insert_range; -EINVAL; true",
        "6.12; ext4; offset=0x200000 len=0x1000 mode=insert_range; -EINVAL; true",
        "6.1; ext4; offset=0x200000 len=0x1000 mode=insert_range; -EINVAL; false",
        // refused before any break: vfs_fallocate(), the filesystem's mode mask
        "7.2; xfs; offset=0x1000 len=0x1000 mode=write_zeroes; -EOPNOTSUPP; false",
        "6.12; ext4; offset=0x1000 len=0x1000 mode=unshare_range; -EOPNOTSUPP; false",
    })
    void theOtherModesBreakTheLayouts(String kernel, String fs, String args, String result, boolean waits) {
        Replays r = replay(kernel, fs, "fallocate: ino=20 " + args);
        Outcome t = r.call(6);
        assertEquals(result, r.result(6), r.jsonl());
        assertEquals(waits, t.latencyNs >= 1_000, "slept until the completion: " + t.latencyNs + "\n" + r.jsonl());
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    /** The allocation happens when the sleeper wakes: the file has grown only then. */
    @org.junit.jupiter.api.Test
    void anXfsAllocationWaitingForAPinGrowsTheFileWhenItWakes() {
        Replays r = Replays.text(Replays.lines(
                "file: ino=20 fs=xfs dax=1 size=0x200000",
                "mmap: addr=0x7f1000000000 len=0x200000 prot=rw flags=shared ino=20 pgoff=0",
                "fault: addr=0x7f1000000000 len=0x10000 write=1",
                "pin_user_pages: start=0x7f1000000000 nr_pages=1 gup_flags=FOLL_WRITE handle=p",
                "fallocate: ino=20 offset=0x200000 len=0x200000 mode=allocate",
                "ftruncate: ino=20 size=0x300000"), "6.1", FaultPoints.NONE);
        assertTrue(r.stalls().size() == 2, r.jsonl()); // the allocation, and the truncate its task issues after it
        assertEquals(Outcome.Kind.STALL, r.stalls().get(0).kind);
    }
}
