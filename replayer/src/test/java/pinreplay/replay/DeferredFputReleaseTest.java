package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Raw long-term pins released outside a syscall: a vfio container closed by exit_files() after sched_process_exit,
 * or by close() whose __fput() runs from task_work after the syscall returned (until 6.7's __fput_sync()). The
 * recorded unpins release the pins, so the child's write after it reuses the page (5.10's do_wp_page() by
 * page_count()): no pin is lost to COW.
 */
class DeferredFputReleaseTest {
    /** P maps 4 pages it shares with its fork()ed child C read-only into vfio, exits; C then writes them. */
    private static final List<String> EXIT = List.of(
            "        vfio-edu-607     (    607) [001] .....    93.300000: mmap: addr=0x7f52c13a3000 len=0x4000 prot=rw flags=private ret=0x7f52c13a3000",
            "        vfio-edu-607     (    607) [001] .....    93.300100: fault: addr=0x7f52c13a3000 len=0x4000 write=1",
            "        vfio-edu-607     (    607) [001] .....    93.300200: task_newtask: pid=608 comm=vfio-edu clone_flags=1200000 oom_score_adj=0",
            "        vfio-edu-607     (    607) [001] .....    93.300210: sched_process_fork: comm=vfio-edu pid=607 child_comm=vfio-edu child_pid=608",
            "        vfio-edu-607     (    607) [001] ...1.    93.373507: sys_ioctl(fd: 3, cmd: 3b71, arg: 7ffe37ef7560)",
            "        vfio-edu-607     (    607) [001] .....    93.373559: p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x1900 [vfio_iommu_type1]) cmd=15217 flags=0x1 at8=0x7f52c13a3000 at16=0x200000 at24=0x4000",
            "        vfio-edu-607     (    607) [001] .....    93.373691: p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x30) start=0x7f52c13a3000 nr_pages=4 gup_flags=0x10000",
            "        vfio-edu-607     (    607) [001] .....    93.373796: r_pin_user_pages_remote_0: (vaddr_get_pfns+0x7b/0x260 [vfio_iommu_type1] <- pin_user_pages_remote) ret=4",
            "        vfio-edu-607     (    607) [001] ...1.    93.373938: sys_ioctl -> 0x0",
            "        vfio-edu-607     (    607) [001] ...1.    93.600000: sys_exit_group(error_code: 0)",
            "        vfio-edu-607     (    607) [001] .....    93.624702: sched_process_exit: comm=vfio-edu pid=607 prio=120",
            "        vfio-edu-607     (    607) [001] .N...    93.624800: p_unpin_user_pages_dirty_lock_0: (unpin_user_pages_dirty_lock+0x0/0x170) npages=1 make_dirty=0",
            "        vfio-edu-607     (    607) [001] .....    93.624810: p_unpin_user_pages_dirty_lock_0: (unpin_user_pages_dirty_lock+0x0/0x170) npages=1 make_dirty=0",
            "        vfio-edu-607     (    607) [001] .....    93.624820: p_unpin_user_pages_dirty_lock_0: (unpin_user_pages_dirty_lock+0x0/0x170) npages=1 make_dirty=0",
            "        vfio-edu-607     (    607) [001] .....    93.624830: p_unpin_user_pages_dirty_lock_0: (unpin_user_pages_dirty_lock+0x0/0x170) npages=1 make_dirty=0",
            "        vfio-edu-608     (    608) [000] .....    94.000000: fault: addr=0x7f52c13a3000 len=0x4000 write=1");

    private static String trace(String how) {
        List<String> t = new ArrayList<>(EXIT);
        if (how.equals("close")) {
            int i = t.indexOf(t.stream().filter(l -> l.contains("sys_exit_group")).findFirst().orElseThrow());
            t.set(i, t.get(i).replace("sys_exit_group(error_code: 0)", "sys_close(fd: 4)"));
            t.set(i + 1, t.get(i).replace("sys_close(fd: 4)", "sys_close -> 0x0"));
        }
        return String.join("\n", t) + "\n";
    }

    @ParameterizedTest
    @CsvSource({"5.10, exit", "5.10, close", "6.1, exit", "6.1, close"})
    void theUnpinsAfterTheReleaseFreeThePages(String kernel, String how) {
        Replays r = Replays.text(trace(how), kernel, FaultPoints.NONE);
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }
}
