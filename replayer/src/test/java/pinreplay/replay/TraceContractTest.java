package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * The trace contract's words the replay follows: `ret` is any errno by name (the aliases too), blank lines may hold
 * tabs, a comment may be indented, and a DMA access names its place by `iova` or by `offset` on any registration.
 */
class TraceContractTest {
    @Test
    void everyErrnoNameIsAReturnValue() {
        Replays r = Replays.text(Replays.lines("file: ino=1 fs=ext4 size=100",
                "ftruncate: ino=1 size=10 ret=-EFBIG", "ftruncate: ino=1 size=10 ret=-ETXTBSY",
                "ftruncate: ino=1 size=10 ret=-EWOULDBLOCK", "ftruncate: ino=1 size=10 ret=-ENOTSUPP"),
                "6.12", FaultPoints.NONE);
        assertEquals("-EFBIG", pinreplay.format.Errno.describe(r.call(2).observed), r.jsonl());
        assertEquals("-ETXTBSY", pinreplay.format.Errno.describe(r.call(3).observed));
        assertEquals("-EAGAIN", pinreplay.format.Errno.describe(r.call(4).observed), "EWOULDBLOCK is EAGAIN");
        assertEquals("-ENOTSUPP", pinreplay.format.Errno.describe(r.call(5).observed));
    }

    @Test
    void whiteSpaceLinesAreBlankAndIndentedCommentsAreComments() {
        String t = "# tracer: nop\n\t\n \f \n   # an indented comment\n"
                + "  app-1 [000] .....  1.000001: tracing_mark_write: mmap: addr=0x10000 len=0x1000 prot=rw flags=private\n";
        Replays r = Replays.text(t, "6.12", FaultPoints.NONE);
        assertEquals("0", r.result(5), r.jsonl());
    }

    @Test
    void aDmaAccessNamesItsPlaceByIovaOrByOffset() {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x10000 len=0x4000 prot=rw flags=private",
                "vfio_dma_map: handle=m vaddr=0x10000 iova=0x100000 size=0x4000 prot=rw",
                "dma_write: handle=m offset=0x3000 len=0x1000",
                "dma_write: handle=m offset=0x4000 len=0x1000",
                "rdma_reg_mr: handle=r addr=0x10000 len=0x4000 access=write",
                "dma_read: handle=r iova=0x1000 len=0x1000"), "6.12", FaultPoints.NONE);
        assertEquals("4096", r.result(3), r.jsonl());
        assertEquals("-EFAULT", r.result(4), "past the map: the IOMMU faults");
        assertEquals("4096", r.result(6), r.jsonl());
    }
}
