package pinreplay.campaign;

/**
 * The violation kinds of outcome records (trace contract section 3), each with the explanation the
 * report prints beside it. Explanations say what went wrong in the kernel's terms and where the
 * project's kernel notes (shared KERNEL-NOTES) cover it.
 */
public enum ViolationKind {
    DMA_AFTER_FREE("dma-after-free",
            "The device accessed memory through a registration whose pages had already been released "
                    + "(unpinned, unmapped or freed): the DMA reaches memory the kernel may have reused."),
    DMA_INTO_REALLOCATED_BLOCK("dma-into-reallocated-block",
            "A pinned DAX page was freed by truncate or punch-hole while the device still wrote to it, and the "
                    + "block went to another file: the filesystem did not wait for the pin (KERNEL-NOTES 4; "
                    + "xfs_break_layouts/ext4_break_layouts wait since v4.18/~v4.19)."),
    WRITE_TO_CLEAN_FOLIO("write-to-clean-folio",
            "A write through a GUP pin reached a file folio after writeback had cleaned and write-protected "
                    + "it, so the filesystem never saw page_mkwrite (KERNEL-NOTES 5; FOLL_LONGTERM|FOLL_WRITE "
                    + "on such mappings fails with -EFAULT since v6.5)."),
    PINNED_PAGE_MIGRATED("pinned-page-migrated",
            "Compaction or NUMA balancing moved a page while it was pinned: the device keeps using the old "
                    + "physical page (KERNEL-NOTES 2.5: long-term pins migrate first, then pin)."),
    UNBALANCED_UNPIN("unbalanced-unpin",
            "An unpin or put_page released references the registration never took: the page's refcount or "
                    + "pincount goes wrong and it may be freed while in use (KERNEL-NOTES 1.3, 1.5)."),
    STALE_VMA("stale-vma",
            "A VMA was used after mmap_lock had been dropped during a fault, without looking it up again "
                    + "(KERNEL-NOTES 6.3: vfio turns this into -EAGAIN and retries)."),
    IOMMU_OUTLIVES_MAPPING("iommu-outlives-mapping",
            "An IOMMU mapping still pointed at pages after the user mapping behind it was gone: the device "
                    + "reaches memory the process no longer owns (KERNEL-NOTES 4.3).");

    private final String id;
    private final String explanation;

    ViolationKind(String id, String explanation) {
        this.id = id;
        this.explanation = explanation;
    }

    /** The name in outcome records ({@code dma-after-free}). */
    public String id() {
        return id;
    }

    public String explanation() {
        return explanation;
    }

    /** The kind named {@code id}, or null. */
    public static ViolationKind byId(String id) {
        for (ViolationKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        return null;
    }

    /** Every id, comma-separated, for error messages. */
    public static String ids() {
        StringBuilder sb = new StringBuilder();
        for (ViolationKind k : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.id);
        }
        return sb.toString();
    }
}
