package pinreplay.replay.mm;

import pinreplay.replay.range.RangeMap;

/** A page table: virtual page to PTE bits ({@link Pte}, 0: none) and frame, linear except for zero-page ranges. */
public final class PageTable extends RangeMap {
    public PageTable() {
        super(0, true, Pte.ZERO);
    }

    /** The PTE bits of range {@code i}. */
    public long pte(int i) {
        return a(i);
    }

    public long pteOf(long vpn) {
        return aOf(vpn);
    }

    /** The frame {@code vpn} maps, inside range {@code i}. */
    public long pfnAt(int i, long vpn) {
        return bAt(i, vpn);
    }

    public long pfnOf(long vpn) {
        return bOf(vpn);
    }

    /**
     * mm/huge_memory.c split_huge_pmd_address(): a range edge at {@code vpn} that cuts a PMD-mapped THP leaves its
     * 512 pages mapped by PTEs (the folio stays whole); an edge on a PMD boundary cuts nothing.
     */
    public void splitHugePmd(long vpn) {
        if ((vpn & (MemMap.HPAGE_PMD_NR - 1)) != 0 && (pteOf(vpn) & Pte.PMD) != 0) {
            long h = vpn & -MemMap.HPAGE_PMD_NR;
            clearBits(h, h + MemMap.HPAGE_PMD_NR, Pte.PMD);
        }
    }
}
