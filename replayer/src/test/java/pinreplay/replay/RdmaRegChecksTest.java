package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * ib_umem_get()'s size check and ib_uverbs_dereg_mr()'s lookup as drivers/infiniband/core/umem.c and uverbs_cmd.c of
 * the 5.10.262, 6.1.176, 6.12.117 and 7.2.13 trees make them.
 */
class RdmaRegChecksTest {
    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    /**
     * "if (npages == 0 || npages > UINT_MAX)" with npages = ib_umem_num_pages(): (ALIGN(iova + length) -
     * ALIGN_DOWN(iova)) / PAGE_SIZE, so a length of 0 inside a page is one page, pinned and charged.
     */
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void aZeroLengthInsideAPageRegistersThatPage(String kernel) {
        Replays r = run(kernel,
                "memlock: pid=100 rlimit=4096 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0",
                "mmap: addr=0x10000 len=0x4000 prot=rw flags=private",
                "rdma_reg_mr: handle=mr0 addr=0x10010 len=0 access=write",
                "rdma_reg_mr: handle=mr1 addr=0x10000 len=0 access=write",
                "rdma_reg_mr: handle=mr2 addr=0x11000 len=0x1000 access=write",            // 1 + 1 > 1 page
                "rdma_dereg_mr: handle=mr0",
                "rdma_reg_mr: handle=mr3 addr=0x11000 len=0x1000 access=write");
        assertEquals("0", r.result(3), r.jsonl());
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertEquals("-ENOMEM", r.result(5), r.jsonl());
        assertEquals("0", r.result(6), r.jsonl());
        assertEquals("0", r.result(7), r.jsonl());
    }

    /** uobj_perform_destroy() -> lookup_get_idr_uobject(): a handle that names no live MR is -ENOENT. */
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "7.2"})
    void aDeregOfNoLiveMrIsNoEntry(String kernel) {
        Replays r = run(kernel,
                "mmap: addr=0x100000 len=0x10000 prot=rw flags=private",
                "rdma_reg_mr: handle=p0 addr=0x100000 len=0x1000 access=write",
                "rdma_dereg_mr: handle=p0",
                "rdma_dereg_mr: handle=p0",
                "rdma_dereg_mr: handle=never");
        assertEquals("0", r.result(3));
        assertEquals("-ENOENT", r.result(4));
        assertEquals("-ENOENT", r.result(5));
        assertTrue(r.jsonl().contains("unbalanced-unpin"), r.jsonl());
    }
}
