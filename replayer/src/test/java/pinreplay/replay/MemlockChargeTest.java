package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * The RLIMIT_MEMLOCK charge of long-term pins per task, from memlock lines (the lab's memlock-matrix on Debian 5.10,
 * 6.1, 6.12 and 7.2): vfio's locked_vm with dma->lock_cap, io_uring's user->locked_vm of the ring creator, RDMA's
 * pinned_vm, and what an unknown input lets the model assume.
 */
class MemlockChargeTest {
    private static final String MAP = "mmap: addr=0x10000000 len=0x40000 prot=rw flags=private";
    /** App 100 as root with a limit of 16 pages. */
    private static final String ROOT = "memlock: pid=100 rlimit=65536 cap_ipc_lock=1 uid=0 euid=0 suid=0 locked_vm=0 "
            + "pinned_vm=0 user_locked_vm=0";
    /** App 100 dropped to uid 1000 (setresuid(1000, 1000, 0)). */
    private static final String USER = "memlock: pid=100 cap_ipc_lock=0 uid=1000 euid=1000 suid=0 user_locked_vm=0";

    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    /** vfio_pin_pages_remote(): root's map is charged to locked_vm without a limit and counts against the user's. */
    @Test
    void vfioChargesRootsMapsAndRefusesTheUserBeyondTheLimit() {
        Replays r = run("6.12", MAP, ROOT,
                "vfio_dma_map: handle=root vaddr=0x10000000 iova=0x100000 size=0x20000 prot=rw",   // 32 pages, lock_cap
                USER,
                "vfio_dma_map: handle=u1 vaddr=0x10000000 iova=0x200000 size=0x1000 prot=rw",      // 33 > 16
                "vfio_dma_unmap: handle=root iova=0x100000 size=0x20000",
                "vfio_dma_map: handle=u2 vaddr=0x10000000 iova=0x300000 size=0x10000 prot=rw",     // 16 <= 16
                "vfio_dma_map: handle=u3 vaddr=0x10000000 iova=0x400000 size=0x1000 prot=rw");     // 17 > 16
        assertEquals("0", r.result(3));
        assertEquals("-ENOMEM", r.result(5));
        assertEquals("0", r.result(7));
        assertEquals("-ENOMEM", r.result(8));
    }

    /**
     * do_exit() -> exit_files(): a process that exits with a registered buffer gives its user's charge back (the ring's
     * io_ring_exit_work()), so the next process of that user registers as much again (the lab's exit-release).
     */
    @Test
    void anExitedProcessGivesItsUsersChargeBack() {
        StringBuilder t = new StringBuilder("# tracer: nop\n");
        int line = 1;
        for (int child : new int[] {101, 102}) {
            t.append(String.format("  app-100 [000] .....  1.%06d: sched_process_fork: comm=app pid=100 child_comm=app "
                    + "child_pid=%d%n", ++line, child));
            for (String e : new String[] {"memlock: pid=" + child + " rlimit=65536 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000",
                    MAP, "io_uring_register_buffers: handle=b" + child + " addr=0x10000000 len=0xc000"}) {
                t.append(String.format("  app-%d [000] .....  1.%06d: tracing_mark_write: %s%n", child, ++line, e));
            }
            t.append(String.format("  app-%d [000] .....  1.%06d: sched_process_exit: comm=app pid=%d prio=120%n", child,
                    ++line, child));
        }
        Replays r = Replays.text(t.toString(), "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(5), r.jsonl());
        assertEquals("0", r.result(10), "12 + 12 pages would be over 16: the first process's charge went with it");
    }

    /**
     * sched_process_exit's group_dead (7.2): a main thread that exits while another thread lives on closes no file, so
     * the buffer its ring holds is still registered when the other thread, not seen before, unregisters it.
     */
    @Test
    void aThreadGroupThatLivesOnKeepsItsFiles() {
        String t = "# tracer: nop\n"
                + "  app-100 (  100) [000] .....  1.000001: tracing_mark_write: " + MAP + "\n"
                + "  app-100 (  100) [000] .....  1.000002: tracing_mark_write: io_uring_register_buffers: handle=b "
                + "addr=0x10000000 len=0x4000\n"
                + "  app-100 (  100) [000] .....  1.000003: sched_process_exit: comm=app pid=100 prio=120 group_dead=false\n"
                + "  app-101 (  100) [000] .....  1.000004: tracing_mark_write: io_uring_unregister_buffers: handle=b ret=0\n";
        Replays r = Replays.text(t, "7.2", FaultPoints.NONE);
        assertEquals("0", r.result(5), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /** execve() closes the old image's rings (io_uring_setup() makes them O_CLOEXEC): the user's charge goes too. */
    @Test
    void anExecveGivesTheOldImagesChargeBack() {
        String t = "# tracer: nop\n"
                + "  app-100 [000] .....  1.000001: tracing_mark_write: memlock: pid=100 rlimit=65536 cap_ipc_lock=0 "
                + "uid=1000 euid=1000 suid=1000\n"
                + "  app-100 [000] .....  1.000002: tracing_mark_write: " + MAP + "\n"
                + "  app-100 [000] .....  1.000003: tracing_mark_write: io_uring_register_buffers: handle=a "
                + "addr=0x10000000 len=0xc000\n"
                + "  app-100 [000] .....  1.000004: sched_process_exec: filename=/app pid=100 old_pid=100\n"
                + "  app-100 [000] .....  1.000005: tracing_mark_write: " + MAP + "\n"
                + "  app-100 [000] .....  1.000006: tracing_mark_write: io_uring_register_buffers: handle=b "
                + "addr=0x10000000 len=0xc000\n";
        Replays r = Replays.text(t, "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(4), r.jsonl());
        assertEquals("0", r.result(7), "12 + 12 pages would be over 16: the old image's ring closed at execve()");
    }

    /** __io_account_mem(): two rings of one user share user->locked_vm; unregister gives it back. */
    @Test
    void ioUringChargesTheUserOfBothRings() {
        Replays r = run("6.1", MAP, USER.replace("cap_ipc_lock=0", "cap_ipc_lock=0 rlimit=65536"),
                "io_uring_register_buffers: handle=A addr=0x10000000 len=0x8000",     // 8
                "io_uring_register_buffers: handle=B addr=0x10000000 len=0x10000",    // 8 + 16 > 16
                "io_uring_register_buffers: handle=B addr=0x10000000 len=0x8000",     // 16
                "io_uring_unregister_buffers: handle=A",
                "io_uring_register_buffers: handle=A addr=0x10000000 len=0x8000",     // 16 again
                "io_uring_register_buffers: handle=C addr=0x10000000 len=0x1000");    // 17
        assertEquals("0", r.result(3));
        assertEquals("-ENOMEM", r.result(4));
        assertEquals("0", r.result(5));
        assertEquals("0", r.result(7));
        assertEquals("-ENOMEM", r.result(8));
    }

    /**
     * io_account_mem(): a root-made ring charges no user but the mm's pinned_vm, which ib_umem_get() counts for the
     * user's MR (5.10 to 6.12); Debian 7.2.13 charges nothing for it.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.10, -ENOMEM", "6.12, -ENOMEM", "7.2, 0"})
    void aRootRingsBuffersCountInTheUsersPinnedVmUntil72(String kernel, String mr) {
        Replays r = run(kernel, MAP, ROOT,
                "io_uring_register_buffers: handle=ring0 addr=0x10000000 len=0x20000",   // 32 pages, no ctx->user
                USER,
                "rdma_reg_mr: handle=m addr=0x10000000 len=0x4000 access=write");       // pinned_vm 32 + 4 > 16
        assertEquals("0", r.result(3));
        assertEquals(mr, r.result(5));
    }

    /** can_do_mlock(): a limit of 0 without CAP_IPC_LOCK is -EPERM before the pinned_vm check; root passes both. */
    @Test
    void rdmaRefusesALimitOfZeroWithoutTheCapability() {
        Replays r = run("6.12", MAP, ROOT.replace("rlimit=65536", "rlimit=0"),
                "rdma_reg_mr: handle=root addr=0x10000000 len=0x4000 access=write",
                USER,
                "rdma_reg_mr: handle=user addr=0x10000000 len=0x4000 access=write");
        assertEquals("0", r.result(3));
        assertEquals("-EPERM", r.result(5));
    }

    /** A task no memlock line described: a recorded -ENOMEM is explained by its unknown limit, and says so. */
    @Test
    void anUnknownLimitExplainsARecordedEnomem() {
        Replays r = run("6.12", MAP,
                "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x100000 size=0x1000 prot=rw ret=-ENOMEM",
                "vfio_dma_map: handle=w vaddr=0x10000000 iova=0x200000 size=0x1000 prot=rw ret=0");
        assertEquals("-ENOMEM", r.result(2));
        assertTrue(r.call(2).agrees());
        assertTrue(r.call(2).assumed.startsWith("RLIMIT_MEMLOCK exceeded"), r.jsonl());
        assertNull(r.call(3).assumed);
    }

    /** A described task's -ENOMEM is a divergence: nothing unknown explains it. */
    @Test
    void aKnownLimitJudgesARecordedEnomem() {
        Replays r = run("6.12", MAP, ROOT.replace("cap_ipc_lock=1 uid=0 euid=0", "cap_ipc_lock=0 uid=1000 euid=1000"),
                "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x100000 size=0x1000 prot=rw ret=-ENOMEM");
        assertEquals("0", r.result(3));
        assertTrue(!r.call(3).agrees());
    }

    /**
     * A declared locked_vm holds charges made before the recording (mlock()ed VMAs, vfio maps) that may be given back
     * unseen: the refusal it alone causes is the model's answer, and a recorded success is taken, saying so.
     */
    @Test
    void chargesFromBeforeTheRecordingMayHaveGoneUnseen() {
        String line = USER.replace("user_locked_vm=0", "rlimit=65536 locked_vm=16");
        Replays r = run("6.12", MAP, line,
                "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x100000 size=0x1000 prot=rw",
                "vfio_dma_map: handle=w vaddr=0x10000000 iova=0x200000 size=0x1000 prot=rw ret=0");
        assertEquals("-ENOMEM", r.result(3));
        assertEquals("0", r.result(4));
        assertTrue(r.call(4).assumed.contains("locked_vm given back unseen"), r.jsonl());
    }

    /** io_buffer_account_pin(): a huge page is charged whole, once per ring, however few of its pages a buffer holds. */
    @Test
    void ioUringChargesAHugePageWholeOncePerRing() {
        String huge = "mmap: addr=0x40000000 len=0x200000 prot=rw flags=private hugetlb=1";
        Replays r = run("6.12", huge, USER.replace("cap_ipc_lock=0", "cap_ipc_lock=0 rlimit=2457600"), // 600 pages
                "io_uring_register_buffers: handle=A addr=0x40000000 len=0x1000",     // 512
                "io_uring_register_buffers: handle=B addr=0x40001000 len=0x1000",     // 512 + 512 > 600
                "io_uring_unregister_buffers: handle=A",
                "io_uring_register_buffers: handle=B addr=0x40001000 len=0x1000");    // 512
        assertEquals("0", r.result(3));
        assertEquals("-ENOMEM", r.result(4));
        assertEquals("0", r.result(6));
    }

    /**
     * vfio_pin_pages_remote() (5.10-7.2): each pinned page meets "locked_vm + lock_acct + 1 > limit" before the pages
     * after it are pinned, so a map over the limit is -ENOMEM though a later page is a hole; under the limit the hole's
     * -EFAULT wins, and what the map's earlier pages charged is given back.
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void theLimitRefusesAMapBeforeALaterHoleFaults(String kernel) {
        Replays r = run(kernel,
                "memlock: pid=100 rlimit=4096 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0",
                "mmap: addr=0x10000 len=0x2000 prot=rw flags=private",
                "vfio_dma_map: handle=m0 vaddr=0x10000 iova=0x0 size=0x4000 prot=rw",        // page 1 is over 1 page
                "memlock: pid=100 rlimit=65536",
                "vfio_dma_map: handle=m1 vaddr=0x10000 iova=0x0 size=0x4000 prot=rw",        // the hole at page 2
                "vfio_dma_map: handle=m2 vaddr=0x10000 iova=0x0 size=0x2000 prot=rw",        // 2 <= 16: nothing kept
                "vfio_dma_map: handle=m3 vaddr=0x10000 iova=0x100000 size=0x2000 prot=rw");
        assertEquals("-ENOMEM", r.result(3), r.jsonl());
        assertEquals("-EFAULT", r.result(5), r.jsonl());
        assertEquals("0", r.result(6), r.jsonl());
        assertEquals("0", r.result(7), r.jsonl());
    }

    /**
     * do_mmap()'s MAP_LOCKED checks (can_do_mlock() -EPERM, mlock_future_check() -EAGAIN) and mmap_region()'s charge
     * of mm->locked_vm, the counter vfio's maps are charged to, which the munmap gives back (5.10-7.2).
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aLockedMappingChargesLockedVm(String kernel) {
        Replays r = run(kernel,
                "memlock: pid=100 rlimit=0 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0",
                "mmap: addr=0x100000 len=0x8000 prot=rw flags=private locked=1",
                "memlock: pid=100 rlimit=65536",
                "mmap: addr=0x100000 len=0x8000 prot=rw flags=private locked=1",            // 8 pages
                "mmap: addr=0x200000 len=0x10000 prot=rw flags=private",
                "vfio_dma_map: handle=m0 vaddr=0x200000 iova=0x0 size=0x10000 prot=rw",     // 8 + 16 > 16
                "mmap: addr=0x400000 len=0x20000 prot=rw flags=private locked=1",           // 8 + 32 > 16
                "vfio_dma_map: handle=m1 vaddr=0x200000 iova=0x0 size=0x8000 prot=rw",      // 8 + 8 <= 16
                "munmap: addr=0x100000 len=0x8000",
                "vfio_dma_map: handle=m2 vaddr=0x208000 iova=0x100000 size=0x8000 prot=rw"); // 8 + 8 <= 16
        assertEquals("-EPERM", r.result(2), r.jsonl());
        assertEquals("0", r.result(4), r.jsonl());
        assertEquals("-ENOMEM", r.result(6), r.jsonl());
        assertEquals("-EAGAIN", r.result(7), r.jsonl());
        assertEquals("0", r.result(8), r.jsonl());
        assertEquals("0", r.result(10), r.jsonl());
    }

    /** mmap_region(): a VM_LOCKED PFNMAP or hugetlb VMA drops VM_LOCKED and charges nothing. */
    @Test
    void aLockedHugetlbMappingChargesNothing() {
        Replays r = run("6.12",
                "memlock: pid=100 rlimit=65536 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0",
                "mmap: addr=0x40000000 len=0x8000 prot=rw flags=private hugetlb=1 locked=1",
                "mmap: addr=0x200000 len=0x10000 prot=rw flags=private",
                "vfio_dma_map: handle=m0 vaddr=0x200000 iova=0x0 size=0x10000 prot=rw");
        assertEquals("0", r.result(2), r.jsonl());
        assertEquals("0", r.result(4), r.jsonl());
    }
}
