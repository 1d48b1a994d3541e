package pinreplay.replay.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;

class MemMapTest {
    private static MemMap on(String release) {
        return new MemMap(Profile.of(KernelRelease.parse(release), Policies.parse(List.of())));
    }

    @Test
    void smallFolioPinAddsTheBiasAndIsMaybeDmaPinned() {
        MemMap m = on("6.15");
        long pfn = m.allocRam(4, 0, PageFlags.ANON, 1, 0);
        m.tryGrabFolio(pfn, 4, true);
        assertEquals(1 + 1024, m.refcount(pfn));
        assertTrue(m.maybeDmaPinned(pfn, 1));
        m.gupPutFolio(pfn, 4, true);
        assertEquals(1, m.refcount(pfn));
        assertFalse(m.maybeDmaPinned(pfn, 4));
    }

    @Test
    void largeFolioPinCountsPincountOncePerPage() {
        MemMap m = on("6.15");
        long pfn = m.allocRam(512, 9, PageFlags.HUGETLB, 1, 0);
        m.tryGrabFolio(pfn + 10, 3, true);
        assertEquals(1 + 3, m.refcount(pfn));
        assertEquals(3, m.pincount(pfn + 511));
        assertTrue(m.maybeDmaPinned(pfn, 1));
    }

    @Test
    void getReferencesAreOnePerPage() {
        MemMap m = on("6.1");
        long pfn = m.allocRam(1, 0, PageFlags.ANON, 1, 0);
        m.tryGrabFolio(pfn, 1, false);
        assertEquals(2, m.refcount(pfn));
        assertFalse(m.maybeDmaPinned(pfn, 1));
    }

    @Test
    void pinsWereReferencesIn56() {
        MemMap m = on("5.6");
        long pfn = m.allocRam(1, 0, PageFlags.ANON, 1, 0);
        m.tryGrabFolio(pfn, 1, true);
        assertEquals(2, m.refcount(pfn));
    }

    /** c8070b787519 (6.5; 6.1.y from 6.1.130). */
    @Test
    void zeroPagePinIsANoOpFrom65() {
        for (String release : new String[] {"6.5", "6.1.130", "6.1"}) {
            MemMap newer = on(release);
            newer.tryGrabFolio(MemMap.ZERO_PFN, 10, true);
            assertEquals(1, newer.refcount(MemMap.ZERO_PFN), release);
        }
        MemMap older = on("6.1.129");
        older.tryGrabFolio(MemMap.ZERO_PFN, 10, true);
        assertEquals(1 + 10 * 1024, older.refcount(MemMap.ZERO_PFN));
    }

    @Test
    void anUnpinnedOrphanIsFreedWhenItsLastPinDrops() {
        MemMap m = on("6.15");
        long pfn = m.allocRam(2, 0, PageFlags.FILE, 7, 0);
        m.tryGrabFolio(pfn, 2, true);
        m.putOwnerRef(pfn, 2);
        assertEquals(1024, m.refcount(pfn));
        m.gupPutFolio(pfn, 2, true);
        assertEquals(0, m.refcount(pfn));
        assertEquals(0, m.flags(pfn));
    }

    @Test
    void dmaPinnedFramesCountsTheFramesMaybeDmaPinnedReports() {
        MemMap m = on("6.15");
        long small = m.allocRam(8, 0, PageFlags.ANON, 1, 0);
        m.tryGrabFolio(small + 2, 3, true);
        m.tryGrabFolio(small + 6, 1, false);
        assertEquals(3, m.dmaPinnedFrames(small, 8), "FOLL_GET is no pin");
        assertEquals(1, m.dmaPinnedFrames(small + 4, 4));
        long large = m.allocRam(512, 9, PageFlags.HUGETLB, 1, 0);
        m.tryGrabFolio(large + 10, 1, true);
        assertEquals(512, m.dmaPinnedFrames(large, 512), "the whole folio is pinned");
        assertEquals(3 + 512, m.dmaPinnedFrames(small, large + 512 - small));
        for (long pfn = small; pfn < small + 8; pfn++) {
            assertEquals(m.maybeDmaPinned(pfn, 1) ? 1 : 0, m.dmaPinnedFrames(pfn, 1), "pfn " + pfn);
        }
    }
}
