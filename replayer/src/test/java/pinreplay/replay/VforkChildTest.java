package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A vfork() child (clone(CLONE_VM|CLONE_VFORK), as glibc's posix_spawn(), system() and popen() make) shares the
 * parent's mm only: copy_files() gives it a copy of the fd table (dup_fd(), no CLONE_FILES) and copy_creds() its own
 * credentials (kernel/fork.c, 5.10-7.2). Its execve() or exit leaves the parent's files, rings and registrations alone.
 */
class VforkChildTest {
    private static final String P = "            prog-100     (    100) [000] .....     1.000";
    private static final String C = "            prog-101     (    101) [001] .....     1.000";

    private static Replays replay(String kernel, String... lines) {
        return Replays.text(String.join("\n", lines) + "\n", kernel, FaultPoints.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void theChildsExecOrExitLeavesTheParentsRingAndBuffers(String kernel) {
        for (String end : List.of(C + "300: sched_process_exec: filename=/bin/true pid=101 old_pid=101",
                C + "400: sched_process_exit: comm=prog pid=101 prio=120 group_dead=true")) {
            Replays r = replay(kernel,
                    P + "000: mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=private",
                    P + "100: io_uring_register_buffers: handle=ring addr=0x7f0000000000 len=0x10000 ret=0",
                    P + "200: task_newtask: pid=101 comm=prog clone_flags=4111 oom_score_adj=0",
                    P + "210: sched_process_fork: comm=prog pid=100 child_comm=prog child_pid=101",
                    end,
                    P + "500: dma_write: handle=ring offset=0 len=0x1000",
                    P + "600: io_uring_unregister_buffers: handle=ring ret=0");
            assertEquals("4096", r.result(6), r.jsonl());
            assertEquals("0", r.result(7), r.jsonl());
            assertEquals(0, r.summary.divergences, r.jsonl());
            assertTrue(r.violations().isEmpty(), r.jsonl());
        }
    }

    /** The parent's CAP_IPC_LOCK stays known when its posix_spawn() child execs: its 80-page registration is judged. */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void theParentsCredentialsAreItsOwn(String kernel) {
        Replays r = replay(kernel,
                P + "000: memlock: pid=100 rlimit=262144 cap_ipc_lock=1 uid=1000 euid=1000 suid=1000 locked_vm=0"
                        + " pinned_vm=0 user_locked_vm=0",
                P + "200: task_newtask: pid=101 comm=prog clone_flags=4100 oom_score_adj=0",
                P + "210: sched_process_fork: comm=prog pid=100 child_comm=prog child_pid=101",
                C + "300: sched_process_exec: filename=/bin/true pid=101 old_pid=101",
                "            true-101     (    101) [001] .....     1.000400: sched_process_exit: comm=true pid=101 prio=120",
                P + "500: mmap: addr=0x7f0000000000 len=0x50000 prot=rw flags=private",
                P + "600: io_uring_register_buffers: handle=ring addr=0x7f0000000000 len=0x50000 ret=0");
        assertEquals("0", r.result(7), r.jsonl());
        assertNull(r.call(7).assumed, r.jsonl());
    }
}
