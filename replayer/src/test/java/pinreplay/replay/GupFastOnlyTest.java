package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * GUP-fast as mm/gup.c of the 5.10.262, 6.1.176, 6.12.117 and 7.2.13 trees has it: FOLL_FAST_ONLY returns what the
 * lockless walk got (an internal flag from 6.3: -EINVAL), the flags internal_get_user_pages_fast() accepts per release,
 * and the zero page's special PTE, which the walk leaves to the slow path and its check_vma_flags().
 */
class GupFastOnlyTest {
    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    /** Four pages, the first written: the walk pins one; the slow path would fault the other three in. */
    @ParameterizedTest
    @CsvSource({"5.10,1,0", "6.1,1,0", "6.12,-EINVAL,-EINVAL", "7.2,-EINVAL,-EINVAL"})
    void fastOnlyReturnsWhatTheWalkGot(String kernel, String partial, String none) {
        Replays r = run(kernel, "mmap: addr=0x10000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x10000 len=0x1000 write=1",
                "pin_user_pages_fast: start=0x10000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_FAST_ONLY",
                "pin_user_pages_fast: start=0x11000 nr_pages=3 gup_flags=FOLL_WRITE|FOLL_FAST_ONLY",
                "pin_user_pages_fast: start=0x11000 nr_pages=3 gup_flags=FOLL_WRITE");
        assertEquals(partial, r.result(3), r.jsonl());
        assertEquals(none, r.result(4), r.jsonl());
        assertEquals("3", r.result(5), r.jsonl());
    }

    /** internal_get_user_pages_fast(): FOLL_NOFAULT is in the mask from 5.16 only. */
    @ParameterizedTest
    @CsvSource({"5.10,-EINVAL", "6.1,1", "7.2,1"})
    void noFaultIsAFastFlagFrom516(String kernel, String expected) {
        Replays r = run(kernel, "mmap: addr=0x10000 len=0x1000 prot=rw flags=private",
                "fault: addr=0x10000 len=0x1000 write=1",
                "get_user_pages_fast: start=0x10000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_NOFAULT");
        assertEquals(expected, r.result(3), r.jsonl());
    }

    /**
     * Zero pages mapped by reads, then the mapping made write-only: the walk stops at the zero page's special PTE and
     * the slow path's check_vma_flags() refuses a read of a VMA without VM_READ.
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void theZeroPageIsLeftToTheSlowPath(String kernel) {
        Replays r = run(kernel, "mmap: addr=0x10000 len=0x2000 prot=rw flags=private",
                "fault: addr=0x10000 len=0x2000 write=0",
                "mprotect: addr=0x10000 len=0x2000 prot=w",
                "pin_user_pages_fast: start=0x10000 nr_pages=2 gup_flags=0");
        assertEquals("-EFAULT", r.result(4), r.jsonl());
    }

    /**
     * change_pte_range()'s MM_CP_TRY_CHANGE_WRITABLE (6.0+): mprotect() back to read-write makes the dirty PTEs of
     * exclusive anonymous pages writable at once, so the lockless walk takes them for a write; 5.10 leaves them to a
     * write fault.
     */
    @ParameterizedTest
    @CsvSource({"5.10,0", "6.1,2"})
    void mprotectMakesExclusivePagesWritableFrom60(String kernel, String expected) {
        Replays r = run(kernel, "mmap: addr=0x10000 len=0x2000 prot=rw flags=private",
                "fault: addr=0x10000 len=0x2000 write=1",
                "mprotect: addr=0x10000 len=0x2000 prot=r",
                "mprotect: addr=0x10000 len=0x2000 prot=rw",
                "get_user_pages_fast: start=0x10000 nr_pages=2 gup_flags=FOLL_WRITE|FOLL_FAST_ONLY");
        assertEquals(expected, r.result(5), r.jsonl());
    }

    /**
     * The _fast calls take "int nr_pages", sign-extended into the walk's unsigned long: -1 from address 0 runs past
     * TASK_SIZE_MAX (-EFAULT), from anywhere else wraps (-EOVERFLOW from 6.3, 0 before); 2^32 + 1 is 1.
     */
    @ParameterizedTest
    @CsvSource({"6.1,0", "6.12,-EOVERFLOW", "7.2,-EOVERFLOW"})
    void aNegativeCountIsAHugeRange(String kernel, String wraps) {
        Replays r = run(kernel, "mmap: addr=0x10000 len=0x1000 prot=rw flags=private",
                "fault: addr=0x10000 len=0x1000 write=1",
                "pin_user_pages_fast: start=0x0 nr_pages=-1 gup_flags=FOLL_WRITE",
                "pin_user_pages_fast: start=0x10000 nr_pages=-1 gup_flags=FOLL_WRITE",
                "pin_user_pages_fast: start=0x10000 nr_pages=4294967297 gup_flags=FOLL_WRITE");
        assertEquals("-EFAULT", r.result(3), r.jsonl());
        assertEquals(wraps, r.result(4), r.jsonl());
        assertEquals("1", r.result(5), r.jsonl());
    }
}
