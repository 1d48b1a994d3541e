package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Checked against the 5.10.262 to 7.2.13 trees: a FOLL_FORCE write's copy in a read-only private mapping stays
 * read-only (maybe_mkwrite()), so a later GUP-fast write pin falls back and check_vma_flags() refuses it; memfd_secret()
 * and device-dax files map shared only (secretmem_mmap(), check_vma()); a long-term pin migrates a CMA page a fork()
 * child also maps (migrate_pages() unmaps both first).
 */
class ForcedWriteAndSharedOnlyTest {
    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aForcedWritesCopyStaysReadOnly(String kernel) {
        Replays r = run(kernel, "mmap: addr=0x10000 len=0x1000 prot=r flags=private",
                "get_user_pages: start=0x10000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_FORCE",
                "pin_user_pages_fast: start=0x10000 nr_pages=1 gup_flags=FOLL_WRITE");
        assertEquals("1", r.result(2), r.jsonl());
        assertEquals("-EFAULT", r.result(3), r.jsonl());
    }

    @ParameterizedTest
    @CsvSource({"6.1", "7.2"})
    void secretmemAndDeviceDaxMapSharedOnly(String kernel) {
        Replays r = run(kernel, "file: ino=40 fs=secretmem size=0x10000",
                "mmap: addr=0x10000 len=0x1000 prot=rw flags=private ino=40",
                "mmap: addr=0x10000 len=0x1000 prot=rw flags=shared ino=40");
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertEquals("0", r.result(3), r.jsonl());
    }

    @ParameterizedTest
    @CsvSource({"5.10,4", "6.1,4", "7.2,4"})
    void aLongtermPinMigratesACmaPageAForkChildMaps(String kernel, String pinned) {
        String t = "# tracer: nop\n"
                + "  app-100 [000] .....  1.000001: tracing_mark_write: mmap: addr=0x10000000 len=0x4000 prot=rw "
                + "flags=private zone=cma\n"
                + "  app-100 [000] .....  1.000002: tracing_mark_write: fault: addr=0x10000000 len=0x4000 write=1\n"
                + "  app-100 [000] .....  1.000003: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n"
                + "  app-100 [000] .....  1.000004: tracing_mark_write: pin_user_pages: start=0x10000000 nr_pages=4 "
                + "gup_flags=FOLL_LONGTERM\n";
        Replays r = Replays.text(t, kernel, FaultPoints.NONE);
        assertEquals(pinned, r.result(5), r.jsonl());
    }
}
