package pinreplay.replay.mm;

/**
 * Per-frame state bits kept in {@link MemMap} (the model's {@code struct page} flags plus the facts
 * the rules ask about a folio: its zone, what kind of mapping owns it).
 */
public final class PageFlags {
    /** Anonymous memory; the owner is an mm and the index its virtual page number. */
    public static final long ANON = 1;
    /** Page cache; the owner is an inode and the index the file page. */
    public static final long FILE = 1 << 1;
    /** ZONE_DEVICE DAX memory: the page is the filesystem block (fsdax) or device memory (device-dax). */
    public static final long DAX = 1 << 2;
    /** PG_dirty. */
    public static final long DIRTY = 1 << 3;
    /** Allocated from ZONE_MOVABLE. */
    public static final long MOVABLE = 1 << 4;
    /** Allocated from a CMA area. */
    public static final long CMA = 1 << 5;
    /** A hugetlb folio. */
    public static final long HUGETLB = 1 << 6;
    /** Owned by secretmem (memfd_secret). */
    public static final long SECRETMEM = 1 << 7;
    /** A shmem/tmpfs page. */
    public static final long SHMEM = 1 << 8;
    /** The shared zero page. */
    public static final long ZERO = 1 << 9;
    /** The mapping can write back ({@code mapping_can_writeback()}): cleaning matters. */
    public static final long WB_CAPABLE = 1 << 10;
    /** Device BAR memory (no struct page in the kernel; never pinned). */
    public static final long BAR = 1 << 11;
    /** PG_anon_exclusive (v5.19+, 6c287605fd56): only one mm maps this anonymous page, which may reuse it. */
    public static final long ANON_EXCLUSIVE = 1 << 12;
    /**
     * A page-cache folio dirtied behind the filesystem's back: clean (writeback had cleaned it and write-protected its
     * PTEs) when a pin's release marked it dirty (set_page_dirty_lock(), no ->page_mkwrite; btrfs: no ordered range),
     * until a write fault's page_mkwrite or writeback.
     */
    public static final long OUT_OF_BAND = 1 << 13;
    /** A run vfio maps without a reference it will put: the zero page, a reserved pfn to put_pfn() (never unpinned). */
    public static final long RESERVED = 1 << 14;

    private PageFlags() {
    }
}
