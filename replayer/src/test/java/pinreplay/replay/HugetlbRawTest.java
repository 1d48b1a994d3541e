package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * Hugetlb memory as a raw recording shows it (syscalls and probes only): the kind of a memfd comes from
 * memfd_create()'s flags (mm/memfd.c: MFD_HUGETLB is hugetlb_file_setup(), else shmem_file_setup()); a
 * debugger's PTRACE_POKEDATA writes the tracee's mm (kernel/ptrace.c ptrace_access_vm()).
 */
class HugetlbRawTest {
    /** memfd_create(flags), a 2 MiB read-only private mapping of it, then a FOLL_FORCE|FOLL_WRITE GUP (6.1 layout 0x11). */
    private static String forceWrite(int memfdFlags) {
        return "# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_memfd_create(uname: 47b142, flags: " + memfdFlags + ")\n"
                + " t-9 [000] .....  1.000001: sys_memfd_create -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_ftruncate(fd: 3, length: 200000)\n"
                + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 200000, prot: 1, flags: 2, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000005: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000006: p_get_user_pages_remote_0: (get_user_pages_remote+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=1 gup_flags=0x11\n"
                + " t-9 [000] .....  1.000007: r_get_user_pages_remote_0: (__access_remote_vm+0x9d/0x2f0 <- "
                + "get_user_pages_remote) ret=1\n";
    }

    @Test
    void anMfdHugetlbMemfdIsHugetlbAndRefusesAForcedWriteOn61() {
        // check_vma_flags() (6.0-6.14): "hugetlb does not support FOLL_FORCE|FOLL_WRITE"
        assertEquals("-EFAULT", Replays.text(forceWrite(4), "6.1", FaultPoints.NONE).result(8));
    }

    @Test
    void aShmemMemfdTakesTheForcedWriteAsACowCopy() {
        assertEquals("1", Replays.text(forceWrite(0), "6.1", FaultPoints.NONE).result(8));
    }

    /**
     * Task 9 forks 10, which maps a read-only private MAP_HUGETLB page; 9 then pokes it with PTRACE_POKEDATA
     * (request 5): get_user_pages_remote(FOLL_FORCE|FOLL_WRITE) on 10's mm, which 9's own mm does not have.
     */
    private static Replays poke(String release, String ret) {
        return Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sched_process_fork: comm=t pid=9 child_comm=t child_pid=10\n"
                + " t-10 [000] .....  1.000001: sys_mmap(addr: 0, len: 200000, prot: 1, flags: 40022, fd: ffffffffffffffff, off: 0)\n"
                + " t-10 [000] .....  1.000002: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000003: sys_ptrace(request: 5, pid: a, addr: 7f0000000000, data: 6b6f6f70)\n"
                + " t-9 [000] .....  1.000004: p_get_user_pages_remote_0: (get_user_pages_remote+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=1 gup_flags=0x11\n"
                + " t-9 [000] .....  1.000005: r_get_user_pages_remote_0: (__access_remote_vm+0x9d/0x2f0 <- "
                + "get_user_pages_remote) ret=" + ret + "\n"
                + " t-9 [000] .....  1.000006: sys_ptrace -> 0xfffffffffffffffb\n", release, FaultPoints.NONE);
    }

    @Test
    void aPokeWritesTheTraceesMmAndCowsItsReadOnlyHugetlbPageOn510() {
        // 5.10 check_vma_flags(): FOLL_FORCE on a COW mapping is allowed; hugetlb_cow() gives the tracee a copy
        Replays r = poke("5.10", "1");
        assertEquals("1", r.result(6));
        assertNull(r.call(6).assumed, "the tracee's mapping, not memory assumed in the tracer's mm");
    }

    @Test
    void aPokeOfAReadOnlyHugetlbPageIsRefusedOn61() {
        Replays r = poke("6.1", "-14");
        assertEquals("-EFAULT", r.result(6));
        assertNull(r.call(6).assumed, "the tracee's mapping, not memory assumed in the tracer's mm");
    }
}
