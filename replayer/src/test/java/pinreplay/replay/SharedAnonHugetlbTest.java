package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB is a hugetlbfs file (ksys_mmap_pgoff()'s hugetlb_file_setup(), 5.10-7.2), not
 * shmem: its pages are 2 MiB folios, which io_uring charges whole, and a 4 KiB MADV_REMOVE punches no whole huge page.
 */
class SharedAnonHugetlbTest {
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "7.2"})
    void aSmallBufferChargesTheWholeHugePage(String kernel) {
        Replays r = Replays.text(Replays.lines(
                "memlock: pid=100 rlimit=65536 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0"
                        + " user_locked_vm=0",
                "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=shared hugetlb=1",
                "fault: addr=0x7f0000000000 len=0x1000 write=1",
                "io_uring_register_buffers: handle=r addr=0x7f0000000000 len=0x1000"), kernel, FaultPoints.NONE);
        assertEquals("-ENOMEM", r.result(4), r.jsonl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "7.2"})
    void aSmallRemovePunchesNoHugePage(String kernel) {
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=shared hugetlb=1",
                "fault: addr=0x7f0000000000 len=0x1000 write=1",
                "pin_user_pages: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p",
                "madvise: addr=0x7f0000000000 len=0x1000 advice=remove",
                "unpin_user_pages: handle=p"), kernel, FaultPoints.NONE);
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
    }
}
