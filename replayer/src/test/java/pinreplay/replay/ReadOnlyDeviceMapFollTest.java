package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A read-only VFIO_IOMMU_MAP_DMA pins without FOLL_WRITE (vaddr_get_pfns(): "if (prot & IOMMU_WRITE) flags |=
 * FOLL_WRITE;", 5.10-7.2), and so does a read-only MR from 6.2 (ib_umem_get(): "if (umem->writable) gup_flags |=
 * FOLL_WRITE;"): one that succeeds on a shared mapping of a file the recording never described says nothing of
 * writable_file_mapping_allowed() (6.5+), so the file stays the ext4-like one assumed, whose long-term write pin
 * check_vma_flags() refuses. Found cutting the lab's 6.12 fuzz-dev-801-markers at 50 %: a read-only map took the
 * file for shmem, and an IORING_REGISTER_BUFFERS and a vfio map of it later were said to pin 10 and 5 pages.
 */
class ReadOnlyDeviceMapFollTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"6.12,vfio_dma_map: handle=d vaddr=0x7f4000000000 iova=0x10000000 size=0x1000 prot=r ret=0",
        "7.2,vfio_dma_map: handle=d vaddr=0x7f4000000000 iova=0x10000000 size=0x1000 prot=r ret=0",
        "7.2,rdma_reg_mr: handle=m addr=0x7f4000000000 len=0x1000 access=read ret=0"})
    void aReadOnlyMapSaysNothingOfAWritePin(String release, String map) {
        Replays r = Replays.text("# tracer: nop\n" + Replays.lines(
                "mmap: addr=0x7f4000000000 len=0x2000 prot=rw flags=shared ino=133 pgoff=0",
                map,
                "pin_user_pages: start=0x7f4000001000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p"),
                release, FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(4), r.jsonl());
    }
}
