package pinreplay.replay.fs;


/**
 * One mounted filesystem of a type: its block allocator and, for a DAX mount or a device-dax device,
 * the frames of its persistent memory (block {@code b} is frame {@code daxBase + b}: the page IS the
 * block). The allocator is first-fit from block 0, so a freed block is the next one handed out, which
 * is how a block truncated under DMA ends up in another file.
 */
public final class FileSystem {
    /** Owner of blocks moved off a truncated file while still pinned ({@code dax-truncate=remap}). */
    public static final long LOST_FOUND_INO = Long.MAX_VALUE;

    public final FsType type;
    public final BlockOwners blockOwner = new BlockOwners();
    private long daxBase = -1;

    public FileSystem(FsType type) {
        this.type = type;
    }

    public boolean hasDaxDevice() {
        return daxBase >= 0;
    }

    public long daxBase() {
        return daxBase;
    }

    public void setDaxBase(long base) {
        daxBase = base;
    }

    /** Allocates blocks for file pages {@code [index, index + n)} of {@code inode}, first fit. */
    public void allocate(Inode inode, long index, long n) {
        long want = n;
        long at = index;
        int i = blockOwner.indexOf(0);
        while (want > 0) {
            if (blockOwner.ino(i) != 0) {
                i++;
                continue;
            }
            long s = blockOwner.start(i);
            long len = Math.min(want, blockOwner.end(i) - s);
            blockOwner.set(s, s + len, inode.ino, at);
            inode.blocks.set(at, at + len, 1, s);
            at += len;
            want -= len;
            i = blockOwner.indexOf(s + len);
        }
    }

    /** Allocates blocks for the holes among file pages {@code [index, index + n)} of {@code inode}. */
    public void allocateHoles(Inode inode, long index, long n, FilePins pins) {
        FileBlocks b = inode.blocks;
        for (long p = index; p < index + n; ) {
            int i = b.indexOf(p);
            long e = Math.min(index + n, b.end(i));
            if (!b.allocated(i)) {
                allocate(inode, p, e - p);
                pins.changed();
            }
            p = e;
        }
    }

    /** Frees the blocks behind file pages {@code [index, index + n)}; they are reused first. */
    public void free(Inode inode, long index, long n) {
        forEachBlock(inode, index, n, (blk, len, fileIndex) -> blockOwner.clear(blk, blk + len));
        inode.blocks.clear(index, index + n);
    }

    /**
     * Moves the blocks behind file pages {@code [index, ...)} by {@code shift} pages, as a collapse (down) or an insert
     * (up) shifts the extents after the range (ext4_ext_shift_extents(), xfs_collapse_file_space() /
     * xfs_insert_file_space()): the blocks stay the file's, at other file pages.
     */
    public void shift(Inode inode, long index, long shift) {
        FileBlocks b = inode.blocks;
        FileBlocks moved = new FileBlocks(); // a collapse or insert is rare: the copy is not on a hot path
        moved.copyFrom(b, index, Long.MAX_VALUE, 0);
        b.clear(index, Long.MAX_VALUE);
        for (int i = moved.indexOf(index); i < moved.size(); i++) {
            if (moved.allocated(i)) {
                long s = moved.start(i);
                long n = moved.end(i) - s;
                long blk = moved.block(i);
                b.set(s + shift, s + shift + n, 1, blk);
                blockOwner.set(blk, blk + n, inode.ino, s + shift);
            }
        }
    }

    /** Hands the blocks behind {@code [index, index + n)} to the lost+found inode (seed 001 option 3). */
    public void moveToLostFound(Inode inode, long index, long n) {
        forEachBlock(inode, index, n, (blk, len, fileIndex) -> blockOwner.set(blk, blk + len, LOST_FOUND_INO,
                fileIndex));
        inode.blocks.clear(index, index + n);
    }

    /** Calls {@code v} for each allocated block run behind file pages {@code [index, index + n)}. */
    public static void forEachBlock(Inode inode, long index, long n, BlockRun v) {
        FileBlocks b = inode.blocks;
        long end = index + n;
        for (int i = b.indexOf(index); i < b.size() && b.start(i) < end; i++) {
            if (!b.allocated(i)) {
                continue;
            }
            long s = Math.max(index, b.start(i));
            long e = Math.min(end, b.end(i));
            v.run(b.blockAt(i, s), e - s, s);
        }
    }

    /** A run of {@code len} consecutive disk blocks from {@code block}, behind file page {@code fileIndex}. */
    @FunctionalInterface
    public interface BlockRun {
        void run(long block, long len, long fileIndex);
    }
}
