package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * mlockall(MCL_FUTURE) before the recording (qemu's -overcommit mem-lock=on, a recorder attached late): mm->def_flags
 * holds VM_LOCKED, which do_mmap() gives every mapping the recording then shows made, and MADV_DONTNEED, FREE, COLD,
 * PAGEOUT, REMOVE and GUARD_INSTALL refuse those with -EINVAL. A recorded refusal over such a mapping of an mm older
 * than the recording says so; an mm the recording made (fork(), execve()) starts without it (mm_init()).
 * (fuzz-deeper-610-markers and -613 on 7.2.13, cut after their mlockall(MCL_CURRENT | MCL_FUTURE).)
 */
class DefFlagsBeforeRecordingTest {
    private static final String MAP_A = "mmap: addr=0x30000000 len=0x4000 prot=rw flags=private";
    private static final String MAP_B = "mmap: addr=0x40000000 len=0x4000 prot=rw flags=private";

    @Test
    void aRefusalOverAMappingMadeSinceSaysTheMmLocksItsFuture() {
        Replays r = Replays.text(Replays.lines(MAP_A, "fault: addr=0x30000000 len=0x4000 write=1",
                "madvise: addr=0x30000000 len=0x1000 advice=dontneed ret=-EINVAL",
                "madvise: addr=0x30001000 len=0x1000 advice=pageout", MAP_B,
                "madvise: addr=0x40000000 len=0x1000 advice=free"), "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(3), r.jsonl());
        assertTrue(r.call(3).assumed.contains("mlockall(MCL_FUTURE) before the recording"), r.jsonl());
        assertEquals("-EINVAL", r.result(4), "the same mapping, locked: " + r.jsonl());
        assertEquals("-EINVAL", r.result(6), "a later mapping takes def_flags: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * madvise_remove() tests VM_LOCKED (-EINVAL) before the mapping's VM_SHARED|VM_WRITE (-EACCES): a recorded -EINVAL
     * over a private read-only file mapping made since says def_flags locked it (5.10.223 fuzz-deeper-603, raw and
     * markers, cut at 50 %).
     */
    @Test
    void aRemoveRefusedOverAReadOnlyPrivateFileMappingSaysTheMmLocksItsFuture() {
        Replays r = Replays.text(Replays.lines("file: ino=70 fs=tmpfs size=0xc000",
                "mmap: addr=0x30000000 len=0xc000 prot=r flags=private ino=70 pgoff=0",
                "madvise: addr=0x3000b000 len=0x1000 advice=remove ret=-EINVAL", MAP_B,
                "madvise: addr=0x40000000 len=0x1000 advice=dontneed"), "5.10.223", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(3), r.jsonl());
        assertTrue(r.call(3).assumed.contains("mlockall(MCL_FUTURE) before the recording"), r.jsonl());
        assertEquals("-EINVAL", r.result(5), "a later mapping takes def_flags: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void anMmTheRecordingMadeHasNoSuchPast() {
        Replays r = Replays.text(Replays.lines(
                "sched_process_fork: comm=app pid=100 child_comm=app child_pid=101")
                + "         app-101     [000] .....   2.000001: " + MAP_A + "\n"
                + "         app-101     [000] .....   2.000002: madvise: addr=0x30000000 len=0x1000 advice=dontneed ret=-EINVAL\n",
                "7.2", FaultPoints.NONE);
        assertEquals("0", r.result(3), r.jsonl());
        assertEquals(1, r.summary.divergences, r.jsonl());
    }

    @Test
    void anExplicitMunlockWinsOverTheGuess() {
        Replays r = Replays.text(Replays.lines(MAP_A, MAP_B, "sys_munlock(start: 0x30000000, len: 0x4000)",
                "sys_munlock -> 0x0", "madvise: addr=0x40000000 len=0x1000 advice=dontneed ret=-EINVAL",
                "madvise: addr=0x30000000 len=0x1000 advice=dontneed"), "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(5), r.jsonl());
        assertEquals("0", r.result(6), "munlock() set that mapping's state: " + r.jsonl());
    }

    /**
     * mremap() moves a mapping with its vm_flags (copy_vma()): def_flags' VM_LOCKED, unknown until a refusal says so,
     * moves with it (6.1.176 fuzz-deepest-802 cut at 35 %: a shared mapping made since, moved, refused MADV_DONTNEED).
     */
    @Test
    void aMovedMappingKeepsWhatDefFlagsMayHaveGivenIt() {
        Replays r = Replays.text(Replays.lines(MAP_A,
                "sys_mremap(addr: 30000000, old_len: 4000, new_len: 6000, flags: 1, new_addr: 0)",
                "sys_mremap -> 0x50000000",
                "madvise: addr=0x50001000 len=0x1000 advice=dontneed ret=-EINVAL"), "6.1", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertTrue(r.call(4).assumed.contains("mlockall(MCL_FUTURE) before the recording"), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * mlockall(MCL_FUTURE) without MCL_CURRENT in the recording sets def_flags for what comes next and leaves the
     * mappings made before it as they were: locked or not as the older def_flags were (7.2.13 fuzz-deepest-804 cut at
     * 20 %: MADV_PAGEOUT -EINVAL over a mapping made after the cut, before the recording's mlockall(6)).
     */
    @Test
    void anMlockallOfTheFutureOnlyLeavesEarlierMappingsToTheGuess() {
        Replays r = Replays.text(Replays.lines(MAP_A, "sys_mlockall(flags: 6)", "sys_mlockall -> 0x0",
                "madvise: addr=0x30000000 len=0x1000 advice=pageout ret=-EINVAL", MAP_B,
                "madvise: addr=0x40000000 len=0x1000 advice=dontneed"), "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertTrue(r.call(4).assumed.contains("mlockall(MCL_FUTURE) before the recording"), r.jsonl());
        assertEquals("-EINVAL", r.result(6), "def_flags the recording's mlockall() set: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void anMlockallOfTheFutureAloneLeavesTheMappingsMadeBeforeIt() {
        // apply_mlockall_flags() (5.10-7.2): MCL_FUTURE without MCL_CURRENT sets def_flags for later mappings only; one
        // made before it keeps the VM_LOCKED of the def_flags from before the recording (6.1 fuzz-dev-816 cut at 35 %)
        Replays r = Replays.text(Replays.lines(MAP_A, "sys_mlockall(flags: 0x2)", "sys_mlockall -> 0x0",
                "madvise: addr=0x30000000 len=0x1000 advice=free ret=-EINVAL"), "6.1", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertTrue(r.call(4).assumed.contains("mlockall(MCL_FUTURE) before the recording"), r.jsonl());
    }

    @Test
    void aHoleTheRecordingMadeComesAfterTheLockedMappingsRefusal() {
        // madvise_walk_vmas() (6.1 mm/madvise.c:1247): a hole's -ENOMEM is returned last, a VMA's -EINVAL at once
        Replays r = Replays.text(Replays.lines(MAP_A, "munmap: addr=0x30002000 len=0x1000",
                "madvise: addr=0x30001000 len=0x3000 advice=free ret=-EINVAL"), "6.1", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(3), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void mlockLeavesASecretmemMappingAsDefFlagsMadeIt() {
        // mlock_fixup() leaves a secretmem VMA alone ("vma_is_secretmem(vma)", 6.12 mm/mlock.c:475, 7.2 :478), so
        // whether def_flags locked it stays unknown (7.2 fuzz-dev-816-markers cut at 65 %)
        Replays r = Replays.text(Replays.lines("file: ino=9 fs=secretmem dax=0 size=12288 dev=0:7",
                "mmap: addr=0x30000000 len=0x3000 prot=rw flags=shared ino=9 pgoff=0",
                "sys_mlock(start: 0x30001000, len: 0x2000)", "sys_mlock -> 0x0",
                "madvise: addr=0x30002000 len=0x1000 advice=dontneed ret=-EINVAL"), "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(5), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * munlock() of the second page knows that page's state only (mlock_fixup() split the VMA, had it been locked);
     * a refusal over pages 1 and 2 is the walk's at page 1, which def_flags locked (5.10.223 fuzz-deepest-810 cut at
     * 80 %: MADV_PAGEOUT -EINVAL over a mapping whose last page the program had munlock()ed).
     */
    @Test
    void anMunlockOfPartOfAMappingLeavesTheRestToTheGuess() {
        Replays r = Replays.text(Replays.lines(MAP_A, "sys_munlock(start: 30002000, len: 1000)", "sys_munlock -> 0x0",
                "madvise: addr=0x30001000 len=0x2000 advice=pageout ret=-EINVAL",
                "madvise: addr=0x30002000 len=0x1000 advice=pageout"), "5.10", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertTrue(r.call(4).assumed.contains("mlockall(MCL_FUTURE) before the recording"), r.jsonl());
        assertEquals("0", r.result(5), "the page munlock() unlocked: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }
}
