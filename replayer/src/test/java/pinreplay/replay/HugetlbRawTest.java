package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * Hugetlb memory as a raw recording shows it (syscalls and probes only): the kind of a memfd comes from
 * memfd_create()'s flags (mm/memfd.c: MFD_HUGETLB is hugetlb_file_setup(), else shmem_file_setup()).
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
}
