package pinreplay.replay.mm;

/**
 * mm/hugetlb.c {@code hstates[]} and {@code default_hstate_idx}: the huge page sizes the recorded machine registered
 * and its default. Unless the recording says otherwise ({@code # pinreplay record: hugepages} lines, from
 * /sys/kernel/mm/hugepages/ and /proc/meminfo's Hugepagesize), both x86-64 sizes exist and 2 MiB is the default.
 * Each hstate's pool ({@link HugePool}) starts from the counters of its line; without them it is unlimited.
 */
public final class Hstates {
    private Hstate dflt = Hstate.PMD;
    private boolean pmd = true;
    private boolean pud = true;
    /** Whether a recording listed its hstates: then only those exist. */
    private boolean listed;
    private final HugePool pmdPool = new HugePool();
    private final HugePool pudPool = new HugePool();

    /** The pool counters of {@code h} (struct hstate's nr_huge_pages, free_huge_pages, ...). */
    public HugePool pool(Hstate h) {
        return h == Hstate.PUD ? pudPool : pmdPool;
    }

    /** Whether any hstate's pool is counted (else freeing a frame need not look for hugetlb folios). */
    public boolean anyCounted() {
        return pmdPool.limited() || pudPool.limited();
    }

    /** free_huge_folio() of {@code folios} folios of {@code order} (huge_page_order() of PMD or PUD). */
    public void freeHugeFolios(int order, long folios) {
        HugePool p = order == Hstate.PUD.order ? pudPool : order == Hstate.PMD.order ? pmdPool : null;
        for (long i = 0; p != null && i < folios; i++) {
            p.freeFolio();
        }
    }

    /** default_hstate. */
    public Hstate dflt() {
        return dflt;
    }

    /** The recording lists an hstate of {@code bytes} (the first such line forgets the assumed ones), the default or not. */
    public void registered(long bytes, boolean isDefault) {
        Hstate h = Hstate.ofSize(bytes);
        if (!listed) {
            listed = true;
            pmd = false;
            pud = false;
        }
        if (h == Hstate.PMD) {
            pmd = true;
        } else if (h == Hstate.PUD) {
            pud = true;
        }
        if (h != null && isDefault) {
            dflt = h;
        }
    }

    /** size_to_hstate(): the registered hstate of {@code bytes}, or null. */
    public Hstate sizeToHstate(long bytes) {
        Hstate h = Hstate.ofSize(bytes);
        return h == Hstate.PMD && pmd || h == Hstate.PUD && pud ? h : null;
    }

    /**
     * include/linux/hugetlb.h hstate_sizelog() (5.10 to 7.2): a MAP_HUGE_* / MFD_HUGE_* field of 0 is the default
     * hstate, else size_to_hstate(1UL << log), or null (ksys_mmap_pgoff(): -EINVAL; hugetlb_file_setup(): -ENODEV).
     */
    public Hstate sizelog(long log) {
        if (log == 0) {
            return dflt;
        }
        return log < Long.SIZE ? sizeToHstate(1L << log) : null;
    }
}
