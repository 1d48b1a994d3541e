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
}
