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
}
