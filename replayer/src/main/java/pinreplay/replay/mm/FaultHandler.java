package pinreplay.replay.mm;

import pinreplay.format.Errno;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.fs.FileBlocks;
import pinreplay.replay.fs.FilePins;
import pinreplay.replay.fs.FileSystem;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.kernel.Profile;

/**
 * handle_mm_fault() over a range of pages of one VMA: anonymous faults (zero page on read, new pages
 * on write), page-cache faults with page_mkwrite on shared writes and COW on private ones, DAX faults
 * that map the filesystem block itself, and PFNMAP faults that install special PTEs.
 */
public final class FaultHandler {
    private static final int HUGETLB_ORDER = 9;

    private final Profile profile;
    private final EventContext ctx;
    private final MemMap memMap;
    private final FilePins filePins;
    /** memalloc_pin_save(): while set, faults allocate outside ZONE_MOVABLE and CMA. */
    private boolean memallocPin;

    public FaultHandler(Profile profile, EventContext ctx, MemMap memMap, FilePins filePins) {
        this.profile = profile;
        this.ctx = ctx;
        this.memMap = memMap;
        this.filePins = filePins;
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
        ctx.cost(CostModel.FAULT_NS);
        if (vma.isPfnmap()) {
            long bits = Pte.PRESENT | Pte.SPECIAL | (vma.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0);
            vma.mm.pageTable.set(vpn, vpn + n, bits, vma.barPfn + vma.fileIndex(vpn));
            return n;
        }
        if (vma.file == null) {
            anonFault(vma, vpn, n, write || unshare || vma.isHugetlb(), write);
            return n;
        }
        Inode inode = vma.file;
        long idx = vma.fileIndex(vpn);
        long valid = Math.min(n, inode.sizePages() - idx);
        if (valid <= 0) {
            return -Errno.EFAULT;
        }
        boolean cow = !vma.isShared() && (write || unshare);
        if (cow) {
            anonFault(vma, vpn, valid, true, write);
        } else if (inode.isDaxBacked(profile.daxEnabled())) {
            daxFault(vma, vpn, valid, write);
        } else {
            pageCacheFault(vma, vpn, valid, write);
        }
        return valid;
    }

    /** do_anonymous_page() / wp_page_copy(): zero page on a read, new exclusive pages otherwise. */
    private void anonFault(VmArea vma, long vpn, long n, boolean allocate, boolean write) {
        PageTable pt = vma.mm.pageTable;
        long end = vpn + n;
        long wbits = write ? Pte.WRITE | Pte.DIRTY : 0;
        for (long p = vpn; p < end; ) {
            int i = pt.indexOf(p);
            long segEnd = Math.min(end, pt.end(i));
            long bits = pt.pte(i);
            boolean exclusiveAnon = (bits & (Pte.PRESENT | Pte.ANON)) == (Pte.PRESENT | Pte.ANON);
            if (exclusiveAnon) {
                if (write) {
                    pt.setBits(p, segEnd, wbits);
                }
            } else if (allocate) {
                if ((bits & Pte.PRESENT) != 0 && (bits & Pte.ZERO) == 0 && (bits & Pte.ANON) == 0) {
                    // COW of a page-cache page: the file page stays in the cache.
                    ctx.cost(CostModel.FAULT_PAGE_NS * (segEnd - p));
                }
                long pfn = alloc(vma, segEnd - p, PageFlags.ANON, vma.mm.id, p);
                pt.set(p, segEnd, Pte.PRESENT | Pte.ANON | wbits, pfn);
            } else if ((bits & Pte.PRESENT) == 0) {
                pt.set(p, segEnd, Pte.PRESENT | Pte.ZERO, MemMap.ZERO_PFN);
            }
            p = segEnd;
        }
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
        long bits = Pte.PRESENT;
        if (vma.isShared()) {
            if (write) {
                bits |= Pte.WRITE | Pte.DIRTY;
            } else if (vma.has(VmFlags.VM_WRITE) && !vma.needsDirtyTracking()) {
                bits |= Pte.WRITE;
            }
        }
        for (int i = pc.indexOf(idx); i < pc.size() && pc.start(i) < idx + n; i++) {
            long s = Math.max(idx, pc.start(i));
            long e = Math.min(idx + n, pc.end(i));
            long pfn = pc.pfnAt(i, s);
            if (write && vma.isShared()) {
                memMap.setFlags(pfn, e - s, PageFlags.DIRTY);
            }
            vma.mm.pageTable.set(vpn + (s - idx), vpn + (e - idx), bits, pfn);
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
                int ord = inode.isHugetlbfs() ? HUGETLB_ORDER : 0;
                long pfn = memMap.allocRam(e - p, ord, flags, inode.ino, p);
                ctx.cost(CostModel.FAULT_PAGE_NS * (e - p));
                pc.set(p, e, 1, pfn);
            }
            p = e;
        }
    }

    private long alloc(VmArea vma, long n, long flags, long ownerId, long index) {
        ctx.cost(CostModel.FAULT_PAGE_NS * n);
        long f = flags | (vma.isHugetlb() ? PageFlags.HUGETLB : 0) | (memallocPin ? 0 : vma.zoneFlags);
        return memMap.allocRam(n, vma.isHugetlb() ? HUGETLB_ORDER : 0, f, ownerId, index);
    }
}
