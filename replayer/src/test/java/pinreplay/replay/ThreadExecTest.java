package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A thread's execve(): de_thread() waits for the leader's exit and gives the thread the leader's pid
 * (exchange_tids()); sched_process_exec names both (pid=, old_pid=). The exec is the thread's: its rings close
 * (O_CLOEXEC) and their charges go back, so the new image's registration fits the limit again.
 */
class ThreadExecTest {
    /** uid 1000, RLIMIT_MEMLOCK 64 pages: thread 101 registers 48 pages, execs; the new image registers 48. */
    private static final List<String> TRACE = List.of(
            "            prog-100     (    100) [000] .....     1.000000: memlock: pid=100 rlimit=262144 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0 user_locked_vm=0",
            "            prog-100     (    100) [000] .....     1.000100: task_newtask: pid=101 comm=prog clone_flags=3d0f00 oom_score_adj=0",
            "            prog-100     (    100) [000] .....     1.000110: sched_process_fork: comm=prog pid=100 child_comm=prog child_pid=101",
            "            prog-101     (    100) [001] .....     1.000200: mmap: addr=0x7f0000000000 len=0x30000 prot=rw flags=private ret=0x7f0000000000",
            "            prog-101     (    100) [001] .....     1.000300: io_uring_register_buffers: handle=ring addr=0x7f0000000000 len=0x30000 ret=0",
            "            prog-100     (    100) [000] .....     1.000400: sched_process_exit: comm=prog pid=100 prio=120 group_dead=false",
            "            prog-100     (    100) [001] .....     1.000500: sched_process_exec: filename=/usr/bin/prog pid=100 old_pid=101",
            "            prog-100     (    100) [001] .....     1.000550: memlock: pid=100 rlimit=262144 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000",
            "            prog-100     (    100) [001] .....     1.000600: mmap: addr=0x7f1000000000 len=0x30000 prot=rw flags=private ret=0x7f1000000000",
            "            prog-100     (    100) [001] .....     1.000700: io_uring_register_buffers: handle=ring2 addr=0x7f1000000000 len=0x30000 ret=0");

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "7.2"})
    void theThreadExecsAsTheLeader(String kernel) {
        Replays r = Replays.text(String.join("\n", TRACE) + "\n", kernel, FaultPoints.NONE);
        assertEquals("0", r.result(TRACE.size()), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }
}
