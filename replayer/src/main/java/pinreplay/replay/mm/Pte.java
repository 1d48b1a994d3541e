package pinreplay.replay.mm;

/** Page-table entry bits kept per virtual page range in {@link Mm#pageTable}. */
public final class Pte {
    public static final long PRESENT = 1;
    /** Writable; cleared by write-protection (writeback's folio_mkclean, COW sharing, write-notify). */
    public static final long WRITE = 1 << 1;
    public static final long DIRTY = 1 << 2;
    /** pte_special: a PFNMAP entry with no struct page. */
    public static final long SPECIAL = 1 << 3;
    /** Maps the shared zero page (the frame is the same for every address of the range). */
    public static final long ZERO = 1 << 4;
    /** Maps an anonymous page (an exclusive COW copy or anonymous memory). */
    public static final long ANON = 1 << 5;
    /** pte_devmap: a DAX page. */
    public static final long DEVMAP = 1 << 6;
    /**
     * One of the 512 entries of a PMD-mapped transparent huge page (a 2 MiB-aligned range): cleared on all of
     * them when the PMD is split (split_huge_pmd()) and the THP is mapped by PTEs.
     */
    public static final long PMD = 1 << 7;
    /**
     * A guard region's PTE marker (MADV_GUARD_INSTALL, 6.13+; never PRESENT): a fault on it is VM_FAULT_SIGSEGV
     * (handle_pte_marker()), so GUP stops there; zapping keeps it, unmapping drops it (zap_drop_markers()).
     */
    public static final long GUARD = 1 << 8;

    private Pte() {
    }
}
