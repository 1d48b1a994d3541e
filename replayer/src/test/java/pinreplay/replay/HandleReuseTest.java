package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;

/**
 * A handle is the user's name for what it registered: registering twice under one live handle keeps both
 * registrations, as the kernel does, and each release drops one of them; nothing is silently shadowed.
 */
class HandleReuseTest {
    private static final String ANON = "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=private";

    private static Replays replay(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    /** After every release: no registration left, no frame that looks DMA-pinned, nothing charged. */
    private static void nothingHeld(Replays r) {
        Kernel k = r.replayer.kernel();
        assertEquals(List.of(), k.registrations.live());
        assertFalse(k.memMap.maybeDmaPinned(0, 1L << 60), "a frame is still pinned");
        Mm mm = k.tasks.mmOf(100);
        assertEquals(0, mm.lockedVm);
        assertEquals(0, mm.pinnedVm);
    }

    @Test
    void twoVfioMapsUnderOneHandleCoexistAndAnUnmapRemovesExactlyTheMapAtItsIova() {
        Replays r = replay("6.15", ANON,
                "vfio_dma_map: handle=v vaddr=0x7f0000000000 iova=0x0 size=0x1000",
                "vfio_dma_map: handle=v vaddr=0x7f0000001000 iova=0x100000 size=0x1000",
                "vfio_dma_unmap: handle=v iova=0x0 size=0x1000",
                "dma_write: handle=v iova=0x100000 len=0x1000",
                "dma_write: handle=v iova=0x0 len=0x1000",
                "vfio_dma_unmap: handle=v iova=0x100000 size=0x1000");
        assertEquals("0", r.result(4));
        assertEquals("4096", r.result(5), "the map at 0x100000 must survive the unmap of 0x0");
        assertEquals("-EFAULT", r.result(6), "the map at 0x0 is gone");
        assertEquals(List.of(), r.violationKinds());
        nothingHeld(r);
    }

    @Test
    void vfioUnmapFollowsTheType1v2Rules() {
        Replays r = replay("6.15", ANON,
                "vfio_dma_map: handle=a vaddr=0x7f0000000000 iova=0x0 size=0x2000",
                "vfio_dma_map: handle=b vaddr=0x7f0000002000 iova=0x2000 size=0x2000",
                // bisects a: -EINVAL, nothing unmapped
                "vfio_dma_unmap: handle=a iova=0x1000 size=0x1000",
                "vfio_dma_unmap: handle=a iova=0x0 size=0x3000",
                "vfio_dma_unmap: handle=a iova=0x0 size=0",
                // a range covering both removes both, whatever the handle
                "vfio_dma_unmap: handle=a iova=0x0 size=0x4000",
                // nothing left there: 0 bytes unmapped, no error
                "vfio_dma_unmap: handle=a iova=0x0 size=0x4000",
                "vfio_dma_map: handle=c vaddr=0x7f0000000000 iova=0xfffffffffffff000 size=0x2000");
        assertEquals("-EINVAL", r.result(4));
        assertEquals("-EINVAL", r.result(5));
        assertEquals("-EINVAL", r.result(6));
        assertEquals("0", r.result(7));
        assertEquals("0", r.result(8));
        assertEquals("-EINVAL", r.result(9), "an iova range that wraps");
        nothingHeld(r);
    }

    @Test
    void twoPinsAndTwoUnpinsOfOneHandleBalance() {
        Replays r = replay("6.15", ANON,
                "pin_user_pages: start=0x7f0000010000 nr_pages=16 gup_flags=FOLL_WRITE handle=p",
                "pin_user_pages: start=0x7f0000020000 nr_pages=16 gup_flags=FOLL_WRITE handle=p",
                "unpin_user_pages: handle=p",
                "unpin_user_pages: handle=p",
                "get_user_pages: start=0x7f0000030000 nr_pages=2 gup_flags=FOLL_WRITE handle=g",
                "get_user_pages: start=0x7f0000030000 nr_pages=2 gup_flags=FOLL_WRITE handle=g",
                "put_page: handle=g",
                "put_page: handle=g");
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
        nothingHeld(r);
    }

    @Test
    void aThirdUnpinIsUnbalancedAndSaysWhenTheLastWasReleased() {
        Replays r = replay("6.15", ANON,
                "pin_user_pages: start=0x7f0000010000 nr_pages=1 gup_flags=FOLL_WRITE handle=p",
                "pin_user_pages: start=0x7f0000020000 nr_pages=1 gup_flags=FOLL_WRITE handle=p",
                "unpin_user_pages: handle=p",
                "unpin_user_pages: handle=p",
                "unpin_user_pages: handle=p");
        assertEquals(List.of("unbalanced-unpin"), r.violationKinds());
        assertTrue(r.violations().get(0).detail.contains("already released at line 5"), r.jsonl());
    }

    @Test
    void rdmaMrsAndDirectIoUnderOneHandleEachReleaseOne() {
        Replays r = replay("6.15", ANON,
                "rdma_reg_mr: handle=mr addr=0x7f0000000000 len=0x4000",
                "rdma_reg_mr: handle=mr addr=0x7f0000010000 len=0x4000",
                "rdma_dereg_mr: handle=mr",
                "dma_write: handle=mr offset=0 len=0x1000",
                "rdma_dereg_mr: handle=mr",
                "dio_submit: handle=d ino=1 offset=0 len=0x1000 buf=0x7f0000040000 rw=read",
                "dio_submit: handle=d ino=1 offset=0 len=0x1000 buf=0x7f0000050000 rw=read",
                "dio_complete: handle=d",
                "dio_complete: handle=d");
        assertEquals("4096", r.result(5), "the older MR is still registered");
        assertEquals("4096", r.result(9));
        assertEquals("4096", r.result(10));
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
        nothingHeld(r);
    }

    @Test
    void ioUringRefusesASecondBufferTableOnOneRing() {
        Replays r = replay("6.15", ANON,
                "io_uring_register_buffers: handle=ring addr=0x7f0000000000 len=0x4000",
                "io_uring_register_buffers: handle=ring addr=0x7f0000010000 len=0x4000",
                "io_uring_unregister_buffers: handle=ring",
                "io_uring_unregister_buffers: handle=ring");
        assertEquals("0", r.result(2));
        assertEquals("-EBUSY", r.result(3));
        assertEquals("0", r.result(4));
        assertEquals("-ENXIO", r.result(5));
        nothingHeld(r);
    }
}
