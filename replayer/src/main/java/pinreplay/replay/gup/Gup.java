package pinreplay.replay.gup;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.BlockOwners;
import pinreplay.replay.fs.FileSystems;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.kernel.LongtermFsdax;
import pinreplay.replay.kernel.LongtermMigration;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.PageTable;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.range.Counters;

/**
 * The GUP/PUP entry points and workers of mm/gup.c: argument validation once at the boundary, then
 * GUP-fast with fallback, __gup_longterm_locked() with its migration loop, and the slow path that looks
 * VMAs up, checks them, faults pages in and grabs them. Results follow the kernel: pages pinned (a
 * short count is a success), or a negative errno when none were.
 */
public final class Gup {
    /** A fault point firing forever would loop like a task without a pending signal; stop the replay's loop. */
    static final int MAX_RETRIES = 64;
    static final long TASK_SIZE_MAX = Mm.TASK_SIZE;
    /** The only flags internal_get_user_pages_fast() accepts (v5.6+; FAST_ONLY 5.8); NOFAULT joins in 5.16. */
    private static final long GUP_FAST_FLAGS = Foll.WRITE | Foll.LONGTERM | Foll.FORCE | Foll.PIN | Foll.GET
            | Foll.FAST_ONLY;
    /** gup_fast_fallback()'s mask from the 6.3 consolidation on (PCI_P2PDMA 6.2, HONOR_NUMA_FAULT 6.5). */
    private static final long GUP_FAST_FLAGS_63 = GUP_FAST_FLAGS | Foll.NOFAULT | Foll.PCI_P2PDMA
            | Foll.HONOR_NUMA_FAULT;
    /** v5.2-5.5 get_user_pages_fast(): gup_flags replaced the write bool, and only these were allowed. */
    private static final long GUP_FAST_FLAGS_52 = Foll.WRITE | Foll.LONGTERM | Foll.GET;
    private static final long INTERNAL_GUP_FLAGS = Foll.TOUCH | Foll.TRIED | Foll.REMOTE | Foll.PIN
            | Foll.FAST_ONLY | Foll.UNLOCKABLE | Foll.MADV_POPULATE;

    private final Profile profile;
    private final EventContext ctx;
    private final FaultPoints faults;
    private final MemMap memMap;
    private final FileSystems filesystems;
    private final Unpin unpin;
    private final FaultHandler faultHandler;
    private final AddressSpace addressSpace;
    private final Migration migration;
    public final VmaChecks checks;
    /** Set by faultInChunk when handle_mm_fault() dropped mmap_lock (VM_FAULT_RETRY). */
    private boolean lockDropped;
    /** The page a retry after a dropped mmap_lock faults again with FOLL_TRIED (-1: none). */
    private long triedVpn = -1;
    /** faultin_page() stopped on VM_FAULT_RETRY under FOLL_NOWAIT: a short count. */
    private boolean nowaitStopped;

    public Gup(Profile profile, EventContext ctx, FaultPoints faults, MemMap memMap, FileSystems filesystems,
            Unpin unpin, FaultHandler faultHandler, AddressSpace addressSpace, Migration migration) {
        this.profile = profile;
        this.ctx = ctx;
        this.faults = faults;
        this.memMap = memMap;
        this.filesystems = filesystems;
        this.unpin = unpin;
        this.faultHandler = faultHandler;
        this.addressSpace = addressSpace;
        this.migration = migration;
        this.checks = new VmaChecks(profile);
    }

    /**
     * Calls an exported GUP/PUP function. Pinned runs are appended to {@code out}, at page offsets
     * from {@code offBase}.
     */
    public long call(GupEntry e, Mm mm, long start, long nrPages, long callerFlags, Extents out, long offBase) {
        if (e.pin && !profile.pinApi()
                || e == GupEntry.GET_USER_PAGES_LONGTERM && !profile.getUserPagesLongtermApi) {
            return -Errno.ENOSYS;
        }
        long foll = callerFlags;
        if (profile.isValidGupArgs) {
            if (!isValidGupArgs(foll, e.toSet)) {
                // pin_user_pages_fast() "return 0;" until 'mm/gup: do not return 0 from pin_user_pages_fast() for bad args'
                return e == GupEntry.PIN_USER_PAGES_FAST && profile.pinFastBadArgsZero ? 0 : e.invalidResult;
            }
        } else if (e.pin && (foll & Foll.GET) != 0) {
            // pin_user_pages*() before v6.3: "FOLL_GET and FOLL_PIN are mutually exclusive."
            return -Errno.EINVAL;
        } else if (!e.pin && profile.pinApi() && (foll & Foll.PIN) != 0) {
            // get_user_pages*() 5.6-6.2: "FOLL_PIN must only be set internally by the pin_user_pages*() APIs"
            return -Errno.EINVAL;
        } else if (!e.pin && profile.isValidGupFlags && (foll & Foll.LONGTERM) != 0) {
            // is_valid_gup_flags() 5.10-6.2: "FOLL_PIN is a prerequisite to FOLL_LONGTERM"
            return -Errno.EINVAL;
        }
        foll |= e.toSet;
        if ((foll & Foll.PIN) == 0) {
            foll |= Foll.GET;
        }
        if (e.fast && profile.gupFastFlags && (foll & ~fastFlags()) != 0) {
            // internal_get_user_pages_fast() / gup_fast_fallback(): WARN_ON_ONCE on any other flag
            return -Errno.EINVAL;
        }
        if (e.fast) {
            // "int nr_pages", sign-extended into gup_fast_fallback()'s unsigned long: a negative count is a huge range
            // its overflow and TASK_SIZE_MAX checks refuse
            nrPages = (int) nrPages;
            if (nrPages < 0) {
                return gupFastFallback(mm, start, nrPages, foll, out, offBase);
            }
        }
        if (nrPages <= 0) {
            return 0;
        }
        ctx.cost(CostModel.CALL_NS);
        return e.fast ? gupFastFallback(mm, start, nrPages, foll, out, offBase)
                : gupLongtermLocked(mm, start, nrPages, foll, out, offBase, false);
    }

    private long fastFlags() {
        return !profile.pinApi() ? GUP_FAST_FLAGS_52 : profile.isValidGupArgs ? GUP_FAST_FLAGS_63
                : GUP_FAST_FLAGS | (profile.follNofault ? Foll.NOFAULT : 0);
    }

    /** mm/gup.c is_valid_gup_args(), v6.3+: each WARN_ON_ONCE case refuses the call. */
    static boolean isValidGupArgs(long foll, long toSet) {
        // These flags are not allowed to be specified externally to the gup interfaces.
        if ((foll & INTERNAL_GUP_FLAGS) != 0) {
            return false;
        }
        long f = foll | toSet;
        // FOLL_GET and FOLL_PIN are mutually exclusive.
        if ((f & (Foll.PIN | Foll.GET)) == (Foll.PIN | Foll.GET)) {
            return false;
        }
        // LONGTERM can only be specified when pinning.
        if ((f & (Foll.PIN | Foll.LONGTERM)) == Foll.LONGTERM) {
            return false;
        }
        // Pages input must be given if using GET/PIN: always true for a pin-call event.
        // We want to allow the pgmap to be hot-unplugged at all times.
        return (f & (Foll.LONGTERM | Foll.PCI_P2PDMA)) != (Foll.LONGTERM | Foll.PCI_P2PDMA);
    }

    /**
     * mm/gup.c gup_fast_fallback(): pin what the page tables allow without locks, then the rest on the
     * slow path (FOLL_UNLOCKABLE). A failing slow path still returns the fast count when there is one.
     */
    long gupFastFallback(Mm mm, long start, long nrPages, long foll, Extents out, long offBase) {
        if ((foll & Foll.PIN) != 0) {
            mm.hasPinned = true;
        }
        long len = nrPages << MemMap.PAGE_SHIFT;
        long base = start & -MemMap.PAGE_SIZE; // "start = untagged_addr(start) & PAGE_MASK" before the range checks
        if (Long.compareUnsigned(base + len, base) < 0) {
            // check_add_overflow(start, len, &end): -EOVERFLOW since the 6.3 consolidation [U]; "return 0" in 6.1
            return profile.isValidGupArgs ? -Errno.EOVERFLOW : 0;
        }
        if (Long.compareUnsigned(base + len, TASK_SIZE_MAX) > 0) {
            // gup_fast_fallback(): end > TASK_SIZE_MAX (6.3+) is -EFAULT, nothing pinned; so is access_ok() until
            // 6.14, the same bound on x86-64
            return -Errno.EFAULT;
        }
        long nrFast = gupFast(mm, start, nrPages, foll, out, offBase);
        ctx.cost(CostModel.FAST_PAGE_NS * nrFast);
        if (nrFast == nrPages || (foll & Foll.FAST_ONLY) != 0) {
            return nrFast; // "if (nr_pinned == nr_pages || gup_flags & FOLL_FAST_ONLY) return nr_pinned;"
        }
        // gup_fast_fallback() (6.3+): FOLL_UNLOCKABLE; __gup_longterm_unlocked() (5.10-6.2): get_user_pages_unlocked(),
        // but FOLL_LONGTERM under mmap_read_lock() with locked == NULL, so its faults cannot drop the lock
        boolean unlockable = (foll & Foll.LONGTERM) == 0 || profile.gupLongtermUnlockable;
        long ret = gupLongtermLocked(mm, start + (nrFast << MemMap.PAGE_SHIFT), nrPages - nrFast,
                foll | Foll.TOUCH | (unlockable ? Foll.UNLOCKABLE : 0), out, offBase + nrFast, unlockable);
        if (ret < 0) {
            return nrFast > 0 ? nrFast : ret;
        }
        return ret + nrFast;
    }

    /** mm/gup.c gup_fast(): walks present PTEs; any doubt ends the walk (the slow path decides). */
    private long gupFast(Mm mm, long start, long nrPages, long foll, Extents out, long offBase) {
        PageTable pt = mm.pageTable;
        boolean write = (foll & Foll.WRITE) != 0;
        boolean pin = (foll & Foll.PIN) != 0;
        boolean longterm = (foll & Foll.LONGTERM) != 0;
        long vpn = start >>> MemMap.PAGE_SHIFT;
        long end = vpn + nrPages;
        long p = vpn;
        while (p < end) {
            int i = pt.indexOf(p);
            long bits = pt.pte(i);
            long segEnd = Math.min(end, pt.end(i));
            // do_anonymous_page() maps the zero page pte_mkspecial(): gup_fast_pte_range() leaves it to the slow path
            if ((bits & Pte.PRESENT) == 0 || (bits & (Pte.SPECIAL | Pte.ZERO)) != 0 || write && (bits & Pte.WRITE) == 0
                    || longterm && profile.gupFastDevmap && (bits & Pte.DEVMAP) != 0) {
                // pte_devmap() under FOLL_LONGTERM: "goto pte_unmap" (until 6.17)
                break;
            }
            VmArea vma = mm.vmaLookup(p << MemMap.PAGE_SHIFT);
            if (vma == null || !VmFlags.isAccessible(vma.vmFlags)) {
                break; // pte_protnone(): mprotect(PROT_NONE)'s change_protection() left the slow path to decide (all)
            }
            segEnd = Math.min(segEnd, vma.endVpn());
            boolean anonPage = (bits & Pte.ANON) != 0;
            if (pin && longterm && !write && !anonPage && profile.reliableRoLongterm) {
                // gup_must_unshare(NULL, ...): without the VMA, GUP-fast cannot tell a COW mapping.
                break;
            }
            long pfn = pt.pfnAt(i, p);
            if (anonPage) {
                segEnd = p + memMap.uniformRun(pfn, segEnd - p);
                if (checks.gupMustUnshare(null, foll, true, memMap.anyFlag(pfn, 1, PageFlags.ANON_EXCLUSIVE))) {
                    break; // gup_fast_pte_range(): a shared anonymous page for a R/O pin goes to the slow path (5.19+)
                }
            }
            long segLen = segEnd - p;
            long ok = fastAllowedPrefix(pfn, segLen, foll);
            if (ok > 0 && !grabRun(mm, bits, pfn, p, ok, pin, out, offBase + (p - vpn), null)) {
                break;
            }
            p += ok;
            if (ok < segLen) {
                break;
            }
        }
        return p - vpn;
    }

    /**
     * How many frames from {@code pfn} GUP-fast may take: not those that are not long-term pinnable
     * (ZONE_MOVABLE, CMA; fsdax from 6.17), not secretmem (5.14+), and (v6.5 gup_fast_folio_allowed()) no file-backed
     * folio other than shmem or hugetlb for a writable long-term pin.
     */
    private long fastAllowedPrefix(long pfn, long n, long foll) {
        boolean longterm = (foll & Foll.LONGTERM) != 0;
        // gup_fast_pte_range() page_is_secretmem(), folio_is_secretmem() in gup_fast_folio_allowed() (v5.14+)
        long refuse = profile.secretmem ? PageFlags.SECRETMEM : 0;
        // try_grab_compound_head() (5.13+, try_grab_folio() later): !is_pinnable_page() under FOLL_LONGTERM is left to
        // the slow path; before, GUP-fast pinned present CMA pages where they are and only the pages the slow path got
        // went through check_and_migrate_cma_pages() (5.10.262's gup_pte_range() checks devmap only)
        if (longterm && profile.longtermMigration == LongtermMigration.MOVABLE_OR_ENOMEM) {
            refuse |= PageFlags.CMA | PageFlags.MOVABLE;
        }
        boolean rejectFileBacked = profile.gupFastFolioAllowed
                && (foll & (Foll.PIN | Foll.LONGTERM | Foll.WRITE)) == (Foll.PIN | Foll.LONGTERM | Foll.WRITE);
        boolean rejectFsdax = longterm && profile.fsdaxNotLongtermPinnable;
        Counters flags = memMap.flagsMap();
        for (int i = flags.indexOf(pfn); i < flags.size() && flags.start(i) < pfn + n; i++) {
            long f = flags.value(i);
            boolean fileOnly = (f & PageFlags.FILE) != 0 && (f & (PageFlags.SHMEM | PageFlags.HUGETLB)) == 0;
            if ((f & refuse) != 0 || rejectFileBacked && fileOnly
                    || rejectFsdax && (f & PageFlags.DAX) != 0 && isFsdaxFrame(Math.max(pfn, flags.start(i)))) {
                return Math.max(0, flags.start(i) - pfn);
            }
        }
        return n;
    }

    /** folio_is_fsdax(): a DAX frame of a filesystem, not of a device-dax device. */
    private boolean isFsdaxFrame(long pfn) {
        var fs = filesystems.ofDaxFrame(pfn);
        return fs != null && fs.type != FsType.DEVDAX;
    }

    /**
     * mm/gup.c __gup_longterm_locked(): for FOLL_LONGTERM, pins, then (4.15-5.10) refuses fsdax after the
     * fact, then migrates unpinnable folios and pins again while that returns -EAGAIN.
     */
    long gupLongtermLocked(Mm mm, long start, long nrPages, long foll, Extents out, long offBase,
            boolean unlockable) {
        if ((foll & Foll.LONGTERM) == 0) {
            return getUserPagesLocked(mm, start, nrPages, foll, out, offBase, unlockable);
        }
        LongtermMigration lm = profile.longtermMigration;
        boolean saved = lm == LongtermMigration.MOVABLE_OR_ENOMEM && faultHandler.memallocPinSave();
        int mark = out.size();
        long rc;
        long nrPinned;
        int loops = 0;
        do {
            nrPinned = getUserPagesLocked(mm, start, nrPages, foll, out, offBase, unlockable);
            if (nrPinned <= 0) {
                rc = nrPinned;
                break;
            }
            if (profile.longtermFsdax == LongtermFsdax.AFTER_PIN && fsdaxVmas(mm, start, nrPinned)) {
                // check_dax_vmas() / get_user_pages_longterm(): release every page, then refuse.
                unpin.release(out, mark, (foll & Foll.PIN) != 0, false);
                rc = -Errno.EOPNOTSUPP;
                break;
            }
            rc = lm == LongtermMigration.NONE ? 0 : migration.checkAndMigrateMovablePages(mm, start, out, mark, foll);
            if (rc == -Errno.EAGAIN) {
                ctx.retries++;
                ctx.cost(CostModel.RETRY_NS);
                if (++loops > MAX_RETRIES) {
                    rc = -Errno.ENOMEM;
                }
            }
        } while (rc == -Errno.EAGAIN);
        if (lm == LongtermMigration.MOVABLE_OR_ENOMEM) {
            faultHandler.memallocPinRestore(saved);
        }
        return rc != 0 ? rc : nrPinned;
    }

    /**
     * v4.15 get_user_pages_longterm() / v5.2 check_dax_vmas(): vma_is_fsdax() on the VMA of every pinned
     * page, not on the page, so a MAP_PRIVATE fsdax mapping is refused even where a write pin got anon COW copies.
     */
    private boolean fsdaxVmas(Mm mm, long start, long nrPinned) {
        long end = start + (nrPinned << MemMap.PAGE_SHIFT);
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            if (mm.vmas.get(i).isFsdax(profile.daxEnabled())) {
                return true;
            }
        }
        return false;
    }

    /**
     * mm/gup.c __get_user_pages_locked() around __get_user_pages(): when a fault dropped mmap_lock and the
     * caller allows it (FOLL_UNLOCKABLE), take the lock again, look the VMA up again and go on with
     * FOLL_TRIED. Returns pages done, or -errno when none.
     */
    long getUserPagesLocked(Mm mm, long start, long nrPages, long foll, Extents out, long offBase,
            boolean unlockable) {
        if ((foll & Foll.PIN) != 0) {
            mm.hasPinned = true;
        }
        long done = 0;
        long ret = -Errno.EFAULT;
        long addr = start;
        VmArea vma = null;
        int retries = 0;
        triedVpn = -1;
        while (done < nrPages) {
            if (vma == null || addr >= vma.end) {
                // gup_vma_lookup(): GUP no longer grows the stack.
                vma = mm.vmaLookup(addr);
                if (vma == null) {
                    ret = -Errno.EFAULT;
                    break;
                }
                int err = checks.checkVmaFlags(vma, foll);
                if (err != 0) {
                    ret = err;
                    break;
                }
            }
            long vpn = addr >>> MemMap.PAGE_SHIFT;
            long n = Math.min(nrPages - done, vma.endVpn() - vpn);
            lockDropped = false;
            nowaitStopped = false;
            long ready = faultInChunk(mm, vma, vpn, n, foll, unlockable);
            if (ready < 0) {
                ret = ready;
                break;
            }
            long got = ready == 0 ? 0 : grabChunk(mm, vma, vpn, ready, foll, out, offBase + done);
            ctx.cost(CostModel.SLOW_PAGE_NS * got);
            done += got;
            addr += got << MemMap.PAGE_SHIFT;
            if (got < ready) {
                ret = -Errno.ENOMEM;
                break;
            }
            if (nowaitStopped) {
                // __get_user_pages(): -EBUSY becomes 0, so the caller gets the pages done so far
                ret = 0;
                break;
            }
            if (lockDropped) {
                // __get_user_pages_locked(): the page that dropped the lock is tried again alone with FOLL_TRIED,
                // then the walk goes on with the caller's flags
                ctx.retries++;
                ctx.cost(CostModel.RETRY_NS);
                vma = null;
                triedVpn = addr >>> MemMap.PAGE_SHIFT;
                if (++retries > MAX_RETRIES) {
                    ret = -Errno.EINTR;
                    break;
                }
                continue;
            }
            if (ready < n || got == 0) {
                // The fault stopped early (beyond EOF: SIGBUS): the next page fails. A round that did no page
                // stops too, so the walk is bounded by the range it walks.
                ret = -Errno.EFAULT;
                break;
            }
        }
        return done > 0 ? done : ret;
    }

    /**
     * follow_page_mask() and faultin_page() over a chunk of one VMA: faults what is missing, not writable
     * for a write, or must be unshared. Returns the pages now ready (a prefix), or -errno when none.
     */
    private long faultInChunk(Mm mm, VmArea vma, long vpn, long n, long foll, boolean unlockable) {
        PageTable pt = mm.pageTable;
        boolean write = (foll & Foll.WRITE) != 0;
        long end = vpn + n;
        for (long p = vpn; p < end; ) {
            int i = pt.indexOf(p);
            long e = Math.min(end, pt.end(i));
            long bits = pt.pte(i);
            boolean present = (bits & Pte.PRESENT) != 0;
            boolean anon = present && (bits & Pte.ANON) != 0;
            if (anon) {
                e = p + memMap.uniformRun(pt.pfnAt(i, p), e - p); // exclusive or not, page by page
            }
            boolean unshare = checks.gupMustUnshare(vma, foll, anon,
                    anon && memMap.anyFlag(pt.pfnAt(i, p), 1, PageFlags.ANON_EXCLUSIVE));
            if (!present || write && (bits & Pte.WRITE) == 0 || unshare) {
                if ((foll & Foll.NOFAULT) != 0 && profile.follNofault
                        && !(vma.isHugetlb() && profile.hugetlbGupFaultsNofault)) {
                    // faultin_page(): "if (*flags & FOLL_NOFAULT) return -EFAULT;" (5.16+); follow_hugetlb_page()
                    // faults a hugetlb VMA's page in without that test (5.16 to 6.4)
                    return p > vpn ? p - vpn : -Errno.EFAULT;
                }
                if ((foll & Foll.NOWAIT) != 0 && faults.faultinPageNowait(mm, p << MemMap.PAGE_SHIFT)) {
                    // faultin_page(): VM_FAULT_RETRY under FAULT_FLAG_RETRY_NOWAIT is -EBUSY, a short count (5.x-6.x)
                    ctx.injection("faultin_page", "VM_FAULT_RETRY with FAULT_FLAG_RETRY_NOWAIT: -EBUSY");
                    nowaitStopped = true;
                    return p - vpn;
                }
                // faultin_page() faults page by page: each page's fault may drop mmap_lock
                long drop = unlockable ? lockDropAt(mm, p, e) : e;
                if (drop < e) {
                    if (drop > p) {
                        long r = faultHandler.handleMmFault(vma, p, drop - p, write, unshare);
                        if (r < drop - p) {
                            return r < 0 ? (p > vpn ? p - vpn : r) : (p - vpn) + r;
                        }
                    }
                    ctx.injection("faultin_page", "VM_FAULT_RETRY");
                    faults.whileUnlocked(mm, drop << MemMap.PAGE_SHIFT, addressSpace.editor());
                    lockDropped = true;
                    return drop - vpn;
                }
                long r = faultHandler.handleMmFault(vma, p, e - p, write, unshare);
                if (r < 0) {
                    return p > vpn ? p - vpn : r;
                }
                if (r < e - p) {
                    return (p - vpn) + r;
                }
            }
            p = e;
        }
        return n;
    }

    /** The first page of {@code [p, e)} whose fault drops mmap_lock (asked page by page only when one may), else e. */
    private long lockDropAt(Mm mm, long p, long e) {
        if (!faults.faultinPageMayRetry()) {
            return e;
        }
        for (long q = p; q < e; q++) {
            if (faults.faultinPageRetry(mm, q << MemMap.PAGE_SHIFT, q == triedVpn)) {
                return q;
            }
        }
        return e;
    }

    /** try_grab_folio() over the present PTEs of a chunk; returns pages grabbed. */
    private long grabChunk(Mm mm, VmArea vma, long vpn, long n, long foll, Extents out, long offBase) {
        PageTable pt = mm.pageTable;
        boolean pin = (foll & Foll.PIN) != 0;
        long end = vpn + n;
        for (long p = vpn; p < end; ) {
            int i = pt.indexOf(p);
            long e = Math.min(end, pt.end(i));
            long bits = pt.pte(i);
            if ((bits & Pte.PRESENT) == 0) {
                return p - vpn;
            }
            long pfn = pt.pfnAt(i, p);
            if (!grabRun(mm, bits, pfn, p, e - p, pin, out, offBase + (p - vpn), vma)) {
                return p - vpn;
            }
            p = e;
        }
        return n;
    }

    /** Grabs {@code n} frames mapped from {@code vpn} and records them; false when a frame was not in use. */
    private boolean grabRun(Mm mm, long bits, long pfn, long vpn, long n, boolean pin, Extents out, long off,
            VmArea vma) {
        if ((bits & Pte.ZERO) != 0) {
            memMap.tryGrabFolio(MemMap.ZERO_PFN, n, pin);
            out.add(off, MemMap.ZERO_PFN, n, PageFlags.ZERO, 0, 0);
            return true;
        }
        if (memMap.tryGrabFolio(pfn, n, pin) < 0) {
            return false;
        }
        long flags = memMap.flags(pfn);
        if ((flags & PageFlags.DAX) != 0) {
            var fs = filesystems.ofDaxFrame(pfn);
            VmArea v = vma != null ? vma : mm.vmaLookup(vpn << MemMap.PAGE_SHIFT);
            boolean fsdax = v != null && v.file != null && !v.file.isDevdax();
            if (fsdax && fs != null) {
                BlockOwners owners = fs.blockOwner;
                long blk = pfn - fs.daxBase();
                for (int j = owners.indexOf(blk); j < owners.size() && owners.start(j) < blk + n; j++) {
                    long s = Math.max(blk, owners.start(j));
                    long e = Math.min(blk + n, owners.end(j));
                    out.add(off + (s - blk), fs.daxBase() + s, e - s, PageFlags.DAX | Extents.FSDAX, owners.ino(j),
                            owners.pageAt(j, s));
                }
                return true;
            }
            out.add(off, pfn, n, PageFlags.DAX, 0, 0);
            return true;
        }
        out.add(off, pfn, n, flags & (PageFlags.ANON | PageFlags.FILE), 0, 0);
        return true;
    }
}
