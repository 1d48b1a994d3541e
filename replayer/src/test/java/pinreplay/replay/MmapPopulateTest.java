package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * do_mmap() (5.10-7.2) populates a mapping when it asked for VM_LOCKED, or for MAP_POPULATE without MAP_NONBLOCK:
 * "(vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE". The asked-for VM_LOCKED
 * counts even where mmap_region() drops it (hugetlb). A FOLL_NOFAULT GUP without a recorded result shows what is
 * present (FOLL_NOFAULT: 5.16+).
 */
class MmapPopulateTest {
    private static Replays replay(String kernel, String flags, String len) {
        return Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_mmap(addr: 0, len: " + len + ", prot: 3, flags: " + flags
                + ", fd: ffffffffffffffff, off: 0)\n"
                + " t-9 [000] .....  1.000001: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000002: get_user_pages_fast: start=0x7f0000000000 nr_pages=4 "
                + "gup_flags=FOLL_WRITE|FOLL_NOFAULT\n", kernel, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.12", "7.2"})
    void mapPopulateWithMapNonblockFaultsNothingIn(String kernel) {
        assertEquals("4", replay(kernel, "8022", "10000").result(4), "MAP_POPULATE alone");
        Replays r = replay(kernel, "18022", "10000");
        assertEquals("-EFAULT", r.result(4), r.jsonl());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.12", "7.2"})
    void mapLockedPopulatesAHugetlbMappingThatDropsVmLocked(String kernel) {
        Replays r = replay(kernel, "42022", "200000");
        assertEquals("4", r.result(4), r.jsonl());
    }
}
