package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * mremap() in a raw recording (mm/mremap.c): a move takes the pages with it (move_page_tables()), pinned ones
 * too; MREMAP_DONTUNMAP leaves the old range mapped and empty; a shrink unmaps the tail, a growth in place extends
 * the mapping.
 */
class MremapTest {
    private static final String MAP = "mmap: addr=0x30000000 len=0x4000 prot=rw flags=private";
    private static final String TOUCH = "fault: addr=0x30000000 len=0x4000 write=1";
    private static final String PIN = "pin_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=buf";

    private static String mremap(long oldLen, long newLen, int flags, long newAddr) {
        return mremapAt(0x30000000L, oldLen, newLen, flags, newAddr);
    }

    private static String mremapAt(long addr, long oldLen, long newLen, int flags, long newAddr) {
        return "sys_mremap(addr: " + Long.toHexString(addr) + ", old_len: " + Long.toHexString(oldLen) + ", new_len: "
                + Long.toHexString(newLen) + ", flags: " + flags + ", new_addr: " + Long.toHexString(newAddr) + ")";
    }

    private static String ret(long addr) {
        return "sys_mremap -> 0x" + Long.toHexString(addr);
    }

    private static long lostPins(Replays r) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.VIOLATION && "pin-lost-to-cow".equals(o.violation))
                .count();
    }

    /**
     * The pinned pages are mapped at the new address: write-protected there and written again, 5.10's
     * do_wp_page() (page_count() != 1) copies them away from the pin, as it would have at the old address.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"5.10, 1", "6.1, 0"})
    void aMoveTakesThePinnedPagesAlong(String kernel, long lost) {
        Replays r = Replays.text(Replays.lines(MAP, TOUCH, PIN, mremap(0x4000, 0x4000, 3, 0x40000000L),
                ret(0x40000000L), "mprotect: addr=0x40000000 len=0x4000 prot=r",
                "mprotect: addr=0x40000000 len=0x4000 prot=rw", "fault: addr=0x40001000 len=0x1000 write=1"),
                kernel, FaultPoints.NONE);
        assertEquals(lost, lostPins(r), r.jsonl());
    }

    /** A move unmaps the old range (pinning there is -EFAULT); with MREMAP_DONTUNMAP (flags 7) it stays mapped. */
    @ParameterizedTest(name = "flags {0}: the old range pins {1}")
    @CsvSource({"3, -EFAULT", "7, 4"})
    void aMoveUnmapsTheOldRangeUnlessDontUnmap(int flags, String oldRange) {
        Replays r = Replays.text(Replays.lines(MAP, TOUCH, mremap(0x4000, 0x4000, flags, 0x40000000L),
                ret(0x40000000L), PIN, PIN.replace("0x30000000", "0x40000000")), "6.1", FaultPoints.NONE);
        assertEquals(oldRange, r.result(5));
        assertEquals("4", r.result(6));
    }

    /**
     * 5.10's mremap() shrinks before it looks the old range up (__do_munmap() of the tail; from 5.16 vma_lookup() comes
     * first, -EFAULT): with the first page already unmapped (fuzz-ops seed 5), it returns the address and the tail's
     * mapped page is gone too.
     */
    @Test
    void aShrinkFromAnUnmappedStartStillUnmapsTheTail() {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x6000 prot=rw flags=private",
                "munmap: addr=0x30000000 len=0x5000", mremap(0x6000, 0x1000, 0, 0), ret(0x30000000L),
                PIN.replace("0x30000000", "0x30005000").replace("nr_pages=4", "nr_pages=1")), "5.10", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(5), r.jsonl());
    }

    @Test
    void aShrinkUnmapsTheTailAndAGrowthExtends() {
        String pin8 = PIN.replace("nr_pages=4", "nr_pages=8");
        Replays shrunk = Replays.text(Replays.lines(MAP, mremap(0x4000, 0x2000, 0, 0), ret(0x30000000L), PIN),
                "6.1", FaultPoints.NONE);
        assertEquals("2", shrunk.result(4), "pinned up to the new end");
        Replays grown = Replays.text(Replays.lines(MAP, mremap(0x4000, 0x8000, 0, 0), ret(0x30000000L), pin8),
                "6.1", FaultPoints.NONE);
        assertEquals("8", grown.result(4));
    }

    /**
     * A vfio-mapped PCI BAR (VM_PFNMAP) moved by mremap() is still mapped, at the new address: only unmapping it
     * there leaves the IOMMU mapping the BAR with no user mapping (iommu-outlives-mapping).
     */
    @Test
    void aMovedBarStaysMappedUntilItsNewAddressIsUnmapped() {
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x7f3100000000 len=0x10000 prot=rw flags=shared ino=51 pgoff=0 pfnmap=1 populate=1",
                "vfio_dma_map: handle=bar1 vaddr=0x7f3100000000 iova=0x200000000 size=0x10000 prot=rw",
                mremapAt(0x7f3100000000L, 0x10000, 0x10000, 3, 0x7f3200000000L), ret(0x7f3200000000L),
                "munmap: addr=0x7f3200000000 len=0x10000"), "6.1", FaultPoints.NONE);
        assertEquals(List.of("iommu-outlives-mapping"), r.violationKinds(), r.jsonl());
        assertEquals(5, r.violations().get(0).line);
    }
}
