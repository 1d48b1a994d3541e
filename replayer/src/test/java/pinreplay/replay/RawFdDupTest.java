package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A duplicated fd (dup(), dup2(), dup3(), fcntl(F_DUPFD)) refers to the same open file (fs/file.c): closing one
 * copy of an io_uring ring's fd leaves the ring and its registered buffers, pinned and charged, to the other.
 */
class RawFdDupTest {
    /** uid 1000, RLIMIT_MEMLOCK 64 pages: ring fd 3 registers 48 pages, is duplicated, closed; a new ring's 48 pages fail. */
    private static final List<String> TRACE = List.of(
            "        snapshot-0       [000] .....     0.000000: memlock: pid=300 rlimit=262144 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0 user_locked_vm=0",
            "            prog-300     (    300) [001] .....    11.338671: sys_io_uring_setup(entries: 4, params: 0x7ffe6a20c180)",
            "            prog-300     (    300) [001] .....    11.343508: sys_io_uring_setup -> 0x3",
            "            prog-300     (    300) [001] .....    11.351887: sys_mmap(addr: 0, len: 0x30000, prot: 3, flags: 0x22, fd: 0xffffffff, off: 0)",
            "            prog-300     (    300) [001] .....    11.352015: sys_mmap -> 0x7f6e4709b000",
            "            prog-300     (    300) [001] .....    11.352865: sys_io_uring_register(fd: 3, opcode: 0, arg: 0x7ffe6a20c220, nr_args: 1)",
            "            prog-300     (    300) [001] .....    11.353510: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f6e4709b000 nr_pages=48 gup_flags=0x101",
            "            prog-300     (    300) [001] .....    11.354091: r_pin_user_pages_fast_0: (io_pin_pages+0x9a/0x150 <- pin_user_pages_fast) ret=48",
            "            prog-300     (    300) [001] .....    11.354603: sys_io_uring_register -> 0x0",
            "            prog-300     (    300) [001] .....    11.360000: sys_dup(fildes: 3)",
            "            prog-300     (    300) [001] .....    11.360010: sys_dup -> 0x4",
            "            prog-300     (    300) [001] .....    11.361000: sys_close(fd: 3)",
            "            prog-300     (    300) [001] .....    11.361010: sys_close -> 0x0",
            "            prog-300     (    300) [001] .....    11.370000: sys_io_uring_setup(entries: 4, params: 0x7ffe6a20c180)",
            "            prog-300     (    300) [001] .....    11.370100: sys_io_uring_setup -> 0x3",
            "            prog-300     (    300) [001] .....    11.371000: sys_mmap(addr: 0, len: 0x30000, prot: 3, flags: 0x22, fd: 0xffffffff, off: 0)",
            "            prog-300     (    300) [001] .....    11.371100: sys_mmap -> 0x7f6e4706b000",
            "            prog-300     (    300) [001] .....    11.372000: sys_io_uring_register(fd: 3, opcode: 0, arg: 0x7ffe6a20c220, nr_args: 1)",
            "            prog-300     (    300) [001] .....    11.372100: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f6e4706b000 nr_pages=48 gup_flags=0x101",
            "            prog-300     (    300) [001] .....    11.372200: r_pin_user_pages_fast_0: (io_pin_pages+0x9a/0x150 <- pin_user_pages_fast) ret=48",
            "            prog-300     (    300) [001] .....    11.372300: p_unpin_user_folio_0: (unpin_user_folio+0x4/0x80) npages=48",
            "            prog-300     (    300) [001] .....    11.372400: sys_io_uring_register -> 0xfffffffffffffff4");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sys_dup(fildes: 3)                       | sys_dup -> 0x4",
        "sys_dup2(oldfd: 3, newfd: 7)             | sys_dup2 -> 0x7",
        "sys_dup3(oldfd: 3, newfd: 7, flags: 80000) | sys_dup3 -> 0x7",
        "sys_fcntl(fd: 3, cmd: 406, arg: 0)       | sys_fcntl -> 0x4",
    })
    void theRingOutlivesTheCloseOfOneOfItsFds(String enter, String exit) {
        List<String> t = new ArrayList<>(TRACE);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, t.get(i).replace("sys_dup(fildes: 3)", enter).replace("sys_dup -> 0x4", exit));
        }
        Replays r = Replays.text(String.join("\n", t) + "\n", "7.2", FaultPoints.NONE);
        assertEquals("-ENOMEM", r.result(t.size()), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }
}
