package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Seed 004 on btrfs, as the lab's writeback-*-dio-btrfs recorded it: an O_DIRECT read lands in a shared mapping's
 * folios after fsync() cleaned them and is re-dirtied at completion without ->page_mkwrite. The next fsync() writes
 * them on 5.10, 6.1 and 7.2 (0); on 6.12, whose extent_writepage() refuses a folio without private under
 * CONFIG_BTRFS_EXPERIMENTAL, it is -EUCLEAN. ext4 and xfs write them on every release.
 */
class BtrfsOutOfBandDirtyTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"6.12, btrfs, -EUCLEAN", "6.1, btrfs, 0", "7.2, btrfs, 0", "6.12, xfs, 0"})
    void theSecondFsyncAfterADeviceWroteCleanFolios(String kernel, String fs, String expected) {
        Replays r = Replays.text(Replays.lines("file: ino=12 fs=ext4 dax=0 size=2097152",
                "file: ino=258 fs=" + fs + " dax=0 size=2097152",
                "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=shared ino=258 pgoff=0",
                "fault: addr=0x7f0000000000 len=0x200000 write=1",
                "dio_submit: handle=dio ino=12 offset=0 len=0x200000 buf=0x7f0000000000 rw=read",
                "writeback: ino=258 offset=0 len=0x200000", "dio_complete: handle=dio",
                "writeback: ino=258 offset=0 len=0x200000", "writeback: ino=258 offset=0 len=0x200000"),
                kernel, FaultPoints.NONE);
        assertEquals("0", r.result(6), r.jsonl());
        assertTrue(r.violationKinds().contains("write-to-clean-folio"), r.jsonl());
        assertEquals(expected, r.result(8), r.jsonl());
        assertEquals("0", r.result(9), "the refused folio was left clean: the error is reported once");
    }

    /**
     * An O_DIRECT read of the whole btrfs file writes its page cache back first (iomap_dio_rw()): that writeback
     * meets the folios the device dirtied and leaves nothing dirty, and its refusal goes to the next fsync()
     * (mapping_set_error()), once.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.12, -EUCLEAN", "6.1, 0"})
    void anODirectReadsWritebackHandsItsRefusalToTheNextFsync(String kernel, String expected) {
        Replays r = Replays.text(Replays.lines("file: ino=12 fs=ext4 dax=0 size=2097152",
                "file: ino=258 fs=btrfs dax=0 size=2097152",
                "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=shared ino=258 pgoff=0",
                "fault: addr=0x7f0000000000 len=0x200000 write=1",
                "dio_submit: handle=dio ino=12 offset=0 len=0x200000 buf=0x7f0000000000 rw=read",
                "writeback: ino=258 offset=0 len=0x200000", "dio_complete: handle=dio",
                "mmap: addr=0x7f1000000000 len=0x200000 prot=rw flags=private",
                "fault: addr=0x7f1000000000 len=0x200000 write=1",
                "dio_submit: handle=self ino=258 offset=0 len=0x200000 buf=0x7f1000000000 rw=read", "dio_complete: handle=self",
                "writeback: ino=258 offset=0 len=0x200000", "writeback: ino=258 offset=0 len=0x200000"),
                kernel, FaultPoints.NONE);
        assertEquals("2097152", r.result(11), r.jsonl());
        assertEquals(expected, r.result(12), r.jsonl());
        assertEquals("0", r.result(13), "reported once");
    }
}
