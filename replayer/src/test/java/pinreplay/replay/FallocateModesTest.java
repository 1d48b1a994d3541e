package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.Falloc;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.fs.FileBlocks;

/**
 * fallocate()'s modes beyond punch-hole and allocate, as the 5.10.262, 6.1.176, 6.12.117 and 7.2.13 trees run them:
 * vfs_fallocate()'s checks (a test per flag until 6.12, exclusive modes from it, FALLOC_FL_WRITE_ZEROES in 7.2), each
 * filesystem's mode mask (shmem_fallocate(), hugetlbfs_fallocate(), btrfs_fallocate(), ext4_fallocate(),
 * xfs_file_fallocate()), and what zero, collapse and insert range do to the page cache, the blocks and i_size.
 */
class FallocateModesTest {
    /** A 64 KiB file of {@code fs}, mapped shared and faulted in, page 5 pinned (handle p), then {@code call}. */
    private static Replays replay(String kernel, String fs, String call) {
        return Replays.text(Replays.lines(
                "file: ino=20 fs=" + fs + " dax=0 size=0x10000",
                "mmap: addr=0x7f1000000000 len=0x10000 prot=rw flags=shared ino=20 pgoff=0",
                "fault: addr=0x7f1000000000 len=0x10000 write=1",
                "pin_user_pages: start=0x7f1000005000 nr_pages=1 gup_flags=FOLL_WRITE handle=p",
                call), kernel, FaultPoints.NONE);
    }

    private static Inode file(Replays r, long ino) {
        Inode inode = r.replayer.kernel().files.named(ino);
        assertNotNull(inode);
        return inode;
    }

    private static boolean cached(Inode inode, long page) {
        PageCache pc = inode.pageCache;
        return pc.cached(pc.indexOf(page));
    }

    private static long block(Inode inode, long page) {
        FileBlocks b = inode.blocks;
        int i = b.indexOf(page);
        return b.allocated(i) ? b.blockAt(i, page) : -1;
    }

    @ParameterizedTest(name = "{0} {1} mode={2}")
    @CsvSource(delimiter = ';', value = {
        // vfs_fallocate(): 5.10 and 6.1 test each flag (-EINVAL for collapse or insert with another, unshare with one
        // but KEEP_SIZE); 6.12 and 7.2 take one mode, every other combination -EOPNOTSUPP
        "5.10; ext4; collapse_range|keep_size; -EINVAL",
        "6.1; xfs; insert_range|keep_size; -EINVAL",
        "6.1; xfs; unshare_range|zero_range; -EINVAL",
        "6.1; xfs; unshare_range|keep_size; 0",
        "6.12; ext4; collapse_range|keep_size; -EOPNOTSUPP",
        "6.12; xfs; unshare_range|zero_range; -EOPNOTSUPP",
        "7.2; xfs; insert_range|keep_size; -EOPNOTSUPP",
        "6.1; ext4; punch_hole|zero_range; -EOPNOTSUPP",
        "6.12; ext4; 0x2; -EOPNOTSUPP",
        "6.1; ext4; no_hide_stale; -EOPNOTSUPP",
        // FALLOC_FL_WRITE_ZEROES: no mode before 6.17; in 7.2 xfs, btrfs and shmem refuse it, with KEEP_SIZE vfs does
        "6.12; ext4; write_zeroes; -EOPNOTSUPP",
        "7.2; xfs; write_zeroes; -EOPNOTSUPP",
        "7.2; btrfs; write_zeroes; -EOPNOTSUPP",
        "7.2; ext4; write_zeroes|keep_size; -EOPNOTSUPP",
        // the filesystems' masks
        "6.12; tmpfs; zero_range; -EOPNOTSUPP",
        "5.10; tmpfs; collapse_range; -EOPNOTSUPP",
        "7.2; hugetlbfs; insert_range; -EOPNOTSUPP",
        "6.1; btrfs; collapse_range; -EOPNOTSUPP",
        "6.12; btrfs; unshare_range; -EOPNOTSUPP",
        "6.1; ext4; unshare_range; -EOPNOTSUPP",
        "7.2; xfs; unshare_range; 0",
        "6.1; btrfs; zero_range|keep_size; 0",
        "6.12; tmpfs; keep_size; 0",
        "6.12; nfs; zero_range; 0",
        "7.2; nfs; write_zeroes; 0",
        // ext4_collapse_range()/xfs_is_falloc_aligned(): block-aligned offset and length
        "6.1; ext4; collapse_range; -EINVAL",
        "7.2; xfs; insert_range; -EINVAL",
    })
    void theChecks(String kernel, String fs, String mode, String result) {
        // 0x4800 + 0x1000: not block-aligned, so a collapse or insert is -EINVAL after the mode checks
        Replays r = replay(kernel, fs, "fallocate: ino=20 offset=0x4800 len=0x1000 mode=" + mode);
        assertEquals(result, r.result(5), r.jsonl());
    }

    @Test
    void aRefusedCallChangesNothing() {
        Replays r = replay("6.12", "ext4", "fallocate: ino=20 offset=0x4000 len=0x1000 mode=collapse_range|keep_size");
        Inode f = file(r, 20);
        assertEquals(0x10000, f.size);
        assertTrue(cached(f, 4) && cached(f, 15), "nothing left the page cache");
    }

    @Test
    void collapseAndInsertCheckTheSize() {
        // "There is no need to overlap collapse range with EOF"; "Offset must be less than i_size"
        assertEquals("-EINVAL", replay("6.1", "ext4", "fallocate: ino=20 offset=0x8000 len=0x8000 mode=collapse_range")
                .result(5));
        assertEquals("-EINVAL", replay("7.2", "xfs", "fallocate: ino=20 offset=0x10000 len=0x1000 mode=insert_range")
                .result(5));
        assertEquals("0", replay("7.2", "xfs", "fallocate: ino=20 offset=0xf000 len=0x1000 mode=insert_range")
                .result(5));
    }

    @Test
    void ext4ZeroRangeDropsTheWholePagesAndKeepsTheBlocks() {
        Replays r = replay("6.1", "ext4", "fallocate: ino=20 offset=0x4000 len=0x4000 mode=zero_range");
        assertEquals("0", r.result(5));
        Inode f = file(r, 20);
        long blk5 = block(f, 5);
        assertTrue(cached(f, 3) && cached(f, 8), r.jsonl());
        for (long p = 4; p < 8; p++) {
            assertFalse(cached(f, p), "page " + p + " left the page cache (truncate_pagecache_range())");
        }
        assertTrue(blk5 >= 0, "ext4 converts the extents to unwritten: the blocks stay the file's");
        assertEquals(1, r.replayer.kernel().registrations.live().size(), "the pin holds the folio the file no longer has");
        assertEquals(0x10000, f.size);
    }

    @Test
    void ext4ZeroRangeInsideOnePageDropsNothing() {
        Replays r = replay("6.12", "ext4", "fallocate: ino=20 offset=0x4800 len=0x1000 mode=zero_range");
        Inode f = file(r, 20);
        assertTrue(cached(f, 4) && cached(f, 5), "partial pages are zeroed in place (ext4_zero_partial_blocks())");
    }

    @Test
    void xfsZeroRangeDropsThePartialPagesToo() {
        // xfs_free_file_space() -> xfs_flush_unmap_range(): truncate_pagecache_range() rounded out to whole pages
        Replays r = replay("6.12", "xfs", "fallocate: ino=20 offset=0x4800 len=0x1000 mode=zero_range");
        Inode f = file(r, 20);
        assertFalse(cached(f, 4) || cached(f, 5), r.jsonl());
        assertTrue(cached(f, 3) && cached(f, 6));
    }

    @Test
    void anXfsPunchDropsThePartialPagesAndKeepsTheirBlocks() {
        Replays xfs = replay("6.1", "xfs", "fallocate: ino=20 offset=0x4800 len=0x1000 mode=punch_hole");
        Inode f = file(xfs, 20);
        assertFalse(cached(f, 4) || cached(f, 5), xfs.jsonl());
        assertTrue(block(f, 4) >= 0 && block(f, 5) >= 0, "no whole block in the range: none freed");
        Inode e = file(replay("6.1", "ext4", "fallocate: ino=20 offset=0x4800 len=0x1000 mode=punch_hole"), 20);
        assertTrue(cached(e, 4) && cached(e, 5), "ext4_punch_hole() zeroes the partial pages in place");
    }

    @Test
    void zeroRangeGrowsTheFileUnlessKeepSize() {
        Replays grows = replay("7.2", "ext4", "fallocate: ino=20 offset=0xf000 len=0x4000 mode=zero_range");
        assertEquals(0x13000, file(grows, 20).size);
        Replays keeps = replay("7.2", "ext4", "fallocate: ino=20 offset=0xf000 len=0x4000 mode=zero_range|keep_size");
        Inode f = file(keeps, 20);
        assertEquals(0x10000, f.size);
        assertTrue(block(f, 0x12) >= 0, "the blocks past i_size are allocated");
    }

    @Test
    void allocateWithKeepSizeAllocatesWithoutGrowing() {
        Replays r = replay("6.1", "ext4", "fallocate: ino=20 offset=0x10000 len=0x2000 mode=keep_size");
        Inode f = file(r, 20);
        assertEquals(0x10000, f.size);
        assertTrue(block(f, 0x11) >= 0);
        assertEquals(0x12000, file(replay("6.1", "ext4", "fallocate: ino=20 offset=0x10000 len=0x2000 mode=0"), 20).size);
    }

    @Test
    void ext4CollapseDropsThePageCacheFromTheOffsetAndShiftsTheBlocks() {
        Replays before = replay("6.12", "ext4", "fallocate: ino=20 offset=0 len=0x1000 mode=keep_size");
        long blk8 = block(file(before, 20), 8);
        Replays r = replay("6.12", "ext4", "fallocate: ino=20 offset=0x4000 len=0x4000 mode=collapse_range");
        assertEquals("0", r.result(5), r.jsonl());
        Inode f = file(r, 20);
        assertEquals(0xc000, f.size);
        assertTrue(cached(f, 3), "truncate_pagecache(inode, offset): the pages before stay");
        assertFalse(cached(f, 4) || cached(f, 11), "every page from the offset left the page cache");
        assertEquals(blk8, block(f, 4), "ext4_ext_shift_extents(): the extents after the range moved down");
        assertEquals(-1, block(f, 12), "nothing behind the new end");
        assertEquals(1, r.replayer.kernel().registrations.live().size());
    }

    @Test
    void xfsCollapseDropsFromTheBlockBeforeTheOffset() {
        // xfs_prepare_shift(): "Start with the block just prior to the start to stabilize the boundary"
        Replays r = replay("5.10", "xfs", "fallocate: ino=20 offset=0x4000 len=0x4000 mode=collapse_range");
        Inode f = file(r, 20);
        assertTrue(cached(f, 2), r.jsonl());
        assertFalse(cached(f, 3));
    }

    /**
     * xfs_falloc_collapse_range() sets the new size through xfs_falloc_setsize() -> xfs_setattr_size(), whose
     * truncate_setsize() unmaps past it, a private mapping's COWed copies too (5.10-7.2; the 6.18.44 host's
     * fuzz-long-466-markers: an O_DIRECT write from such a mapping, -EFAULT): the page past the new end faults, SIGBUS.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void anXfsCollapseUnmapsTheCowedCopiesPastTheNewSize(String kernel) {
        Replays r = Replays.text(Replays.lines(
                "file: ino=20 fs=xfs dax=0 size=0x4000",
                "mmap: addr=0x7f1000000000 len=0x4000 prot=rw flags=private ino=20 pgoff=0",
                "fault: addr=0x7f1000000000 len=0x4000 write=1",
                "fallocate: ino=20 offset=0x1000 len=0x1000 mode=collapse_range",
                "get_user_pages: start=0x7f1000003000 nr_pages=1 gup_flags=0",
                "get_user_pages: start=0x7f1000002000 nr_pages=1 gup_flags=0"), kernel, FaultPoints.NONE);
        assertEquals("0", r.result(4), r.jsonl());
        assertEquals("-EFAULT", r.result(5), r.jsonl());
        assertEquals("1", r.result(6), "inside the new size: the COWed copy stays");
    }

    @Test
    void insertShiftsTheBlocksUpAndGrowsTheFile() {
        Replays before = replay("6.1", "ext4", "fallocate: ino=20 offset=0 len=0x1000 mode=keep_size");
        long blk4 = block(file(before, 20), 4);
        Replays r = replay("6.1", "ext4", "fallocate: ino=20 offset=0x4000 len=0x2000 mode=insert_range");
        Inode f = file(r, 20);
        assertEquals(0x12000, f.size);
        assertEquals(-1, block(f, 4), "a hole where the range was inserted");
        assertEquals(blk4, block(f, 6));
        assertTrue(cached(f, 3) && !cached(f, 4));
    }

    @Test
    void ext4WriteZeroesTakesTheRecordedResultForTheDevice() {
        // ext4_fallocate() (6.17+): bdev_write_zeroes_unmap_sectors() decides; the recording says what it did
        Replays ok = replay("7.2", "ext4", "fallocate: ino=20 offset=0x4000 len=0x4000 mode=write_zeroes ret=0");
        assertEquals("0", ok.result(5));
        assertNotNull(ok.call(5).assumed, ok.jsonl());
        assertFalse(cached(file(ok, 20), 4));
        Replays refused = replay("7.2", "ext4", "fallocate: ino=20 offset=0x4000 len=0x4000 mode=0x80 ret=-EOPNOTSUPP");
        assertEquals("-EOPNOTSUPP", refused.result(5));
        assertTrue(cached(file(refused, 20), 4), "refused: nothing changed");
    }

    @Test
    void aDeviceOrSecretmemHasNoFallocate() {
        Replays r = Replays.text(Replays.lines(
                "file: ino=40 fs=devdax dax=1 size=0x200000",
                "fallocate: ino=40 offset=0 len=0x1000 mode=allocate",
                "file: ino=41 fs=secretmem size=0x1000",
                "fallocate: ino=41 offset=0 len=0x2000 mode=allocate"), "6.12", FaultPoints.NONE);
        assertEquals("-ENODEV", r.result(2));
        assertEquals("-EOPNOTSUPP", r.result(4));
        assertEquals(0x1000, file(r, 41).size);
    }

    @Test
    void theModeWords() {
        assertEquals(0, Falloc.parse("allocate"));
        assertEquals(Falloc.PUNCH_HOLE | Falloc.KEEP_SIZE, Falloc.parse("punch_hole"));
        assertEquals(Falloc.ZERO_RANGE | Falloc.KEEP_SIZE, Falloc.parse("zero_range|keep_size"));
        assertEquals(0x11, Falloc.parse("0x11"));
        assertEquals(8, Falloc.parse("8"));
        assertEquals(-1, Falloc.parse("zero"));
        assertEquals(-1, Falloc.parse("zero_range|"));
    }
}
