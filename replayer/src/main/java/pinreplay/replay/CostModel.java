package pinreplay.replay;

/**
 * The simulated cost of kernel work, in nanoseconds (docs/cost-model.md explains the figures). Trace
 * timestamps add what they show (mmap_lock waits, truncate waits); these constants add what a trace
 * cannot show.
 */
public final class CostModel {
    /** Entering and leaving a system call or an ioctl. */
    public static final long CALL_NS = 300;
    /** GUP-fast per page: a lockless page-table walk and an atomic add. */
    public static final long FAST_PAGE_NS = 15;
    /** Slow GUP per page: follow_page_mask() under mmap_lock. */
    public static final long SLOW_PAGE_NS = 60;
    /** handle_mm_fault() per faulting range. */
    public static final long FAULT_NS = 1_000;
    /** Allocating and zeroing (or reading in) a 4 KiB page. */
    public static final long FAULT_PAGE_NS = 250;
    /** Migrating one page (isolate, copy, remap). */
    public static final long MIGRATE_PAGE_NS = 2_000;
    /** One IOMMU page-table entry. */
    public static final long IOMMU_PAGE_NS = 40;
    /** A retry after mmap_lock was dropped: re-taking the lock and looking the VMA up again. */
    public static final long RETRY_NS = 2_000;
    /** Per page touched by truncate, punch-hole, writeback or unpinning. */
    public static final long PAGE_WALK_NS = 20;
    /** Writing back one page to storage. */
    public static final long WRITEBACK_PAGE_NS = 1_000;

    private CostModel() {
    }
}
