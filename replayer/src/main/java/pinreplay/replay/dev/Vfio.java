package pinreplay.replay.dev;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeMap;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.cred.Creds;
import pinreplay.replay.cred.Memlock;
import pinreplay.replay.cred.TaskCreds;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.kernel.VfioPfnmap;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.PageTable;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.outcome.ViolationKind;
import pinreplay.replay.range.LongObjectMap;

/**
 * vfio type1 (drivers/vfio/vfio_iommu_type1.c): VFIO_IOMMU_MAP_DMA pins the range with
 * vfio_pin_pages_remote() / vaddr_get_pfn(s)() in the release's way, charges RLIMIT_MEMLOCK and maps the
 * IOMMU; PFNMAP ranges (device BARs) are translated, not pinned. One container per mm, holding its
 * {@code vfio_dma} mappings in an iova-ordered tree ({@code vfio_iommu->dma_list}): the handle of a map is only
 * the user's name for it, so two maps under one handle coexist and an unmap removes what its iova range covers.
 */
public final class Vfio extends Pinner {
    private static final int MAX_RETRIES = 64;

    private final FaultHandler faultHandler;
    private final AddressSpace addressSpace;
    private final TaskCreds creds;
    private final Memlock memlock;
    /** The handle of the map in progress, for violations found while translating. */
    private String mapping;
    /** {@code vfio_iommu->dma_list} per mm: live maps by iova (unsigned, as the u64 it is). */
    private final LongObjectMap<TreeMap<Long, Registration>> containers = new LongObjectMap<>();
    /** The maps {@link #dmaMapRecorded} made: a program's vfio_dma_map marker of the same map replaces one. */
    private final Set<Registration> recorded = Collections.newSetFromMap(new IdentityHashMap<>());

    public Vfio(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            FaultHandler faultHandler, AddressSpace addressSpace, Gup gup, TaskCreds creds, Memlock memlock) {
        super(profile, ctx, faults, unpin, registrations, gup);
        this.creds = creds;
        this.memlock = memlock;
        this.faultHandler = faultHandler;
        this.addressSpace = addressSpace;
    }

    /** VFIO_DMA_MAP_FLAG_READ, VFIO_DMA_MAP_FLAG_WRITE (include/uapi/linux/vfio.h): a map's {@code prot}. */
    public static final int DMA_READ = 1, DMA_WRITE = 2;
    /** dma_entry_limit's default (U16_MAX): the maps one container holds at most (iommu->dma_avail, 5.8+). */
    private static final int DMA_ENTRY_LIMIT = 65535;

    /** VFIO_IOMMU_MAP_DMA of {@code prot} ({@link #DMA_READ}, {@link #DMA_WRITE}): 0, or -EINVAL, -EEXIST, -EFAULT, -ENOMEM... */
    public long dmaMap(Mm mm, int handle, long vaddr, long iova, long size, int prot) {
        ctx.cost(CostModel.CALL_NS);
        boolean write = (prot & DMA_WRITE) != 0;
        TreeMap<Long, Registration> dmaList = container(mm);
        adoptRecorded(dmaList, vaddr, iova, size);
        // vfio_dma_do_map()'s checks, 5.10-7.2; a recorded -EEXIST no known map gives is one made before the recording
        long r = dmaMapRefused(mm, vaddr, iova, size, prot);
        if (r != 0) {
            return r;
        }
        long n = size >>> MemMap.PAGE_SHIFT;
        batch.clear();
        mapping = name(handle);
        long done = 0;
        while (done < n) {
            r = vaddrGetPfns(mm, vaddr + (done << MemMap.PAGE_SHIFT), n - done, write, done);
            if (r <= 0) {
                // vfio_pin_pages_remote() (5.10-7.2): each pinned page meets "locked_vm + lock_acct + 1 > limit" before
                // the GUP of the pages after it, so the limit refuses the map before a later page's fault does;
                // vfio_remove_dma() then unaccounts what the map's earlier runs charged
                long charged = batch.pages(0) - reservedPages();
                long limit = lockAcct(mm, charged);
                if (limit == 0) {
                    mm.lockedVm -= charged;
                }
                unpin.release(batch, 0, pinKind(), false);
                return limit < 0 ? limit : r == 0 ? -Errno.EFAULT : r;
            }
            done += r;
        }
        long charge = batch.pages(0) - reservedPages();
        if (lockAcct(mm, charge) < 0) {
            unpin.release(batch, 0, pinKind(), false);
            return -Errno.ENOMEM;
        }
        ctx.cost(CostModel.IOMMU_PAGE_NS * n);
        dmaList.put(iova, register(Registration.Kind.VFIO, handle, mm, pinKind(), write, vaddr, iova, size, charge));
        return 0;
    }

    /**
     * VFIO_IOMMU_MAP_DMA as a raw recording shows it: vfio_iommu_type1_ioctl()'s kprobe with the user's struct, the
     * GUP calls of vaddr_get_pfn(s)() inside, the ioctl's return. vfio_dma_do_map()'s checks, then {@code failed}
     * (the first pin that failed in the model, else 0), then vfio_lock_acct()'s charge of the map's pages that are
     * not the zero page (a reserved pfn: is_invalid_reserved_pfn()). The pins are the recording's own, released by
     * its unpins inside VFIO_IOMMU_UNMAP_DMA: the map joins dma_list holding only its charge and the zero pages the
     * IOMMU maps (reserved: never unpinned by it). {@code
     * zeroReserved} false: the pages the model has as the zero page were not (see Registration#zeroUnconfirmed).
     */
    public long dmaMapRecorded(Mm mm, long vaddr, long iova, long size, int prot, long failed,
            boolean zeroReserved) {
        ctx.cost(CostModel.CALL_NS);
        boolean write = (prot & DMA_WRITE) != 0;
        long r = dmaMapRefused(mm, vaddr, iova, size, prot);
        if (r != 0 || failed < 0) {
            return r != 0 ? r : failed;
        }
        TreeMap<Long, Registration> dmaList = container(mm);
        long n = size >>> MemMap.PAGE_SHIFT;
        batch.clear();
        long charge = zeroReserved ? n - zeroPages(mm, vaddr, n) : n;
        if (lockAcct(mm, charge) < 0) {
            return -Errno.ENOMEM;
        }
        Registration d = register(Registration.Kind.VFIO, 0, mm, pinKind(), write, vaddr, iova, size, charge);
        dmaList.put(iova, d);
        recorded.add(d);
        return 0;
    }

    /**
     * A vfio_dma_map marker written after the ioctl a raw recording showed ({@link #dmaMapRecorded}) is that map:
     * the recorded one leaves dma_list, so the marker's map, pinned and charged as markers are, takes its place.
     */
    private void adoptRecorded(TreeMap<Long, Registration> dmaList, long vaddr, long iova, long size) {
        Registration d = dmaList.get(iova);
        if (d != null && d.vaddr == vaddr && d.bytes == size && recorded.remove(d)) {
            dmaList.remove(iova);
            registrations.release(d, false);
        }
    }

    /**
     * A map the kernel made that the model does not judge (one whose pins met a BAR, which vaddr_get_pfn() translates
     * and no GUP call shows): it joins dma_list as it is, charging nothing (a BAR's pfns are reserved), so that the
     * unmaps that cover it and the maps that overlap it are judged as the kernel's container has them.
     */
    public void dmaMapUnjudged(Mm mm, long vaddr, long iova, long size, boolean write) {
        TreeMap<Long, Registration> dmaList = container(mm);
        if (size == 0 || findDma(dmaList, iova, size) != null) {
            return;
        }
        batch.clear();
        Registration d = register(Registration.Kind.VFIO, 0, mm, pinKind(), write, vaddr, iova, size, 0);
        dmaList.put(iova, d);
        recorded.add(d);
    }

    /**
     * A recorded map's refusal before any pin ({@link #dmaMapChecks}), or a recorded -EEXIST that only a map made
     * before the recording explains ({@link #unseenMaps}); else 0.
     */
    public long dmaMapRefused(Mm mm, long vaddr, long iova, long size, int prot) {
        long r = dmaMapChecks(container(mm), vaddr, iova, size, prot);
        return r == 0 && unseenMaps(mm, -Errno.EEXIST) ? -Errno.EEXIST : r;
    }

    /**
     * vfio_dma_do_map()'s checks before any pin (5.10-7.2): size 0, a range that wraps ("Don't allow IOVA or virtual
     * address wrap", -EOVERFLOW first from 6.18), neither READ nor WRITE, page alignment: -EINVAL; vfio_find_dma() finds
     * an overlap: -EEXIST; iommu->dma_avail is 0: -ENOSPC. 0 when the map may pin.
     */
    private long dmaMapChecks(TreeMap<Long, Registration> dmaList, long vaddr, long iova, long size, int prot) {
        boolean wraps = wraps(iova, size) || wraps(vaddr, size);
        if (size != 0 && wraps && profile.vfioDmaOverflow) {
            return -Errno.EOVERFLOW;
        }
        if (size == 0 || wraps || (prot & (DMA_READ | DMA_WRITE)) == 0
                || ((size | iova | vaddr) & (MemMap.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (findDma(dmaList, iova, size) != null) {
            return -Errno.EEXIST;
        }
        return dmaList.size() >= DMA_ENTRY_LIMIT ? -Errno.ENOSPC : 0;
    }

    /**
     * vfio_pin_pages_remote(), vfio_lock_acct(): pages that are not reserved pfns (a BAR's, the zero page) count
     * against RLIMIT_MEMLOCK unless dma->lock_cap, capable(CAP_IPC_LOCK) at MAP_DMA time (vfio_dma_do_map()); 0 (the
     * pages charged to locked_vm) or -ENOMEM.
     */
    private long lockAcct(Mm mm, long charge) {
        if (charge <= 0) {
            return 0;
        }
        boolean injected = faults.accountLockedVmFails(mm, charge, "vfio_lock_acct");
        if (injected) {
            ctx.injection("vfio_lock_acct", "-ENOMEM");
        }
        Creds task = creds.of(ctx.pid);
        return injected ? -Errno.ENOMEM : memlock.accountLockedVm(mm, charge, task, TaskCreds.capable(task));
    }

    /**
     * Pages of {@code [vaddr, vaddr + n pages)} that map the zero page now, added to {@link #batch} as reserved: the
     * IOMMU maps them (the device reads zeros there) though vaddr_get_pfns() dropped their pins (6.0, 5.10.146+) or
     * put_pfn() never will.
     */
    private long zeroPages(Mm mm, long vaddr, long n) {
        PageTable pt = mm.pageTable;
        long zero = 0;
        long first = vaddr >>> MemMap.PAGE_SHIFT;
        for (long vpn = first; vpn < first + n; ) {
            int i = pt.indexOf(vpn);
            long to = Math.min(first + n, pt.end(i));
            if ((pt.pte(i) & Pte.ZERO) != 0) {
                batch.add(vpn - first, MemMap.ZERO_PFN, to - vpn, PageFlags.ZERO | PageFlags.RESERVED, 0, 0);
                zero += to - vpn;
            }
            vpn = to;
        }
        return zero;
    }

    /**
     * VFIO_IOMMU_UNMAP_DMA, vfio_dma_do_unmap() of a type1v2 container: removes every map inside
     * {@code [iova, iova + size)}, unpinning and dirtying what the device could write (put_pfn()); -EINVAL when
     * the range bisects a map; 0 when it covers none. The container is the one the handle's live map is in, else
     * the caller's.
     */
    public long dmaUnmap(Mm mm, int handle, long iova, long size) {
        ctx.cost(CostModel.CALL_NS);
        if (size == 0 || ((size | iova) & (MemMap.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (wraps(iova, size)) {
            return profile.vfioDmaOverflow ? -Errno.EOVERFLOW : -Errno.EINVAL;
        }
        Registration named = registrations.live(handle, Registration.Kind.VFIO);
        Mm owner = named != null ? named.filesOf : mm;
        TreeMap<Long, Registration> dmaList = containers.get(owner.id);
        if (dmaList == null || findDma(dmaList, iova, size) == null) {
            return unseenMaps(mm, -Errno.EINVAL) ? -Errno.EINVAL : 0;
        }
        // "Unmap requests must fully cover previous mappings ... there must not be any previous mappings bisected"
        Registration first = findDma(dmaList, iova, 1);
        Registration last = findDma(dmaList, iova + size - 1, 1);
        if (first != null && first.iova != iova || last != null && last.iova + last.bytes != iova + size) {
            return -Errno.EINVAL;
        }
        if (owner != mm && profile.vfioUnmapSameMm) {
            return 0; // vfio_dma_do_unmap() until 6.0: "if (dma->task->mm != current->mm) break;"
        }
        for (Registration d; (d = findDma(dmaList, iova, size)) != null; ) {
            dmaList.remove(d.iova);
            recorded.remove(d);
            registrations.release(d, d.write);
        }
        return 0;
    }

    /**
     * Whether the recorded result {@code r}, which the maps the model knows do not give, is explained by a map the
     * recording never showed: the container of an mm older than the recording ({@code mm->locked_vm} unknown) may hold
     * maps made before it. Says so when it is.
     */
    private boolean unseenMaps(Mm mm, long r) {
        if (mm.lockedVmKnown || !ctx.observedIs(r)) {
            return false;
        }
        ctx.assume("a map of the container made before the recording (" + (r == -Errno.EEXIST ? "overlapped"
                : "bisected") + ")");
        return true;
    }

    /**
     * execve(): the container's fd is not close-on-exec (vfio opens it as the program asks), so its maps, pinned and
     * charged to the old mm (dma->mm), stay in the container the new image goes on using.
     */
    public void exec(Mm old, Mm fresh) {
        TreeMap<Long, Registration> dmaList = containers.get(old.id);
        if (dmaList != null) {
            containers.remove(old.id);
            containers.put(fresh.id, dmaList);
        }
    }

    /** fork(): the child's fd table refers to the parent's container (dup_fd()), whose dma_list its maps join. */
    public void fork(Mm parent, Mm child) {
        TreeMap<Long, Registration> dmaList = containers.get(parent.id);
        if (dmaList != null) {
            containers.put(child.id, dmaList);
        }
    }

    /** VFIO_IOMMU_UNMAP_DMA with VFIO_DMA_UNMAP_FLAG_ALL (vfio_dma_do_unmap(), 5.12): every map of the container goes. */
    public void dmaUnmapAll(Mm mm) {
        TreeMap<Long, Registration> dmaList = containers.get(mm.id);
        while (dmaList != null && !dmaList.isEmpty()) {
            Registration d = dmaList.pollFirstEntry().getValue();
            recorded.remove(d);
            registrations.release(d, d.write);
        }
    }

    /** Whether {@code mm}'s container holds a map the model knows in {@code [iova, iova + size)}. */
    public boolean covers(Mm mm, long iova, long size) {
        TreeMap<Long, Registration> dmaList = containers.get(mm.id);
        return dmaList != null && size != 0 && findDma(dmaList, iova, size) != null;
    }

    /** The live map of {@code mm}'s container that holds {@code iova}, or null (the IOMMU faults there). */
    public Registration dmaAt(Mm mm, long iova) {
        TreeMap<Long, Registration> dmaList = containers.get(mm.id);
        return dmaList == null ? null : findDma(dmaList, iova, 1);
    }

    /** vfio_find_dma(): a map overlapping {@code [start, start + size)}, or null (maps never overlap). */
    private static Registration findDma(TreeMap<Long, Registration> dmaList, long start, long size) {
        var e = dmaList.floorEntry(start + size - 1);
        if (e == null) {
            return null;
        }
        long key = e.getKey();
        boolean overlaps = Long.compareUnsigned(start, key) <= 0
                || Long.compareUnsigned(start - key, e.getValue().bytes) < 0;
        return overlaps ? e.getValue() : null;
    }

    /** {@code start + size - 1 < start} in u64: the range wraps. */
    private static boolean wraps(long start, long size) {
        return Long.compareUnsigned(start + size - 1, start) < 0;
    }

    /**
     * vaddr_get_pfn(s)() (5.10-7.2): "if (prot & IOMMU_WRITE) flags |= FOLL_WRITE;": a map without
     * VFIO_DMA_MAP_FLAG_WRITE pins for reading; FOLL_LONGTERM added where the release's pin takes it.
     */
    public static long protFoll(boolean write) {
        return write ? Foll.WRITE : 0;
    }

    /**
     * vaddr_get_pfn(s)(): pin with GUP (long-term from 4.16: seed 000); when that fails on a VM_PFNMAP VMA,
     * translate the BAR instead, in the release's way. Returns pages done or -errno.
     */
    private long vaddrGetPfns(Mm mm, long vaddr, long npages, boolean write, long off) {
        long foll = protFoll(write);
        int mark = batch.size();
        long ret;
        if (profile.vfioLongterm) {
            GupEntry e = profile.pinApi() ? GupEntry.PIN_USER_PAGES_REMOTE
                    : profile.getUserPagesLongtermApi ? GupEntry.GET_USER_PAGES_LONGTERM
                    : GupEntry.GET_USER_PAGES_REMOTE;
            ret = gup.call(e, mm, vaddr, npages, foll | (e == GupEntry.GET_USER_PAGES_LONGTERM ? 0 : Foll.LONGTERM),
                    batch, off);
        } else {
            ret = gup.call(GupEntry.GET_USER_PAGES_FAST, mm, vaddr, npages, foll, batch, off);
        }
        if (ret > 0) {
            reserveZeroPages(mark);
            return ret;
        }
        long vpn = vaddr >>> MemMap.PAGE_SHIFT;
        int loops = 0;
        while (true) {
            VmArea vma = mm.vmaLookup(vaddr);
            if (vma == null || !vma.isPfnmap()) {
                return ret;
            }
            if (vma.file != null && vma.file.isDmabuf()) {
                // vaddr_get_pfn(s)() (5.10-7.2): "if (!ret && !is_invalid_reserved_pfn(*pfn)) ret = -EFAULT": the
                // pages a udmabuf's mapping inserts are RAM
                return -Errno.EFAULT;
            }
            long n = Math.min(npages, vma.endVpn() - vpn);
            VfioPfnmap mode = profile.vfioPfnmap;
            if (mode == VfioPfnmap.PGOFF) {
                // ((vaddr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff: no PTE needed.
                return addBar(vma.barPfn + vma.fileIndex(vpn), n, off);
            }
            long present = presentPrefix(mm, vpn, n);
            if (present > 0) {
                // follow_fault_pfn(): "if (write_fault && !pte_write(pte)) ret = -EFAULT;" (follow_pte(), 5.12+)
                boolean readOnly = (mm.pageTable.pteOf(vpn) & Pte.WRITE) == 0;
                return write && readOnly && mode != VfioPfnmap.REJECT && profile.vfioPfnmapWriteCheck
                        ? -Errno.EFAULT : addBar(mm.pageTable.pfnOf(vpn), present, off);
            }
            if (mode == VfioPfnmap.REJECT) {
                return -Errno.EFAULT;
            }
            // follow_fault_pfn(): fixup_user_fault(), then follow_pfn() again; vma_permits_fault() first refuses a
            // write fault on a VMA without VM_WRITE
            if (write && !vma.has(VmFlags.VM_WRITE)) {
                return -Errno.EFAULT;
            }
            if (faults.fixupUserFaultUnlocked(mm, vaddr)) {
                ctx.injection("fixup_user_fault", "unlocked");
                faults.whileUnlocked(mm, vaddr, addressSpace.editor());
                VmArea now = mm.vmaLookup(vaddr);
                if (now != null) {
                    faultHandler.handleMmFault(now, vpn, 1, write, false);
                }
                if (mode == VfioPfnmap.FAULT_RETRY) {
                    // if (unlocked) return -EAGAIN; ... if (ret == -EAGAIN) goto retry;
                    ctx.retries++;
                    ctx.cost(CostModel.RETRY_NS);
                    if (++loops > MAX_RETRIES) {
                        return -Errno.EFAULT;
                    }
                    continue;
                }
                if (now != vma) {
                    ctx.violation(ViolationKind.STALE_VMA, mapping, "vaddr_get_pfn() kept using the PFNMAP VMA 0x"
                            + Long.toHexString(vma.start) + "-0x" + Long.toHexString(vma.end)
                            + " after fixup_user_fault() dropped mmap_lock, but it was "
                            + (now == null ? "unmapped" : "replaced") + " meanwhile; the IOMMU now maps a stale BAR");
                }
                return addBar(vma.barPfn + vma.fileIndex(vpn), 1, off);
            }
            faultHandler.handleMmFault(vma, vpn, n, write, false);
            return addBar(mm.pageTable.pfnOf(vpn), presentPrefix(mm, vpn, n), off);
        }
    }

    /**
     * vaddr_get_pfns(): the zero page (a read-only map of untouched private memory, until 6.2 made such pins unshare)
     * is a reserved pfn: not charged, never put by put_pfn(); unpinned here from 6.0 (873aefb376bb; 5.10.146), leaked
     * before.
     */
    private void reserveZeroPages(int mark) {
        for (int i = mark; i < batch.size(); i++) {
            if ((batch.kind(i) & PageFlags.ZERO) != 0) {
                if (profile.vfioUnpinZeroPages) {
                    unpin.put(MemMap.ZERO_PFN, batch.len(i), pinKind());
                }
                batch.addKind(i, PageFlags.RESERVED);
            }
        }
    }

    private long presentPrefix(Mm mm, long vpn, long n) {
        PageTable pt = mm.pageTable;
        int i = pt.indexOf(vpn);
        if ((pt.pte(i) & Pte.SPECIAL) == 0) {
            return 0;
        }
        return Math.min(n, pt.end(i) - vpn);
    }

    private long addBar(long pfn, long n, long off) {
        batch.add(off, pfn, n, PageFlags.BAR, 0, 0);
        return n;
    }

    private long reservedPages() {
        long p = 0;
        for (int i = 0; i < batch.size(); i++) {
            if ((batch.kind(i) & (PageFlags.BAR | PageFlags.RESERVED)) != 0) {
                p += batch.len(i);
            }
        }
        return p;
    }

    private boolean pinKind() {
        return profile.vfioLongterm && profile.pinApi();
    }

    /** The live maps of {@code mm}'s container in iova order, or null when it never mapped (for inspection). */
    public Collection<Registration> dmaList(Mm mm) {
        TreeMap<Long, Registration> d = containers.get(mm.id);
        return d == null ? null : d.values();
    }

    private TreeMap<Long, Registration> container(Mm mm) {
        return containers.computeIfAbsent(mm.id, id -> new TreeMap<>(Long::compareUnsigned));
    }
}
