package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A hole punched in a file (MADV_REMOVE here: unmap_mapping_range() of the page-cache PTEs) keeps the guard markers of
 * its shared mappings (zap_nonpresent_ptes(), 6.13-7.2: only ZAP_FLAG_DROP_MARKER drops them; the 6.18.44 host's
 * fuzz-host-313: an O_DIRECT write from a tmpfs mapping's guard pages after MADV_REMOVE, -EFAULT).
 */
class GuardKeptByPunchTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.18", "7.2"})
    void aPunchKeepsTheGuardMarkers(String release) {
        Replays r = Replays.text(Replays.lines("file: ino=9 fs=tmpfs dax=0 size=16384 dev=0:41",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=shared ino=9 pgoff=0",
                "fault: addr=0x30000000 len=0x4000 write=1",
                "madvise: addr=0x30001000 len=0x1000 advice=guard_install ret=0",
                "madvise: addr=0x30000000 len=0x4000 advice=remove ret=0",
                "get_user_pages: start=0x30001000 nr_pages=1 gup_flags=FOLL_WRITE ret=-EFAULT",
                "get_user_pages: start=0x30002000 nr_pages=1 gup_flags=FOLL_WRITE ret=1"),
                release, FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals("-EFAULT", r.result(6), r.jsonl());
    }
}
