package pinreplay.replay.fs;

import pinreplay.replay.range.RangeMap;

/** A file's block map: file page to disk block, for the pages allocated. */
public final class FileBlocks extends RangeMap {
    public FileBlocks() {
        super(0, true, 0);
    }

    public boolean allocated(int i) {
        return a(i) != 0;
    }

    /** The block of the first page of range {@code i}. */
    public long block(int i) {
        return b(i);
    }

    /** The block of file page {@code index}, inside range {@code i}. */
    public long blockAt(int i, long index) {
        return bAt(i, index);
    }
}
