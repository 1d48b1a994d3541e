package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/** mmap() of a udmabuf's dma-buf: dma_buf_mmap_internal() and mmap_udmabuf() (drivers/dma-buf). */
class UdmabufMmapTest {
    private static final String DMABUF = "file: ino=40 fs=dmabuf dax=0 size=1048576";
    private static final String MAP = "mmap: addr=0x7f0000000000 len=0x100000 prot=r flags=shared ino=40 pgoff=0";

    /** From 6.11 the mapping is VM_PFNMAP | VM_DONTEXPAND: check_vma_flags() refuses GUP, madvise() drops nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"6.12", "7.2"})
    void aPfnmapMappingRefusesGupAndDontneed(String kernel) {
        Replays r = Replays.text(Replays.lines(DMABUF, MAP,
                "pin_user_pages_fast: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_LONGTERM handle=p1",
                "madvise: addr=0x7f0000000000 len=0x1000 advice=dontneed"), kernel, FaultPoints.NONE);
        assertEquals("0", r.result(2), r.jsonl());
        assertEquals("-EFAULT", r.result(3), r.jsonl());
        assertEquals("-EINVAL", r.result(4), r.jsonl());
    }

    /** vaddr_get_pfns(): follow_fault_pfn() finds RAM behind the VM_PFNMAP mapping, not a BAR: -EFAULT (6.11+). */
    @ParameterizedTest
    @ValueSource(strings = {"6.12", "7.2"})
    void vfioCannotMapIt(String kernel) {
        Replays r = Replays.text(Replays.lines(DMABUF, MAP,
                "vfio_dma_map: handle=v vaddr=0x7f0000000000 iova=0x0 size=0x4000 prot=r"), kernel, FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(3), r.jsonl());
    }

    /** Before, udmabuf_vm_fault() hands out the memfd's pages in a plain shared mapping: GUP takes them. */
    @Test
    void before611TheMappingIsPlain() {
        Replays r = Replays.text(Replays.lines(DMABUF, MAP,
                "pin_user_pages_fast: start=0x7f0000000000 nr_pages=1 gup_flags=FOLL_LONGTERM handle=p1"), "6.1",
                FaultPoints.NONE);
        assertEquals("1", r.result(3), r.jsonl());
    }

    /** A recording that started after the dma-buf's file line: its refused mmap() is taken as recorded, and said. */
    @Test
    void aRefusedMmapOfAnUndescribedFileIsAssumed() {
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x0 len=0x1000 prot=r flags=private ino=40 pgoff=0 ret=-22"), "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(1), r.jsonl());
        assertTrue(r.call(1).agrees() && r.call(1).assumed.contains("never described"), r.jsonl());
    }

    /** dma_buf_mmap_internal(): pages past the buffer; mmap_udmabuf(): a private mapping (-EINVAL, 5.10-7.2). */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "7.2"})
    void pastTheBufferOrPrivateIsRefused(String kernel) {
        Replays r = Replays.text(Replays.lines(DMABUF,
                "mmap: addr=0x7f0000000000 len=0x101000 prot=r flags=shared ino=40 pgoff=0",
                "mmap: addr=0x7f0000000000 len=0x1000 prot=r flags=shared ino=40 pgoff=0x100",
                "mmap: addr=0x7f0000000000 len=0x1000 prot=r flags=private ino=40 pgoff=0"), kernel, FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertEquals("-EINVAL", r.result(3), r.jsonl());
        assertEquals("-EINVAL", r.result(4), r.jsonl());
    }
}
