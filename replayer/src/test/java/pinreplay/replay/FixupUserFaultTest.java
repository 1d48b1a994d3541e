package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * btrfs's O_DIRECT read pins its buffer with page faults disabled (FOLL_NOFAULT, 5.16+), then faults the rest in with
 * fault_in_iov_iter_writeable() (fault_in_safe_writeable() → fixup_user_fault() per page, which the recorder probes)
 * and tries again. Found by the lab's fuzz-host-309 (raw) and fuzz-host-305 (markers) on 6.1.
 */
class FixupUserFaultTest {
    private static String gup(String call, long start, int nr, String flags) {
        return "p_" + call + "_0: (" + call + "+0x0/0x30) start=0x" + Long.toHexString(start) + " nr_pages=" + nr
                + " gup_flags=" + flags;
    }

    private static String ret(String call, long ret) {
        return "r_" + call + "_0: (x+0xe9/0x7a0 <- " + call + ") ret=" + ret;
    }

    private static final String FIXUP = "p_fixup_user_fault_0: (fixup_user_fault+0x0/0x1a0) address=0x%x fault_flags=0x1";
    private static final String FIXED = "r_fixup_user_fault_0: (fault_in_safe_writeable+0x9c/0x120 <- fixup_user_fault) ret=0";

    /**
     * A raw recording: the first attempt finds the buffer's pages absent (-EFAULT), fixup_user_fault() faults both in
     * (0), and the retry gets them; the model used to leave them absent and refuse the retry (fuzz-host-309: 10 pages).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1,get_user_pages_fast,0x81", "6.12,pin_user_pages_fast,0x21", "7.2,pin_user_pages_fast,0x21"})
    void aPageFixupUserFaultFaultedInIsThereForTheRetry(String release, String call, String flags) {
        Replays r = Replays.text(Replays.lines(
                "sys_mmap(addr: 30000000, len: 2000, prot: 3, flags: 32, fd: ffffffffffffffff, off: 0)",
                "sys_mmap -> 0x30000000",
                gup(call, 0x30000000L, 2, flags), ret(call, -14),
                String.format(FIXUP, 0x30000000), FIXED, String.format(FIXUP, 0x30001000), FIXED,
                gup(call, 0x30000000L, 2, flags), ret(call, 2)), release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("2", r.result(9), r.jsonl());
        assertNull(r.call(9).assumed, r.jsonl());
    }

    /**
     * With the program's dio_submit marker: the first attempt got pages 0-2 and meets page 3 three times more
     * (bio_iov_iter_get_pages()' loop, iomap_dio_bio_iter()'s next bio, iomap_iter()'s next extent), -EFAULT each,
     * until btrfs faults it in; the model used to end the attempt at the first of them and answer the other two from
     * its own pages, which the marker's request had faulted in (fuzz-host-305-markers).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1,get_user_pages_fast,0x81", "6.12,pin_user_pages_fast,0x21"})
    void aReadsFirstAttemptMeetsItsStopUntilTheFaultIn(String release, String call, String flags) {
        Replays r = Replays.text(Replays.lines("file: ino=271 fs=btrfs size=0x10000 dev=0:23",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x30000000 len=0x3000 write=1",
                "dio_submit: handle=d1 ino=271 offset=0x1000 len=0x4000 buf=0x30000000 rw=read dev=0:23",
                gup(call, 0x30000000L, 4, flags), ret(call, 3),
                gup(call, 0x30003000L, 1, flags), ret(call, -14),
                gup(call, 0x30003000L, 1, flags), ret(call, -14),
                gup(call, 0x30003000L, 1, flags), ret(call, -14),
                String.format(FIXUP, 0x30003000), FIXED,
                gup(call, 0x30003000L, 1, flags), ret(call, 1),
                "dio_complete: handle=d1 ret=16384"), release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("3", r.result(5), r.jsonl());
        assertEquals("-EFAULT", r.result(9), r.jsonl());
        assertEquals("-EFAULT", r.result(11), r.jsonl());
        assertEquals("1", r.result(15), r.jsonl());
    }

    /**
     * A read's first attempt that the recording shows getting the page where the model's attempt stopped, with no
     * fault-in before it: the page was mapped by what the recording does not show (fuzz-deeper-603-markers on 6.12, cut
     * at 65 %: a private ext4 fs-DAX mapping that mlockall(MCL_FUTURE)'s def_flags, from before the cut, populated).
     * The model used to answer -EFAULT, the attempt it had played for the marker.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1,get_user_pages_fast,0x81", "6.12,pin_user_pages_fast,0x21", "7.2,pin_user_pages_fast,0x21"})
    void aReadsFirstAttemptGettingThePageAtItsStopFoundItMapped(String release, String call, String flags) {
        Replays r = Replays.text(Replays.lines("file: ino=271 fs=btrfs size=0x10000 dev=0:23",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=private",
                "dio_submit: handle=d1 ino=271 offset=0x1000 len=0x1000 buf=0x30003000 rw=read dev=0:23",
                gup(call, 0x30003000L, 1, flags), ret(call, 1),
                "dio_complete: handle=d1 ret=4096"), release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("1", r.result(4), r.jsonl());
    }

    /**
     * A raw recording's file it never sized (opened, written with pwrite(), mapped private): the first attempt pins
     * page 0, which a pin without FOLL_NOFAULT had faulted in, and stops at page 1, absent; FOLL_NOFAULT stopped it
     * there, not the file's end, so fixup_user_fault() faults page 1 in and the retry gets it. The model used to take
     * the short count for the end of the file and refuse the retry (fuzz-long-421 on 7.2: a private ext4 fs-DAX
     * mapping grown by mremap() over a hole).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1,get_user_pages_fast,0x81,0x1", "7.2,pin_user_pages_fast,0x21,0x1"})
    void aNofaultShortCountIsNoEndOfAnUnsizedFile(String release, String call, String nofault, String plain) {
        Replays r = Replays.text(Replays.lines(
                "sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 42, mode: 180)", "sys_openat -> 0x3",
                "sys_mmap(addr: 30000000, len: 4000, prot: 3, flags: 12, fd: 3, off: 0)", "sys_mmap -> 0x30000000",
                gup(call, 0x30000000L, 1, plain), ret(call, 1),
                gup(call, 0x30000000L, 2, nofault), ret(call, 1),
                String.format(FIXUP, 0x30001000), FIXED,
                gup(call, 0x30001000L, 1, nofault), ret(call, 1)), release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertNull(r.call(7).assumed, r.jsonl());
        assertEquals("1", r.result(11), r.jsonl());
    }

    /**
     * An O_DIRECT write's first attempt meets its stop as a read's does, three times here, until btrfs_direct_write()
     * faults the rest in with fault_in_iov_iter_readable(), which no probe shows (the CPU reads the buffer); the retry
     * gets the page. The model used to end a write's attempt at its first -EFAULT and answer the next two from its own
     * pages, which the marker's request had faulted in (fuzz-long-404-markers on 6.1).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1,get_user_pages_fast,0x80"})
    void aWritesFirstAttemptMeetsItsStopUntilTheUnseenFaultIn(String release, String call, String flags) {
        Replays r = Replays.text(Replays.lines("file: ino=271 fs=btrfs size=0x10000 dev=0:23",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x30000000 len=0x3000 write=1",
                "dio_submit: handle=d1 ino=271 offset=0x1000 len=0x4000 buf=0x30000000 rw=write dev=0:23",
                gup(call, 0x30000000L, 4, flags), ret(call, 3),
                gup(call, 0x30003000L, 1, flags), ret(call, -14),
                gup(call, 0x30003000L, 1, flags), ret(call, -14),
                gup(call, 0x30003000L, 1, flags), ret(call, -14),
                gup(call, 0x30003000L, 1, flags), ret(call, 1),
                "dio_complete: handle=d1 ret=16384"), release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("-EFAULT", r.result(9), r.jsonl());
        assertEquals("-EFAULT", r.result(11), r.jsonl());
        assertEquals("1", r.result(13), r.jsonl());
    }
}
