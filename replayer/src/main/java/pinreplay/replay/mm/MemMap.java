package pinreplay.replay.mm;

import pinreplay.format.Errno;
import pinreplay.replay.kernel.PinCounting;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.range.Counters;

/**
 * The model's {@code mem_map}: folio state by page frame number, kept as ranges. A large folio's
 * counters are stored on every frame of the folio, so any frame answers for its folio.
 *
 * <p>refcount counts the owner's reference (page cache or the anonymous mapping: 1) plus every GUP
 * reference and pin, and for an anonymous page one more for each further mm that maps it after fork()
 * (do_wp_page() compares it with 1); file pages' PTE mapping references are not modelled, as no rule
 * here depends on them (DAX's busy test runs after unmapping every PTE). mapcount counts the mms that
 * map an anonymous page. fsdax frames idle at {@link Profile#daxIdleRefcount}.
 */
public final class MemMap {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** include/linux/huge_mm.h HPAGE_PMD_NR (x86-64): the pages of a PMD-mapped THP. */
    public static final long HPAGE_PMD_NR = 512;
    /** include/linux/mm.h GUP_PIN_COUNTING_BIAS. */
    public static final long GUP_PIN_COUNTING_BIAS = 1024;
    /** The shared zero page. */
    public static final long ZERO_PFN = 1;
    private static final long RAM_BASE = 0x100;
    /** DAX devices and BARs live far above RAM, each in its own window. */
    private static final long DEVICE_BASE = 1L << 44;
    private static final int DEVICE_WINDOW_SHIFT = 36;

    private final Profile profile;
    final Counters refcount = new Counters();
    final Counters pincount = new Counters();
    final Counters mapcount = new Counters();
    final Counters order = new Counters();
    final Counters flags = new Counters();
    final FrameOwners owner = new FrameOwners();
    private long nextPfn = RAM_BASE;
    /** The hstates whose pools get freed hugetlb folios back (free_huge_folio()), or null. */
    private Hstates hstates;
    private int devices;

    public MemMap(Profile profile) {
        this.profile = profile;
        refcount.set(ZERO_PFN, ZERO_PFN + 1, 1, 0);
        flags.set(ZERO_PFN, ZERO_PFN + 1, PageFlags.ZERO, 0);
    }

    /** Allocates {@code n} frames of folios of {@code ord}, each with refcount 1 (the owner's). */
    public long allocRam(long n, int ord, long pgFlags, long ownerId, long ownerIndex) {
        long size = 1L << ord;
        long pfn = (nextPfn + size - 1) & -size;
        nextPfn = pfn + n;
        refcount.set(pfn, pfn + n, 1, 0);
        order.set(pfn, pfn + n, ord, 0);
        flags.set(pfn, pfn + n, pgFlags, 0);
        owner.set(pfn, pfn + n, ownerId, ownerIndex);
        if ((pgFlags & PageFlags.ANON) != 0) {
            mapcount.set(pfn, pfn + n, 1, 0);
        }
        return pfn;
    }

    /** Reserves a device window (a DAX device or a BAR) and returns its first frame. */
    public long addDevice(long pgFlags, long idleRefcount) {
        long base = DEVICE_BASE + ((long) devices++ << DEVICE_WINDOW_SHIFT);
        long end = base + (1L << DEVICE_WINDOW_SHIFT);
        flags.set(base, end, pgFlags, 0);
        refcount.set(base, end, idleRefcount, 0);
        return base;
    }

    /** Frames allocated so far (RAM). */
    public long ramFrames() {
        return nextPfn - RAM_BASE;
    }

    /** Freed hugetlb folios go back to {@code pools} (free_huge_folio()). */
    public void hugetlbPools(Hstates pools) {
        hstates = pools;
    }

    public void free(long pfn, long n) {
        if (hstates != null && hstates.anyCounted() && flags.any(pfn, pfn + n, PageFlags.HUGETLB)) {
            freeHugeFolios(pfn, n);
        }
        refcount.clear(pfn, pfn + n);
        pincount.clear(pfn, pfn + n);
        mapcount.clear(pfn, pfn + n);
        order.clear(pfn, pfn + n);
        flags.clear(pfn, pfn + n);
        owner.clear(pfn, pfn + n);
    }

    /** free_huge_folio() of the hugetlb folios among {@code [pfn, pfn + n)}. */
    private void freeHugeFolios(long pfn, long n) {
        long end = pfn + n;
        for (long p = pfn; p < end; ) {
            int i = flags.indexOf(p);
            long e = Math.min(end, flags.end(i));
            if ((flags.value(i) & PageFlags.HUGETLB) != 0) {
                int ord = (int) order.valueOf(p);
                hstates.freeHugeFolios(ord, (e - p) >>> ord);
            }
            p = e;
        }
    }

    public long refcount(long pfn) {
        return refcount.valueOf(pfn);
    }

    public long pincount(long pfn) {
        return pincount.valueOf(pfn);
    }

    /** page_mapcount() of an anonymous page: the mms mapping it. */
    public long mapcount(long pfn) {
        return mapcount.valueOf(pfn);
    }

    public int order(long pfn) {
        return (int) order.valueOf(pfn);
    }

    public long flags(long pfn) {
        return flags.valueOf(pfn);
    }

    public Counters flagsMap() {
        return flags;
    }

    public FrameOwners ownerMap() {
        return owner;
    }

    public Counters refcountMap() {
        return refcount;
    }

    public boolean anyFlag(long pfn, long n, long mask) {
        return flags.any(pfn, pfn + n, mask);
    }

    public void setFlags(long pfn, long n, long bits) {
        flags.setBits(pfn, pfn + n, bits);
    }

    /**
     * set_page_dirty_lock() of a pin's page-cache frames at its release: a clean one becomes dirty without the
     * filesystem's ->page_mkwrite ({@link PageFlags#OUT_OF_BAND}); a dirty one stays as it is.
     */
    public void setPageDirtyLock(long pfn, long n) {
        long end = pfn + n;
        for (long p = pfn; p < end; ) {
            int i = flags.indexOf(p);
            long e = Math.min(end, flags.end(i));
            long f = flags.value(i);
            if ((f & PageFlags.FILE) != 0 && (f & PageFlags.DIRTY) == 0) {
                flags.setBits(p, e, PageFlags.DIRTY | ((f & PageFlags.WB_CAPABLE) != 0 ? PageFlags.OUT_OF_BAND : 0));
            }
            p = e;
        }
    }

    /** Sets DIRTY on the frames of {@code [pfn, pfn + n)} that have any of {@code mask} (folio_mark_dirty()). */
    public void markDirtyWhere(long pfn, long n, long mask) {
        long end = pfn + n;
        for (long p = pfn; p < end; ) {
            int i = flags.indexOf(p);
            long e = Math.min(end, flags.end(i));
            if ((flags.value(i) & mask) != 0) {
                flags.setBits(p, e, PageFlags.DIRTY);
            }
            p = e;
        }
    }

    /**
     * mm/gup.c try_grab_folio(): FOLL_GET adds a reference per page; FOLL_PIN adds
     * GUP_PIN_COUNTING_BIAS to a small folio, or 1 plus _pincount 1 to a large one (v5.7+); the
     * zero page takes nothing (v6.5+).
     *
     * @return 0, or -ENOMEM when a frame is not in use (refcount 0)
     */
    public int tryGrabFolio(long pfn, long n, boolean pin) {
        if (pfn == ZERO_PFN) {
            zeroPageRefs(n, pin, 1);
            return 0;
        }
        if (!anyFlag(pfn, n, PageFlags.DAX) && hasFreeFrame(pfn, n)) {
            return -Errno.ENOMEM;
        }
        addRefs(pfn, n, pin, 1);
        return 0;
    }

    /** mm/gup.c gup_put_folio(): the mirror image of {@link #tryGrabFolio}; frees RAM left unused. */
    public void gupPutFolio(long pfn, long n, boolean pin) {
        if (pfn == ZERO_PFN) {
            zeroPageRefs(n, pin, -1);
            return;
        }
        addRefs(pfn, n, pin, -1);
        freeUnused(pfn, n);
    }

    /** The zero page's references for {@code n} pages: as a small folio's, none for a pin from 6.5. */
    private void zeroPageRefs(long n, boolean pin, int sign) {
        if (!(pin && profile.zeroPagePinNoop)) {
            refcount.add(ZERO_PFN, ZERO_PFN + 1, sign * n * (pin && profile.pinCounting == PinCounting.BIAS
                    ? GUP_PIN_COUNTING_BIAS : 1));
        }
    }

    /** Drops the page cache's reference (truncate, page cache removal). */
    public void putOwnerRef(long pfn, long n) {
        refcount.add(pfn, pfn + n, -1);
        owner.clear(pfn, pfn + n);
        flags.clearBits(pfn, pfn + n, PageFlags.FILE | PageFlags.DIRTY);
        freeUnused(pfn, n);
    }

    /**
     * mm/rmap.c page_dup_anon_rmap() plus get_page() for fork()'s copy_present_pte(): one more mm maps the
     * anonymous pages of {@code [pfn, pfn + n)}, which are no longer exclusive (page_try_dup_anon_rmap(), v5.19+).
     */
    public void dupAnonRmap(long pfn, long n) {
        mapcount.add(pfn, pfn + n, 1);
        refcount.add(pfn, pfn + n, 1);
        flags.clearBits(pfn, pfn + n, PageFlags.ANON_EXCLUSIVE);
    }

    /**
     * mm/rmap.c page_remove_rmap() plus put_page() for anonymous pages (zap_pte_range(), wp_page_copy()): one
     * mm fewer maps them; pages nobody maps lose their owner and anon state, and are freed unless pinned.
     */
    public void removeAnonRmap(long pfn, long n) {
        long end = pfn + n;
        mapcount.add(pfn, end, -1);
        refcount.add(pfn, end, -1);
        for (long p = pfn; p < end; ) {
            int i = mapcount.indexOf(p);
            long e = Math.min(end, mapcount.end(i));
            if (mapcount.value(i) <= 0) {
                owner.clear(p, e);
                flags.clearBits(p, e, PageFlags.ANON | PageFlags.ANON_EXCLUSIVE | PageFlags.DIRTY);
            }
            p = e;
        }
        freeUnused(pfn, n);
    }

    /** A migrated anonymous page's mappings: {@code to}'s frames take {@code from}'s mapcount, and a reference for each. */
    public void moveAnonRmap(long from, long to, long n) {
        mapcount.copyFrom(mapcount, from, from + n, to - from);
        refcount.copyFrom(mapcount, from, from + n, to - from);
    }

    /** How many frames from {@code pfn} (at most {@code n}) share refcount, pincount, mapcount and flags. */
    public long uniformRun(long pfn, long n) {
        long e = Math.min(pfn + n, refcount.end(refcount.indexOf(pfn)));
        e = Math.min(e, pincount.end(pincount.indexOf(pfn)));
        e = Math.min(e, mapcount.end(mapcount.indexOf(pfn)));
        e = Math.min(e, flags.end(flags.indexOf(pfn)));
        return e - pfn;
    }

    /**
     * include/linux/mm.h folio_maybe_dma_pinned(): large folio, _pincount > 0; small folio, refcount
     * at least GUP_PIN_COUNTING_BIAS (false positives possible, false negatives not).
     */
    public boolean maybeDmaPinned(long pfn, long n) {
        return dmaPinnedFrames(pfn, n) > 0;
    }

    /** How many frames of {@code [pfn, pfn + n)} {@link #maybeDmaPinned} reports, counted by runs (the shell's watchpoints). */
    public long dmaPinnedFrames(long pfn, long n) {
        long count = 0;
        for (int i = order.indexOf(pfn); i < order.size() && order.start(i) < pfn + n; i++) {
            long s = Math.max(pfn, order.start(i));
            long e = Math.min(pfn + n, order.end(i));
            Counters m = order.value(i) > 0 ? pincount : refcount;
            long threshold = order.value(i) > 0 ? 1 : GUP_PIN_COUNTING_BIAS;
            for (int j = m.indexOf(s); j < m.size() && m.start(j) < e; j++) {
                if (m.value(j) >= threshold) {
                    count += Math.min(e, m.end(j)) - Math.max(s, m.start(j));
                }
            }
        }
        return count;
    }

    /** Whether any frame holds more than {@code idle} references (dax_layout_busy_page()). */
    public boolean busy(long pfn, long n, long idle) {
        return refcount.max(pfn, pfn + n) > idle;
    }

    /**
     * Whether a frame of {@code [pfn, pfn + n)} holds references beyond its owners' (an anonymous page's mappings, one
     * per mm; a page-cache page's cache): what migrate_pages() finds once try_to_migrate() unmapped every mapping.
     */
    public boolean hasExtraRefs(long pfn, long n) {
        for (long p = pfn; p < pfn + n; ) {
            long e = p + uniformRun(p, pfn + n - p);
            long owners = (flags(p) & PageFlags.ANON) != 0 ? Math.max(1, mapcount(p)) : 1;
            if (refcount(p) > owners) {
                return true;
            }
            p = e;
        }
        return false;
    }

    /** Whether a frame of {@code [pfn, pfn + n)} is free (refcount 0). */
    public boolean hasFreeFrame(long pfn, long n) {
        for (int i = refcount.indexOf(pfn); i < refcount.size() && refcount.start(i) < pfn + n; i++) {
            if (refcount.value(i) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code sign} references for {@code n} pages, per folio (a large folio counts on all its frames). */
    private void addRefs(long pfn, long n, boolean pin, int sign) {
        boolean bias = pin && profile.pinCounting == PinCounting.BIAS;
        long end = pfn + n;
        long p = pfn;
        while (p < end) {
            int i = order.indexOf(p);
            long segEnd = Math.min(end, order.end(i));
            int o = (int) order.value(i);
            if (o == 0) {
                refcount.add(p, segEnd, sign * (bias ? GUP_PIN_COUNTING_BIAS : 1));
                p = segEnd;
                continue;
            }
            long size = 1L << o;
            long f0 = p & -size;
            long covered;
            long from;
            long to;
            if (f0 != p || segEnd - p < size) {
                from = f0;
                to = f0 + size;
                covered = Math.min(to, segEnd) - p;
                p = Math.min(to, segEnd);
            } else {
                long full = (segEnd - p) & -size;
                from = p;
                to = p + full;
                covered = size;
                p = to;
            }
            refcount.add(from, to, sign * covered);
            if (bias) {
                pincount.add(from, to, sign * covered);
            }
        }
    }

    private void freeUnused(long pfn, long n) {
        long end = pfn + n;
        for (long p = pfn; p < end; ) {
            int i = refcount.indexOf(p);
            long e = Math.min(end, refcount.end(i));
            if (refcount.value(i) <= 0 && !flags.any(p, e, PageFlags.DAX | PageFlags.ZERO | PageFlags.BAR)) {
                free(p, e - p);
            }
            p = e;
        }
    }

    /** include/linux/mm.h PAGE_ALIGN(): {@code len} rounded up to whole pages. */
    public static long pageAlign(long len) {
        return (len + PAGE_SIZE - 1) & -PAGE_SIZE;
    }
}
