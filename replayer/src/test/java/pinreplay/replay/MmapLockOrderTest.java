package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * Two threads of one process: a call changes VMAs and def_flags under the mmap write lock and populates after it with
 * the read lock, so what another thread does between that lock's release and the call's return sees the change, and
 * what came after the lock was taken does not reach it. The recording's mmap_lock events say when (fuzz-racing-952,
 * -955 on 6.1.176: MADV_PAGEOUT, MADV_COLD of one thread around the other's mlockall()).
 */
class MmapLockOrderTest {
    private static final String HEAD = "# tracer: nop\n";
    private static final String T9 = "        fuzz-9      (      9) [000] .....   ";
    private static final String T10 = "        fuzz-10     (      9) [001] .....   ";
    private static final String MM = "mm=00000000c0ffee00 memcg_path=/ write=";

    private static String line(String task, int n, String event) {
        return task + String.format("1.%06d: ", n) + event + "\n";
    }

    /** Thread 10 of process 9, a shared anonymous mapping it made at 0x7f0000000000 (lines 2 to 6). */
    private static String threadAndMapping() {
        return HEAD
                + line(T9, 1, "task_newtask: pid=10 comm=fuzz clone_flags=3d0f00 oom_score_adj=0")
                + line(T9, 2, "tracing_mark_write: memlock: pid=9 rlimit=unlimited cap_ipc_lock=1")
                + line(T10, 3, "sys_munlockall()")
                + line(T10, 4, "sys_munlockall -> 0x0")
                + line(T10, 5, "sys_mmap(addr: 7f0000000000, len: 4000, prot: 3, flags: 31, fd: ffffffffffffffff, off: 0)")
                + line(T10, 6, "sys_mmap -> 0x7f0000000000");
    }

    private static String locked(String task, int n, boolean write) {
        return line(task, n, "mmap_lock_start_locking: " + MM + write)
                + line(task, n, "mmap_lock_acquire_returned: " + MM + write + " success=true")
                + line(task, n, "mmap_lock_released: " + MM + write);
    }

    /** do_mmap() reads mm->def_flags under the write lock: an mlockall(MCL_FUTURE) while it populates comes too late. */
    @Test
    void anMmapPopulatingWhenAnotherThreadCallsMlockallFutureIsNotLocked() {
        String trace = threadAndMapping()
                + line(T10, 10, "sys_mmap(addr: 7f0000100000, len: 4000, prot: 3, flags: 8031, fd: ffffffffffffffff, off: 0)")
                + locked(T10, 11, true)
                + line(T9, 20, "sys_mlockall(flags: 6)")
                + locked(T9, 21, true)
                + line(T9, 22, "sys_mlockall -> 0x0")
                + line(T10, 30, "sys_mmap -> 0x7f0000100000")
                + line(T10, 31, "sys_madvise(start: 7f0000100000, len_in: 1000, behavior: 15)")
                + line(T10, 32, "sys_madvise -> 0x0");
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(19), r.jsonl());
    }

    /**
     * mlockall(MCL_CURRENT) locks every VMA under the write lock but faults them in after it, VMA by VMA, before it
     * returns: a FOLL_NOFAULT pin by another thread in between finds a page it has not reached yet absent
     * (fuzz-racing-974-markers on 6.1.176: a btrfs read's first attempt into a private page read-faulted before).
     */
    @Test
    void anMlockallStillPopulatingHasNotFaultedInWhatAnotherThreadPins() {
        String trace = threadAndMapping()
                + line(T9, 20, "sys_mlockall(flags: 1)")
                + locked(T9, 21, true)
                + line(T10, 30, "p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) start=0x7f0000000000"
                        + " nr_pages=1 gup_flags=0x81")
                + line(T10, 31, "r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret=-14")
                + line(T9, 40, "sys_mlockall -> 0x0")
                + line(T10, 41, "p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) start=0x7f0000000000"
                        + " nr_pages=1 gup_flags=0x81")
                + line(T10, 42, "r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret=1");
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(12), r.jsonl());
        assertEquals(null, r.call(12).assumed, r.jsonl());
        assertEquals("1", r.result(15), "populated by the time mlockall() returned: " + r.jsonl());
        assertEquals(null, r.call(15).assumed, r.jsonl());
    }

    /**
     * A madvise() that took the mmap lock before another thread's mlockall() took it for writing tested its VMA then,
     * unlocked, though it returns after (fuzz-racing-992 on 6.12.117: MADV_REMOVE drops the lock for vfs_fallocate()).
     */
    @Test
    void aMadviseThatLockedBeforeAnMlockallSeesTheVmaUnlocked() {
        String trace = threadAndMapping()
                + line(T10, 10, "sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 14)")
                + locked(T10, 11, false)
                + line(T9, 20, "sys_mlockall(flags: 3)")
                + locked(T9, 21, true)
                + line(T9, 22, "sys_mlockall -> 0x0")
                + line(T10, 30, "sys_madvise -> 0x0")
                + line(T10, 31, "sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 14)")
                + line(T10, 32, "sys_madvise -> 0xffffffffffffffea");
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(17), r.jsonl());
        assertEquals("-EINVAL", r.result(19), "the next one sees VM_LOCKED: " + r.jsonl());
    }

    /**
     * A recording without mmap_lock events (Debian's 5.10 has none): an mlockall() takes its flags at its entry, where
     * its write lock comes at once, not at its return after the populate (fuzz-racing-976 on 5.10.223: the other
     * thread's munlockall() in between left the VMA unlocked; an mlockall() of invalid flags changes nothing).
     */
    @Test
    void withoutLockEventsAnMlockallTakesEffectAtItsEntry() {
        String trace = threadAndMapping()
                + line(T9, 20, "sys_mlockall(flags: 3)")
                + line(T10, 21, "sys_mlockall(flags: 4)")
                + line(T10, 22, "sys_mlockall -> 0xffffffffffffffea")
                + line(T10, 23, "sys_munlockall()")
                + line(T10, 24, "sys_munlockall -> 0x0")
                + line(T9, 30, "sys_mlockall -> 0x0")
                + line(T10, 31, "sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 14)")
                + line(T10, 32, "sys_madvise -> 0x0");
        Replays r = Replays.text(trace, "5.10", FaultPoints.NONE);
        assertEquals("0", r.result(15), r.jsonl());
    }

    /** The program's madvise marker after the syscall is that call, judged once: not again after another thread's mlockall(). */
    @Test
    void aMadviseMarkerAfterItsSyscallTakesItsResult() {
        String trace = threadAndMapping()
                + line(T10, 10, "sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 14)")
                + locked(T10, 11, false)
                + line(T10, 12, "sys_madvise -> 0x0")
                + line(T9, 20, "sys_mlockall(flags: 3)")
                + locked(T9, 21, true)
                + line(T9, 22, "sys_mlockall -> 0x0")
                + line(T10, 30, "tracing_mark_write: madvise: addr=0x7f0000000000 len=0x1000 advice=cold ret=0");
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals("0", r.result(12), r.jsonl());
        assertEquals("0", r.result(18), "the marker is the call: " + r.jsonl());
    }

    /** An mlockall(MCL_CURRENT) whose write lock came after the mmap's went over the mmap's VMA, though it returned first. */
    @Test
    void anMlockallCurrentBetweenAnMmapsLockAndItsReturnLocksItsVma() {
        String trace = threadAndMapping()
                + line(T10, 10, "sys_mmap(addr: 7f0000100000, len: 4000, prot: 3, flags: 8031, fd: ffffffffffffffff, off: 0)")
                + locked(T10, 11, true)
                + line(T9, 20, "sys_mlockall(flags: 3)")
                + locked(T9, 21, true)
                + line(T9, 22, "sys_mlockall -> 0x0")
                + line(T10, 30, "sys_mmap -> 0x7f0000100000")
                + line(T10, 31, "sys_madvise(start: 7f0000100000, len_in: 1000, behavior: 14)")
                + line(T10, 32, "sys_madvise -> 0xffffffffffffffea");
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(19), r.jsonl());
    }

    /** apply_mlockall_flags() ran under the write lock: a madvise() of another thread before mlockall() returns sees VM_LOCKED. */
    @Test
    void aVmaLockedByAnMlockallStillPopulatingRefusesMadvCold() {
        String trace = threadAndMapping()
                + line(T9, 20, "sys_mlockall(flags: 3)")
                + locked(T9, 21, true)
                + line(T9, 22, "mmap_lock_start_locking: " + MM + "false")
                + line(T10, 30, "sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 14)")
                + line(T10, 31, "sys_madvise -> 0xffffffffffffffea")
                + line(T9, 40, "sys_mlockall -> 0x0");
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(14), r.jsonl());
    }
}
