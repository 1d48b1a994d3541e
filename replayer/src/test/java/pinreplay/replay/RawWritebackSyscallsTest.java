package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A raw recording's fsync(), fdatasync(), sync_file_range(SYNC_FILE_RANGE_WRITE) and msync(MS_SYNC) of a shared
 * mapping write back the file's dirty folios
 * (file_write_and_wait_range(), __filemap_fdatawrite_range(): folio_clear_dirty_for_io(), folio_mkclean()), as the
 * native {@code writeback} line does: a device write through a pin taken before is a write to a clean folio.
 */
class RawWritebackSyscallsTest {
    /** A shared mapping of an ext4 file, written, pinned; the file synced; then the device writes through the pin. */
    private static final List<String> FSYNC = List.of(
            "               t-100     (    100) [000] .....     1.000000: sys_openat(dfd: ffffff9c, filename: 1000, flags: 2, mode: 0)",
            "               t-100     (    100) [000] .....     1.000001: sys_openat -> 0x3",
            "               t-100     (    100) [000] .....     1.000002: sys_mmap(addr: 0, len: 1000, prot: 3, flags: 1, fd: 3, off: 0)",
            "               t-100     (    100) [000] .....     1.000003: p_ext4_file_mmap_0: (ext4_file_mmap+0x4/0x80) i_mode=0x81a4 i_flags=0x0",
            "               t-100     (    100) [000] .....     1.000004: sys_mmap -> 0x7f0000000000",
            "               t-100     (    100) [000] .....     1.000005: tracing_mark_write: fault: addr=0x7f0000000000 len=0x1000 write=1",
            "               t-100     (    100) [000] .....     1.000006: tracing_mark_write: pin_user_pages_fast: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_WRITE handle=aif",
            "               t-100     (    100) [000] .....     1.000010: sys_fsync(fd: 3)",
            "               t-100     (    100) [000] .....     1.000020: sys_fsync -> 0x0",
            "               t-100     (    100) [000] .....     1.000030: tracing_mark_write: dma_write: handle=aif offset=0 len=0x1000",
            "               t-100     (    100) [000] .....     1.000040: tracing_mark_write: unpin_user_pages: handle=aif dirty=1");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5.10 | sys_fsync(fd: 3)                                                  | write-to-clean-folio",
        "7.2  | sys_fsync(fd: 3)                                                  | write-to-clean-folio",
        "6.1  | sys_fdatasync(fd: 3)                                              | write-to-clean-folio",
        "6.1  | sys_sync_file_range(fd: 3, offset: 0, nbytes: 0, flags: 2)        | write-to-clean-folio",
        "6.12 | sys_sync_file_range(fd: 3, offset: 1000, nbytes: 1000, flags: 7)  | ''",
        "6.12 | sys_sync_file_range(fd: 3, offset: 0, nbytes: 1000, flags: 1)     | ''",
        "6.1  | sys_msync(start: 7f0000000000, len: 1000, flags: 4)               | write-to-clean-folio",
        "7.2  | sys_msync(start: 7f0000000000, len: 3000, flags: 6)               | write-to-clean-folio",
        "7.2  | sys_msync(start: 7f0000000000, len: 1000, flags: 1)               | ''",
        "7.2  | sys_msync(start: 7f0000001000, len: 1000, flags: 4)               | ''",
    })
    void theSyncWritesTheFileBack(String kernel, String call, String violation) {
        String name = call.substring(0, call.indexOf('('));
        String trace = String.join("\n", FSYNC).replace("sys_fsync(fd: 3)", call)
                .replace("sys_fsync -> 0x0", name + " -> 0x0") + "\n";
        Replays r = Replays.text(trace, kernel, FaultPoints.NONE);
        assertEquals(violation.isEmpty() ? List.of() : List.of(violation), r.violationKinds(), r.jsonl());
    }

    /** msync(MS_SYNC | MS_INVALIDATE) over a VM_LOCKED VMA: -EBUSY before its writeback (mm/msync.c, 5.10-7.2). */
    @ParameterizedTest
    @CsvSource({"6.1, 6, ''", "7.2, 4, write-to-clean-folio"})
    void msyncInvalidateStopsAtALockedVma(String kernel, int flags, String violation) {
        String trace = String.join("\n", FSYNC).replace("sys_fsync(fd: 3)", "sys_mlock(start: 7f0000000000, len: 1000)")
                .replace("sys_fsync -> 0x0", "sys_mlock -> 0x0") + "\n";
        trace = trace.replace("     1.000030: tracing_mark_write: dma_write",
                "     1.000021: sys_msync(start: 7f0000000000, len: 1000, flags: " + flags + ")\n"
                + "               t-100     (    100) [000] .....     1.000022: sys_msync -> "
                + (flags == 6 ? "0xfffffffffffffff0" : "0x0") + "\n"
                + "               t-100     (    100) [000] .....     1.000030: tracing_mark_write: dma_write");
        Replays r = Replays.text(trace, kernel, FaultPoints.NONE);
        assertEquals(violation.isEmpty() ? List.of() : List.of(violation), r.violationKinds(), r.jsonl());
    }
}
