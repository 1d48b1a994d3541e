package pinreplay.replay.mm;

/**
 * The pool counters of one include/linux/hugetlb.h {@code struct hstate}: nr_huge_pages, free_huge_pages,
 * resv_huge_pages, surplus_huge_pages and nr_overcommit_huge_pages, as the recording's {@code # pinreplay record:
 * hugepages} line gave them at its start. Without such a line (an older recording, a native-vocabulary trace) the pool
 * is unlimited: every reservation and allocation succeeds and nothing is counted.
 */
public final class HugePool {
    /** Whether the recording gave the counters (else unlimited). */
    private boolean limited;
    long nr;
    long free;
    long resv;
    long surplus;
    long overcommit;

    /** The recorded counters; a negative surplus or overcommit (an older line without them) is 0. */
    public void recorded(long nrHuge, long freeHuge, long resvHuge, long surplusHuge, long overcommitHuge) {
        limited = true;
        nr = nrHuge;
        free = freeHuge;
        resv = resvHuge;
        surplus = Math.max(0, surplusHuge);
        overcommit = Math.max(0, overcommitHuge);
    }

    public boolean limited() {
        return limited;
    }

    /** available_huge_pages(): free pages nobody reserved. */
    long available() {
        return free - resv;
    }

    /**
     * mm/hugetlb.c hugetlb_acct_memory() (5.10, 6.1, 6.12, 7.2): a positive {@code delta} reserves through
     * gather_surplus_pages(), which allocates the pages missing beyond the free ones as surplus up to
     * nr_overcommit_hugepages, else fails (-ENOMEM, nothing changed); a negative one gives reservations back through
     * return_unused_surplus_pages(), which frees as many free surplus pages.
     */
    public boolean acctMemory(long delta) {
        if (!limited || delta == 0) {
            return true;
        }
        if (delta > 0) {
            long needed = resv + delta - free;
            if (needed > 0) {
                if (surplus + needed > overcommit) {
                    return false; // alloc_surplus_hugetlb_folio(): "if (h->surplus_huge_pages >= h->nr_overcommit_huge_pages)"
                }
                nr += needed;
                surplus += needed;
                free += needed;
            }
            resv += delta;
            return true;
        }
        long unused = Math.min(-delta, resv);
        resv -= unused;
        long back = Math.min(Math.min(unused, surplus), free);
        nr -= back;
        surplus -= back;
        free -= back;
        return true;
    }

    /** Whether hugetlb_acct_memory(h, delta) would succeed (gather_surplus_pages() within the overcommit limit). */
    public boolean canReserve(long delta) {
        long needed = resv + delta - free;
        return !limited || delta <= 0 || needed <= 0 || surplus + needed <= overcommit;
    }

    /**
     * The recording says a reservation of {@code delta} failed where the counters would allow it: the pool held less
     * than counted (pages reserved or taken before the recording, or by tasks it does not show). From now on the
     * counters say it: no surplus page left to allocate, and fewer than {@code delta} free pages nobody reserved.
     */
    public void refused(long delta) {
        if (!limited) {
            return;
        }
        surplus = Math.max(surplus, overcommit);
        free = Math.max(0, Math.min(free, resv + Math.max(0, delta - 1)));
        resv = Math.min(resv, free);
    }

    /**
     * The recording says {@code pages} pages nobody reserved were there where the counters had fewer: the pool held
     * more than counted (reservations or pages given back outside the recording). From now on the counters say it.
     */
    public void held(long pages) {
        if (limited && available() < pages) {
            free = resv + pages;
            nr = Math.max(nr, free);
        }
    }

    /** Whether alloc_hugetlb_folio() would take a reserved folio (the first case of {@link #allocFolio}). */
    boolean paidByReservation(boolean reserved) {
        return reserved && resv > 0 && free > 0;
    }

    /** Whether alloc_hugetlb_folio() has a folio no reservation pays for: a free page nobody reserved, or a surplus one. */
    boolean givesUnreserved() {
        return available() > 0 || surplus < overcommit;
    }

    /** A reservation the recording shows made although the counters say it cannot be (they drifted): made anyway. */
    void forceReserve(long delta) {
        resv += delta;
    }

    /**
     * alloc_hugetlb_folio() (alloc_huge_page() in 5.10 and 6.1), 5.10 to 7.2: a folio that consumes a reservation is
     * dequeued ({@code resv_huge_pages--}); one without needs a free page nobody reserved (dequeue_hugetlb_folio_vma():
     * "if (!vma_has_reserves(vma, chg) && h->free_huge_pages - h->resv_huge_pages == 0) goto err", 7.2 "if (gbl_chg
     * && !available_huge_pages(h))"), else a surplus page from the buddy allocator below nr_overcommit_hugepages
     * (alloc_buddy_hugetlb_folio_with_mpol()); none: -ENOSPC, which hugetlb_no_page() and hugetlb_wp() make
     * VM_FAULT_SIGBUS (vmf_error()).
     */
    public boolean allocFolio(boolean reserved) {
        if (!limited) {
            return true;
        }
        if (reserved && resv > 0 && free > 0) {
            resv--;
            free--;
            return true;
        }
        if (available() > 0) {
            free--;
            return true;
        }
        if (surplus < overcommit) {
            nr++;
            surplus++;
            return true;
        }
        return false;
    }

    /**
     * free_huge_folio() (free_huge_page() in 5.10 and 6.1): a folio back to the pool, or to the buddy allocator while the
     * pool holds surplus pages ("if (h->surplus_huge_pages_node[nid])").
     */
    public void freeFolio() {
        if (!limited) {
            return;
        }
        if (surplus > 0) {
            nr--;
            surplus--;
        } else {
            free++;
        }
    }

    @Override
    public String toString() {
        return limited ? "nr=" + nr + " free=" + free + " resv=" + resv + " surplus=" + surplus + " overcommit=" + overcommit
                : "unlimited";
    }
}
