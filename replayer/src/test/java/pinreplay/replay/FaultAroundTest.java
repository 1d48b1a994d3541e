package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * do_fault_around(): a read fault of a file page maps the cached pages of a 16-page window with it, from the fault's
 * 16-page-aligned address or the VMA's start, within i_size; a miss on a disk file reads the window in first. A
 * FOLL_NOFAULT pin (line 5) shows which PTEs are present.
 */
class FaultAroundTest {
    private static Replays run(String fs, String size, String fault, String pinStart, int pages) {
        return Replays.text(Replays.lines(
                "file: ino=12 fs=" + fs + " dax=0 size=" + size,
                "mmap: addr=0x30003000 len=0x20000 prot=r flags=shared ino=12 pgoff=0",
                "fault: " + fault,
                "mmap: addr=0x50000000 len=0x1000 prot=rw flags=private",
                "pin_user_pages_fast: start=" + pinStart + " nr_pages=" + pages + " gup_flags=FOLL_NOFAULT handle=a"),
                "6.1", FaultPoints.NONE);
    }

    @Test
    void aReadFaultMapsSixteenPagesFromTheVmasStart() {
        // the fault at 0x30005000 aligns down to 0x30000000, before the VMA: the window is 0x30003000-0x30013000
        assertEquals("16", run("ext4", "131072", "addr=0x30005000 len=0x1000 write=0", "0x30003000", 16).result(5));
        assertEquals("-EFAULT", run("ext4", "131072", "addr=0x30005000 len=0x1000 write=0", "0x30013000", 1).result(5));
    }

    @Test
    void theWindowStopsAtTheEndOfTheFile() {
        assertEquals("3", run("ext4", "12288", "addr=0x30003000 len=0x1000 write=0", "0x30003000", 8).result(5));
    }

    @Test
    void aWriteFaultMapsItsOwnPagesOnly() {
        Replays r = Replays.text(Replays.lines(
                "file: ino=12 fs=ext4 dax=0 size=131072",
                "mmap: addr=0x30000000 len=0x20000 prot=rw flags=shared ino=12 pgoff=0",
                "fault: addr=0x30000000 len=0x1000 write=1",
                "mmap: addr=0x50000000 len=0x1000 prot=rw flags=private",
                "pin_user_pages_fast: start=0x30001000 nr_pages=1 gup_flags=FOLL_NOFAULT handle=a"),
                "6.1", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(5), r.jsonl());
    }

    @Test
    void tmpfsMapsOnlyWhatIsCached() {
        // shmem_fault() reads nothing around: its neighbours are not cached, so nothing more is mapped
        assertEquals("1", run("tmpfs", "131072", "addr=0x30003000 len=0x1000 write=0", "0x30003000", 4).result(5));
    }
}
