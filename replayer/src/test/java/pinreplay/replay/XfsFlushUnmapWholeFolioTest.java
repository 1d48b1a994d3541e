package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * An xfs punch-hole over pages 3-5 of a file cached in one order-2 folio at 0 (pages 0-3), a private mapping with
 * guard markers over pages 3 and 4. On the host's 6.18.44 xfs_flush_unmap_range() takes the folio out whole, and when a
 * page of it is still mapped truncate_cleanup_folio()'s unmap_mapping_folio() drops the guard markers over it
 * (ZAP_FLAG_DROP_MARKER): page 3's goes, page 4's (past the folio) stays (fuzz-long-527-markers, line 2615: an
 * O_DIRECT write from pages 0-3 that the model refused). 7.2 splits the folio and keeps the markers.
 */
class XfsFlushUnmapWholeFolioTest {
    @ParameterizedTest(name = "{0} page 0 mapped {1}")
    @CsvSource({"6.18, true, 1", "6.18, false, -EFAULT", "7.2, true, -EFAULT"})
    void theWholeFolioGoesWithItsGuardMarkersWhenMapped(String release, boolean mapped, String page3) {
        Replays r = Replays.text(Replays.lines(
                "mm_filemap_add_to_page_cache: dev 7:2 ino 84 pfn=0x1000 ofs=0 order=2",
                "file: ino=132 fs=xfs dax=0 size=24576 dev=7:2",
                "mmap: addr=0x30000000 len=0x5000 prot=rw flags=private ino=132 pgoff=0",
                "madvise: addr=0x30003000 len=0x2000 advice=guard_install ret=0",
                "fault: addr=0x30000000 len=0x1000 write=" + (mapped ? "0" : "1"),
                "fallocate: ino=132 mode=punch_hole offset=0x3000 len=0x3000 ret=0 dev=7:2",
                "get_user_pages: start=0x30003000 nr_pages=1 gup_flags=FOLL_WRITE ret=" + page3,
                "get_user_pages: start=0x30004000 nr_pages=1 gup_flags=FOLL_WRITE ret=-EFAULT"),
                release, FaultPoints.NONE);
        assertEquals(page3, r.result(7), r.jsonl());
        assertEquals("-EFAULT", r.result(8), "page 4 is past the folio: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }
}
