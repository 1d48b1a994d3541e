package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/** A device may only write where the registration allowed it: vfio {@code prot}, RDMA {@code access}. */
class ReadOnlyDmaTest {
    private static final String TRACE = String.join("\n",
            "  app-100 [000] ..... 1.000001: mmap: addr=0x10000000 len=0x100000 prot=rw flags=private populate=1",
            "  app-100 [000] ..... 1.000002: vfio_dma_map: handle=ro vaddr=0x10000000 iova=0x0 size=0x10000 prot=r",
            "  app-100 [000] ..... 1.000003: vfio_dma_map: handle=rw vaddr=0x10010000 iova=0x10000 size=0x10000 prot=rw",
            "  app-100 [000] ..... 1.000004: rdma_reg_mr: handle=mr-ro addr=0x10020000 len=0x10000 access=read",
            "  app-100 [000] ..... 1.000005: rdma_reg_mr: handle=mr-rw addr=0x10030000 len=0x10000 access=write",
            "  app-100 [000] ..... 1.000006: dma_write: handle=ro iova=0x0 len=0x1000",
            "  app-100 [000] ..... 1.000007: dma_read: handle=ro iova=0x0 len=0x1000",
            "  app-100 [000] ..... 1.000008: dma_write: handle=rw iova=0x10000 len=0x1000",
            "  app-100 [000] ..... 1.000009: dma_write: handle=mr-ro offset=0 len=0x1000",
            "  app-100 [000] ..... 1.000010: dma_read: handle=mr-ro offset=0 len=0x1000",
            "  app-100 [000] ..... 1.000011: dma_write: handle=mr-rw offset=0 len=0x1000",
            "");

    @ParameterizedTest
    @CsvSource({"4.19", "6.1", "6.15"})
    void aDeviceWriteThroughAReadOnlyMappingFaults(String kernel) {
        Replays r = Replays.text(TRACE, kernel, FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(6), "IOMMU_READ only");
        assertEquals("4096", r.result(7));
        assertEquals("4096", r.result(8));
        assertEquals("-EFAULT", r.result(9), "no IB_ACCESS_LOCAL_WRITE");
        assertEquals("4096", r.result(10));
        assertEquals("4096", r.result(11));
    }
}
