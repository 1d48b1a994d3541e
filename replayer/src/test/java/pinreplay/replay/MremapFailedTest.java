package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A failed MREMAP_FIXED mremap() can have unmapped memory: mremap_to() (5.10-6.16) unmaps the destination and a
 * shrink's tail before vma_to_resize() checks the old range; 6.17's do_mremap() checks first (check_prep_vma()).
 * A GUP without a recorded result shows what is still mapped.
 */
class MremapFailedTest {
    private static final String MAP = " t-9 [000] .....  1.000000: sys_mmap(addr: 0, len: 8000, prot: 3, flags: 22, "
            + "fd: ffffffffffffffff, off: 0)\n t-9 [000] .....  1.000001: sys_mmap -> 0x7f0000000000\n"
            + " t-9 [000] .....  1.000002: sys_mmap(addr: 7f1000000000, len: 10000, prot: 3, flags: 32, "
            + "fd: ffffffffffffffff, off: 0)\n t-9 [000] .....  1.000003: sys_mmap -> 0x7f1000000000\n";

    private static Replays replay(String release, String mremap, String ret) {
        return Replays.text("# tracer: nop\n" + MAP
                + " t-9 [000] .....  1.000004: sys_mremap(addr: 7f0000000000, " + mremap + ")\n"
                + " t-9 [000] .....  1.000005: sys_mremap -> " + ret + "\n"
                + " t-9 [000] .....  1.000006: get_user_pages_fast: start=0x7f1000000000 nr_pages=1 gup_flags=FOLL_WRITE\n"
                + " t-9 [000] .....  1.000007: get_user_pages_fast: start=0x7f0000004000 nr_pages=1 gup_flags=FOLL_WRITE\n",
                release, FaultPoints.NONE);
    }

    /** The old range spans past its VMA (8 KiB mapped, 16 KiB asked): vma_to_resize() -EFAULT after the unmapping. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10, -EFAULT", "6.1, -EFAULT", "6.12, -EFAULT", "7.2, 1"})
    void aMoveRefusedAfterMremapToUnmappedLeavesTheDestinationUnmapped(String release, String destination) {
        Replays r = replay(release, "old_len: 10000, new_len: 10000, flags: 3, new_addr: 7f1000000000",
                "0xfffffffffffffff2");
        assertEquals(destination, r.result(8), r.jsonl());
        assertEquals("1", r.result(9), "no shrink: the old range stays");
    }

    /** A shrink's tail goes too; a refusal before mremap_to() (an unaligned destination) unmaps nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12"})
    void aShrinkRefusedAfterwardsLostItsTailAndAnEarlyRefusalNothing(String release) {
        Replays r = replay(release, "old_len: 10000, new_len: 4000, flags: 3, new_addr: 7f1000000000",
                "0xfffffffffffffff2");
        assertEquals("-EFAULT", r.result(9), "the tail past the new length: " + r.jsonl());
        Replays early = replay(release, "old_len: 10000, new_len: 4000, flags: 3, new_addr: 7f1000000800",
                "0xffffffffffffffea");
        assertEquals("1", early.result(8), early.jsonl());
        assertEquals("1", early.result(9), early.jsonl());
    }

    /**
     * A sealed VMA (mseal(), 6.10): do_mremap()'s can_modify_vma() refuses the move with -EPERM right after
     * vma_lookup() (6.12: mm/mremap.c:1110), before mremap_to(): destination and tail stay (the lab's fuzz-deep-207
     * on 6.12 and 7.2, a move of a range it had sealed).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.12", "7.2"})
    void aSealedMoveUnmapsNothing(String release) {
        Replays r = replay(release, "old_len: 8000, new_len: 4000, flags: 3, new_addr: 7f1000000000",
                "0xffffffffffffffff");
        assertEquals("1", r.result(8), r.jsonl());
    }

    /**
     * A move of two VMAs whose second is sealed: 7.2's remap_move() moves VMA by VMA, check_prep_vma() refusing the
     * sealed one with -EPERM after the first moved (the 6.18.44 host's fuzz-long-435); 6.12 refuses before any move.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.12, 1, -EFAULT", "7.2, -EFAULT, 1"})
    void aMultiVmaMoveStoppedByASealedVmaMovedTheVmasBeforeIt(String release, String oldFirst, String newFirst) {
        Replays r = Replays.text("# tracer: nop\n" + MAP
                + " t-9 [000] .....  1.000004: sys_munmap(addr: 7f1000000000, len: 10000)\n"
                + " t-9 [000] .....  1.000005: sys_munmap -> 0x0\n"
                + " t-9 [000] .....  1.000006: sys_mseal(start: 7f0000004000, len: 4000, flags: 0)\n"
                + " t-9 [000] .....  1.000007: sys_mseal -> 0x0\n"
                + " t-9 [000] .....  1.000008: sys_mremap(addr: 7f0000000000, old_len: 8000, new_len: 8000, flags: 3, "
                + "new_addr: 7f1000000000)\n"
                + " t-9 [000] .....  1.000009: sys_mremap -> 0xffffffffffffffff\n"
                + " t-9 [000] .....  1.000010: get_user_pages_fast: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE\n"
                + " t-9 [000] .....  1.000011: get_user_pages_fast: start=0x7f1000000000 nr_pages=1 gup_flags=FOLL_WRITE\n"
                + " t-9 [000] .....  1.000012: get_user_pages_fast: start=0x7f0000004000 nr_pages=1 gup_flags=FOLL_WRITE\n",
                release, FaultPoints.NONE);
        assertEquals(oldFirst, r.result(12), r.jsonl());
        assertEquals(newFirst, r.result(13), r.jsonl());
        assertEquals("1", r.result(14), "the sealed VMA stays");
    }

    /**
     * A move of an anonymous VMA and a MAP_HUGETLB one after it to a destination that is not huge-page aligned: 7.2's
     * remap_move() moves the first, then align_hugetlb() refuses the second with -EINVAL; 6.12 moves nothing.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.12, 1, -EFAULT", "7.2, -EFAULT, 1"})
    void aMultiVmaMoveRefusedAtAHugetlbVmaMovedTheVmasBeforeIt(String release, String oldFirst, String newFirst) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=private",
                "mmap: addr=0x7f0000200000 len=0x200000 prot=rw flags=private hugetlb=1",
                "sys_mremap(addr: 7f0000000000, old_len: 400000, new_len: 400000, flags: 3, new_addr: 7f1000001000)",
                "sys_mremap -> 0xffffffffffffffea",
                "get_user_pages_fast: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE",
                "get_user_pages_fast: start=0x7f1000001000 nr_pages=1 gup_flags=FOLL_WRITE",
                "get_user_pages_fast: start=0x7f0000200000 nr_pages=1 gup_flags=FOLL_WRITE"),
                release, FaultPoints.NONE);
        assertEquals(oldFirst, r.result(5), r.jsonl());
        assertEquals(newFirst, r.result(6), r.jsonl());
        assertEquals("1", r.result(7), "the hugetlb VMA stays");
    }

    /**
     * A move of memory guessed from before the recording refused with -EINVAL: the VMA may be hugetlb, refused before
     * mremap_to() ("if (new_len > old_len) goto out;"), so the destination stays (6.12.117 fuzz-deepest-803-markers
     * cut at 10 %: a 2 MiB hugetlbfs mapping made before the cut, grown to 4 MiB elsewhere).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.12"})
    void aRefusedMoveOfGuessedMemoryUnmapsNothing(String release) {
        Replays r = Replays.text("# tracer: nop\n" + MAP
                + " t-9 [000] .....  1.000004: get_user_pages: start=0x7f2000000000 nr_pages=1 gup_flags=0 ret=1\n"
                + " t-9 [000] .....  1.000005: sys_mremap(addr: 7f2000000000, old_len: 200000, new_len: 400000, flags: 3, "
                + "new_addr: 7f1000000000)\n"
                + " t-9 [000] .....  1.000006: sys_mremap -> 0xffffffffffffffea\n"
                + " t-9 [000] .....  1.000007: get_user_pages_fast: start=0x7f1000000000 nr_pages=1 gup_flags=FOLL_WRITE\n",
                release, FaultPoints.NONE);
        assertEquals("anonymous", r.call(6).assumed, r.jsonl());
        assertEquals("1", r.result(9), r.jsonl());
    }
}
