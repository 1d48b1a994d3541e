package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * vfio_dma_do_map() and vfio_dma_do_unmap()'s checks as drivers/vfio/vfio_iommu_type1.c of the 5.10.262, 6.1.176,
 * 6.12.117 and 7.2.13 trees makes them: a map that neither reads nor writes, a range that wraps (-EOVERFLOW from 6.18),
 * an unmap by another mm (nothing unmapped until 6.0).
 */
class VfioMapChecksTest {
    private static final String MAP = "mmap: addr=0x10000 len=0x4000 prot=rw flags=private";

    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    /** 5.10 "if (!prot || !size || ...)"; 6.1+ "if ((prot && set_vaddr) || (!prot && !set_vaddr))": -EINVAL, no pin. */
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void aMapThatNeitherReadsNorWritesIsRefused(String kernel) {
        Replays r = run(kernel, MAP,
                "vfio_dma_map: handle=m0 vaddr=0x10000 iova=0x0 size=0x1000 prot=none",
                "vfio_dma_map: handle=m1 vaddr=0x10000 iova=0x0 size=0x1000 prot=r");
        assertEquals("-EINVAL", r.result(2));
        assertEquals("0", r.result(3), "the refused map left iova 0 free");
    }

    /** check_add_overflow(iova, size - 1) in 7.2 (-EOVERFLOW), "iova + size - 1 < iova" before (-EINVAL). */
    @ParameterizedTest
    @CsvSource({"5.10,-EINVAL", "6.1,-EINVAL", "6.12,-EINVAL", "7.2,-EOVERFLOW"})
    void aRangeThatWrapsIsOverflowFrom618(String kernel, String expected) {
        Replays r = run(kernel, MAP,
                "vfio_dma_map: handle=m0 vaddr=0x10000 iova=0xfffffffffffff000 size=0x2000 prot=rw",
                "vfio_dma_unmap: handle=m0 iova=0xfffffffffffff000 size=0x2000",
                "vfio_dma_map: handle=m1 vaddr=0x10000 iova=0x0 size=0 prot=rw");
        assertEquals(expected, r.result(2));
        assertEquals(expected, r.result(3));
        assertEquals("-EINVAL", r.result(4), "size 0 is -EINVAL before the overflow check");
    }

    /**
     * vfio_dma_do_unmap() until 6.0: "if (dma->task->mm != current->mm) break;": a forked child's unmap of the parent's
     * map returns 0 and leaves it, so the parent's map of the same iova is -EEXIST; from 6.0 the child unmaps it.
     */
    @ParameterizedTest
    @CsvSource({"5.10,-EEXIST", "6.1,0", "7.2,0"})
    void aChildUnmapsTheParentsMapOnlyFrom60(String kernel, String remap) {
        String t = "# tracer: nop\n"
                + "  app-100 [000] .....  1.000001: tracing_mark_write: " + MAP + "\n"
                + "  app-100 [000] .....  1.000002: tracing_mark_write: vfio_dma_map: handle=m0 vaddr=0x10000 iova=0x0 "
                + "size=0x2000 prot=rw\n"
                + "  app-100 [000] .....  1.000003: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n"
                + "  app-101 [000] .....  1.000004: tracing_mark_write: vfio_dma_unmap: handle=m0 iova=0x0 size=0x2000\n"
                + "  app-100 [000] .....  1.000005: tracing_mark_write: vfio_dma_map: handle=m1 vaddr=0x10000 iova=0x0 "
                + "size=0x1000 prot=rw\n";
        Replays r = Replays.text(t, kernel, FaultPoints.NONE);
        assertEquals("0", r.result(5), r.jsonl());
        assertEquals(remap, r.result(6), r.jsonl());
    }
}
