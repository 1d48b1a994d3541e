package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * A raw IORING_REGISTER_BUFFERS whose io_pin_pages() met the end of a file the recording never sized (a hugetlbfs
 * file opened before it, its private mapping at file offset 6 MiB): the pin's recorded -EFAULT replaces the model's guess, and io_sqe_buffer_register() fails with it, as the
 * registration's recorded result says (fuzz-deeper-601 and -606 on 6.12.117).
 */
class RawRegisterOnUnsizedFileTest {
    private static final String P = "            prog-300     (    300) [001] .....    11.";

    @Test
    void theRegistrationFailsWithThePinTheRecordingDecided() {
        List<String> t = List.of(
                P + "300000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 2, mode: 0)",
                P + "300001: sys_openat -> 0x5",
                P + "300002: sys_mmap(addr: 0, len: 0x400000, prot: 3, flags: 0x2, fd: 5, off: 0x600000)",
                P + "300003: p_hugetlbfs_file_mmap_0: (hugetlbfs_file_mmap+0x4/0x1a0)",
                P + "300004: sys_mmap -> 0x7f6e47000000",
                P + "338671: sys_io_uring_setup(entries: 4, params: 0x7ffe6a20c180)",
                P + "343508: sys_io_uring_setup -> 0x3",
                P + "352865: sys_io_uring_register(fd: 3, opcode: 0, arg: 0x7ffe6a20c220, nr_args: 1)",
                P + "353510: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f6e4714a000 nr_pages=16 gup_flags=0x101",
                P + "354091: r_pin_user_pages_fast_0: (io_pin_pages+0x82/0xf0 <- pin_user_pages_fast) ret=4294967282",
                P + "354603: sys_io_uring_register -> 0xfffffffffffffff2");
        Replays r = Replays.text(String.join("\n", t) + "\n", "6.12", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(9), r.jsonl());
        assertEquals("-EFAULT", r.result(11), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }
}
