package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * vmsplice() into a new pipe (vmsplice_to_pipe() -> iter_to_pipe(), 5.10-7.2): get_user_pages_fast() of the pages
 * without FOLL_WRITE, 16 at a time, as many as the pipe's 16 buffers take. Its result is the bytes the pipe took, and
 * the pages it faulted in stay mapped (the 6.18 host's fuzz-long-527-markers: a private xfs mapping's pages that a
 * vmsplice() mapped from the page cache).
 */
class VmspliceTest {
    private static final String FILE = "file: ino=132 fs=xfs dax=0 size=20480 dev=7:2";
    private static final String MAP = "mmap: addr=0x30000000 len=0x5000 prot=rw flags=private ino=132 pgoff=0";

    @Test
    void stopsAtAGuardMarkerAndLeavesThePagesBeforeItMapped() {
        Replays r = Replays.text(Replays.lines(FILE, MAP,
                "madvise: addr=0x30003000 len=0x1000 advice=guard_install ret=0",
                "vmsplice: addr=0x30000000 len=0x5000 ret=12288",
                "pin_user_pages_fast: start=0x30000000 nr_pages=3 gup_flags=FOLL_NOFAULT handle=p"),
                "6.18", FaultPoints.NONE);
        assertEquals("12288", r.result(4), r.jsonl());
        assertEquals("3", r.result(5), "the read faults mapped pages 0-2: " + r.jsonl());
    }

    @Test
    void aFirstPageGupCannotReachIsTheError() {
        Replays r = Replays.text(Replays.lines(FILE, MAP,
                "madvise: addr=0x30000000 len=0x1000 advice=guard_install ret=0",
                "vmsplice: addr=0x30000000 len=0x2000 ret=-EFAULT"),
                "6.18", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(4), r.jsonl());
    }

    @Test
    void aNewPipeTakesSixteenPages() {
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x30000000 len=0x14000 prot=rw flags=private",
                "vmsplice: addr=0x30000000 len=0x14000 ret=65536"),
                "7.2", FaultPoints.NONE);
        assertEquals("65536", r.result(2), r.jsonl());
    }
}
