package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * An mlock() over a range with a gap, -ENOMEM, from a task whose CAP_IPC_LOCK the recording does not show: do_mlock()
 * refused at RLIMIT_MEMLOCK (nothing locked) or apply_vma_lock_flags() locked up to the gap. A later MADV_DONTNEED
 * says which: -EINVAL only a VM_LOCKED VMA explains, 0 none (6.1.176 fuzz-deepest-803 and -807 cut at 3 %).
 */
class MlockFailedUnknownCredsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"-EINVAL, -EINVAL", "0, 0"})
    void aLaterRefusalSaysTheMlockGotToItsGap(String madvise, String after) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "memlock: pid=100 rlimit=16384",
                "sys_munlockall()", "sys_munlockall -> 0x0",
                "mmap: addr=0x30000000 len=0x1000000 prot=rw flags=private",
                "sys_mlock(start: 30800000, len: 1000000)",
                "sys_mlock -> 0xfffffffffffffff4",
                "madvise: addr=0x30800000 len=0x1000 advice=dontneed ret=" + madvise,
                "madvise: addr=0x30801000 len=0x1000 advice=dontneed",
                "madvise: addr=0x30000000 len=0x1000 advice=dontneed"), "6.1", FaultPoints.NONE);
        assertEquals(madvise, r.result(8), r.jsonl());
        String assumed = r.call(8).assumed;
        assertEquals(!madvise.equals("0"), assumed != null && assumed.contains("had locked the range"), r.jsonl());
        assertEquals(after, r.result(9), "the rest of the range up to the gap: " + r.jsonl());
        assertEquals("0", r.result(10), "before the mlock()'s start: " + r.jsonl());
        assertTrue(r.summary.divergences == 0, r.jsonl());
    }

    /**
     * Without a gap the -ENOMEM may be __mm_populate()'s, after the whole range was locked; that failed mlock() is the
     * nearer explanation of a refusal over its range than def_flags from before the recording, which would have locked
     * every mapping made since (7.2.13 and 6.1.176 fuzz-deepest-807 cut at 10 %: another mapping's DONTNEED then 0).
     */
    @Test
    void aFailedMlockOverTheRangeExplainsARefusalBeforeDefFlagsDo() {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "memlock: pid=100 rlimit=16384",
                "mmap: addr=0x30000000 len=0xa000 prot=rw flags=private",
                "mmap: addr=0x40000000 len=0x2000 prot=rw flags=private",
                "sys_mlock(start: 30002000, len: 7000)",
                "sys_mlock -> 0xfffffffffffffff4",
                "madvise: addr=0x30003000 len=0x4000 advice=dontneed ret=-EINVAL",
                "madvise: addr=0x40000000 len=0x2000 advice=dontneed ret=0"), "7.2", FaultPoints.NONE);
        assertTrue(r.call(7).assumed.contains("had locked the range"), r.jsonl());
        assertEquals("0", r.result(8), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }
}
