package pinreplay.replay.outcome;

/** The violation kinds of outcome records (docs/replay.md, Checks). */
public final class Violations {
    public static final String DMA_AFTER_FREE = "dma-after-free";
    public static final String DMA_INTO_REALLOCATED_BLOCK = "dma-into-reallocated-block";
    public static final String WRITE_TO_CLEAN_FOLIO = "write-to-clean-folio";
    public static final String PINNED_PAGE_MIGRATED = "pinned-page-migrated";
    public static final String UNBALANCED_UNPIN = "unbalanced-unpin";
    public static final String STALE_VMA = "stale-vma";
    public static final String IOMMU_OUTLIVES_MAPPING = "iommu-outlives-mapping";

    private Violations() {
    }
}
