package pinreplay.replay.fs;

import pinreplay.format.Errno;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.Hugetlb;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.range.LongObjectMap;

/** Files and their blocks: the {@code file} declaration and fallocate(). */
public final class Files {
    private final Profile profile;
    private final EventContext ctx;
    private final MemMap memMap;
    private final LongObjectMap<Inode> inodes;
    private final FileSystems filesystems;
    private final FilePins filePins;
    private final Hugetlb hugetlb;
    private final FaultHandler faultHandler;
    /** Numbers that named files of two filesystems (or a DAX file and another): a line naming one alone is ambiguous. */
    private final LongObjectMap<Boolean> numberedTwice = new LongObjectMap<>();
    /** The huge page indexes the last {@link #hugetlbfsFallocate} gave a folio, in order. */
    private long[] allocatedHuge = new long[8];
    private int allocatedHugeCount;

    public Files(Profile profile, EventContext ctx, MemMap memMap, LongObjectMap<Inode> inodes,
            FileSystems filesystems, FilePins filePins, Hugetlb hugetlb, FaultHandler faultHandler) {
        this.hugetlb = hugetlb;
        this.faultHandler = faultHandler;
        this.profile = profile;
        this.ctx = ctx;
        this.memMap = memMap;
        this.inodes = inodes;
        this.filesystems = filesystems;
        this.filePins = filePins;
    }

    /**
     * A file exists: a disk filesystem allocates its blocks (first fit, so it may get blocks another file
     * freed); a DAX file or device-dax device gets its filesystem's persistent-memory frames.
     */
    public Inode create(long ino, FsType type, boolean dax, long size) {
        Inode existing = inodes.get(ino);
        if (existing != null && existing.fs.type == type && existing.daxDeclared == dax && existing.size == size) {
            return existing;
        }
        // otherwise another file now has this number (another filesystem's inode 12, or the number reused after
        // the old file was deleted, of another size): mappings and pins of the old one keep it, later lookups find the new one
        return createNew(ino, type, dax, size);
    }

    /** A new file numbered {@code ino}, whatever file had that number (the same number on another device). */
    public Inode createNew(long ino, FsType type, boolean dax, long size) {
        Inode old = inodes.get(ino);
        if (old != null && (old.fs.type != type || old.daxDeclared != dax)) {
            numberedTwice.put(ino, Boolean.TRUE);
        }
        FileSystem fs = filesystems.get(type);
        if ((dax && type.fsdaxCapable() || type == FsType.DEVDAX) && !fs.hasDaxDevice()) {
            fs.setDaxBase(memMap.addDevice(PageFlags.DAX, profile.daxIdleRefcount));
        }
        Inode inode = new Inode(ino, fs, dax, size);
        inodes.put(ino, inode);
        if (type.diskBlocks() && size > 0) {
            filePins.changed();
            fs.allocate(inode, 0, inode.sizePages());
        }
        return inode;
    }

    /** A line naming {@code ino} alone meant another file than the one declared with it: ambiguous from now on. */
    public void numberedAgain(long ino) {
        numberedTwice.put(ino, Boolean.TRUE);
    }

    /** Makes {@code inode} the file its number names from now on (the same number on another device meant another). */
    public void renumber(Inode inode) {
        inodes.put(inode.ino, inode);
    }

    /** The file a line naming only its number means, or null when that number named files of two filesystems. */
    public Inode named(long ino) {
        return numberedTwice.get(ino) != null ? null : revealed(inodes.get(ino));
    }

    /** The file numbered {@code ino} that the model knows last, as it turned out to be, or null. */
    public Inode numbered(long ino) {
        return revealed(inodes.get(ino));
    }

    /** {@code inode}, or the file a recorded result revealed it to be (PriorMemory), or null. */
    private static Inode revealed(Inode inode) {
        while (inode != null && inode.revealedAs != null) {
            inode = inode.revealedAs;
        }
        return inode;
    }

    /**
     * The inode, or one created on first use: a file the trace names but never declared (its declaration came before
     * the recording), of a kind unknown until a recorded result reveals it (PriorMemory); then the file it turned out to be.
     */
    public Inode lookupOrCreate(long ino, long minSize) {
        Inode inode = inodes.get(ino);
        if (inode == null) {
            inode = create(ino, FsType.OTHER, false, minSize);
            inode.undescribed = true;
        }
        return revealed(inode);
    }

    /** fallocate(mode 0): allocates blocks for holes and extends the size. */
    public long allocate(Inode inode, long offset, long len) {
        return allocate(inode, offset, len, false);
    }

    /**
     * fs/hugetlbfs/inode.c hugetlbfs_fallocate() (5.10-7.2): each huge page of the range the page
     * cache lacks gets a folio from alloc_hugetlb_folio() on a VM_MAYSHARE pseudo-VMA (the inode's reservation, else a
     * free page); the first the pool cannot give ends the call with -ENOSPC ("if (IS_ERR(folio)) { error =
     * PTR_ERR(folio); goto out; }"): the folios before stay, i_size does not move. False then.
     */
    private boolean hugetlbfsFallocate(Inode inode, long offset, long len) {
        int order = inode.hstate.order;
        long hp = inode.hstate.pages();
        long start = (offset >>> MemMap.PAGE_SHIFT) >>> order;
        long end = ((offset + len + inode.hstate.size() - 1) >>> MemMap.PAGE_SHIFT) >>> order;
        PageCache pc = inode.pageCache;
        allocatedHugeCount = 0;
        for (long idx = start; idx < end; idx++) {
            if (pc.cached(pc.indexOf(idx << order))) {
                continue;
            }
            if (!hugetlb.allocShared(inode, idx, null, 0)) {
                return false;
            }
            faultHandler.ensureCached(inode, idx << order, hp, 0);
            if (allocatedHugeCount == allocatedHuge.length) {
                allocatedHuge = java.util.Arrays.copyOf(allocatedHuge, allocatedHugeCount * 2);
            }
            allocatedHuge[allocatedHugeCount++] = idx;
        }
        return true;
    }

    /** How many folios the last hugetlbfs fallocate() allocated ({@link #allocatedHuge}). */
    public int allocatedHugeCount() {
        return allocatedHugeCount;
    }

    /** The huge page index of the {@code i}th folio the last hugetlbfs fallocate() allocated. */
    public long allocatedHuge(int i) {
        return allocatedHuge[i];
    }

    /** fallocate(mode 0), or with {@code keepSize} FALLOC_FL_KEEP_SIZE: the blocks, i_size unchanged. */
    public long allocate(Inode inode, long offset, long len, boolean keepSize) {
        ctx.cost(CostModel.CALL_NS);
        if (offset < 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        long from = offset >>> MemMap.PAGE_SHIFT;
        long to = (offset + len + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT;
        if (inode.fs.type.diskBlocks()) {
            inode.fs.allocateHoles(inode, from, to - from, filePins);
        }
        if (inode.isHugetlbfs() && !hugetlbfsFallocate(inode, offset, len)) {
            return -Errno.ENOSPC;
        }
        if (!keepSize) {
            inode.size = Math.max(inode.size, offset + len);
        }
        return 0;
    }
}
