package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * mseal() (6.10): a recorded mseal() that succeeded seals the VMAs of its range (VM_SEALED), and madvise() refuses to
 * discard from a sealed read-only anonymous private mapping with -EPERM (can_modify_vma_madv() in
 * madvise_vma_behavior(), 6.12 mm/madvise.c:1052; can_madvise_modify(), 7.2 mm/madvise.c:1354); a writable one, a
 * shared anonymous one (its shmem file) or advice that discards nothing passes. The lab's fuzz-deep-* seal ranges on
 * 6.12 and 7.2 (the recorder traces mseal since).
 */
class MsealTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.12", "7.2"})
    void aSealedReadOnlyAnonymousMappingRefusesDiscards(String release) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x4000 prot=r flags=private",
                "mmap: addr=0x30010000 len=0x4000 prot=rw flags=private",
                "mmap: addr=0x30020000 len=0x4000 prot=r flags=shared",
                "sys_mseal(start: 30000000, len: 2000, flags: 0)", "sys_mseal -> 0x0",
                "sys_mseal(start: 30010000, len: 4000, flags: 0)", "sys_mseal -> 0x0",
                "sys_mseal(start: 30020000, len: 4000, flags: 0)", "sys_mseal -> 0x0",
                "madvise: addr=0x30000000 len=0x4000 advice=dontneed",
                "madvise: addr=0x30002000 len=0x2000 advice=dontneed",
                "madvise: addr=0x30000000 len=0x2000 advice=cold",
                "madvise: addr=0x30010000 len=0x4000 advice=dontneed",
                "madvise: addr=0x30020000 len=0x4000 advice=dontneed",
                "madvise: addr=0x30000000 len=0x1000 advice=wipeonfork"),
                release, FaultPoints.NONE);
        assertEquals("-EPERM", r.result(10), r.jsonl());
        assertEquals("0", r.result(11), "the unsealed half");
        assertEquals("0", r.result(12), "MADV_COLD discards nothing");
        assertEquals("0", r.result(13), "writable");
        assertEquals("0", r.result(14), "shared anonymous: shmem");
        assertEquals("-EPERM", r.result(15), "MADV_WIPEONFORK is a discard");
    }

    /** mseal() again inside a sealed hugetlb VMA changes no flag, so splits nothing (mseal_fixup(), mseal_apply()). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.12", "7.2"})
    void aSealedVmaIsNotSplitBySealingItAgain(String release) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=shared hugetlb=1",
                "sys_mseal(start: 7f0000000000, len: 200000, flags: 0)", "sys_mseal -> 0x0",
                "sys_mseal(start: 7f0000001000, len: 1000, flags: 0)", "sys_mseal -> 0x0",
                "madvise: addr=0x7f0000000000 len=0x200000 advice=dontneed"),
                release, FaultPoints.NONE);
        assertEquals("0", r.result(6), r.jsonl());
    }
}
