package pinreplay.replay.outcome;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The violation kinds of outcome records (docs/replay.md, Checks): the core reports them, records carry
 * their {@link #id()}, and the campaign report prints each explanation beside it. Explanations say what went wrong in the kernel's terms and name the kernel
 * functions, commits and releases behind it.
 */
public enum ViolationKind {
    DMA_AFTER_FREE("dma-after-free",
            "The device accessed memory through a registration whose pages had already been released "
                    + "(unpinned, unmapped or freed): the DMA reaches memory the kernel may have reused."),
    DMA_INTO_REALLOCATED_BLOCK("dma-into-reallocated-block",
            "A pinned DAX page was freed by truncate or punch-hole while the device still wrote to it, and the "
                    + "block went to another file: the filesystem did not wait for the pin (fs/dax.c "
                    + "dax_layout_busy_page(); xfs_break_layouts()/ext4_break_layouts() wait since v4.18/~v4.19)."),
    WRITE_TO_CLEAN_FOLIO("write-to-clean-folio",
            "A write through a GUP pin reached a file folio after writeback had cleaned and write-protected "
                    + "it, so the filesystem never saw page_mkwrite (mm/page-writeback.c folio_clear_dirty_for_io(), "
                    + "mm/rmap.c folio_mkclean(); FOLL_LONGTERM|FOLL_WRITE on such mappings fails with -EFAULT since "
                    + "v6.5, writable_file_mapping_allowed(), 8ac268436e6d)."),
    PINNED_PAGE_MIGRATED("pinned-page-migrated",
            "Compaction or NUMA balancing moved a page while it was pinned: the device keeps using the old "
                    + "physical page (mm/gup.c __gup_longterm_locked(): long-term pins migrate first, then pin, "
                    + "check_and_migrate_movable_pages())."),
    PIN_LOST_TO_COW("pin-lost-to-cow",
            "A write fault copied an anonymous page a device had pinned (copy-on-write): the task writes the new "
                    + "copy while the device keeps the old page, so CPU and DMA no longer see the same memory "
                    + "(mm/memory.c do_wp_page(): before v5.9 fork() shared pinned pages write-protected, early COW "
                    + "since 70e806e4e645; v5.9-v5.18 copy whenever page_count() != 1, so a pinned page write-protected "
                    + "by mprotect() or a R/O pin of a page shared with a child lose the pin, 09854ba94c6a; from "
                    + "v5.19 PageAnonExclusive keeps the pinned page and R/O pins unshare first, 6c287605fd56; a R/O pin "
                    + "of memory nobody touched took the zero page until v6.2 made it unshare, and a write replaces it)."),
    UNBALANCED_UNPIN("unbalanced-unpin",
            "An unpin or put_page released references the registration never took: the page's refcount or "
                    + "pincount goes wrong and it may be freed while in use (mm/gup.c try_grab_folio(), gup_put_folio(), "
                    + "unpin_user_pages())."),
    STALE_VMA("stale-vma",
            "A VMA was used after mmap_lock had been dropped during a fault, without looking it up again "
                    + "(mm/gup.c fixup_user_fault() reports it through *unlocked; vfio's follow_fault_pfn() turns "
                    + "that into -EAGAIN and looks the VMA up again, 41311242221e, v5.8)."),
    PINNED_PAGE_DISCARDED("pinned-page-discarded",
            "madvise() or an O_DIRECT write dropped pages that a device user holds pinned (MADV_DONTNEED zaps anonymous "
                    + "PTEs, MADV_REMOVE punches the file, an O_DIRECT write invalidates the page cache over its range and "
                    + "checks no pins): the pin keeps the old pages allocated, the task's next touch faults in new ones, so "
                    + "the device reads and writes memory the task and the file no longer see (mm/madvise.c "
                    + "madvise_dontneed_free(), madvise_remove(); mm/truncate.c invalidate_inode_pages2_range() from "
                    + "kiocb_invalidate_pages(); QEMU refuses balloon inflation under vfio for this)."),
    IOMMU_OUTLIVES_MAPPING("iommu-outlives-mapping",
            "An IOMMU mapping still pointed at pages after the user mapping behind it was gone: the device "
                    + "reaches memory the process no longer owns (drivers/vfio/vfio_iommu_type1.c vaddr_get_pfn(): "
                    + "the VM_PFNMAP path takes no reference, 41311242221e).");

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
        return Stream.of(values()).filter(k -> k.id.equals(id)).findFirst().orElse(null);
    }

    /** Every id, comma-separated, for error messages. */
    public static String ids() {
        return Stream.of(values()).map(ViolationKind::id).collect(Collectors.joining(", "));
    }
}
