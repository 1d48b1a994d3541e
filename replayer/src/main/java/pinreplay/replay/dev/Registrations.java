package pinreplay.replay.dev;

import java.util.ArrayList;
import java.util.List;

import pinreplay.replay.EventContext;
import pinreplay.replay.fs.FilePins;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.outcome.ViolationKind;
import pinreplay.replay.range.LongObjectMap;

/**
 * Live registrations by handle, in the order they were made (so scans and reports are stable).
 *
 * <p>A handle is the user's name for what it registered, not a kernel object: registering twice under one
 * live handle leaves both registrations live, as the kernel does (two pin_user_pages() calls pin twice, two
 * MRs coexist, vfio keeps both DMA mappings in its iova tree). The handle then names the newest; releasing
 * it uncovers the older one, so two pins and two unpins balance. Users whose kernel object is unique refuse
 * the second registration themselves (io_uring: -EBUSY).
 */
public final class Registrations {
    private final EventContext ctx;
    private final FilePins filePins;
    private final Unpin unpin;
    /** The newest registration under each handle: live ones are chained to older live ones by {@code older}. */
    private final LongObjectMap<Registration> byHandle = new LongObjectMap<>();
    private final List<Registration> live = new ArrayList<>();
    /**
     * Per handle, registering calls that failed in this replay and that no release answered yet, by {@link #slot}:
     * the trace, recorded where they succeeded, releases them too.
     */
    private final LongObjectMap<int[]> refusals = new LongObjectMap<>();
    /** Told of each release, as wake_up_var() reaches the sleepers (set once, when the kernel is wired). */
    private PinWaiters waiters;
    /** Registrations made so far: a new one can only add pinned files (see {@link pinreplay.replay.fs.FilePins}). */
    public long added;

    public Registrations(EventContext ctx, FilePins filePins, Unpin unpin) {
        this.ctx = ctx;
        this.filePins = filePins;
        this.unpin = unpin;
    }

    /** The sleepers every release wakes (truncate's break-layouts waiters). */
    public void wakeUp(PinWaiters w) {
        waiters = w;
    }

    /**
     * What {@code handle} names: its newest live registration, else the last one released (so a release too
     * many can say when), or null.
     */
    public Registration get(int handle) {
        return handle == 0 ? null : byHandle.get(handle);
    }

    /** The newest live registration of {@code kind} under {@code handle}, or null. */
    public Registration live(int handle, Registration.Kind kind) {
        for (Registration r = get(handle); r != null && !r.released; r = r.older) {
            if (r.kind == kind) {
                return r;
            }
        }
        return null;
    }

    /** The newest live GUP registration under {@code handle} taken with FOLL_PIN ({@code pin}) or FOLL_GET, or null. */
    public Registration livePin(int handle, boolean pin) {
        for (Registration r = get(handle); r != null && !r.released; r = r.older) {
            if (r.kind == Registration.Kind.GUP && r.pin == pin) {
                return r;
            }
        }
        return null;
    }

    public Registration add(Registration r) {
        if (r.handle != 0) {
            Registration newest = byHandle.get(r.handle);
            if (newest != null && !newest.released) {
                r.older = newest;
                newest.newer = r;
            }
            byHandle.put(r.handle, r);
        }
        live.add(r);
        added++;
        return r;
    }

    /**
     * A registering call of {@code kind} (FOLL_PIN or not: {@code pin}) under {@code handle} failed. Unless a live
     * registration holds the handle, it now names nothing, as for the caller that checked the error; and one
     * release of that kind under it is the recorded caller's cleanup (see {@link #answersRefusal}).
     */
    public void refused(int handle, Registration.Kind kind, boolean pin) {
        if (handle == 0) {
            return;
        }
        Registration r = get(handle);
        if (r == null || r.released) {
            byHandle.remove(handle);
        }
        refusals.computeIfAbsent(handle, h -> new int[Registration.Kind.values().length + 1])[slot(kind, pin)]++;
    }

    /**
     * Whether a release of {@code kind} under {@code handle}, which found nothing live to release, answers a
     * registering call that failed in this replay (and succeeded where the trace was recorded): if so it is
     * counted as answered, and there is nothing to release and no violation.
     */
    public boolean answersRefusal(int handle, Registration.Kind kind, boolean pin) {
        int[] n = handle == 0 ? null : refusals.get(handle);
        if (n == null || n[slot(kind, pin)] == 0) {
            return false;
        }
        n[slot(kind, pin)]--;
        return true;
    }

    /** Whether a failed registering call of {@code kind} under {@code handle} awaits its release. */
    public boolean refusalPending(int handle, Registration.Kind kind, boolean pin) {
        int[] n = handle == 0 ? null : refusals.get(handle);
        return n != null && n[slot(kind, pin)] > 0;
    }

    /** GUP pins and GUP references are released by different verbs: each has its own count. */
    private static int slot(Registration.Kind kind, boolean pin) {
        return kind == Registration.Kind.GUP && pin ? Registration.Kind.values().length : kind.ordinal();
    }

    public List<Registration> live() {
        return live;
    }

    /**
     * Releases {@code r} as it was taken: unpin (or put_page) every run, dirtying page-cache folios when asked; undoes
     * the memlock charge; then wakes whatever waits for pins to drop.
     */
    public void release(Registration r, boolean dirty) {
        release(r, r.pin, dirty);
    }

    /** Releases with put_page() ({@code pin} false) or unpin semantics, whatever {@code r} took. */
    public void release(Registration r, boolean pin, boolean dirty) {
        release(r, pin, dirty, true);
    }

    /**
     * Releases {@code r}; {@code wakes}: its puts reach wake_up_var() for a DAX page going idle (put_page() and
     * unpin_user_pages() do; 6.1.y's O_DIRECT completion does not).
     */
    public void release(Registration r, boolean pin, boolean dirty, boolean wakes) {
        waiters.releasing(r);
        unpin.release(r.extents, 0, pin, dirty);
        if (r.kind == Registration.Kind.VFIO) {
            r.mm.lockedVm -= r.accounted;
        } else {
            r.mm.pinnedVm -= r.accounted;
        }
        if (r.user != null) {
            r.user.lockedVm -= r.accounted; // io_unaccount_mem()
        }
        r.accounted = 0;
        r.released = true;
        r.releasedLine = ctx.line;
        unlink(r);
        live.remove(r);
        if (!r.noFileFrames) {
            // releasing pins known to hold no file frame cannot change which files have pinned pages
            filePins.changed();
        }
        waiters.onPinsDropped(r.name, wakes);
    }

    /** Takes a released {@code r} out of its handle's chain; the handle names the next older live one, if any. */
    private void unlink(Registration r) {
        if (r.newer != null) {
            r.newer.older = r.older;
        }
        if (r.older != null) {
            r.older.newer = r.newer;
            if (r.handle != 0 && byHandle.get(r.handle) == r) {
                byHandle.put(r.handle, r.older);
            }
        }
        r.older = null;
        r.newer = null;
    }

    /** The first live registration holding a frame of {@code [pfn, pfn + n)}, or null. */
    public String holderOf(long pfn, long n) {
        for (Registration r : live) {
            Extents x = r.extents;
            for (int i = 0; i < x.size(); i++) {
                if (x.pfn(i) < pfn + n && pfn < x.pfn(i) + x.len(i) && (x.kind(i) & PageFlags.ZERO) == 0) {
                    return r.name;
                }
            }
        }
        return null;
    }

    /**
     * A live registration of {@code mm} whose device reaches the zero page where {@code [vpn, vpn + n)} was mapped (a
     * read-only pin of memory nobody had touched, before 6.2 made such pins unshare), or null. Not an O_DIRECT
     * write's request: its device reads the buffer as it was when the write was issued, which is the write's data.
     */
    public Registration zeroPageHolderAt(Mm mm, long vpn, long n) {
        for (Registration r : live) {
            if (r.mm != mm || r.kind == Registration.Kind.DIO && !r.dioRead) {
                continue;
            }
            long first = r.vaddr >>> MemMap.PAGE_SHIFT;
            Extents x = r.extents;
            for (int i = 0; i < x.size(); i++) {
                long at = first + x.off(i);
                if ((x.kind(i) & PageFlags.ZERO) != 0 && at < vpn + n && vpn < at + x.len(i)) {
                    return r;
                }
            }
        }
        return null;
    }

    /**
     * The name of a live registration of {@code mm} holding references, not pins, on a frame of {@code [pfn, pfn + n)}
     * that its device writes (an O_DIRECT read through 6.1, FOLL_GET), or null. folio_maybe_dma_pinned() cannot see it.
     */
    public String referenceWriterOf(Mm mm, long pfn, long n) {
        for (Registration r : live) {
            if (r.pin || !r.write || r.mm != mm) {
                continue;
            }
            Extents x = r.extents;
            for (int i = 0; i < x.size(); i++) {
                if (x.pfn(i) < pfn + n && pfn < x.pfn(i) + x.len(i) && (x.kind(i) & PageFlags.ZERO) == 0) {
                    return r.name;
                }
            }
        }
        return null;
    }

    /**
     * do_exit() -> exit_files() of the last task of {@code mm}: the process's files close, and with a ring's, an
     * RDMA context's, a vfio container's or a udmabuf dma-buf's last reference go the pins and charges they hold
     * (io_ring_exit_work(), ib_uverbs_release_file() -> ib_umem_release(), vfio_iommu_type1_release(),
     * release_udmabuf()). A file a forked child still holds open, or another process was sent, would keep them: not
     * modelled.
     */
    public void exitFiles(Mm mm) {
        for (Registration r : new ArrayList<>(live)) {
            if (r.filesOf == mm && (r.kind == Registration.Kind.IO_URING || r.kind == Registration.Kind.RDMA
                    || r.kind == Registration.Kind.VFIO || r.kind == Registration.Kind.UDMABUF)) {
                release(r, r.kind == Registration.Kind.RDMA && r.write);
            }
        }
    }

    /**
     * execve() closes the close-on-exec files: io_uring_setup() makes every ring O_CLOEXEC, so the buffers the old
     * image registered go with it (io_ring_exit_work()), charges too. RDMA and vfio files are close-on-exec only if
     * the program opened them so: kept, with the new image ({@code fresh}), whose exit releases them.
     */
    public void closeOnExec(Mm mm, Mm fresh) {
        for (Registration r : new ArrayList<>(live)) {
            if (r.filesOf == mm && r.kind == Registration.Kind.IO_URING) {
                release(r, false);
            } else if (r.filesOf == mm) {
                r.filesOf = fresh; // its file stays open in the new image: its exit releases it
            }
        }
    }

    /** Records {@code why} on each live registration holding DAX frames in {@code [pfn, pfn + n)} (the first reason). */
    public void noteBlocksFreed(long pfn, long n, String why) {
        for (Registration r : live) {
            Extents x = r.extents;
            for (int i = 0; i < x.size() && r.blocksFreedBy == null; i++) {
                if ((x.kind(i) & PageFlags.DAX) != 0 && x.pfn(i) < pfn + n && pfn < x.pfn(i) + x.len(i)) {
                    r.blocksFreedBy = why;
                }
            }
        }
    }

    /**
     * The fs-DAX blocks at frames {@code [pfn, pfn + n)} were freed: what a live registration pinned there is no longer
     * the file's, even when a later allocation gives the same file page the same block again.
     */
    public void daxBlocksFreed(long pfn, long n) {
        for (Registration r : live) {
            r.extents.markBlocksFreed(pfn, n);
        }
    }

    /** Names of the live registrations holding DAX frames in {@code [pfn, pfn + n)}. */
    public List<String> holdersOfFrames(long pfn, long n) {
        List<String> out = new ArrayList<>();
        for (Registration r : live) {
            Extents x = r.extents;
            for (int i = 0; i < x.size(); i++) {
                if ((x.kind(i) & PageFlags.DAX) != 0 && x.pfn(i) < pfn + n && pfn < x.pfn(i) + x.len(i)) {
                    out.add(r.name);
                    break;
                }
            }
        }
        return out;
    }

    /** Before a VMA goes away: a PFNMAP BAR vfio still maps in an IOMMU outlives its user mapping (seed 003). */
    public void beforeUnmap(VmArea v) {
        if (!v.isPfnmap()) {
            return;
        }
        for (Registration r : live) {
            if (r.kind != Registration.Kind.VFIO || r.mm != v.mm) {
                continue;
            }
            Extents x = r.extents;
            long first = v.barPfn + v.pgoff; // the BAR frames the VMA maps, wherever mremap() moved it
            long n = v.endVpn() - v.startVpn();
            for (int i = 0; i < x.size(); i++) {
                if ((x.kind(i) & PageFlags.BAR) != 0 && x.pfn(i) < first + n && first < x.pfn(i) + x.len(i)) {
                    ctx.violation(ViolationKind.IOMMU_OUTLIVES_MAPPING, r.name, "the BAR mapping 0x"
                            + Long.toHexString(v.start) + "-0x" + Long.toHexString(v.end) + " was unmapped while "
                            + r.name + " still maps iova 0x" + Long.toHexString(r.iova + (x.off(i) << MemMap.PAGE_SHIFT))
                            + " to it: the PFNMAP path holds no reference, so the device keeps reaching the BAR");
                    break;
                }
            }
        }
    }
}
