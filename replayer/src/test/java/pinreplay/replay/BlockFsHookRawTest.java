package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * A file opened during a raw recording is only an fd; ext4's and xfs's own mmap hooks, probed inside mmap() with
 * the inode's i_mode and i_flags, say the file is on that filesystem and whether it is fs-DAX (S_DAX) before the
 * mapping is made, so io_uring's long-term write pin of it is judged without a guess from the kernel's result.
 */
class BlockFsHookRawTest {
    /** ext4_file_mmap(file, vma) of 6.12 (a module function: its column names the module), a regular file. */
    private static String ext4Hook612(String iFlags) {
        return " t-9 [000] .....  1.000005: p_ext4_file_mmap_0: (ext4_file_mmap+0x0/0xea [ext4]) i_mode=0x81a4 "
                + "i_flags=" + iFlags + "\n";
    }

    /** openat(), a 2 MiB file, a shared read-write mmap() of it (the hook line inside), then the pin of line 9. */
    private static Replays longtermWrite(String kernel, String hook, String ret) {
        String trace = "# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 42, mode: 180)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_ftruncate(fd: 3, length: 200000)\n"
                + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 200000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + (hook.isEmpty() ? "\n" : hook)
                + " t-9 [000] .....  1.000006: sys_mmap -> 0x7f0000000000\n"
                // FOLL_WRITE|FOLL_LONGTERM in the 6.2+ layout, as io_pin_pages() asks
                + " t-9 [000] .....  1.000007: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=1 gup_flags=0x101\n"
                + " t-9 [000] .....  1.000008: r_pin_user_pages_fast_0: (x+0x9d/0x2f0 <- pin_user_pages_fast) ret="
                + ret + "\n";
        return Replays.text(trace, kernel, FaultPoints.NONE);
    }

    @Test
    void anExt4FileKnownByItsMmapHookIsRefusedAsDirtyTrackedWithoutAGuess() {
        // writable_file_mapping_allowed() (6.5+): a shared writable mapping of a file that needs dirty tracking
        Replays r = longtermWrite("6.12", ext4Hook612("0x0"), "-14");
        assertEquals("-EFAULT", r.result(9));
        assertNull(r.call(9).assumed, "ext4_file_mmap said ext4: nothing is guessed");
    }

    @Test
    void withoutTheHookTheRefusedFileIsTheExt4LikeFileItIsTakenFor() {
        // PriorMemory: on 6.5+ writable_file_mapping_allowed() refuses the ext4-like file too, so -EFAULT reveals no device
        Replays r = longtermWrite("6.12", "", "-14");
        assertEquals("-EFAULT", r.result(9));
        assertNull(r.call(9).assumed);
    }

    @Test
    void anFsDaxFileKnownByItsInodeFlagsRefusesTheLongtermPinWithoutAGuess() {
        // check_vma_flags() (5.11+): FOLL_LONGTERM on a vma_is_fsdax() VMA is -EOPNOTSUPP
        Replays r = longtermWrite("6.12", ext4Hook612("0x2000"), "-95");
        assertEquals("-EOPNOTSUPP", r.result(9));
        assertNull(r.call(9).assumed, "S_DAX in i_flags said fs-DAX: nothing is guessed");
    }

    @Test
    void withoutTheHookTheRefusedDaxFileIsGuessedFsDax() {
        assertEquals(PriorMemory.FILE_FSDAX, longtermWrite("6.12", "", "-95").call(9).assumed);
    }

    @Test
    void anXfsDaxFileKnownByItsMmapPrepareHookOn72() {
        String hook = " t-9 [000] .....  1.000005: p_xfs_file_mmap_prepare_0: (xfs_file_mmap_prepare+0x0/0x110 [xfs]) "
                + "i_mode=0x81a4 i_flags=0x2000\n";
        Replays r = longtermWrite("7.2", hook, "-95");
        assertEquals("-EOPNOTSUPP", r.result(9));
        assertNull(r.call(9).assumed);
    }

    @Test
    void aHookWithoutTheInodeLeavesDaxToBeGuessed() {
        // a release whose struct layout the recorder does not know: the hook comes without i_mode and i_flags
        String bare = " t-9 [000] .....  1.000005: p_ext4_file_mmap_0: (ext4_file_mmap+0x0/0xea [ext4])\n";
        assertEquals(PriorMemory.FILE_FSDAX, longtermWrite("6.12", bare, "-95").call(9).assumed);
    }

    @Test
    void aFaultedFetchIsNoInode() {
        String faulted = " t-9 [000] .....  1.000005: p_ext4_file_mmap_0: (ext4_file_mmap+0x0/0xea [ext4]) "
                + "i_mode=(fault) i_flags=(fault)\n";
        assertEquals(PriorMemory.FILE_FSDAX, longtermWrite("6.12", faulted, "-95").call(9).assumed);
    }

    @Test
    void aBtrfsFileNeedsNoInodeFlags() {
        String hook = " t-9 [000] .....  1.000005: p_btrfs_file_mmap_0: (btrfs_file_mmap+0x0/0x80 [btrfs])\n";
        Replays r = longtermWrite("6.12", hook, "-14");
        assertEquals("-EFAULT", r.result(9));
        assertNull(r.call(9).assumed);
    }
}
