package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Seed 004 on btrfs, as the lab's writeback-*-dio-btrfs recorded it: an O_DIRECT read lands in a shared mapping's
 * folios after fsync() cleaned them and is re-dirtied at completion without ->page_mkwrite. The next fsync() writes
 * them on 5.10, 6.1 and 7.2 (0); on 6.12, whose extent_writepage_io() refuses a folio btrfs never set up for
 * writing ("!folio_test_ordered(folio)"), it is -EUCLEAN. ext4 and xfs write them on every release.
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

    /**
     * What 6.12 refuses is a folio dirtied behind btrfs's back, whoever wrote it: an unpin that dirties a folio
     * writeback cleaned is refused with no DMA at all, while a CPU write since (btrfs_page_mkwrite()) makes the
     * folio btrfs's again.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.12, -EUCLEAN, 0", "6.1, 0, 0"})
    void theRefusalFollowsWhoDirtiedTheFolio(String kernel, String unpinned, String faulted) {
        Replays r = Replays.text(Replays.lines("file: ino=258 fs=btrfs dax=0 size=65536",
                "mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=shared ino=258 pgoff=0",
                "fault: addr=0x7f0000000000 len=0x10000 write=1",
                "pin_user_pages: handle=p start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE",
                "writeback: ino=258", "unpin_user_pages: handle=p dirty=1", "writeback: ino=258",
                "pin_user_pages: handle=q start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE",
                "writeback: ino=258", "dma_write: handle=q offset=0 len=0x1000",
                "fault: addr=0x7f0000000000 len=0x1000 write=1", "unpin_user_pages: handle=q dirty=1",
                "writeback: ino=258"), kernel, FaultPoints.NONE);
        assertEquals(unpinned, r.result(7), r.jsonl());
        assertEquals("1", r.result(8), r.jsonl());
        assertEquals("4096", r.result(10), r.jsonl());
        assertEquals(faulted, r.result(13), r.jsonl());
    }
}
