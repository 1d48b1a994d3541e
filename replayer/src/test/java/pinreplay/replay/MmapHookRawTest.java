package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * A file opened with openat() in a raw recording is only an fd; the filesystem's own mmap hook, probed inside
 * mmap() (hugetlbfs_file_mmap, shmem_mmap, shmem_mmap_prepare), says which filesystem it is on before the
 * mapping is made. Without the probe the file stays ext4-like until a result reveals it.
 */
class MmapHookRawTest {
    private static final String HUGETLBFS_HOOK = " t-9 [000] .....  1.000005: p_hugetlbfs_file_mmap_0: "
            + "(hugetlbfs_file_mmap+0x0/0x1b0)\n";
    private static final String SHMEM_HOOK = " t-9 [000] .....  1.000005: p_shmem_mmap_prepare_0: "
            + "(shmem_mmap_prepare+0x0/0x90)\n";

    /** openat(), a 2 MiB file, an mmap() of it (the hook line inside, when given), then the GUP of line 9. */
    private static String trace(long prot, long flags, String hook, String gup, String ret) {
        return "# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 42, mode: 180)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_ftruncate(fd: 3, length: 200000)\n"
                + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 200000, prot: " + prot + ", flags: " + flags
                + ", fd: 3, off: 0)\n"
                + (hook.isEmpty() ? "\n" : hook)
                + " t-9 [000] .....  1.000006: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000007: p_" + gup + "_0: (" + gup + "+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=1 gup_flags=" + "%s" + "\n"
                + " t-9 [000] .....  1.000008: r_" + gup + "_0: (x+0x9d/0x2f0 <- " + gup + ") ret=" + ret + "\n";
    }

    /** A read-only private mapping poked with FOLL_FORCE|FOLL_WRITE (0x11 in the 6.1 layout), as /proc/PID/mem does. */
    private static Replays forcedWrite(String hook) {
        return Replays.text(trace(1, 2, hook, "get_user_pages_remote", "-14").formatted("0x11"), "6.1",
                FaultPoints.NONE);
    }

    @Test
    void aHugetlbfsFileKnownByItsMmapHookRefusesAForcedWriteOn61() {
        // check_vma_flags() (6.0-6.14): "hugetlb does not support FOLL_FORCE|FOLL_WRITE"
        Replays r = forcedWrite(HUGETLBFS_HOOK);
        assertEquals("-EFAULT", r.result(9));
        assertNull(r.call(9).assumed);
    }

    @Test
    void withoutTheHookTheRefusedForcedWriteIsLeftToTheRecording() {
        // an ext4-like file would take the write as a COW copy; one the recording never sized may end before the
        // page (VM_FAULT_SIGBUS), or be the hugetlbfs file the hook would have named: the recorded result decides
        Replays r = forcedWrite("");
        assertEquals("-EFAULT", r.result(9));
        assertTrue(r.call(9).assumed.contains("size"), r.call(9).assumed);
    }

    /** A shared writable mapping pinned FOLL_LONGTERM|FOLL_WRITE (0x101 in the 6.12 layout), as io_uring does on 7.2. */
    private static Replays longtermWrite(String hook) {
        return Replays.text(trace(3, 1, hook, "pin_user_pages_fast", "1").formatted("0x101"), "7.2", FaultPoints.NONE);
    }

    @Test
    void aShmemFileKnownByItsMmapPrepareHookIsPinnedWithoutAGuess() {
        // writable_file_mapping_allowed() (6.5+) lets shmem, which needs no dirty tracking, be pinned long-term
        Replays r = longtermWrite(SHMEM_HOOK);
        assertEquals("1", r.result(9));
        assertNull(r.call(9).assumed, "the kernel said which filesystem: nothing is guessed");
    }

    @Test
    void withoutTheHookTheSucceededPinRevealsShmemAsAGuess() {
        assertEquals(PriorMemory.FILE_SHMEM, longtermWrite("").call(9).assumed);
    }

    @Test
    void aRefusedLongtermWritePinOfASharedFileIsNoDevice() {
        // ib_umem_get() of an ext4 shared mapping on 6.12: writable_file_mapping_allowed() refuses the write pin
        // (-EFAULT), as it does the ext4-like file assumed; a read-only long-term pin of it then succeeds
        String t = trace(3, 1, "", "pin_user_pages_fast", "-14").formatted("0x101")
                + " t-9 [000] .....  1.000009: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=1 gup_flags=0x100\n"
                + " t-9 [000] .....  1.000010: r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret=1\n";
        Replays r = Replays.text(t, "6.12", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(9));
        assertNull(r.call(9).assumed, "the ext4-like file explains the refusal: not a device");
        assertEquals("1", r.result(11));
    }

    @Test
    void aHookOutsideMmapNamesNoFile() {
        // shmat()'s shm_mmap() calls shmem_mmap() too, with no fd of the task's
        String outside = trace(3, 1, "", "pin_user_pages_fast", "1").formatted("0x101").replace(
                "sys_ftruncate(fd: 3, length: 200000)", "p_shmem_mmap_prepare_0: (shmem_mmap_prepare+0x0/0x90)");
        assertEquals(PriorMemory.FILE_SHMEM, Replays.text(outside, "7.2", FaultPoints.NONE).call(9).assumed);
    }
}
