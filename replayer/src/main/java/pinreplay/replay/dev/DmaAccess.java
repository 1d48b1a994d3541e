package pinreplay.replay.dev;

import pinreplay.format.Errno;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.fs.BlockOwners;
import pinreplay.replay.fs.FileSystem;
import pinreplay.replay.fs.FileSystems;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.mm.FrameOwners;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.outcome.ViolationKind;
import pinreplay.replay.range.Counters;

/**
 * A device reading or writing through a registration (DMA through the IOMMU, RDMA, io_uring, O_DIRECT
 * completion), checked page run by page run: is the registration still there, does each DAX block
 * still belong to the file it belonged to when pinned, is each frame still allocated, and has
 * writeback cleaned a page-cache folio that the device now writes behind the filesystem's back.
 */
public final class DmaAccess {
    private final EventContext ctx;
    private final MemMap memMap;
    private final FileSystems filesystems;
    private boolean freed;
    private boolean reallocated;
    private boolean clean;

    public DmaAccess(EventContext ctx, MemMap memMap, FileSystems filesystems) {
        this.ctx = ctx;
        this.memMap = memMap;
        this.filesystems = filesystems;
    }

    /**
     * Accesses {@code len} bytes at {@code offset} bytes from the start of the registration (its iova for
     * vfio, its address otherwise). Returns the bytes accessed, or -EFAULT outside the registration.
     */
    public long access(Registration r, long offset, long len, boolean write) {
        ctx.cost(CostModel.CALL_NS);
        if (r.released) {
            if (r.kind == Registration.Kind.VFIO || r.kind == Registration.Kind.RDMA
                    || r.kind == Registration.Kind.IO_URING) {
                // The IOMMU mapping, memory region or fixed buffer is gone with the registration: the access faults.
                return -Errno.EFAULT;
            }
            ctx.violation(ViolationKind.DMA_AFTER_FREE, r.name, "the device " + (write ? "wrote to" : "read from")
                    + " " + r.name + " after its pages were released at line " + r.releasedLine
                    + ": it still holds their physical addresses, which may belong to someone else by now");
            return len;
        }
        if (write && !r.write && (r.kind == Registration.Kind.VFIO || r.kind == Registration.Kind.RDMA)) {
            // vfio_dma_do_map() without IOMMU_WRITE maps read-only (the IOMMU faults a device write); an MR without
            // IB_ACCESS_LOCAL_WRITE/REMOTE_WRITE refuses writes (ib_umem_get() pinned it read-only)
            return -Errno.EFAULT;
        }
        long pageOff = r.kind == Registration.Kind.VFIO ? offset : (r.vaddr & (MemMap.PAGE_SIZE - 1)) + offset;
        if (offset < 0 || len <= 0 || offset + len > r.bytes) {
            return -Errno.EFAULT;
        }
        long first = pageOff >>> MemMap.PAGE_SHIFT;
        long last = (pageOff + len - 1) >>> MemMap.PAGE_SHIFT;
        freed = false;
        reallocated = false;
        clean = false;
        Extents x = r.extents;
        for (int i = 0; i < x.size(); i++) {
            long s = Math.max(first, x.off(i));
            long e = Math.min(last + 1, x.off(i) + x.len(i));
            if (s >= e) {
                continue;
            }
            long kind = x.kind(i);
            long pfn = x.pfn(i) + (s - x.off(i));
            if ((kind & Extents.FSDAX) != 0) {
                checkDaxBlocks(r, pfn, e - s, x.ino(i), x.index(i) + (s - x.off(i)), (kind & Extents.BLOCK_FREED) != 0,
                        write);
            } else if ((kind & (PageFlags.ANON | PageFlags.FILE)) != 0) {
                checkFrames(r, pfn, e - s, write);
            }
        }
        return len;
    }

    /**
     * Does each block still belong to the file page it backed when pinned? Not when it was freed since
     * ({@code blockFreed}), whoever the allocator gave it to.
     */
    private void checkDaxBlocks(Registration r, long pfn, long n, long ino, long index, boolean blockFreed,
            boolean write) {
        FileSystem fs = filesystems.ofDaxFrame(pfn);
        if (fs == null) {
            return;
        }
        BlockOwners owners = fs.blockOwner;
        long blk = pfn - fs.daxBase();
        for (int j = owners.indexOf(blk); j < owners.size() && owners.start(j) < blk + n; j++) {
            long s = Math.max(blk, owners.start(j));
            long owner = owners.ino(j);
            long expected = index + (s - blk);
            if (owner == ino && owners.pageAt(j, s) == expected && !blockFreed || owner == FileSystem.LOST_FOUND_INO) {
                continue;
            }
            if (owner == 0 && !freed) {
                freed = true;
                ctx.violation(ViolationKind.DMA_AFTER_FREE, r.name, "DMA " + (write ? "into" : "from") + " block "
                        + s + " of " + fs.type.fsName() + ", freed from " + Inode.name(ino) + " (offset " + expected
                        * MemMap.PAGE_SIZE + ") while " + r.name + " still had it pinned" + freedBy(r));
            } else if (owner != 0 && !reallocated) {
                reallocated = true;
                long victimOffset = owners.pageAt(j, s) * MemMap.PAGE_SIZE;
                ctx.violation(ViolationKind.DMA_INTO_REALLOCATED_BLOCK, r.name, "DMA " + (write ? "into" : "from")
                        + " block " + s + " of " + fs.type.fsName() + ": pinned by " + r.name + " as " + Inode.name(ino)
                        + " offset " + expected * MemMap.PAGE_SIZE + ", truncated and reallocated to "
                        + Inode.name(owner)
                        + " offset " + victimOffset + (write ? ", whose data it overwrites" : "") + freedBy(r), owner,
                        victimOffset);
            }
        }
    }

    private static String freedBy(Registration r) {
        return r.blocksFreedBy == null ? "" : "; " + r.blocksFreedBy;
    }

    /** Is each frame still allocated, and (for a write) is each page-cache folio still dirty? */
    private void checkFrames(Registration r, long pfn, long n, boolean write) {
        if (!freed && memMap.hasFreeFrame(pfn, n)) {
            freed = true;
            ctx.violation(ViolationKind.DMA_AFTER_FREE, r.name, "DMA " + (write ? "into" : "from")
                    + " frames of " + r.name + " that were freed while it still referred to them");
        }
        if (!write) {
            return;
        }
        Counters flags = memMap.flagsMap();
        FrameOwners owners = memMap.ownerMap();
        for (int j = flags.indexOf(pfn); j < flags.size() && flags.start(j) < pfn + n; j++) {
            long f = flags.value(j);
            if ((f & (PageFlags.FILE | PageFlags.WB_CAPABLE)) == (PageFlags.FILE | PageFlags.WB_CAPABLE)
                    && (f & PageFlags.DIRTY) == 0) {
                long at = Math.max(pfn, flags.start(j));
                if (!clean) {
                    ctx.violation(ViolationKind.WRITE_TO_CLEAN_FOLIO, r.name, "DMA write through " + r.name
                            + " into the page-cache folio of inode " + owners.ownerOf(at) + " offset "
                            + owners.pageOf(at) * MemMap.PAGE_SIZE + " after writeback cleaned it and write-protected"
                            + " its PTEs; the filesystem never sees this write (no page_mkwrite)");
                }
                clean = true;
            }
        }
    }
}
