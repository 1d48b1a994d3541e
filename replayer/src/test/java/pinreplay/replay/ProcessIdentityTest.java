package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * Process identity (kernel/fork.c copy_process()): the line's PID selects the mm; task_newtask with CLONE_VM (clone_flags
 * printed as bare hex, %lx) makes a thread, without it a child with a copy of the mappings; mm=PID overrides.
 */
class ProcessIdentityTest {
    private static String line(String task, String event) {
        return String.format("%16s [000] .....   1.000000: %s%n", task, event);
    }

    private static final String MMAP = "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private";
    private static final String LATE_MMAP = "mmap: addr=0x20000000 len=0x10000 prot=rw flags=private";

    private static Replays replay(String... lines) {
        return Replays.text(String.join("", lines), "6.15", FaultPoints.NONE);
    }

    @Test
    void aCloneVmThreadSharesTheMmAndSeesLaterMappings() {
        Replays r = replay(line("qemu-100", MMAP),
                line("qemu-100", "task_newtask: pid=101 comm=CPU 0/KVM clone_flags=3d0f00 oom_score_adj=0"),
                line("qemu-100", LATE_MMAP),
                line("CPU 0/KVM-101", "pin_user_pages: start=0x20000000 nr_pages=2 gup_flags=FOLL_WRITE handle=t"));
        assertEquals("2", r.result(4));
    }

    @Test
    void aForkCopiesTheMappingsOfThatMomentOnly() {
        // 0x1200011 = SIGCHLD|CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID: hex, so no CLONE_VM (0x100).
        Replays r = replay(line("bash-100", MMAP),
                line("bash-100", "task_newtask: pid=102 comm=bash clone_flags=1200011 oom_score_adj=0"),
                line("bash-100", LATE_MMAP),
                line("bash-102", "pin_user_pages: start=0x10000000 nr_pages=2 gup_flags=FOLL_WRITE handle=a"),
                line("bash-102", "pin_user_pages: start=0x20000000 nr_pages=2 gup_flags=FOLL_WRITE handle=b"));
        assertEquals("2", r.result(4));
        assertEquals("-EFAULT", r.result(5));
    }

    @Test
    void schedProcessForkNamesParentAndChild() {
        Replays r = replay(line("bash-100", MMAP),
                line("bash-100", "sched_process_fork: comm=bash pid=100 child_comm=bash child_pid=103"),
                line("bash-100", LATE_MMAP),
                line("bash-103", "pin_user_pages: start=0x10000000 nr_pages=2 gup_flags=FOLL_WRITE handle=a"),
                line("bash-103", "pin_user_pages: start=0x20000000 nr_pages=2 gup_flags=FOLL_WRITE handle=b"));
        assertEquals("2", r.result(4));
        assertEquals("-EFAULT", r.result(5));
    }

    @Test
    void anExplicitMmOverridesTheLinesPidAndAnUnknownPidHasAnEmptyMm() {
        Replays r = replay(line("qemu-100", MMAP),
                line("vfio-300", "pin_user_pages_remote: start=0x10000000 nr_pages=2 gup_flags=FOLL_WRITE mm=100 handle=a"),
                line("other-400", "pin_user_pages: start=0x10000000 nr_pages=2 gup_flags=FOLL_WRITE handle=b"));
        assertEquals("2", r.result(2));
        assertEquals("-EFAULT", r.result(3));
    }
}
