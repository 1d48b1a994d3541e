package pinreplay.replay.mm;

import pinreplay.replay.range.RangeMap;

/** Frame to owner (folio->mapping, folio->index): inode number (FILE), mm id (ANON) or 0, and file or virtual page. */
public final class FrameOwners extends RangeMap {
    public FrameOwners() {
        super(0, true, 0);
    }

    /** The owner of range {@code i}: inode number, mm id or 0. */
    public long owner(int i) {
        return a(i);
    }

    public long ownerOf(long pfn) {
        return aOf(pfn);
    }

    /** The file page or virtual page of frame {@code pfn}, inside range {@code i}. */
    public long pageAt(int i, long pfn) {
        return bAt(i, pfn);
    }

    public long pageOf(long pfn) {
        return bOf(pfn);
    }
}
