package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * remap_file_pages() (deprecated, emulated since 3.16: mm/mmap.c, 5.10-7.2) maps the shared VMA's file again over the
 * range at the page offset asked for, a do_mmap() with MAP_SHARED | MAP_FIXED | MAP_POPULATE; no mmap() event says it.
 * Here page 0 of a 4-page shared mapping is made file page 3, then the file is truncated to 2 pages: a GUP of page 0
 * is past i_size (SIGBUS, -EFAULT), one of page 1 still maps.
 */
class RemapFilePagesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.12", "6.18", "7.2"})
    void theRangeMapsTheFileAtTheNewOffset(String release) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "file: ino=30 fs=ext4 dax=0 size=0x4000",
                "mmap: addr=0x7f0000000000 len=0x4000 prot=rw flags=shared ino=30 pgoff=0",
                "sys_remap_file_pages(start: 7f0000000000, size: 1000, prot: 0, pgoff: 3, flags: 0)",
                "sys_remap_file_pages -> 0x0",
                "ftruncate: ino=30 size=0x2000 ret=0",
                "get_user_pages: start=0x7f0000000000 nr_pages=1 gup_flags=0",
                "get_user_pages: start=0x7f0000001000 nr_pages=1 gup_flags=0"),
                release, FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(7), r.jsonl());
        assertEquals("1", r.result(8), r.jsonl());
    }
}
