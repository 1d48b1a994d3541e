package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.FileBlocks;
import pinreplay.replay.fs.Inode;

/**
 * A raw recording's fallocate() of every mode takes effect at its return when it succeeded (the kernel's result
 * stands for the checks), and truncate(2) acts on the file the recording last opened by the same absolute path, which
 * only 7.2's printer shows (kernel/trace/trace_syscalls.c check_faultable_syscall(): openat()'s filename, truncate()'s
 * path); 5.10 to 6.12 print the pointer alone, and there the recorder's kprobes on do_sys_openat2() and
 * do_sys_truncate() read the path (without them such a truncate() changes nothing the model knows).
 */
class RawFallocateTruncateTest {
    private static final String OPEN_612 =
            " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 42, mode: 180)\n"
            + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n";

    /** 7.2's sys_enter_openat_print() of openat(AT_FDCWD, path, O_RDWR|O_CREAT, 0644) returning {@code fd}. */
    private static String open72(String path, int fd) {
        return " t-9 [000] .....  1.000000: sys_openat(dfd: 4294967196, filename: 140736113834864 \"" + path
                + "\", flags: O_RDWR|O_CREAT, mode: 0644)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x" + fd + "\n";
    }

    private static String ftruncate(int fd, String len) {
        return " t-9 [000] .....  1.000002: sys_ftruncate(fd: " + fd + ", length: " + len + ")\n"
                + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n";
    }

    private static Inode fdFile(Replays r, int n) {
        Inode inode = r.replayer.kernel().files.named(Inode.FD_INO + n);
        assertNotNull(inode);
        return inode;
    }

    private static boolean allocated(Inode inode, long page) {
        FileBlocks b = inode.blocks;
        return b.allocated(b.indexOf(page));
    }

    private static Replays fallocate(String mode, String ret) {
        return Replays.text("# tracer: nop\n" + OPEN_612 + ftruncate(3, "10000")
                + " t-9 [000] .....  1.000004: sys_fallocate(fd: 3, mode: " + mode + ", offset: 4000, len: 4000)\n"
                + " t-9 [000] .....  1.000005: sys_fallocate -> " + ret + "\n", "6.12", FaultPoints.NONE);
    }

    @Test
    void aCollapseThatSucceededShrinksTheFile() {
        assertEquals(0xc000, fdFile(fallocate("8", "0x0"), 1).size);
        assertEquals(0x14000, fdFile(fallocate("20", "0x0"), 1).size, "an insert grows it");
    }

    @Test
    void aRefusedOneChangesNothing() {
        assertEquals(0x10000, fdFile(fallocate("8", "0xffffffffffffffa1"), 1).size); // -EOPNOTSUPP
    }

    @Test
    void keepSizeAllocatesTheBlocksOnly() {
        Replays r = Replays.text("# tracer: nop\n" + OPEN_612 + ftruncate(3, "1000")
                + " t-9 [000] .....  1.000004: sys_fallocate(fd: 3, mode: 1, offset: 0, len: 4000)\n"
                + " t-9 [000] .....  1.000005: sys_fallocate -> 0x0\n", "6.12", FaultPoints.NONE);
        Inode f = fdFile(r, 1);
        assertEquals(0x1000, f.size);
        assertTrue(allocated(f, 3), "ext4_alloc_file_blocks() past i_size");
    }

    @Test
    void truncateByAPathThe72PrinterShows() {
        Replays r = Replays.text("# tracer: nop\n" + open72("/mnt/f", 3) + ftruncate(3, "0x10000")
                + " t-9 [000] .....  1.000004: sys_truncate(path: 0x7ffc0000 \"/mnt/f\", length: 0x1000)\n"
                + " t-9 [000] .....  1.000005: sys_truncate -> 0x0\n", "7.2", FaultPoints.NONE);
        Inode f = fdFile(r, 1);
        assertEquals(0x1000, f.size, r.jsonl());
        assertFalse(allocated(f, 1), "the blocks past the new size are freed");
    }

    @Test
    void truncateNamesTheFileLastOpenedByThatPath() {
        Replays r = Replays.text("# tracer: nop\n" + open72("/mnt/f", 3) + ftruncate(3, "0x10000")
                + open72("/mnt/g", 4) + ftruncate(4, "0x10000")
                + " t-9 [000] .....  1.000004: sys_truncate(path: 0x7ffc0000 \"/mnt/g\", length: 0)\n"
                + " t-9 [000] .....  1.000005: sys_truncate -> 0\n", "7.2", FaultPoints.NONE);
        assertEquals(0x10000, fdFile(r, 1).size);
        assertEquals(0, fdFile(r, 2).size, r.jsonl());
    }

    /** openat() then truncate() as 6.1 prints them, each with the recorder's kprobe on the function given the path. */
    @Test
    void truncateByAPathTheKprobesRead() {
        Replays r = Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 42, mode: 180)\n"
                + " t-9 [000] .....  1.000000: p_do_sys_openat2_0: (do_sys_openat2+0x0/0x150) path=\"/mnt/f\"\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + ftruncate(3, "10000")
                + " t-9 [000] .....  1.000004: sys_truncate(path: 7ffc0000, length: 1000)\n"
                + " t-9 [000] .....  1.000004: p_do_sys_truncate_0: (do_sys_truncate+0x0/0x90) path=\"/mnt/f\"\n"
                + " t-9 [000] .....  1.000005: sys_truncate -> 0x0\n", "6.1", FaultPoints.NONE);
        Inode f = fdFile(r, 1);
        assertEquals(0x1000, f.size, r.jsonl());
        assertFalse(allocated(f, 1), "the blocks past the new size are freed");
    }

    /** truncate() as 6.12 records it: do_sys_truncate() is inlined into __x64_sys_truncate(), which the recorder probes. */
    @Test
    void truncateByAPathTheSyscallWrapperReads() {
        Replays r = Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 42, mode: 180)\n"
                + " t-9 [000] .....  1.000000: p_do_sys_openat2_0: (do_sys_openat2+0x0/0x160) path=\"/mnt/f\"\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + ftruncate(3, "10000")
                + " t-9 [000] .....  1.000004: sys_truncate(path: 7ffc0000, length: 1000)\n"
                + " t-9 [000] .....  1.000004: p___x64_sys_truncate_0: (__x64_sys_truncate+0x0/0xf0) path=\"/mnt/f\"\n"
                + " t-9 [000] .....  1.000005: sys_truncate -> 0x0\n", "6.12", FaultPoints.NONE);
        assertEquals(0x1000, fdFile(r, 1).size, r.jsonl());
    }

    @Test
    void aPathTheRecordingCannotResolveIsIgnored() {
        // 6.12 prints the pointer alone; a relative path depends on the cwd; a string the printer cut short ("...")
        String[] lines = {
            OPEN_612 + ftruncate(3, "10000")
                    + " t-9 [000] .....  1.000004: sys_truncate(path: 7ffc0000, length: 1000)\n"
                    + " t-9 [000] .....  1.000005: sys_truncate -> 0x0\n",
            open72("f", 3) + ftruncate(3, "0x10000")
                    + " t-9 [000] .....  1.000004: sys_truncate(path: 0x7ffc0000 \"f\", length: 0x1000)\n"
                    + " t-9 [000] .....  1.000005: sys_truncate -> 0x0\n",
            open72("/mnt/0123456789...", 3) + ftruncate(3, "0x10000")
                    + " t-9 [000] .....  1.000004: sys_truncate(path: 0x7ffc0000 \"/mnt/0123456789...\", length: 0x1000)\n"
                    + " t-9 [000] .....  1.000005: sys_truncate -> 0x0\n",
        };
        for (String trace : lines) {
            Replays r = Replays.text("# tracer: nop\n" + trace, trace.contains("dfd: 4294967196") ? "7.2" : "6.12",
                    FaultPoints.NONE);
            assertEquals(0x10000, fdFile(r, 1).size, trace);
        }
    }
}
