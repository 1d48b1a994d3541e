package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * MAP_DROPPABLE (6.11): do_mmap() gives the VMA VM_DROPPABLE, VM_WIPEONFORK and VM_DONTDUMP; madvise_vma_behavior()
 * refuses MADV_KEEPONFORK and MADV_DODUMP on it, and vma_supports_mlock() leaves it unlocked, by mlock() or by
 * mlockall(MCL_FUTURE)'s def_flags, so MADV_DONTNEED still discards it (6.12, 7.2; the 6.18.44 host's
 * fuzz-deepest runs).
 */
class DroppableMappingTest {
    private static final String HEAD = "# tracer: nop\n";

    /** A droppable mapping, raw (flags MAP_DROPPABLE | MAP_FIXED | MAP_ANONYMOUS) or marked: lines 2-3, or 2. */
    private static String mapped(boolean marked) {
        return marked
                ? " t-9 [000] .....  1.000002: tracing_mark_write: mmap: addr=0x7f0000000000 len=0x4000 prot=rw "
                        + "flags=private droppable=1\n"
                        + " t-9 [000] .....  1.000003: tracing_mark_write: fault: addr=0x7f0000000000 len=0x1000 write=1\n"
                : " t-9 [000] .....  1.000002: sys_mmap(addr: 7f0000000000, len: 4000, prot: 3, flags: 38, fd: "
                        + "ffffffffffffffff, off: 0)\n"
                        + " t-9 [000] .....  1.000003: sys_mmap -> 0x7f0000000000\n";
    }

    /** sys_madvise of the first page, {@code behavior} in the printer's hex (13 KEEPONFORK, 11 DODUMP, 12 WIPEONFORK). */
    private static String madvise(int behavior, String ret) {
        return " t-9 [000] .....  1.000008: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: " + behavior + ")\n"
                + " t-9 [000] .....  1.000009: sys_madvise -> " + ret + "\n";
    }

    @ParameterizedTest(name = "{0} marked={1} advice {2}")
    @CsvSource({"6.12, false, 13, -EINVAL", "7.2, true, 13, -EINVAL", "6.12, true, 11, -EINVAL", "7.2, false, 11, -EINVAL",
        "7.2, false, 12, 0"})
    void keeponforkAndDodumpAreRefused(String release, boolean marked, int behavior, String expected) {
        Replays r = Replays.text(HEAD + mapped(marked) + madvise(behavior, expected.equals("0") ? "0x0"
                : "0xffffffffffffffea"), release, FaultPoints.NONE);
        assertEquals(expected, r.result(5), r.jsonl());
    }

    @ParameterizedTest(name = "{0} marked={1}")
    @CsvSource({"6.12, false", "7.2, true"})
    void mlockLeavesItUnlocked(String release, boolean marked) {
        Replays r = Replays.text(HEAD + mapped(marked)
                + " t-9 [000] .....  1.000004: sys_mlock(start: 7f0000000000, len: 4000)\n"
                + " t-9 [000] .....  1.000005: sys_mlock -> 0x0\n" + madvise(4, "0x0"), release, FaultPoints.NONE);
        assertEquals("0", r.result(7), r.jsonl());
    }

    @ParameterizedTest(name = "{0} marked={1}")
    @CsvSource({"6.12, false", "7.2, true"})
    void mlockallFutureLeavesItUnlocked(String release, boolean marked) {
        Replays r = Replays.text(HEAD
                + " t-9 [000] .....  1.000000: sys_mlockall(flags: 2)\n"
                + " t-9 [000] .....  1.000001: sys_mlockall -> 0x0\n" + mapped(marked) + madvise(4, "0x0"), release,
                FaultPoints.NONE);
        assertEquals("0", r.result(7), r.jsonl());
    }
}
