package pinreplay.replay.dev;

import java.util.Collection;
import java.util.TreeMap;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.Kernel;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.kernel.VfioPfnmap;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.outcome.ViolationKind;
import pinreplay.replay.range.LongObjectMap;
import pinreplay.replay.range.RangeMap;

/**
 * vfio type1 (drivers/vfio/vfio_iommu_type1.c): VFIO_IOMMU_MAP_DMA pins the range with
 * vfio_pin_pages_remote() / vaddr_get_pfn(s)() in the release's way, charges RLIMIT_MEMLOCK and maps the
 * IOMMU; PFNMAP ranges (device BARs) are translated, not pinned. One container per mm, holding its
 * {@code vfio_dma} mappings in an iova-ordered tree ({@code vfio_iommu->dma_list}): the handle of a map is only
 * the user's name for it, so two maps under one handle coexist and an unmap removes what its iova range covers.
 */
public final class Vfio {
    private static final int MAX_RETRIES = 64;

    private final Kernel k;
    private final Extents batch = new Extents();
    /** The handle of the map in progress, for violations found while translating. */
    private String mapping;
    /** {@code vfio_iommu->dma_list} per mm: live maps by iova (unsigned, as the u64 it is). */
    private final LongObjectMap<TreeMap<Long, Registration>> containers = new LongObjectMap<>();

    public Vfio(Kernel k) {
        this.k = k;
    }

    /** VFIO_IOMMU_MAP_DMA: 0, or -EINVAL, -EEXIST, -EFAULT, -EOPNOTSUPP, -ENOMEM... */
    public long dmaMap(Mm mm, int handle, long vaddr, long iova, long size, boolean write) {
        k.ctx.cost(CostModel.CALL_NS);
        // vfio_dma_do_map(): "Don't allow IOVA or virtual address wrap", then vfio_find_dma() finds no overlap
        if (size == 0 || ((size | iova | vaddr) & (MemMap.PAGE_SIZE - 1)) != 0 || wraps(iova, size)
                || wraps(vaddr, size)) {
            return -Errno.EINVAL;
        }
        long n = size >>> MemMap.PAGE_SHIFT;
        TreeMap<Long, Registration> dmaList = container(mm);
        if (findDma(dmaList, iova, size) != null) {
            return -Errno.EEXIST;
        }
        batch.clear();
        mapping = name(handle);
        long done = 0;
        while (done < n) {
            long r = vaddrGetPfns(mm, vaddr + (done << MemMap.PAGE_SHIFT), n - done, write, done);
            if (r <= 0) {
                k.gup.release(batch, 0, pinKind(), false);
                return r == 0 ? -Errno.EFAULT : r;
            }
            done += r;
        }
        long charge = batch.pages(0) - barPages();
        if (charge > 0) {
            // vfio_lock_acct(): pages with a struct page count against RLIMIT_MEMLOCK.
            boolean injected = k.faults.accountLockedVmFails(mm, charge, "vfio_lock_acct");
            if (injected) {
                k.ctx.injection("vfio_lock_acct", "-ENOMEM");
            }
            if (injected || mm.lockedVm + charge > k.profile.memlockBytes >>> MemMap.PAGE_SHIFT) {
                k.gup.release(batch, 0, pinKind(), false);
                return -Errno.ENOMEM;
            }
            mm.lockedVm += charge;
        }
        k.ctx.cost(CostModel.IOMMU_PAGE_NS * n);
        Registration reg = new Registration(Registration.Kind.VFIO, handle, mapping, mm, k.ctx.line, pinKind(),
                write, vaddr, iova, size, batch.copy());
        reg.accounted = charge;
        k.registrations.add(reg);
        dmaList.put(iova, reg);
        return 0;
    }

    /**
     * VFIO_IOMMU_UNMAP_DMA, vfio_dma_do_unmap() of a type1v2 container: removes every map inside
     * {@code [iova, iova + size)}, unpinning and dirtying what the device could write (put_pfn()); -EINVAL when
     * the range bisects a map; 0 when it covers none. The container is the one the handle's live map is in, else
     * the caller's.
     */
    public long dmaUnmap(Mm mm, int handle, long iova, long size) {
        k.ctx.cost(CostModel.CALL_NS);
        if (size == 0 || ((size | iova) & (MemMap.PAGE_SIZE - 1)) != 0 || wraps(iova, size)) {
            return -Errno.EINVAL;
        }
        Registration named = k.registrations.live(handle, Registration.Kind.VFIO);
        TreeMap<Long, Registration> dmaList = containers.get((named != null ? named.mm : mm).id);
        if (dmaList == null) {
            return 0;
        }
        // "Unmap requests must fully cover previous mappings ... there must not be any previous mappings bisected"
        Registration first = findDma(dmaList, iova, 1);
        Registration last = findDma(dmaList, iova + size - 1, 1);
        if (first != null && first.iova != iova || last != null && last.iova + last.bytes != iova + size) {
            return -Errno.EINVAL;
        }
        for (Registration d; (d = findDma(dmaList, iova, size)) != null; ) {
            dmaList.remove(d.iova);
            k.registrations.release(d, d.write);
        }
        return 0;
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

    /** Before a VMA goes away: a PFNMAP BAR still mapped in an IOMMU outlives its user mapping (seed 003). */
    public void beforeUnmap(VmArea v) {
        if (!v.isPfnmap()) {
            return;
        }
        for (Registration r : k.registrations.live()) {
            if (r.kind != Registration.Kind.VFIO || r.mm != v.mm) {
                continue;
            }
            Extents x = r.extents;
            for (int i = 0; i < x.size(); i++) {
                long from = r.vaddr + (x.off(i) << MemMap.PAGE_SHIFT);
                long to = from + (x.len(i) << MemMap.PAGE_SHIFT);
                if ((x.kind(i) & PageFlags.BAR) != 0 && from < v.end && v.start < to) {
                    k.ctx.violation(ViolationKind.IOMMU_OUTLIVES_MAPPING, r.name, "the BAR mapping 0x"
                            + Long.toHexString(v.start) + "-0x" + Long.toHexString(v.end) + " was unmapped while "
                            + r.name + " still maps iova 0x" + Long.toHexString(r.iova + (x.off(i) << MemMap.PAGE_SHIFT))
                            + " to it: the PFNMAP path holds no reference, so the device keeps reaching the BAR");
                    break;
                }
            }
        }
    }

    /**
     * vaddr_get_pfn(s)(): pin with GUP (long-term from 4.16: seed 000); when that fails on a VM_PFNMAP VMA,
     * translate the BAR instead, in the release's way. Returns pages done or -errno.
     */
    private long vaddrGetPfns(Mm mm, long vaddr, long npages, boolean write, long off) {
        long foll = write ? Foll.WRITE : 0;
        long ret;
        if (k.profile.vfioLongterm) {
            GupEntry e = k.profile.pinApi() ? GupEntry.PIN_USER_PAGES_REMOTE
                    : k.profile.getUserPagesLongtermApi ? GupEntry.GET_USER_PAGES_LONGTERM
                    : GupEntry.GET_USER_PAGES_REMOTE;
            ret = k.gup.call(e, mm, vaddr, npages, foll | (e == GupEntry.GET_USER_PAGES_LONGTERM ? 0 : Foll.LONGTERM),
                    batch, off);
        } else {
            ret = k.gup.call(GupEntry.GET_USER_PAGES_FAST, mm, vaddr, npages, foll, batch, off);
        }
        if (ret > 0) {
            return ret;
        }
        long vpn = vaddr >>> MemMap.PAGE_SHIFT;
        int loops = 0;
        while (true) {
            VmArea vma = mm.vmaLookup(vaddr);
            if (vma == null || !vma.isPfnmap()) {
                return ret;
            }
            long n = Math.min(npages, vma.endVpn() - vpn);
            VfioPfnmap mode = k.profile.vfioPfnmap;
            if (mode == VfioPfnmap.PGOFF) {
                // ((vaddr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff: no PTE needed.
                return addBar(vma.barPfn + vma.fileIndex(vpn), n, off);
            }
            long present = presentPrefix(mm, vpn, n);
            if (present > 0) {
                // follow_fault_pfn(): "if (write_fault && !pte_write(pte)) ret = -EFAULT;" (follow_pte(), 5.12+)
                boolean readOnly = (mm.pageTable.aOf(vpn) & Pte.WRITE) == 0;
                return write && readOnly && mode != VfioPfnmap.REJECT && k.profile.vfioPfnmapWriteCheck
                        ? -Errno.EFAULT : addBar(mm.pageTable.bOf(vpn), present, off);
            }
            if (mode == VfioPfnmap.REJECT) {
                return -Errno.EFAULT;
            }
            // follow_fault_pfn(): fixup_user_fault(), then follow_pfn() again; vma_permits_fault() first refuses a
            // write fault on a VMA without VM_WRITE
            if (write && !vma.has(VmFlags.VM_WRITE)) {
                return -Errno.EFAULT;
            }
            if (k.faults.fixupUserFaultUnlocked(mm, vaddr)) {
                k.ctx.injection("fixup_user_fault", "unlocked");
                k.faults.whileUnlocked(mm, vaddr, k.addressSpace.editor());
                VmArea now = mm.vmaLookup(vaddr);
                if (now != null) {
                    k.faultHandler.handleMmFault(now, vpn, 1, write, false);
                }
                if (mode == VfioPfnmap.FAULT_RETRY) {
                    // if (unlocked) return -EAGAIN; ... if (ret == -EAGAIN) goto retry;
                    k.ctx.retries++;
                    k.ctx.cost(CostModel.RETRY_NS);
                    if (++loops > MAX_RETRIES) {
                        return -Errno.EFAULT;
                    }
                    continue;
                }
                if (now != vma) {
                    k.ctx.violation(ViolationKind.STALE_VMA, mapping, "vaddr_get_pfn() kept using the PFNMAP VMA 0x"
                            + Long.toHexString(vma.start) + "-0x" + Long.toHexString(vma.end)
                            + " after fixup_user_fault() dropped mmap_lock, but it was "
                            + (now == null ? "unmapped" : "replaced") + " meanwhile; the IOMMU now maps a stale BAR");
                }
                return addBar(vma.barPfn + vma.fileIndex(vpn), 1, off);
            }
            k.faultHandler.handleMmFault(vma, vpn, n, write, false);
            return addBar(mm.pageTable.bOf(vpn), presentPrefix(mm, vpn, n), off);
        }
    }

    private long presentPrefix(Mm mm, long vpn, long n) {
        RangeMap pt = mm.pageTable;
        int i = pt.indexOf(vpn);
        if ((pt.a(i) & Pte.SPECIAL) == 0) {
            return 0;
        }
        return Math.min(n, pt.end(i) - vpn);
    }

    private long addBar(long pfn, long n, long off) {
        batch.add(off, pfn, n, PageFlags.BAR, 0, 0);
        return n;
    }

    private long barPages() {
        long p = 0;
        for (int i = 0; i < batch.size(); i++) {
            if ((batch.kind(i) & PageFlags.BAR) != 0) {
                p += batch.len(i);
            }
        }
        return p;
    }

    private boolean pinKind() {
        return k.profile.vfioLongterm && k.profile.pinApi();
    }

    private String name(int handle) {
        return handle != 0 ? k.handleName(handle) : "line:" + k.ctx.line;
    }

    /** The live maps of {@code mm}'s container in iova order, or null when it never mapped (for inspection). */
    public Collection<Registration> dmaList(Mm mm) {
        TreeMap<Long, Registration> d = containers.get(mm.id);
        return d == null ? null : d.values();
    }

    private TreeMap<Long, Registration> container(Mm mm) {
        TreeMap<Long, Registration> d = containers.get(mm.id);
        if (d == null) {
            d = new TreeMap<>(Long::compareUnsigned);
            containers.put(mm.id, d);
        }
        return d;
    }
}
