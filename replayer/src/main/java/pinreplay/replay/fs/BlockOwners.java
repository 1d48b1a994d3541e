package pinreplay.replay.fs;

import pinreplay.replay.range.RangeMap;

/** A filesystem's blocks: block to owning inode number (0 free) and file page. */
public final class BlockOwners extends RangeMap {
    public BlockOwners() {
        super(0, true, 0);
    }

    /** The inode owning range {@code i}, 0 when free. */
    public long ino(int i) {
        return a(i);
    }

    /** The file page of block {@code blk}, inside range {@code i}. */
    public long pageAt(int i, long blk) {
        return bAt(i, blk);
    }
}
