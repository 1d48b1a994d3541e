package pinreplay.replay.mm;

import pinreplay.replay.EventContext;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;

/**
 * mm/hugetlb.c's accounting of the huge page pools (5.10, 6.1, 6.12, 7.2): reservations made at mmap
 * (hugetlb_reserve_pages()), consumed by the folios faults allocate (alloc_hugetlb_folio()), given back at munmap
 * (hugetlb_vm_op_close()) and truncation (hugetlb_unreserve_pages()). A shared mapping's reservations belong to its
 * file's inode (inode_resv_map(): a second mapping of a reserved range reserves nothing), a private mapping's to the
 * VMA that made them (HPAGE_RESV_OWNER); MAP_NORESERVE reserves nothing. Nothing here acts while the hstate's pool is
 * unlimited (a recording without pool counters), which leaves the model as it was without them.
 */
public final class Hugetlb {
    /** What a pool-judged call that contradicts the counters assumes (the pool is the machine's, not the recording's). */
    public static final String POOL_HELD_LESS = "the hugetlb pool held fewer free pages than counted (taken before the"
            + " recording or by tasks it does not show)";
    public static final String POOL_HELD_MORE = "the hugetlb pool held more free pages than counted (given back before the"
            + " recording or by tasks it does not show)";

    private final Hstates hstates;
    private final MemMap memMap;
    private final Tasks tasks;
    private final EventContext ctx;
    /**
     * The GUP being replayed whose result the recording gives ({@link #recordedGup}): its mm (null: none), first page,
     * the page the kernel stopped at (its end when it got all) and its end, as virtual page numbers.
     */
    private Mm recordedMm;
    private long recordedFrom;
    private long recordedStop;
    private long recordedEnd;

    public Hugetlb(Hstates hstates, MemMap memMap, Tasks tasks, EventContext ctx) {
        this.hstates = hstates;
        this.memMap = memMap;
        this.tasks = tasks;
        this.ctx = ctx;
    }

    /**
     * A GUP of {@code nrPages} pages from {@code start} in {@code mm} is replayed, and the recording says it returned
     * {@code result} (pages, or -errno: none): its faults' folios that no reservation pays for follow that result where
     * the pool's counters contradict it ({@link #poolAsRecorded}) until {@link #gupReturned}.
     */
    public void recordedGup(Mm mm, long start, long nrPages, long result) {
        recordedMm = mm;
        recordedFrom = start >>> MemMap.PAGE_SHIFT;
        recordedEnd = recordedFrom + nrPages;
        recordedStop = recordedFrom + Math.max(0, Math.min(result, nrPages));
    }

    public void gupReturned() {
        recordedMm = null;
    }

    /**
     * While set ({@link FaultHandler#hugetlbPoolDecides}), alloc_hugetlb_folio() allocates nothing: it notes in
     * {@link #dryUnreserved} whether a folio would be one no reservation pays for, and succeeds.
     */
    boolean dry;
    boolean dryUnreserved;

    /**
     * alloc_hugetlb_folio() (alloc_huge_page() in 5.10 and 6.1) for huge page {@code hvpn} of {@code v}, inside a GUP
     * whose result the recording gives, needing a folio no reservation pays for: the pool's counters are the recording's
     * start's (or those of a machine whose other tasks the recording does not show), so where they contradict the
     * recorded result they were not the pool's. The kernel got the page where they have no free page nobody reserved
     * and no surplus to allocate: the pool held more; it stopped at that page (hugetlb_no_page() and hugetlb_wp() give
     * VM_FAULT_SIGBUS for the folio they could not allocate, GUP -EFAULT) where they have one: the pool held fewer. The
     * counters follow (5.10, 6.1, 6.12, 7.2). Not for the owner's copy (hugetlb_wp()'s cow_from_owner), whose failure
     * unmap_ref_private() absorbs: its result says nothing of the pool.
     */
    private void poolAsRecorded(HugePool p, VmArea v, long hvpn, boolean reserved) {
        if (v == null || v.mm != recordedMm || ctx.strictState || !p.limited() || p.paidByReservation(reserved)) {
            return;
        }
        long first = Math.max(hvpn, recordedFrom);
        if (first >= Math.min(hvpn + v.hugePages(), recordedEnd)) {
            return; // no page of this huge page is one the GUP asked for
        }
        boolean gives = p.givesUnreserved();
        if (first < recordedStop && !gives) {
            assumeOnce(POOL_HELD_MORE);
            p.held(1);
        } else if (first == recordedStop && gives) {
            assumeOnce(POOL_HELD_LESS);
            p.refused(1);
        }
    }

    private void assumeOnce(String what) {
        if (ctx.assumed == null || !ctx.assumed.contains(what)) {
            ctx.assume(what);
        }
    }

    /** The pool of {@code h}. */
    public HugePool pool(Hstate h) {
        return hstates.pool(h);
    }

    /** Whether the pool a hugetlb VMA allocates from is counted. */
    public boolean limited(VmArea v) {
        return v.isHugetlb() && pool(v.hstateVma()).limited();
    }

    /**
     * The reservations hugetlb_reserve_pages() (5.10, 6.1, 6.12, 7.2; called by hugetlbfs_file_mmap()) would charge
     * for huge pages {@code [from, to)} of {@code file}: a shared mapping's, those the inode's map lacks
     * (region_chg()); a private mapping's, every page (it gets a map of its own).
     */
    public long reserveChg(Inode file, long from, long to, boolean shared) {
        return shared && file != null ? file.resvMap().regionChg(from, to) : to - from;
    }

    /**
     * hugetlb_reserve_pages() for VMA {@code v} (inserted or not yet): VM_NORESERVE reserves nothing; else
     * hugetlb_acct_memory() of the change, and a shared mapping's range goes into the inode's map (region_add()), a
     * private one's VMA owns a new map (set_vma_resv_map(), HPAGE_RESV_OWNER). False: -ENOMEM, nothing reserved
     * (hugetlbfs_file_mmap() fails the mmap); with {@code force} (the recording shows the call succeed) the
     * reservation is made anyway.
     */
    public boolean reservePages(VmArea v, boolean force) {
        HugePool p = pool(v.hstateVma());
        if (!p.limited() || v.has(VmFlags.VM_NORESERVE)) {
            return true;
        }
        int order = v.hstateVma().order;
        long from = v.pgoff >>> order;
        long to = from + ((v.endVpn() - v.startVpn()) >>> order);
        boolean shared = v.has(VmFlags.VM_MAYSHARE);
        long chg = reserveChg(v.file, from, to, shared);
        boolean ok = p.acctMemory(chg);
        if (!ok && !force) {
            return false;
        }
        if (!ok) {
            p.forceReserve(chg);
        }
        if (shared && v.file != null) {
            v.file.resvMap().regionAdd(from, to);
        } else {
            v.resv = new ResvMap();
            v.resvOwner = true;
        }
        return ok;
    }

    /**
     * hugetlb_vm_op_close() (5.10-7.2) of VMA {@code v} leaving: the owner of a private mapping gives back the
     * reservations it did not consume ("reserve = (end - start) - region_count(resv, start, end)").
     */
    public void vmOpClose(VmArea v) {
        if (!v.resvOwner || v.resv == null || !limited(v)) {
            return;
        }
        int order = v.hstateVma().order;
        long from = v.pgoff >>> order;
        long to = from + ((v.endVpn() - v.startVpn()) >>> order);
        long reserve = (to - from) - v.resv.regionCount(from, to);
        if (reserve > 0) {
            pool(v.hstateVma()).acctMemory(-reserve);
        }
    }

    /**
     * hugetlb_unreserve_pages() (5.10-7.2) for file pages {@code [fromPage, toPage)} (small pages) of a hugetlbfs
     * file about to lose its cached folios there (remove_inode_hugepages(): truncation, a punched hole, eviction): the
     * map's entries go (region_del()), and the reservations among them, those no folio consumed ("chg - freed"), go
     * back to the pool.
     */
    public void unreservePages(Inode inode, long fromPage, long toPage) {
        HugePool p = pool(inode.hstate);
        if (!inode.isHugetlbfs() || !p.limited()) {
            return;
        }
        int order = inode.hstate.order;
        long hp = inode.hstate.pages();
        long from = fromPage >>> order;
        long to = toPage >= Long.MAX_VALUE - hp ? Long.MAX_VALUE : (toPage + hp - 1) >>> order;
        long freed = cachedFolios(inode, from, to);
        long chg = inode.resvMap().regionDel(from, to);
        if (chg - freed > 0) {
            p.acctMemory(-(chg - freed));
        }
    }

    /** Folios of the page cache of {@code inode} at huge page indexes {@code [from, to)}. */
    private static long cachedFolios(Inode inode, long from, long to) {
        int order = inode.hstate.order;
        PageCache pc = inode.pageCache;
        long n = 0;
        long fromPage = from << order;
        long toPage = to > (Long.MAX_VALUE >>> order) ? Long.MAX_VALUE : to << order;
        for (int i = pc.indexOf(fromPage); i < pc.size() && pc.start(i) < toPage; i++) {
            if (pc.cached(i)) {
                n += (Math.min(toPage, pc.end(i)) - Math.max(fromPage, pc.start(i))) >>> order;
            }
        }
        return n;
    }

    /**
     * The last mapping of a MAP_SHARED|MAP_HUGETLB mapping's hidden inode went: its file's last reference, so
     * hugetlbfs_evict_inode() -> remove_inode_hugepages(inode, 0, LLONG_MAX) frees its folios and gives back what it
     * reserved.
     */
    public void evictHidden(Inode inode) {
        if (!inode.isHugetlbfs() || inode.ino >= 0 || !inode.mappings.isEmpty() || !pool(inode.hstate).limited()) {
            return;
        }
        unreservePages(inode, 0, Long.MAX_VALUE);
        PageCache pc = inode.pageCache;
        for (int i = 0; i < pc.size(); i++) {
            if (pc.cached(i)) {
                memMap.putOwnerRef(pc.pfnAt(i, pc.start(i)), pc.end(i) - pc.start(i));
            }
        }
        pc.clear(0, Long.MAX_VALUE);
    }

    /**
     * alloc_hugetlb_folio() for a shared mapping or hugetlbfs_fallocate() (a VM_MAYSHARE pseudo-VMA) at huge page
     * {@code idx} of {@code inode}: the inode's reservation when its map holds the index (vma_needs_reservation():
     * region_chg() 0), then vma_commit_reservation() adds it; {@code v} the faulting VMA (at huge page {@code hvpn}),
     * null for hugetlbfs_fallocate(). False: -ENOSPC.
     */
    public boolean allocShared(Inode inode, long idx, VmArea v, long hvpn) {
        ResvMap map = inode.resvMap();
        boolean reserved = map.regionChg(idx, idx + 1) == 0;
        if (dry) {
            dryUnreserved |= !pool(inode.hstate).paidByReservation(reserved);
            return true;
        }
        poolAsRecorded(pool(inode.hstate), v, hvpn, reserved);
        if (!pool(inode.hstate).allocFolio(reserved)) {
            return false;
        }
        map.regionAdd(idx, idx + 1);
        return true;
    }

    /**
     * alloc_hugetlb_folio() for a private mapping at huge page {@code idx}: the owner's reservation unless its map says
     * it was consumed (__vma_reservation_common(): the private map's opposite meaning), then committed; a VMA without
     * a map (MAP_NORESERVE, a fork's child) has none. {@code cowFromOwner}: hugetlb_wp()'s copy for the owner of a page
     * not in the page cache (avoid_reserve, 7.2 MAP_CHG_ENFORCED): no reservation, no commit. {@code hvpn}: the huge
     * page faulted. False: -ENOSPC.
     */
    public boolean allocPrivate(VmArea v, long hvpn, long idx, boolean cowFromOwner) {
        boolean owner = v.resvOwner && v.resv != null && !cowFromOwner;
        boolean reserved = owner && v.resv.regionCount(idx, idx + 1) == 0;
        if (dry) {
            dryUnreserved |= !cowFromOwner && !pool(v.hstateVma()).paidByReservation(reserved);
            return true;
        }
        if (!cowFromOwner) {
            poolAsRecorded(pool(v.hstateVma()), v, hvpn, reserved);
        }
        if (!pool(v.hstateVma()).allocFolio(reserved)) {
            return false;
        }
        if (owner) {
            v.resv.regionAdd(idx, idx + 1);
        }
        return true;
    }

    /**
     * unmap_ref_private() (5.10-7.2): the owner's copy of the private page {@code pfn} at huge page {@code hvpn} found no
     * folio, so the page is unmapped from every other private VMA mapping it (those without HPAGE_RESV_OWNER, a fork's
     * children), which get HPAGE_RESV_UNMAPPED; hugetlb_wp() retries and finds the page mapped once.
     */
    public void unmapRefPrivate(VmArea owner, long hvpn, long pfn) {
        long hp = owner.hstateVma().pages();
        long addr = hvpn << MemMap.PAGE_SHIFT;
        for (long id : tasks.mmIds()) {
            Mm mm = tasks.byId(id);
            if (mm == null || mm == owner.mm) {
                continue;
            }
            VmArea v = mm.vmaLookup(addr);
            if (v == null || !v.isHugetlb() || v.has(VmFlags.VM_MAYSHARE) || v.resvOwner) {
                continue;
            }
            PageTable pt = mm.pageTable;
            int i = pt.indexOf(hvpn);
            if ((pt.pte(i) & (Pte.PRESENT | Pte.ANON)) == (Pte.PRESENT | Pte.ANON) && pt.pfnAt(i, hvpn) == pfn) {
                memMap.removeAnonRmap(pfn, hp);
                pt.clear(hvpn, hvpn + hp);
                v.resvUnmapped = true;
            }
        }
    }
}
