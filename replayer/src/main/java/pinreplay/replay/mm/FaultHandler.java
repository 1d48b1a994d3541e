package pinreplay.replay.mm;

import pinreplay.format.Errno;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.fs.FileBlocks;
import pinreplay.replay.fs.FilePins;
import pinreplay.replay.fs.FolioOrders;
import pinreplay.replay.fs.FileSystem;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.kernel.WpReuse;
import pinreplay.replay.outcome.ViolationKind;

/**
 * handle_mm_fault() over a range of pages of one VMA: anonymous faults (zero page on read, new pages
 * on write), page-cache faults with page_mkwrite on shared writes and COW on private ones, DAX faults
 * that map the filesystem block itself, and PFNMAP faults that install special PTEs.
 */
public final class FaultHandler {
    /** mm/memory.c fault_around_bytes (64 KiB) in pages. */
    private static final long FAULT_AROUND_PAGES = 16;
    /** PTRS_PER_PTE (x86-64): a window never crosses a page table. */
    private static final long PTRS_PER_PTE = 512;
    /** include/linux/huge_mm.h HPAGE_PMD_ORDER. */
    private static final int THP_ORDER = 9;

    private final Profile profile;
    private final EventContext ctx;
    private final MemMap memMap;
    private final FilePins filePins;
    private final Registrations registrations;
    private final Hugetlb hugetlb;
    private final Secretmem secretmem;
    /** memalloc_pin_save(): while set, faults allocate outside ZONE_MOVABLE and CMA. */
    private boolean memallocPin;
    /** The THP mode faults follow: the profile's, or the recorded machine's ({@link #machineThp}). */
    private String thp;

    public FaultHandler(Profile profile, EventContext ctx, MemMap memMap, FilePins filePins,
            Registrations registrations, Hugetlb hugetlb, Secretmem secretmem) {
        this.profile = profile;
        this.hugetlb = hugetlb;
        this.secretmem = secretmem;
        this.ctx = ctx;
        this.memMap = memMap;
        this.filePins = filePins;
        this.registrations = registrations;
        this.thp = profile.thp;
    }

    /**
     * The recorded machine's /sys/kernel/mm/transparent_hugepage/enabled ({@code always}, {@code madvise} or
     * {@code never}), from the recording's header: faults follow it unless the user chose {@code --policy thp}.
     */
    public void machineThp(String mode) {
        if (profile.policies.get("thp") == null && ("always".equals(mode) || "madvise".equals(mode) || "never".equals(mode))) {
            thp = mode;
        }
    }

    public boolean memallocPinSave() {
        boolean old = memallocPin;
        memallocPin = true;
        return old;
    }

    public void memallocPinRestore(boolean old) {
        memallocPin = old;
    }

    /**
     * Faults in {@code [vpn, vpn + n)} of {@code vma}.
     *
     * @param write   FAULT_FLAG_WRITE
     * @param unshare FAULT_FLAG_UNSHARE: replace a shared (page-cache or zero) page by an exclusive anon copy
     * @return the pages handled (a prefix), or -EFAULT (SIGBUS/SIGSEGV) when none
     */
    public long handleMmFault(VmArea vma, long vpn, long n, boolean write, boolean unshare) {
        if (vma.isHugetlb()) {
            // hugetlb_fault() (5.10-7.2): a fault anywhere in a huge page allocates (hugetlb_no_page()) or copies
            // (hugetlb_wp()) the whole folio of the VMA's hstate and maps it with one huge PTE
            long hp = vma.hugePages();
            long from = Math.max(vma.startVpn(), vpn & -hp);
            long to = Math.min(vma.endVpn(), (vpn + n + hp - 1) & -hp);
            if (hugetlb.limited(vma)) {
                long got = hugetlbFolios(vma, from, to, write, unshare);
                if (got == from) {
                    return -Errno.EFAULT; // VM_FAULT_SIGBUS: vm_fault_to_errno() -EFAULT for GUP (5.10-7.2)
                }
                if (got < to) {
                    long r = fault(vma, from, got - from, write, unshare);
                    return r < 0 ? r : from + r <= vpn ? -Errno.EFAULT : Math.min(n, from + r - vpn);
                }
            }
            if (from != vpn || to != vpn + n) {
                long r = fault(vma, from, to - from, write, unshare);
                return r < 0 ? r : from + r <= vpn ? -Errno.EFAULT : Math.min(n, from + r - vpn);
            }
        }
        return fault(vma, vpn, n, write, unshare);
    }

    /**
     * populate_vma_page_range() → __get_user_pages() (5.10-7.2; mlock(), mlockall(MCL_CURRENT), mm_populate() after mmap()): follow_page_mask()
     * takes a present PTE (a writable one under FOLL_WRITE) as it is, and only the pages it cannot take fault
     * (faultin_page()), so a read population of a shared mapping leaves a written page's writable PTE writable; the
     * first fault that fails ends the VMA's population (__mm_populate() goes on at the next VMA).
     */
    public void populate(VmArea vma, long vpn, long n, boolean write) {
        if (profile.secretmem && vma.isSecretmem()) {
            return; // check_vma_flags(): "if (vma_is_secretmem(vma)) return -EFAULT;" (5.14-7.2): nothing faulted in
        }
        PageTable pt = vma.mm.pageTable;
        for (long p = vpn, end = vpn + n; p < end; ) {
            int i = pt.indexOf(p);
            long e = Math.min(end, pt.end(i));
            long bits = pt.pte(i);
            if ((bits & Pte.PRESENT) == 0 || write && (bits & Pte.WRITE) == 0) {
                long r = handleMmFault(vma, p, e - p, write, false);
                if (r < 0) {
                    return;
                }
                e = p + Math.max(1, r);
            }
            p = e;
        }
    }

    /**
     * A dry run of the hugetlb faults a FOLL_WRITE (when {@code write}) GUP of {@code n} pages from {@code start} in
     * {@code mm} would make (hugetlb_no_page(), hugetlb_wp(): 5.10-7.2; {@link #hugetlbFolios}, allocating nothing):
     * whether one would take, from a counted pool, a folio no
     * reservation pays for (a MAP_NORESERVE mapping's page, a fork child's copy; not the owner's copy, whose failure
     * unmap_ref_private() absorbs), which the counters decide where no recorded result does.
     */
    public boolean hugetlbPoolDecides(Mm mm, long start, long n, boolean write) {
        long from = start >>> MemMap.PAGE_SHIFT;
        long end = from + n;
        hugetlb.dry = true;
        hugetlb.dryUnreserved = false;
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && !hugetlb.dryUnreserved; i++) {
            VmArea v = mm.vmas.get(i);
            if (v.startVpn() >= end) {
                break;
            }
            if (hugetlb.limited(v)) {
                long hp = v.hugePages();
                hugetlbFolios(v, Math.max(v.startVpn(), from & -hp), Math.min(v.endVpn(), (end + hp - 1) & -hp), write,
                        false);
            }
        }
        hugetlb.dry = false;
        return hugetlb.dryUnreserved;
    }

    /**
     * The folios a hugetlb fault over the huge pages {@code [from, to)} of {@code vma} needs, taken from the counted pool
     * one huge page at a time (hugetlb_fault() per page); returns where the first page the pool cannot serve starts
     * ({@code to} when all can). A page needs a folio when hugetlb_no_page() finds none (a shared mapping's goes into
     * the page cache, a private mapping's is anonymous; a private mapping's write to a page-cache page copies it) or
     * hugetlb_wp() copies an anonymous page mapped more than once; a private VMA unmap_ref_private() took a page from
     * faults with SIGBUS (hugetlb_no_page(): HPAGE_RESV_UNMAPPED, 5.10-7.2).
     */
    private long hugetlbFolios(VmArea vma, long from, long to, boolean write, boolean unshare) {
        long hp = vma.hugePages();
        int order = vma.hugeOrder();
        PageTable pt = vma.mm.pageTable;
        Inode inode = vma.file;
        boolean cow = write || unshare;
        for (long h = from; h < to; h += hp) {
            int i = pt.indexOf(h);
            long bits = pt.pte(i);
            long idx = vma.fileIndex(h) >>> order;
            boolean ok;
            if ((bits & Pte.PRESENT) != 0) {
                if (!cow || vma.isShared()) {
                    ok = true;
                } else if ((bits & Pte.ANON) == 0) {
                    ok = hugetlb.allocPrivate(vma, h, idx, false); // hugetlb_wp() of the page-cache folio: not from owner
                } else if (hugetlbWpCanReuse(pt.pfnAt(i, h))) {
                    ok = true;
                } else {
                    // hugetlb_wp(): "if (is_vma_resv_set(vma, HPAGE_RESV_OWNER) && old_folio != pagecache_folio)
                    // cow_from_owner = true"; the owner's failed copy unmaps the page from the others and retries
                    ok = hugetlb.allocPrivate(vma, h, idx, vma.resvOwner);
                    if (!ok && vma.resvOwner) {
                        hugetlb.unmapRefPrivate(vma, h, pt.pfnAt(i, h));
                        ok = true;
                    }
                }
            } else if (!vma.isShared() && vma.resvUnmapped) {
                ok = false;
            } else if (inode != null && vma.fileIndex(h) >= inode.sizePages()
                    && !(profile.hugetlbNoPageCacheFirst && inode.pageCache.cached(inode.pageCache.indexOf(vma.fileIndex(h))))) {
                // hugetlb_no_page(): "if (idx >= size) goto out" (VM_FAULT_SIGBUS): 5.10 before the page-cache lookup,
                // 6.1-7.2 only for a folio not cached
                ok = false;
            } else if (inode != null && inode.pageCache.cached(inode.pageCache.indexOf(vma.fileIndex(h)))) {
                ok = vma.isShared() || !cow || hugetlb.allocPrivate(vma, h, idx, false);
            } else if (vma.isShared() && inode != null) {
                ok = hugetlb.allocShared(inode, idx, vma, h);
            } else {
                ok = hugetlb.allocPrivate(vma, h, idx, false);
            }
            if (!ok) {
                return h;
            }
        }
        return to;
    }

    /** How many of the {@code n} file pages from {@code idx} the page cache holds before the first it lacks. */
    private static long cachedFrom(PageCache pc, long idx, long n) {
        long p = idx;
        for (int i = pc.indexOf(idx); i < pc.size() && p < idx + n && pc.start(i) <= p && pc.cached(i); i++) {
            p = pc.end(i);
        }
        return Math.min(n, p - idx);
    }

    private long fault(VmArea vma, long vpn, long n, boolean write, boolean unshare) {
        ctx.cost(CostModel.FAULT_NS);
        long guard = firstGuard(vma.mm.pageTable, vpn, n);
        if (guard == vpn) {
            return -Errno.EFAULT; // handle_pte_marker(): "Hitting a guard page is always a fatal condition" (6.13+)
        }
        n = guard - vpn;
        if (vma.isPfnmap()) {
            long bits = Pte.PRESENT | Pte.SPECIAL | (vma.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0);
            vma.mm.pageTable.set(vpn, vpn + n, bits, vma.barPfn + vma.fileIndex(vpn));
            return n;
        }
        if (vma.file == null) {
            anonFault(vma, vpn, n, write || unshare || vma.isHugetlb(), write, unshare);
            return n;
        }
        Inode inode = vma.file;
        long idx = vma.fileIndex(vpn);
        long valid = Math.min(n, inode.sizePages() - idx);
        if (valid < n && inode.isHugetlbfs() && profile.hugetlbNoPageCacheFirst) {
            // hugetlb_no_page() (6.1-7.2): i_size is only tested for a folio the page cache lacks
            valid = Math.max(valid, cachedFrom(inode.pageCache, idx, n));
        }
        if (valid > 0 && inode.isSecretmem()) {
            valid = secretmem.account(inode, idx, valid); // secretmem_fault(): VM_FAULT_SIGBUS beyond RLIMIT_MEMLOCK
        }
        if (valid <= 0) {
            return -Errno.EFAULT;
        }
        boolean cow = !vma.isShared() && (write || unshare);
        if (cow) {
            anonFault(vma, vpn, valid, true, write, unshare);
        } else if (inode.isDaxBacked(profile.daxEnabled())) {
            daxFault(vma, vpn, valid, write);
        } else if (inode.isHugetlbfs() && !vma.isShared()) {
            hugetlbPrivateReadFault(vma, vpn, valid);
        } else {
            boolean miss = !cached(inode.pageCache, idx, valid);
            pageCacheFault(vma, vpn, valid, write);
            if (!write && !unshare && !inode.isSecretmem() && !inode.isHugetlbfs()) {
                faultAround(vma, vpn, valid, miss);
            }
        }
        return valid;
    }

    /**
     * do_read_fault() → do_fault_around() → filemap_map_pages() (3.15+, fault_around_bytes 64 KiB): a read fault of a
     * file page also maps the cached pages around it, in the 16-page-aligned window clamped to the VMA and to i_size,
     * as the faulting page is mapped; present PTEs stay. On a miss a disk file's pages are read in around the fault first
     * (do_sync_mmap_readahead()'s read-around), and filemap_fault(), which dropped mmap_lock to wait for that read,
     * retries: the retried fault maps the window (observed on 6.1: traces/real/6.1/dio-invalidate-markers.txt).
     * secretmem and hugetlbfs have no ->map_pages.
     */
    private void faultAround(VmArea vma, long vpn, long n, boolean readAround) {
        for (long p = vpn; p < vpn + n; ) { // each page the window of an earlier fault left unmapped faults again
            p = faultAroundWindow(vma, p, readAround);
        }
    }

    /**
     * The window of one fault at {@code vpn}: 16 pages from the fault's 16-page-aligned address or the VMA's start, the
     * later, clamped to the VMA and to the page table (do_fault_around()); returns where it ends.
     */
    private long faultAroundWindow(VmArea vma, long vpn, boolean readAround) {
        long from = Math.max(vma.startVpn(), vpn & -FAULT_AROUND_PAGES);
        long to = Math.min(Math.min(vma.endVpn(), from + FAULT_AROUND_PAGES), (from | (PTRS_PER_PTE - 1)) + 1);
        mapAround(vma, from, to, readAround);
        return to;
    }

    private void mapAround(VmArea vma, long from, long to, boolean readAround) {
        Inode inode = vma.file;
        long idx = vma.fileIndex(from);
        long end = Math.min(idx + (to - from), inode.sizePages());
        if (end <= idx) {
            return;
        }
        if (readAround && inode.fs.type.diskBlocks()) {
            ensureCached(inode, idx, end - idx, vma.zoneFlags);
        }
        PageCache pc = inode.pageCache;
        PageTable pt = vma.mm.pageTable;
        long bits = readBits(vma);
        for (long p = idx; p < end; ) {
            int i = pc.indexOf(p);
            long e = Math.min(end, pc.end(i));
            if (pc.cached(i)) {
                mapAbsent(pt, from + (p - idx), e - p, bits, pc.pfnAt(i, p));
            }
            p = e;
        }
    }

    /** Whether every page of {@code [idx, idx + n)} is in the page cache. */
    private static boolean cached(PageCache pc, long idx, long n) {
        for (long p = idx; p < idx + n; ) {
            int i = pc.indexOf(p);
            if (!pc.cached(i)) {
                return false;
            }
            p = pc.end(i);
        }
        return true;
    }

    /** The first page of {@code [vpn, vpn + n)} holding a guard marker, or {@code vpn + n}. */
    private static long firstGuard(PageTable pt, long vpn, long n) {
        for (long p = vpn; p < vpn + n; ) {
            int i = pt.indexOf(p);
            if ((pt.pte(i) & Pte.GUARD) != 0) {
                return p;
            }
            p = pt.end(i);
        }
        return vpn + n;
    }

    /**
     * Maps {@code [vpn, vpn + n)} to frames from {@code pfn} with {@code bits} where no PTE is present, and no guard
     * marker (filemap_map_pages() maps only pte_none() entries).
     */
    private static void mapAbsent(PageTable pt, long vpn, long n, long bits, long pfn) {
        for (long p = vpn; p < vpn + n; ) {
            int i = pt.indexOf(p);
            long e = Math.min(vpn + n, pt.end(i));
            if ((pt.pte(i) & (Pte.PRESENT | Pte.GUARD)) == 0) {
                pt.set(p, e, bits, pfn + (p - vpn));
            }
            p = e;
        }
    }

    /** The PTE bits of a read fault on a page-cache page: writable only in a shared mapping without dirty tracking. */
    private static long readBits(VmArea vma) {
        return Pte.PRESENT | (vma.isShared() && vma.has(VmFlags.VM_WRITE) && !vma.needsDirtyTracking() ? Pte.WRITE : 0);
    }

    /**
     * maybe_mkwrite(pte_mkdirty(entry), vma) (5.10-7.2): a written anonymous PTE is writable only in a VMA with
     * VM_WRITE; a FOLL_FORCE write into a read-only private mapping leaves its copy dirty and read-only.
     */
    private long mkwrite(VmArea vma) {
        if (vma.isHugetlb() && profile.hugetlbWpWritable) {
            return Pte.WRITE | Pte.DIRTY; // hugetlb_cow() / hugetlb_wp(): make_huge_pte(vma, new_page, 1) (5.10-6.12)
        }
        return vma.has(VmFlags.VM_WRITE) ? Pte.WRITE | Pte.DIRTY : Pte.DIRTY;
    }

    /**
     * do_anonymous_page() (zero page on a read, new exclusive pages otherwise), wp_page_copy() of a page-cache
     * or zero page, and do_wp_page() on the anonymous pages already mapped (a write, or an unshare).
     */
    private void anonFault(VmArea vma, long vpn, long n, boolean allocate, boolean write, boolean unshare) {
        PageTable pt = vma.mm.pageTable;
        long end = vpn + n;
        long wbits = write ? mkwrite(vma) : 0;
        for (long p = vpn; p < end; ) {
            int i = pt.indexOf(p);
            long segEnd = Math.min(end, pt.end(i));
            long bits = pt.pte(i);
            long thp;
            if ((bits & (Pte.PRESENT | Pte.ANON)) == (Pte.PRESENT | Pte.ANON)) {
                if (write && (bits & Pte.WRITE) != 0) {
                    pt.setBits(p, segEnd, wbits);
                } else if ((write || unshare) && (bits & Pte.PMD) != 0) {
                    segEnd = doHugePmdWpPage(vma, p, segEnd, write);
                } else if (write || unshare) {
                    doWpPage(vma, p, segEnd - p, pt.pfnAt(i, p), write);
                }
            } else if (write && (thp = thpFaultRange(vma, p)) >= 0) {
                // do_huge_pmd_anonymous_page(): one THP for each aligned range the fault covers, mapped by a PMD
                long thpEnd = thpFaultEnd(vma, thp, end);
                long pfn = alloc(vma, thpEnd - thp, THP_ORDER, PageFlags.ANON | PageFlags.ANON_EXCLUSIVE, vma.mm.id, thp);
                pt.set(thp, thpEnd, Pte.PRESENT | Pte.ANON | Pte.PMD | wbits, pfn);
                segEnd = thpEnd;
            } else if (allocate) {
                if ((bits & Pte.PRESENT) != 0 && (bits & Pte.ZERO) == 0 && (bits & Pte.ANON) == 0) {
                    // COW of a page-cache page: the file page stays in the cache.
                    ctx.cost(CostModel.FAULT_PAGE_NS * (segEnd - p));
                } else if (write && (bits & Pte.ZERO) != 0) {
                    zeroPageCopied(vma, p, segEnd - p);
                }
                long pfn = alloc(vma, segEnd - p, 0, PageFlags.ANON | PageFlags.ANON_EXCLUSIVE, vma.mm.id, p);
                pt.set(p, segEnd, Pte.PRESENT | Pte.ANON | wbits, pfn);
            } else if ((bits & Pte.PRESENT) == 0) {
                pt.set(p, segEnd, Pte.PRESENT | Pte.ZERO, MemMap.ZERO_PFN);
            }
            p = segEnd;
        }
    }

    /**
     * mm/memory.c __handle_mm_fault() -> create_huge_pmd(): the first aligned virtual page of the THP a write fault
     * at {@code vpn} maps, or -1 when it maps small pages. THP_ORDER fits (thp_vma_suitable_order(): the aligned 2 MiB
     * lies inside a private anonymous VMA), the mode allows it (hugepage_vma_check(): "always" unless
     * MADV_NOHUGEPAGE, "madvise" with MADV_HUGEPAGE) and nothing is mapped there yet (pmd_none()).
     */
    private long thpFaultRange(VmArea vma, long vpn) {
        long h = vpn & -MemMap.HPAGE_PMD_NR;
        boolean mode = switch (thp) {
            case "always" -> !vma.has(VmFlags.VM_NOHUGEPAGE);
            case "madvise" -> vma.has(VmFlags.VM_HUGEPAGE);
            default -> false;
        };
        if (!mode || !vma.isAnonymous() || vma.isShared() || vma.isHugetlb() || h < vma.startVpn()
                || h + MemMap.HPAGE_PMD_NR > vma.endVpn()
                || vma.mm.pageTable.any(h, h + MemMap.HPAGE_PMD_NR, Pte.PRESENT)) {
            return -1;
        }
        return h;
    }

    /**
     * Where the run of THPs from {@code h} (eligible, {@link #thpFaultRange}) ends for a fault up to {@code end}: every
     * further aligned range the fault reaches, when all of them fit the VMA and nothing is mapped there, else one.
     */
    private long thpFaultEnd(VmArea vma, long h, long end) {
        long last = Math.min((end + MemMap.HPAGE_PMD_NR - 1) & -MemMap.HPAGE_PMD_NR, vma.endVpn() & -MemMap.HPAGE_PMD_NR);
        return last > h + MemMap.HPAGE_PMD_NR && !vma.mm.pageTable.any(h, last, Pte.PRESENT) ? last
                : h + MemMap.HPAGE_PMD_NR;
    }

    /**
     * mm/huge_memory.c do_huge_pmd_wp_page(): a write (or unshare) fault on the PMD-mapped THP holding {@code vpn}
     * reuses it whole when the release's test allows ({@link Profile#thpWpReuse}); else __split_huge_pmd() falls
     * back to do_wp_page() on the PTEs of {@code [vpn, end)}. Returns where the fault goes on.
     */
    private long doHugePmdWpPage(VmArea vma, long vpn, long end, boolean write) {
        PageTable pt = vma.mm.pageTable;
        long h = vpn & -MemMap.HPAGE_PMD_NR;
        long pfn = pt.pfnOf(h);
        if (wpCanReuse(profile.thpWpReuse, pfn, MemMap.HPAGE_PMD_NR)) {
            if (write) {
                pt.setBits(h, h + MemMap.HPAGE_PMD_NR, mkwrite(vma));
            }
            memMap.setFlags(pfn, MemMap.HPAGE_PMD_NR, PageFlags.ANON_EXCLUSIVE);
            return Math.max(end, h + MemMap.HPAGE_PMD_NR);
        }
        pt.clearBits(h, h + MemMap.HPAGE_PMD_NR, Pte.PMD);
        doWpPage(vma, vpn, end - vpn, pt.pfnOf(vpn), write);
        return end;
    }

    /**
     * mm/memory.c do_wp_page() on {@code n} write-protected anonymous pages mapped at {@code vpn} from
     * {@code pfn}: reuses each page it may (wp_page_reuse()), else copies it (wp_page_copy()); an unshare
     * (FAULT_FLAG_UNSHARE) maps the copy read-only.
     */
    private void doWpPage(VmArea vma, long vpn, long n, long pfn, boolean write) {
        PageTable pt = vma.mm.pageTable;
        for (long q = 0; q < n; ) {
            long len = memMap.uniformRun(pfn + q, n - q);
            long at = vpn + q;
            if (vma.isHugetlb() ? hugetlbWpCanReuse(pfn + q) : wpCanReuse(profile.wpReuse, pfn + q, 1)) {
                if (write) {
                    pt.setBits(at, at + len, mkwrite(vma));
                }
                memMap.setFlags(pfn + q, len, PageFlags.ANON_EXCLUSIVE);
            } else {
                wpPageCopy(vma, at, len, pfn + q, write);
            }
            q += len;
        }
    }

    /**
     * do_wp_page()'s test for reusing the anonymous folio of the {@code n} frames at {@code pfn} (one page, or a
     * PMD-mapped THP for do_huge_pmd_wp_page()), as the release makes it.
     */
    private boolean wpCanReuse(WpReuse rule, long pfn, long n) {
        return switch (rule) {
            // reuse_swap_page(): the only mapping, however many references (small pages until 5.8, THP until 5.17)
            case MAPCOUNT -> memMap.mapcount(pfn) == 1;
            // page_count() != 1 goes to copy: a pin counts (5.9-5.18, 09854ba94c6a)
            case REFCOUNT -> !memMap.busy(pfn, n, 1);
            // PageAnonExclusive(), else folio_ref_count() == 1 (5.19+)
            case EXCLUSIVE -> (memMap.flags(pfn) & PageFlags.ANON_EXCLUSIVE) != 0 || !memMap.busy(pfn, n, 1);
        };
    }

    /**
     * mm/hugetlb.c hugetlb_cow() / hugetlb_wp() (5.10 to 7.2): an anonymous hugetlb page mapped once is reused
     * whatever its refcount ("we don't rely on the (safer) folio refcount here").
     */
    private boolean hugetlbWpCanReuse(long pfn) {
        return memMap.mapcount(pfn) == 1;
    }

    /**
     * mm/memory.c wp_page_copy() (mm/hugetlb.c hugetlb_wp()'s copy in a hugetlb VMA): the task maps a new exclusive copy and lets go of the old page. A write that
     * copies a page a device may have pinned leaves the device on the old one: reported. So does one that copies a page
     * the task's own device writes through a FOLL_GET reference (O_DIRECT reads through 6.1): fork() shared it, as
     * page_needs_cow_for_dma() sees pins only, and the read lands in the page the child keeps (seen on 5.10 and 6.1).
     */
    private void wpPageCopy(VmArea vma, long vpn, long n, long old, boolean write) {
        boolean pinned = write && memMap.maybeDmaPinned(old, n);
        String referencer = write && !pinned ? registrations.referenceWriterOf(vma.mm, old, n) : null;
        long pfn = alloc(vma, n, 0, PageFlags.ANON | PageFlags.ANON_EXCLUSIVE, vma.mm.id, vpn);
        long wbits = write ? mkwrite(vma) : 0;
        vma.mm.pageTable.set(vpn, vpn + n, Pte.PRESENT | Pte.ANON | wbits, pfn);
        if (pinned || referencer != null) {
            String holder = pinned ? registrations.holderOf(old, n) : referencer;
            ctx.violation(ViolationKind.PIN_LOST_TO_COW, holder, "a write at 0x" + Long.toHexString(vpn << MemMap.PAGE_SHIFT)
                    + " copied " + n + (pinned ? " pinned" : " referenced") + " anonymous page(s) (" + (vma.isHugetlb() ? "hugetlb_wp(), " : "do_wp_page() -> wp_page_copy(), ")
                    + (profile.wpReuse == WpReuse.REFCOUNT && !vma.isHugetlb() ? "page_count() != 1" : "mapped by another mm")
                    + "): the task now writes the copy, while " + (holder == null ? "the pin" : holder)
                    + " keeps the old page");
        }
        memMap.removeAnonRmap(old, n);
    }

    /**
     * wp_page_copy() of the zero page: a device that got it from a read-only pin (vfio's, O_DIRECT's, before 6.2's
     * reliable R/O pinning unshared first) keeps reading zeros while the task writes its new page.
     */
    private void zeroPageCopied(VmArea vma, long vpn, long n) {
        Registration holder = registrations.zeroPageHolderAt(vma.mm, vpn, n);
        if (holder == null) {
            return;
        }
        String at = "a write at 0x" + Long.toHexString(vpn << MemMap.PAGE_SHIFT);
        if (!holder.zeroUnconfirmed) {
            ctx.violation(ViolationKind.PIN_LOST_TO_COW, holder.name, at + " replaced the zero page " + holder.name
                    + " reaches there (wp_page_copy()): the task now writes its own page, while the device keeps reading"
                    + " zeros");
        } else if (profile.wpReuse == WpReuse.REFCOUNT) {
            // the pinned page was the task's own: do_wp_page() copies it while the pin raises page_count() (5.9 to
            // 5.18), and reuses it, exclusive since the pin (gup_must_unshare()), from 5.19
            ctx.violation(ViolationKind.PIN_LOST_TO_COW, holder.name, at + " copied the pinned anonymous page "
                    + holder.name + " holds (do_wp_page() -> wp_page_copy(), page_count() != 1): the task now writes"
                    + " the copy, while the pin keeps the old page");
        }
    }

    /** mm/memory.c copy_present_page(): fork() gives the child its own copy of a page that may be pinned (5.9+). */
    public void copyPresentPage(VmArea child, long vpn, long n) {
        long pfn = alloc(child, n, 0, PageFlags.ANON | PageFlags.ANON_EXCLUSIVE, child.mm.id, vpn);
        // hugetlb_install_page() (5.12 until 6.18, the end observed on 6.18 only): make_huge_pte(dst_vma, new, 1),
        // writable whatever VM_WRITE
        boolean writable = child.has(VmFlags.VM_WRITE) || child.isHugetlb() && profile.hugetlbForkCopyWritable;
        long bits = Pte.PRESENT | Pte.ANON | Pte.DIRTY | (writable ? Pte.WRITE : 0);
        child.mm.pageTable.set(vpn, vpn + n, bits, pfn);
    }

    /** filemap_fault() plus page_mkwrite on a shared write: the page-cache folios, allocated on demand. */
    private void pageCacheFault(VmArea vma, long vpn, long n, boolean write) {
        Inode inode = vma.file;
        long idx = vma.fileIndex(vpn);
        ensureCached(inode, idx, n, vma.zoneFlags);
        if (write && inode.fs.type.diskBlocks()) {
            inode.fs.allocateHoles(inode, idx, n, filePins);
        }
        PageCache pc = inode.pageCache;
        long bits = write && vma.isShared() ? Pte.PRESENT | Pte.WRITE | Pte.DIRTY : readBits(vma);
        for (int i = pc.indexOf(idx); i < pc.size() && pc.start(i) < idx + n; i++) {
            long s = Math.max(idx, pc.start(i));
            long e = Math.min(idx + n, pc.end(i));
            long pfn = pc.pfnAt(i, s);
            if (write && vma.isShared()) {
                memMap.setFlags(pfn, e - s, PageFlags.DIRTY); // page_mkwrite: the filesystem knows (btrfs delalloc)
                memMap.flagsMap().clearBits(pfn, pfn + (e - s), PageFlags.OUT_OF_BAND);
            }
            vma.mm.pageTable.set(vpn + (s - idx), vpn + (e - idx), bits, pfn);
        }
    }

    /**
     * hugetlb_no_page() (5.10-7.2) in a private mapping: a folio the file's page cache holds is mapped read-only; a
     * missing one is a new anonymous folio ("if (vma->vm_flags & VM_MAYSHARE) hugetlb_add_to_page_cache() else
     * anon_rmap = 1"), which the file never sees, even on a read fault.
     */
    private void hugetlbPrivateReadFault(VmArea vma, long vpn, long n) {
        PageCache pc = vma.file.pageCache;
        long idx = vma.fileIndex(vpn);
        for (long p = vpn; p < vpn + n; ) {
            long at = idx + (p - vpn);
            int i = pc.indexOf(at);
            long len = Math.min(vpn + n - p, pc.end(i) - at); // the last range ends at Long.MAX_VALUE
            if (pc.cached(i)) {
                mapAbsent(vma.mm.pageTable, p, len, readBits(vma), pc.pfnAt(i, at));
            } else {
                anonFault(vma, p, len, true, false, false);
            }
            p += len;
        }
    }

    /** dax_iomap_fault(): the PTE maps the block's frame; a hole is filled on write, the zero page on read. */
    private void daxFault(VmArea vma, long vpn, long n, boolean write) {
        Inode inode = vma.file;
        FileSystem fs = inode.fs;
        long idx = vma.fileIndex(vpn);
        long bits = Pte.PRESENT | Pte.DEVMAP;
        if (vma.isShared() && (write || vma.has(VmFlags.VM_WRITE) && !vma.needsDirtyTracking())) {
            bits |= Pte.WRITE | (write ? Pte.DIRTY : 0);
        }
        PageTable pt = vma.mm.pageTable;
        if (inode.isDevdax()) {
            pt.set(vpn, vpn + n, bits, fs.daxBase() + idx);
            return;
        }
        if (write) {
            inode.fs.allocateHoles(inode, idx, n, filePins);
        }
        FileBlocks b = inode.blocks;
        for (long p = idx; p < idx + n; ) {
            int i = b.indexOf(p);
            long e = Math.min(idx + n, b.end(i));
            long v = vpn + (p - idx);
            if (!b.allocated(i)) {
                pt.set(v, v + (e - p), Pte.PRESENT | Pte.ZERO, MemMap.ZERO_PFN);
            } else {
                pt.set(v, v + (e - p), bits, fs.daxBase() + b.blockAt(i, p));
            }
            p = e;
        }
    }

    /** Adds page-cache folios for the uncached pages of {@code [idx, idx + n)}. */
    public void ensureCached(Inode inode, long idx, long n, long zoneFlags) {
        PageCache pc = inode.pageCache;
        long end = idx + n;
        for (long p = idx; p < end; ) {
            int i = pc.indexOf(p);
            long e = Math.min(end, pc.end(i));
            if (!pc.cached(i)) {
                long flags = PageFlags.FILE | (inode.fs.type.canWriteback() ? PageFlags.WB_CAPABLE : 0)
                        | (inode.isShmem() ? PageFlags.SHMEM : 0) | (inode.isHugetlbfs() ? PageFlags.HUGETLB : 0)
                        | (inode.isSecretmem() ? PageFlags.SECRETMEM : 0) | (memallocPin ? 0 : zoneFlags);
                if (inode.isHugetlbfs()) {
                    // hugetlbfs_fallocate() / hugetlb_no_page(): whole folios of the file's hstate (hstate_inode(),
                    // 5.10-7.2), at most the run the page cache lacks
                    long hp = inode.hstate.pages();
                    long from = Math.max(pc.start(i), p & -hp);
                    long to = Math.min(pc.end(i), (e + hp - 1) & -hp);
                    pc.set(from, to, 1, memMap.allocRam(to - from, inode.hstate.order, flags, inode.ino, from));
                    ctx.cost(CostModel.FAULT_PAGE_NS * (to - from));
                    e = to;
                } else {
                    addFolios(inode, p, e, pc.start(i), pc.end(i), flags);
                }
            }
            p = e;
        }
    }

    /**
     * __filemap_get_folio() / page_cache_ra_order(): folios for the uncached file pages {@code [p, e)} of the uncached
     * run {@code [runStart, runEnd)}, of the sizes the recording showed the kernel give them (a large folio whole,
     * pages outside {@code [p, e)} too, when it fits the run), else small.
     */
    private void addFolios(Inode inode, long p, long e, long runStart, long runEnd, long flags) {
        PageCache pc = inode.pageCache;
        FolioOrders orders = inode.folioOrders;
        for (long q = p; q < e; ) {
            int j = orders.indexOf(q);
            int ord = orders.orderAt(j);
            long head = q & -(1L << ord);
            long tail = head + (1L << ord);
            long from = q;
            long to = ord == 0 ? Math.min(e, orders.end(j)) : Math.min(e, tail);
            if (ord > 0 && head >= runStart && tail <= runEnd) {
                from = head;
                to = tail;
            } else {
                ord = 0;
            }
            pc.set(from, to, 1, memMap.allocRam(to - from, ord, flags, inode.ino, from));
            ctx.cost(CostModel.FAULT_PAGE_NS * (to - from));
            q = to;
        }
    }

    /**
     * Frames for {@code n} pages of {@code vma}: folios of order {@code ord} (a THP), or the VMA's own (hugetlb: its
     * hstate's huge_page_order(), alloc_hugetlb_folio(); small).
     */
    private long alloc(VmArea vma, long n, int ord, long flags, long ownerId, long index) {
        ctx.cost(CostModel.FAULT_PAGE_NS * n);
        long f = flags | (vma.isHugetlb() ? PageFlags.HUGETLB : 0) | (memallocPin ? 0 : vma.zoneFlags);
        return memMap.allocRam(n, vma.isHugetlb() ? vma.hugeOrder() : ord, f, ownerId, index);
    }
}
