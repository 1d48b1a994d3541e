package pinreplay.replay.fs;

import pinreplay.replay.mm.MemMap;
import pinreplay.replay.range.RangeMap;

/** A file's page cache: file page to frame, for the pages cached. */
public final class PageCache extends RangeMap {
    public PageCache() {
        super(0, true, 0);
    }

    public boolean cached(int i) {
        return a(i) != 0;
    }

    /** The frame caching file page {@code index}, inside range {@code i}. */
    public long pfnAt(int i, long index) {
        return bAt(i, index);
    }

    /** The file page where the folio caching {@code index} starts ({@code index} itself when not cached). */
    public long folioHead(MemMap memMap, long index) {
        int i = indexOf(index);
        return cached(i) ? index - (pfnAt(i, index) & (folioPages(memMap, index) - 1)) : index;
    }

    /** The pages of the folio caching {@code index} (1 when not cached). */
    public long folioPages(MemMap memMap, long index) {
        int i = indexOf(index);
        return cached(i) ? 1L << memMap.order(pfnAt(i, index)) : 1;
    }
}
