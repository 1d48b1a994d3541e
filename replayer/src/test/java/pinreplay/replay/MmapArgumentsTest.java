package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Argument checks of do_mmap(), munmap(), mprotect() and ib_umem_get(): no VMA with an unaligned edge, no range
 * that wraps.
 */
class MmapArgumentsTest {
    @Test
    // a safety net that ends the hang this reproduces (a busy loop ignores interrupts), not a speed check
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUnalignedMmapIsRefusedAndAPinOfItsLastPageEnds() {
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x7f0000000800 len=0x2000 prot=rw flags=private",
                "pin_user_pages: start=0x7f0000002000 nr_pages=1 gup_flags=FOLL_WRITE handle=p",
                "pin_user_pages_fast: start=0x7f0000001000 nr_pages=1 gup_flags=FOLL_WRITE handle=q"),
                "6.15", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(1), "MAP_FIXED needs a page-aligned address (__get_unmapped_area())");
        assertEquals("-EFAULT", r.result(2));
        assertEquals("-EFAULT", r.result(3));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "mmap: addr=0x7f0000000000 len=0 prot=rw flags=private | -EINVAL",
        "mmap: addr=0x7f0000000000 len=0xffffffffffffffff prot=rw flags=private | -ENOMEM",
        "mmap: addr=0x7ffffffff000 len=0x2000 prot=rw flags=private | -ENOMEM",
        "mmap: addr=0x7f0000000000 len=0x2000 prot=rw flags=private ino=3 pgoff=0xfffffffffffffffe | -EOVERFLOW",
        "mmap: addr=0x7f0000000000 len=0x2000 prot=rw flags=private ino=3 pgoff=0x10000000000000 | -EOVERFLOW",
        "munmap: addr=0x7f0000000800 len=0x1000 | -EINVAL",
        "munmap: addr=0x7f0000000000 len=0 | -EINVAL",
        "munmap: addr=0x7f0000000000 len=0xffffffffffff0000 | -EINVAL",
        "mprotect: addr=0x7f0000000800 len=0x1000 prot=r | -EINVAL",
        "mprotect: addr=0x7f0000000000 len=0 prot=r | 0",
        "mprotect: addr=0x7f0000000000 len=0xfffffffffffff000 prot=r | -ENOMEM",
        "mprotect: addr=0x7f0000000000 len=0x20000 prot=r | -ENOMEM",
        "mprotect: addr=0x7f0000001000 len=0x1000 prot=r | 0",
        "fault: addr=0x7f0000000000 len=0xffffffffffffffff write=1 | -EFAULT",
        // ib_umem_get() (drivers/infiniband/core/umem.c): no page, or addr + size overflowing, is -EINVAL
        "rdma_reg_mr: handle=mr addr=0x7f0000000000 len=0 | -EINVAL",
        "rdma_reg_mr: handle=mr addr=0x7f0000000000 len=0xffffffffffffffff | -EINVAL",
        "rdma_reg_mr: handle=mr addr=0x7f0000000000 len=0x100000000000 | -EINVAL",
        "rdma_reg_mr: handle=mr addr=0x7f0000000000 len=0x1000 | 0",
    })
    void argumentsAreCheckedAsTheKernelDoes(String event, String expected) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=private", event),
                "6.15", FaultPoints.NONE);
        assertEquals(expected, r.result(2));
    }
}
