package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * mremap() growing a VM_LOCKED mapping faults its new part in once the mmap lock is dropped ("if (locked && new_len >
 * old_len) mm_populate(new_addr + old_len, new_len - old_len)", 5.10-6.12; 7.2's populate_expand), in place or moved;
 * a VM_LOCKONFAULT one (mlock2(MLOCK_ONFAULT)) is not (populate_vma_page_range()). A FOLL_NOFAULT pin of the grown part
 * then gets its pages, or none, and the model says so without assuming what it did not see (fuzz-deepest-844-markers on 6.1.176: an O_DIRECT write's first attempt from a shared
 * ext4 mapping grown after mlockall(MCL_CURRENT)).
 */
class MremapLockedGrowthTest {
    /** mmap() of 2 pages, {@code lock} of them, {@code mremap} to 4 pages, a FOLL_NOFAULT pin of page 2 (line 10). */
    private static Replays grown(String lock, String mremap, String at, String pinned) {
        return Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_mmap(addr: 7f0000000000, len: 2000, prot: 3, flags: 32, fd: ffffffffffffffff, off: 0)\n"
                + " t-9 [000] .....  1.000001: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000002: " + lock + "\n"
                + " t-9 [000] .....  1.000003: " + lock.substring(0, lock.indexOf('(')) + " -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_mremap(addr: 7f0000000000, " + mremap + ")\n"
                + " t-9 [000] .....  1.000005: sys_mremap -> 0x" + at + "\n"
                + " t-9 [000] .....  1.000006: sys_munlockall()\n"
                + " t-9 [000] .....  1.000007: sys_munlockall -> 0x0\n"
                + " t-9 [000] .....  1.000008: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) "
                + "start=0x" + Long.toHexString(Long.parseLong(at, 16) + 0x2000) + " nr_pages=2 gup_flags=0x80\n"
                + " t-9 [000] .....  1.000009: r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret="
                + pinned + "\n", "6.1", FaultPoints.NONE);
    }

    @ParameterizedTest
    @CsvSource({
        "'sys_mlock(start: 7f0000000000, len: 2000)', 2",
        "'sys_mlockall(flags: 1)', 2",
        "'sys_mlock2(start: 7f0000000000, len: 2000, flags: 1)', -14",
        "'sys_mlockall(flags: 5)', -14"})
    void aLockedMappingGrownInPlaceHasItsNewPagesFaultedIn(String lock, String pinned) {
        Replays r = grown(lock, "old_len: 2000, new_len: 4000, flags: 0, new_addr: 0", "7f0000000000", pinned);
        assertEquals(pinned.equals("2") ? "2" : "-EFAULT", r.result(10), r.jsonl());
        assertEquals(null, r.call(10).assumed, "the model's own page tables explain it: " + r.jsonl());
    }

    @ParameterizedTest
    @CsvSource({"'sys_mlock(start: 7f0000000000, len: 2000)', 2", "'sys_mlock2(start: 7f0000000000, len: 2000, flags: 1)', -14"})
    void aLockedMappingGrownWhereItMovesHasItsNewPagesFaultedIn(String lock, String pinned) {
        Replays r = grown(lock, "old_len: 2000, new_len: 4000, flags: 3, new_addr: 7f0000200000", "7f0000200000", pinned);
        assertEquals(pinned.equals("2") ? "2" : "-EFAULT", r.result(10), r.jsonl());
        assertEquals(null, r.call(10).assumed, "the model's own page tables explain it: " + r.jsonl());
    }
}
