package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * IORING_REGISTER_BUFFERS_UPDATE of a buffer in a huge folio (6.12+): io_coalesce_buffer() keeps one pin per folio
 * and unpins the rest at once ("unpin_user_folio(folio, nr - 1)", 7.2 io_uring/rsrc.c): that unpin is no replaced
 * buffer's (fuzz-racing-974-markers on 7.2.13 took it for one and released the table's older buffer). The older
 * buffer stays pinned, so a fork() copies its page for the child and the parent's stays writable.
 */
class IoUringCoalescedUpdateTest {
    private static final String P = "            prog-300     (    300) [001] .....    11.";
    private static final List<String> TRACE = List.of(
            P + "300000: sys_io_uring_setup(entries: 4, params: 0x7ffe6a20c180)",
            P + "300001: sys_io_uring_setup -> 0x3",
            P + "300010: sys_mmap(addr: 0x7f0000000000, len: 0x1000, prot: 3, flags: 0x32, fd: 0xffffffff, off: 0)",
            P + "300011: sys_mmap -> 0x7f0000000000",
            P + "300020: sys_mmap(addr: 0x7f0000200000, len: 0x200000, prot: 3, flags: 0x40032, fd: 0xffffffff, off: 0)",
            P + "300021: sys_mmap -> 0x7f0000200000",
            P + "300030: sys_io_uring_register(fd: 3, opcode: 0xf, arg: 0x7ffe6a20c220, nr_args: 0x20)",
            P + "300031: sys_io_uring_register -> 0x0",
            P + "300040: sys_io_uring_register(fd: 3, opcode: 0x10, arg: 0x7ffe6a20c220, nr_args: 0x20)",
            P + "300041: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f0000000000 nr_pages=1 gup_flags=0x101",
            P + "300042: r_pin_user_pages_fast_0: (io_pin_pages+0x9a/0x150 <- pin_user_pages_fast) ret=1",
            P + "300043: sys_io_uring_register -> 0x1",
            P + "300050: sys_io_uring_register(fd: 3, opcode: 0x10, arg: 0x7ffe6a20c220, nr_args: 0x20)",
            P + "300051: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f0000200000 nr_pages=512 gup_flags=0x101",
            P + "300052: r_pin_user_pages_fast_0: (io_pin_pages+0x9a/0x150 <- pin_user_pages_fast) ret=512",
            P + "300053: p_unpin_user_folio_0: (unpin_user_folio+0x4/0x80) npages=511",
            P + "300054: sys_io_uring_register -> 0x1",
            P + "300060: task_newtask: pid=301 comm=prog clone_flags=1200000 oom_score_adj=0",
            P + "300061: sched_process_fork: comm=prog pid=300 child_comm=prog child_pid=301",
            P + "300070: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f0000000000 nr_pages=1 gup_flags=0x21",
            P + "300071: r_pin_user_pages_fast_0: (iov_iter_extract_pages+0x128/0xce0 <- pin_user_pages_fast) ret=1");

    @Test
    void theCoalescingUnpinReleasesNoOlderBuffer() {
        Replays r = Replays.text("# tracer: nop\n" + String.join("\n", TRACE) + "\n", "7.2", FaultPoints.NONE);
        assertEquals("1", r.result(21), r.jsonl());
        assertEquals(null, r.call(21).assumed, "the model's own page tables explain it: " + r.jsonl());
    }
}
