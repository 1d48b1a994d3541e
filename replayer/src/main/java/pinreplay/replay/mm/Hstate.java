package pinreplay.replay.mm;

/**
 * include/linux/hugetlb.h {@code struct hstate}: one huge page size, its folios of {@link #order} (huge_page_order()).
 * x86-64 registers two (arch/x86/mm/hugetlbpage.c, 5.10 to 7.2: HPAGE_SHIFT's at boot, hugetlb_add_hstate(PUD_SHIFT -
 * PAGE_SHIFT) with X86_FEATURE_GBPAGES): {@link #PMD} (2 MiB) and {@link #PUD} (1 GiB). A hugetlb VMA's is its file's
 * (hstate_vma() = hstate_file()); the file's is its hugetlbfs mount's (hstate_inode(), {@code pagesize=}), or for a
 * MAP_HUGETLB mapping or an MFD_HUGETLB memfd the one its flags name (hstate_sizelog()).
 */
public final class Hstate {
    /** PMD_SIZE pages: 2 MiB, the default_hstate unless default_hugepagesz= says otherwise. */
    public static final Hstate PMD = new Hstate(9);
    /** PUD_SIZE pages: 1 GiB (X86_FEATURE_GBPAGES). */
    public static final Hstate PUD = new Hstate(18);

    /** huge_page_order(): the folio's order. */
    public final int order;

    private Hstate(int order) {
        this.order = order;
    }

    /** pages_per_huge_page(). */
    public long pages() {
        return 1L << order;
    }

    /** huge_page_size(), in bytes. */
    public long size() {
        return MemMap.PAGE_SIZE << order;
    }

    /** Whether {@code addr} (bytes) is not a multiple of huge_page_size(): {@code addr & ~huge_page_mask(h)}. */
    public boolean unaligned(long addr) {
        return (addr & (size() - 1)) != 0;
    }

    /** ALIGN(len, huge_page_size(h)). */
    public long align(long len) {
        return (len + size() - 1) & -size();
    }

    /** The x86-64 hstate of {@code bytes}, or null for any other size (size_to_hstate() of the sizes it can register). */
    public static Hstate ofSize(long bytes) {
        return bytes == PMD.size() ? PMD : bytes == PUD.size() ? PUD : null;
    }

    @Override
    public String toString() {
        return (size() >>> 10) + "kB";
    }
}
