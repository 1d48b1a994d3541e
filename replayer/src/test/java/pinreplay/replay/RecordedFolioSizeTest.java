package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * The folio sizes a recording shows the kernel give a file's page cache ({@code mm_filemap_add_to_page_cache}'s
 * {@code order=}) are the model's: O_DIRECT's writeback before the request (iomap_dio_rw()) cleans whole folios, so
 * a large one's pages outside the request lose their writable PTEs too, and a FOLL_NOFAULT pin of them fails.
 */
class RecordedFolioSizeTest {
    /**
     * btrfs's file 258 cached in one folio of {@code order} (its tracepoints name the superblock's device, 0:24, its
     * stat() the subvolume's, 0:25), pages 8-11 mapped shared and written; an O_DIRECT read of pages 0-3; then a
     * FOLL_NOFAULT write pin of pages 8-11, as btrfs's O_DIRECT takes its buffers (line 9).
     */
    private static Replays run(int order) {
        return Replays.text(Replays.lines(
                "mm_filemap_add_to_page_cache: dev 0:24 ino 102 pfn=0x1000 ofs=0 order=" + order,
                "file: ino=258 fs=btrfs dax=0 size=65536 dev=0:25",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=shared ino=258 pgoff=8",
                "fault: addr=0x30000000 len=0x4000 write=1",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x40000000 len=0x4000 write=1",
                "dio_submit: handle=d ino=258 dev=0:25 offset=0 len=0x4000 buf=0x40000000 rw=read",
                "dio_complete: handle=d ret=16384",
                "pin_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_NOFAULT handle=p"),
                "7.2", FaultPoints.NONE);
    }

    @Test
    void odirectsWritebackCleansALargeFolioWhole() {
        Replays r = run(4);
        assertEquals("16384", r.result(8), r.jsonl());
        assertEquals("-EFAULT", r.result(9), "folio_mkclean() write-protected pages 8-11 too: " + r.jsonl());
    }

    @Test
    void smallFoliosOutsideTheRequestStayWritable() {
        Replays r = run(0);
        assertEquals("4", r.result(9), r.jsonl());
    }

    /**
     * The same flush in a recording that probes pin_user_pages_fast(): btrfs's O_DIRECT read into the shared mapping of
     * pages 8-11 of its own file first pins with page faults disabled (line 6, after the request's marker), and fails
     * there; btrfs then faults the pages in and reads the whole (line 8). The model plays that first attempt at the
     * marker and answers the probe with its result, though its own retry had faulted the pages in by then.
     */
    @Test
    void btrfsFirstNofaultAttemptAfterTheMarkerIsTheOneRefused() {
        Replays r = Replays.text(Replays.lines(
                "mm_filemap_add_to_page_cache: dev 0:24 ino 102 pfn=0x1000 ofs=0 order=4",
                "file: ino=258 fs=btrfs dax=0 size=65536 dev=0:25",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=shared ino=258 pgoff=8",
                "fault: addr=0x30000000 len=0x4000 write=1",
                "dio_submit: handle=self ino=258 dev=0:25 offset=0 len=0x4000 buf=0x30000000 rw=read",
                "p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x30000000 nr_pages=4 gup_flags=0x21",
                "r_pin_user_pages_fast_0: (iov_iter_extract_pages+0x128/0xce0 <- pin_user_pages_fast) ret=-14",
                "dio_complete: handle=self ret=16384",
                "p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x30000000 nr_pages=4 gup_flags=0x21",
                "r_pin_user_pages_fast_0: (iov_iter_extract_pages+0x128/0xce0 <- pin_user_pages_fast) ret=4"),
                "7.2", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(6), r.jsonl());
        assertEquals("16384", r.result(8), r.jsonl());
        assertEquals("4", r.result(9), "a later NOFAULT pin finds the pages the retry faulted in: " + r.jsonl());
    }

    /**
     * Two threads' btrfs O_DIRECT reads: thread 10's request, submitted between thread 9's marker and its first attempt,
     * leaves that attempt to thread 9 (fuzz-racing-951-markers on 6.12.117: each thread's attempt is its own).
     */
    @Test
    void anotherThreadsRequestLeavesTheAttemptToItsTask() {
        String t9 = "        t-9       (      9) [000] .....   1.0000";
        String t10 = "        t-10      (      9) [001] .....   1.0000";
        Replays r = Replays.text("# tracer: nop\n"
                + t9 + "01: task_newtask: pid=10 comm=t clone_flags=3d0f00 oom_score_adj=0\n"
                + t9 + "02: file: ino=258 fs=btrfs dax=0 size=65536 dev=0:25\n"
                + t9 + "03: mmap: addr=0x30000000 len=0x4000 prot=rw flags=shared ino=258 pgoff=8\n"
                + t10 + "04: mmap: addr=0x40000000 len=0x4000 prot=rw flags=private\n"
                + t9 + "05: dio_submit: handle=a ino=258 dev=0:25 offset=0 len=0x4000 buf=0x30000000 rw=read\n"
                + t10 + "06: dio_submit: handle=b ino=258 dev=0:25 offset=0 len=0x4000 buf=0x40000000 rw=read\n"
                + t9 + "07: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x30000000 nr_pages=4"
                + " gup_flags=0x21\n"
                + t9 + "08: r_pin_user_pages_fast_0: (iov_iter_extract_pages+0x128/0xce0 <- pin_user_pages_fast) ret=-14\n"
                + t9 + "09: dio_complete: handle=a ret=16384\n"
                + t10 + "10: dio_complete: handle=b ret=16384\n", "7.2", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(8), r.jsonl());
        assertEquals("16384", r.result(11), r.jsonl());
    }

    @Test
    void beforeBtrfsDisabledFaultsTheFirstPinIsTheWholeRequest() {
        Replays r = Replays.text(Replays.lines(
                "file: ino=258 fs=btrfs dax=0 size=65536 dev=0:25",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=shared ino=258 pgoff=8",
                "dio_submit: handle=self ino=258 dev=0:25 offset=0 len=0x4000 buf=0x30000000 rw=read",
                "p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) start=0x30000000 nr_pages=4 gup_flags=0x1",
                "r_get_user_pages_fast_0: (iov_iter_get_pages+0x128/0xce0 <- get_user_pages_fast) ret=4",
                "dio_complete: handle=self ret=16384"),
                "5.10", FaultPoints.NONE);
        assertEquals("4", r.result(4), r.jsonl());
    }
}
