package pinreplay.replay.mm;

import java.util.ArrayList;
import java.util.List;

import pinreplay.replay.range.Counters;


/**
 * An {@code mm_struct}: the VMAs (sorted, non-overlapping), the page table (virtual page to frame
 * with PTE bits, as ranges) and the pinning counters.
 */
public final class Mm {
    /** x86-64 TASK_SIZE with 4-level paging (arch/x86/include/asm/page_64_types.h): user addresses end here. */
    public static final long TASK_SIZE = (1L << 47) - MemMap.PAGE_SIZE;
    public final long id;
    public final List<VmArea> vmas = new ArrayList<>();
    public final PageTable pageTable = new PageTable();
    /** Pages charged to RLIMIT_MEMLOCK by vfio and VM_LOCKED VMAs ({@code mm->locked_vm}) that the model knows of. */
    public long lockedVm;
    /** Pages charged by RDMA and io_uring ({@code mm->pinned_vm}) that the model knows of. */
    public long pinnedVm;
    /**
     * Whether {@link #lockedVm} and {@link #pinnedVm} are all of it: an mm an execve() or fork() of the recording made
     * starts at 0, one a memlock line described at what it said; an older one held charges nobody saw, and mlock()
     * (whose mlock_fixup() accounting is not modelled, unlike MAP_LOCKED's) makes locked_vm unknown.
     */
    public boolean lockedVmKnown, pinnedVmKnown;
    /** mlockall(MCL_FUTURE): mm->def_flags' VM_LOCKED, which every later mapping gets (and populated unless on fault). */
    public boolean lockFuture, lockFutureOnFault;
    /**
     * Whether {@link #lockFuture} is what the kernel had: an mm a fork() or execve() of the recording made starts
     * without it (mm_init() keeps only VM_NOHUGEPAGE of def_flags), an mlockall() or munlockall() sets it; an older mm
     * may have had mlockall(MCL_FUTURE) before the recording.
     */
    public boolean defFlagsKnown;
    /**
     * Pages of {@link #lockedVm} and {@link #pinnedVm} a memlock line declared: charges made before the recording
     * (mlock()ed VMAs, vfio maps, MRs) that an munmap(), unmap or deregistration may give back unseen, so a refusal
     * they alone cause is not certain.
     */
    public long lockedVmPrior, pinnedVmPrior;
    /** MMF_HAS_PINNED. */
    public boolean hasPinned;
    /**
     * Virtual pages an munmap() of the recording left unmapped, until mapped again: memory the recording shows absent,
     * which no recorded result may be taken to have found mapped before the recording.
     */
    public final Counters unmappedPages = new Counters();

    public Mm(long id) {
        this.id = id;
    }

    /** Whether nothing maps {@code addr} because the recording unmapped it (not because it never described it). */
    public boolean shownUnmapped(long addr) {
        return vmaLookup(addr) == null && unmappedPages.valueOf(addr >>> MemMap.PAGE_SHIFT) != 0;
    }

    /** Whether the recording unmapped a page of {@code [from, to)} that nothing maps again. */
    public boolean shownUnmappedIn(long from, long to) {
        long first = from >>> MemMap.PAGE_SHIFT, last = (to - 1) >>> MemMap.PAGE_SHIFT;
        for (int i = unmappedPages.indexOf(first); i < unmappedPages.size() && unmappedPages.start(i) <= last; i++) {
            if (unmappedPages.value(i) != 0) {
                return true; // a mapping there cleared its pages: none of these is mapped
            }
        }
        return false;
    }

    /** The first address of {@code [from, to)} in a page the recording unmapped (as {@link #shownUnmappedIn}), or {@code to}. */
    public long firstShownUnmapped(long from, long to) {
        long first = from >>> MemMap.PAGE_SHIFT, last = (to - 1) >>> MemMap.PAGE_SHIFT;
        for (int i = unmappedPages.indexOf(first); i < unmappedPages.size() && unmappedPages.start(i) <= last; i++) {
            if (unmappedPages.value(i) != 0) {
                return Math.max(from, unmappedPages.start(i) << MemMap.PAGE_SHIFT);
            }
        }
        return to;
    }

    /** The end of the run of pages the recording unmapped that holds {@code from}, at most {@code to} ({@code from}: none). */
    public long endShownUnmapped(long from, long to) {
        long k = from >>> MemMap.PAGE_SHIFT;
        for (int i = unmappedPages.indexOf(k); i < unmappedPages.size() && unmappedPages.value(i) != 0; i++) {
            k = unmappedPages.end(i);
        }
        return Math.max(from, Math.min(to, k == Long.MAX_VALUE ? to : k << MemMap.PAGE_SHIFT));
    }

    /** vma_lookup(): the VMA containing {@code addr}, or null. */
    public VmArea vmaLookup(long addr) {
        int i = indexAfter(addr);
        if (i < vmas.size()) {
            VmArea v = vmas.get(i);
            if (v.start <= addr) {
                return v;
            }
        }
        return null;
    }

    /** Index of the first VMA ending above {@code addr} (find_vma()), or {@code vmas.size()}. */
    public int indexAfter(long addr) {
        int lo = 0;
        int hi = vmas.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (vmas.get(mid).end <= addr) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Makes {@code addr} a VMA boundary (split_vma()); returns the new upper part or null. */
    public VmArea splitAt(long addr) {
        VmArea v = vmaLookup(addr);
        if (v == null || v.start == addr) {
            return null;
        }
        pageTable.splitHugePmd(addr >>> MemMap.PAGE_SHIFT); // __split_vma() -> vma_adjust_trans_huge()
        VmArea upper = v.copy(this, addr, v.end);
        v.end = addr;
        vmas.add(indexAfter(addr), upper);
        if (v.file != null) {
            v.file.mappings.add(upper);
        }
        return upper;
    }

    public void insert(VmArea v) {
        vmas.add(indexAfter(v.start), v);
        if (v.file != null) {
            v.file.mappings.add(v);
        }
    }

    public void remove(VmArea v) {
        vmas.remove(v);
        if (v.file != null) {
            v.file.mappings.remove(v);
        }
    }
}
