package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * 7.2 prints openat()'s flags by name (sys_enter_openat_print()): its O_DIRECT fd is known as in the older hex form,
 * so an O_DIRECT write's invalidation (kiocb_invalidate_pages()) of a folio another thread's read holds pinned is
 * reported in both.
 */
class OpenatFlagsByNameTest {
    private static final List<String> TRACE = List.of(
            "               t-100     (    100) [000] .....     1.000000: sys_openat(dfd: 4294967196, filename: 4096 \"/mnt/ext4/f\", flags: O_RDWR|O_DIRECT)",
            "               t-100     (    100) [000] .....     1.000001: sys_openat -> 0x3",
            "               t-100     (    100) [000] .....     1.000002: sys_mmap(addr: 0, len: 1000, prot: 3, flags: 1, fd: 3, off: 0)",
            "               t-100     (    100) [000] .....     1.000003: p_ext4_file_mmap_0: (ext4_file_mmap+0x4/0x80) i_mode=0x81a4 i_flags=0x0",
            "               t-100     (    100) [000] .....     1.000004: sys_mmap -> 0x7f0000000000",
            "               t-101     (    100) [001] .....     1.000010: sys_pread64(fd: 5, buf: 7f0000000000, count: 1000, pos: 0)",
            "               t-101     (    100) [001] .....     1.000011: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f0000000000 nr_pages=1 gup_flags=0x1",
            "               t-101     (    100) [001] .....     1.000012: r_pin_user_pages_fast_0: (iov_iter_extract_pages+0xf7/0x890 <- pin_user_pages_fast) ret=1",
            "               t-100     (    100) [000] .....     1.000020: sys_pwrite64(fd: 3, buf: 7f0000100000, count: 1000, pos: 0)",
            "               t-100     (    100) [000] .....     1.000021: sys_pwrite64 -> 0x1000",
            "               t-101     (    100) [001] .....     1.000030: sys_pread64 -> 0x1000");

    @ParameterizedTest
    @ValueSource(strings = {"named", "hex", "setfl"})
    void theODirectFdIsKnownInEitherPrinting(String form) {
        List<String> t = new ArrayList<>(TRACE);
        if (form.equals("hex")) {
            t.set(0, t.get(0).replace("dfd: 4294967196, filename: 4096 \"/mnt/ext4/f\", flags: O_RDWR|O_DIRECT",
                    "dfd: ffffff9c, filename: 1000, flags: 4002, mode: 0"));
        }
        if (form.equals("setfl")) { // fcntl(F_SETFL) turns O_DIRECT on (setfl(): SETFL_MASK), as InnoDB does
            t.set(0, t.get(0).replace("O_RDWR|O_DIRECT", "O_RDWR"));
            t.add(2, t.get(1).replace("sys_openat -> 0x3", "sys_fcntl(fd: 3, cmd: 4, arg: 4002)"));
            t.add(3, t.get(1).replace("sys_openat -> 0x3", "sys_fcntl -> 0x0"));
        }
        Replays r = Replays.text(String.join("\n", t) + "\n", "7.2", FaultPoints.NONE);
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
    }
}
