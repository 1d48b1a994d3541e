package pinreplay.replay.fs;

import pinreplay.format.SymbolTable;

/** The filesystems a {@code file} event may name, with the properties the rules ask about. */
public enum FsType {
    EXT4(true, true, true),
    XFS(true, true, true),
    BTRFS(true, true, false),
    TMPFS(false, false, false),
    HUGETLBFS(false, false, false),
    /** Device-dax ({@code /dev/daxX.Y}): DAX memory, but not a filesystem: vma_is_fsdax() is false. */
    DEVDAX(false, false, false),
    /** memfd_secret(). */
    SECRETMEM(false, false, false),
    /** A dma-buf (drivers/dma-buf/dma-buf.c), as udmabuf makes them: its fd's file, on no filesystem that writes back. */
    DMABUF(false, false, false),
    /** Any other filesystem (nfs, f2fs, overlayfs...): assumed to write back and have page_mkwrite. */
    OTHER(true, true, false);

    private final boolean writeback;
    private final boolean diskBlocks;
    private final boolean fsdaxCapable;

    FsType(boolean writeback, boolean diskBlocks, boolean fsdaxCapable) {
        this.writeback = writeback;
        this.diskBlocks = diskBlocks;
        this.fsdaxCapable = fsdaxCapable;
    }

    /** mapping_can_writeback() and a {@code ->page_mkwrite}: shared writable mappings need dirty tracking. */
    public boolean canWriteback() {
        return writeback;
    }

    /** Has a block allocator whose freed blocks are reused. */
    public boolean diskBlocks() {
        return diskBlocks;
    }

    /** Can mount with {@code -o dax} (ext4, xfs). */
    public boolean fsdaxCapable() {
        return fsdaxCapable;
    }

    public String fsName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type named by a {@code fs=} symbol; unknown names are {@link #OTHER}. */
    public static FsType of(SymbolTable symbols, int symbol) {
        for (FsType t : values()) {
            if (symbols.is(symbol, t.fsName())) {
                return t;
            }
        }
        return OTHER;
    }
}
