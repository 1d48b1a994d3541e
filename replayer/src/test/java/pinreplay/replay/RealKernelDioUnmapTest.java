package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.outcome.Outcome;

/**
 * The lab's dio-unmap on real kernels: an O_DIRECT read from the throttled disk is in flight while the main thread
 * munmap()s, remaps, mprotect()s, MADV_DONTNEEDs and mremap()s its buffer. Only MADV_DONTNEED drops pages the read
 * still holds (zap_page_range() leaves the references; the task then reads zeros). The raw recordings see it as the
 * recordings with markers do: the bios hold the pages from their GUP until the syscall returns, a pread64() or, in
 * dio-unmap-read, a read() the recorder keeps because it is at least 512 bytes; in dio-unmap-preadv2, a preadv2()
 * of one iovec (fio's pvsync2), to its return; in dio-unmap-readv, a readv() of one iovec, to its return; in
 * dio-unmap-uring, until the
 * IORING_OP_READ's io_uring_complete, long after the io_uring_enter() that issued it returned.
 */
class RealKernelDioUnmapTest {
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"5.10,dio-unmap", "5.10,dio-unmap-markers", "6.1,dio-unmap", "6.1,dio-unmap-markers",
            "6.1,dio-unmap-read", "6.1,dio-unmap-read-markers", "6.12,dio-unmap", "6.12,dio-unmap-markers",
            "7.2,dio-unmap", "7.2,dio-unmap-markers", "7.2,dio-unmap-read", "7.2,dio-unmap-read-markers", "5.10,dio-unmap-uring", "5.10,dio-unmap-uring-markers",
            "6.1,dio-unmap-uring", "6.1,dio-unmap-uring-markers", "6.12,dio-unmap-uring", "6.12,dio-unmap-uring-markers",
            "7.2,dio-unmap-uring", "7.2,dio-unmap-uring-markers", "5.10,dio-unmap-preadv2", "5.10,dio-unmap-preadv2-markers", "6.1,dio-unmap-preadv2",
            "6.1,dio-unmap-preadv2-markers", "6.12,dio-unmap-preadv2", "6.12,dio-unmap-preadv2-markers", "7.2,dio-unmap-preadv2",
            "7.2,dio-unmap-preadv2-markers", "5.10,dio-unmap-readv", "5.10,dio-unmap-readv-markers", "6.1,dio-unmap-readv",
            "6.1,dio-unmap-readv-markers", "6.12,dio-unmap-readv", "6.12,dio-unmap-readv-markers", "7.2,dio-unmap-readv",
            "7.2,dio-unmap-readv-markers"})
    void onlyTheDontneedUnderTheReadDropsPagesItHolds(String release, String name) {
        String trace = "real/" + release + "/" + name + ".txt";
        Replays r = Replays.file(trace, release);
        List<Outcome> v = r.violations();
        assertEquals(1, v.size(), r.jsonl());
        assertEquals("pinned-page-discarded", v.get(0).violation);
        assertTrue(v.get(0).detail.startsWith("MADV_DONTNEED of "), v.get(0).detail);
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.hasObserved && !o.agrees()),
                "every recorded result agrees");
        assertTrue(r.stalls().isEmpty());
    }
}
