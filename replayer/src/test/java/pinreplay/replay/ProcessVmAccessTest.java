package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * process_vm_readv()/writev() on a task's own memory (mm/process_vm_access.c, 5.10-7.2): pin_user_pages_remote() of
 * the pages, FOLL_WRITE for a write, a batch at a time; the bytes copied before the first page the pin cannot reach,
 * -EFAULT when that is the first. The faults the pins made stay: a read maps a private file mapping's page-cache
 * pages, a write COWs them.
 */
class ProcessVmAccessTest {
    private static final String FILE = "file: ino=132 fs=xfs dax=0 size=20480 dev=7:2";
    private static final String MAP = "mmap: addr=0x30000000 len=0x5000 prot=rw flags=private ino=132 pgoff=0";

    @Test
    void aReadStopsAtAGuardMarkerAndMapsThePagesBeforeIt() {
        Replays r = Replays.text(Replays.lines(FILE, MAP,
                "madvise: addr=0x30002000 len=0x1000 advice=guard_install ret=0",
                "process_vm_readv: pid=100 addr=0x30000000 len=0x5000 ret=8192",
                "pin_user_pages_fast: start=0x30000000 nr_pages=2 gup_flags=FOLL_NOFAULT handle=p",
                "pin_user_pages_fast: start=0x30000000 nr_pages=2 gup_flags=FOLL_WRITE|FOLL_NOFAULT handle=q"),
                "6.18", FaultPoints.NONE);
        assertEquals("8192", r.result(4), r.jsonl());
        assertEquals("2", r.result(5), "the read mapped pages 0-1: " + r.jsonl());
        assertEquals("-EFAULT", r.result(6), "read-only, from the page cache: " + r.jsonl());
    }

    @Test
    void aWriteBreaksCopyOnWrite() {
        Replays r = Replays.text(Replays.lines(FILE, MAP,
                "process_vm_writev: pid=100 addr=0x30000000 len=0x2000 ret=8192",
                "pin_user_pages_fast: start=0x30000000 nr_pages=2 gup_flags=FOLL_WRITE|FOLL_NOFAULT handle=q"),
                "6.18", FaultPoints.NONE);
        assertEquals("8192", r.result(3), r.jsonl());
        assertEquals("2", r.result(4), "the write left writable COWed pages: " + r.jsonl());
    }

    @Test
    void aFirstPageThePinCannotReachIsEfault() {
        Replays r = Replays.text(Replays.lines(FILE, MAP,
                "process_vm_readv: pid=100 addr=0x30005000 len=0x1000 ret=-EFAULT"),
                "6.18", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(3), r.jsonl());
    }
}
