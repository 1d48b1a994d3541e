package pinreplay.replay.fs;

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
}
