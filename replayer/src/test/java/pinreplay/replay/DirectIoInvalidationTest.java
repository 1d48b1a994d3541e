package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * An O_DIRECT write invalidates the page cache over its range before and after the write
 * (kiocb_invalidate_pages(), kiocb_invalidate_post_direct_write() → invalidate_inode_pages2_range()): the
 * folios' user PTEs are zapped, clean folios leave the file whole, pinned ones too, dirty ones stay.
 */
class DirectIoInvalidationTest {
    /**
     * ext4 file 12 cached in folios of {@code order}, pages 0-7 mapped shared and read; an O_DIRECT write of pages 0-3
     * from an anonymous buffer (lines 6-7); then FOLL_NOFAULT read pins of pages 0-3 (line 8) and 4-7 (line 9).
     */
    private static Replays afterWrite(int order, String kernel) {
        return Replays.text(Replays.lines(
                "mm_filemap_add_to_page_cache: dev 8:1 ino c pfn=0x1000 ofs=0 order=" + order,
                "file: ino=12 fs=ext4 dax=0 size=65536 dev=8:1",
                "mmap: addr=0x30000000 len=0x8000 prot=rw flags=shared ino=12 pgoff=0",
                "fault: addr=0x30000000 len=0x8000 write=0",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=private",
                "dio_submit: handle=d ino=12 dev=8:1 offset=0 len=0x4000 buf=0x40000000 rw=write",
                "dio_complete: handle=d ret=16384",
                "pin_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_NOFAULT handle=a",
                "pin_user_pages_fast: start=0x30004000 nr_pages=4 gup_flags=FOLL_NOFAULT handle=b"),
                kernel, FaultPoints.NONE);
    }

    @Test
    void theWrittenRangesPtesAreZapped() {
        Replays r = afterWrite(0, "6.1");
        assertEquals("16384", r.result(7), r.jsonl());
        assertEquals("-EFAULT", r.result(8), "unmap_mapping_folio() zapped pages 0-3: " + r.jsonl());
        assertEquals("4", r.result(9), "pages 4-7 are other folios: " + r.jsonl());
    }

    @Test
    void aLargeFolioLeavesWhole() {
        Replays r = afterWrite(4, "7.2");
        assertEquals("-EFAULT", r.result(9), "one 64 KiB folio held pages 0-15: " + r.jsonl());
    }

    /** A long-term pin of pages 0-3 (6.1 allows it on a shared ext4 mapping), then the write, then a DMA write. */
    @Test
    void aPinnedFolioLeavesTheFileTooAndTheReplaySaysSo() {
        Replays r = Replays.text(Replays.lines(
                "file: ino=12 fs=ext4 dax=0 size=65536",
                "mmap: addr=0x30000000 len=0x10000 prot=rw flags=shared ino=12 pgoff=0",
                "fault: addr=0x30000000 len=0x4000 write=1",
                "pin_user_pages: start=0x30000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x40000000 len=0x4000 write=1",
                "dio_submit: handle=d ino=12 offset=0 len=0x4000 buf=0x40000000 rw=write",
                "dio_complete: handle=d ret=16384",
                "dma_write: handle=p offset=0x0 len=4096"),
                "6.1", FaultPoints.NONE);
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
        assertEquals(7, r.violations().get(0).line, r.jsonl());
    }

    /**
     * A CPU write into pages 0-1 while the O_DIRECT write is in flight dirties their folios, which a long-term pin then
     * holds: the invalidation after the write zaps their PTEs but leaves them in the file (invalidate_complete_folio2()
     * refuses a dirty folio), so the device's write lands in the file's own folio.
     */
    @Test
    void aFolioDirtiedDuringTheWriteStaysInTheFile() {
        Replays r = Replays.text(Replays.lines(
                "file: ino=12 fs=ext4 dax=0 size=65536",
                "mmap: addr=0x30000000 len=0x8000 prot=rw flags=shared ino=12 pgoff=0",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x40000000 len=0x4000 write=1",
                "dio_submit: handle=d ino=12 offset=0 len=0x4000 buf=0x40000000 rw=write",
                "fault: addr=0x30000000 len=0x2000 write=1",
                "pin_user_pages: start=0x30000000 nr_pages=2 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p",
                "dio_complete: handle=d ret=16384",
                "dma_write: handle=p offset=0x0 len=4096",
                "pin_user_pages_fast: start=0x30000000 nr_pages=2 gup_flags=FOLL_NOFAULT handle=a"),
                "6.1", FaultPoints.NONE);
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
        assertEquals("-EFAULT", r.result(10), "unmapped all the same: " + r.jsonl());
    }

    /**
     * The same in a raw recording: a file opened with {@code flags} (O_DIRECT is 040000), mapped shared, its pages 0-3
     * faulted in by a GUP, then pwrite64() of pages 0-3 and a FOLL_NOFAULT pin of them (line 10).
     */
    private static Replays raw(String flags, String pinRet) {
        return Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: " + flags + ", mode: 1a4)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_mmap(addr: 0, len: 10000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000003: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000004: p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=4 gup_flags=0x0\n"
                + " t-9 [000] .....  1.000005: r_get_user_pages_fast_0: (x+0x9d/0x2f0 <- get_user_pages_fast) ret=4\n"
                + " t-9 [000] .....  1.000006: sys_pwrite64(fd: 3, buf: 7ffc1000, count: 4000, pos: 0)\n"
                + " t-9 [000] .....  1.000007: sys_pwrite64 -> 0x4000\n"
                + " t-9 [000] .....  1.000008: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=4 gup_flags=0x80\n"
                + " t-9 [000] .....  1.000009: r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret=" + pinRet
                + "\n", "6.1", FaultPoints.NONE);
    }

    @Test
    void aRawPwriteToAnODirectFdInvalidatesToo() {
        Replays r = raw("4042", "-14");
        assertEquals("-EFAULT", r.result(10), r.jsonl());
        assertEquals(null, r.call(10).assumed, "the model's own page tables explain it: " + r.jsonl());
    }

    @Test
    void aBufferedPwriteLeavesThePagesMapped() {
        assertEquals("4", raw("42", "4").result(10));
    }

    /**
     * A raw O_DIRECT pread64() of pages 0-3 into a shared mapping of those pages, which a write pin had dirtied: the
     * writeback before its GUP (kiocb_write_and_wait()) cleans and write-protects them, so its FOLL_WRITE|FOLL_NOFAULT
     * pin of them (btrfs's first attempt) fails (line 9).
     */
    @Test
    void aRawODirectReadWritesBackBeforeItsPin() {
        Replays r = Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 4002, mode: 0)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_mmap(addr: 0, len: 10000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000003: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000004: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=4 gup_flags=0x1\n"
                + " t-9 [000] .....  1.000005: r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret=4\n"
                + " t-9 [000] .....  1.000006: sys_pread64(fd: 3, buf: 7f0000000000, count: 4000, pos: 0)\n"
                + " t-9 [000] .....  1.000007: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=4 gup_flags=0x81\n"
                + " t-9 [000] .....  1.000008: r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret=-14\n"
                + " t-9 [000] .....  1.000009: sys_pread64 -> 0x4000\n", "6.1", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(9), r.jsonl());
        assertEquals(null, r.call(9).assumed, "the writeback explains it: " + r.jsonl());
    }
}
