package pinreplay.replay.dev;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.Migration;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.range.LongObjectMap;

/**
 * udmabuf (drivers/dma-buf/udmabuf.c): a dma-buf over pages of a sealed shmem or hugetlbfs memfd, which a device
 * then reads and writes. udmabuf_create() pins them with memfd_pin_folios() (6.11+), one FOLL_PIN per folio, and
 * release_udmabuf() unpins them at the dma-buf's last reference. The pins outlive what the file does with its pages:
 * a punched hole (fallocate(), MADV_REMOVE) gives the file new pages while the dma-buf keeps the old, and while they
 * last the file cannot be sealed F_SEAL_WRITE ({@link pinreplay.replay.fs.Memfd}).
 */
public final class Udmabuf extends Pinner {
    /** size_limit_mb's default, 64 MiB, in pages. */
    static final long SIZE_LIMIT_PAGES = (64L << 20) >>> MemMap.PAGE_SHIFT;

    private final MemMap memMap;
    private final FaultHandler faultHandler;
    private final Migration migration;
    /** A raw recording's dma-bufs: the pointer dma_buf_fd() installed to the registration release_udmabuf() drops. */
    private final LongObjectMap<Registration> byDmabuf = new LongObjectMap<>();
    /** A raw recording's dma-bufs the model made no registration for (an unread list item, a memfd it never saw made). */
    private final LongObjectMap<Boolean> unfollowed = new LongObjectMap<>();
    /** A program's udmabuf_create marker that named a call the recording showed: its handle to that call's registration. */
    private final LongObjectMap<Registration> adopted = new LongObjectMap<>();
    /** The registration the last successful {@link #create} made. */
    private Registration created;

    public Udmabuf(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup, MemMap memMap, FaultHandler faultHandler, Migration migration) {
        super(profile, ctx, faults, unpin, registrations, gup);
        this.memMap = memMap;
        this.faultHandler = faultHandler;
        this.migration = migration;
    }

    /**
     * udmabuf_create() of one item, {@code [offset, offset + size)} of {@code memfd} whose seals are {@code seals}, by a
     * task of {@code mm}: 0 (the ioctl returns the dma-buf's fd) or -errno. The checks come in the kernel's order.
     */
    public long create(Mm mm, int handle, Inode memfd, long offset, long size, int seals) {
        ctx.cost(CostModel.CALL_NS);
        created = null;
        if (checkArgs(offset, size) != 0) {
            return -Errno.EINVAL;
        }
        // check_memfd_seals(): "if (!shmem_file(memfd) && !is_file_hugepages(memfd)) return -EBADFD;"
        if (!memfd.isShmem() && !memfd.isHugetlbfs()) {
            return -Errno.EBADFD;
        }
        // check_memfd_seals(): SEALS_WANTED F_SEAL_SHRINK, SEALS_DENIED F_SEAL_WRITE (and F_SEAL_FUTURE_WRITE, 6.13+ and 6.12.7+)
        int denied = Inode.F_SEAL_WRITE | (profile.udmabufDeniesFutureWrite ? Inode.F_SEAL_FUTURE_WRITE : 0);
        if ((seals & Inode.F_SEAL_SHRINK) == 0 || (seals & denied) != 0) {
            return -Errno.EINVAL;
        }
        long r = memfdPinFolios(mm, memfd, offset, offset + size - 1);
        if (r < 0) {
            return r;
        }
        created = register(Registration.Kind.UDMABUF, handle, mm, true, true, offset, 0, size, 0);
        return 0;
    }

    /** udmabuf_create(): "if (!PAGE_ALIGNED(list[i].offset))", size the same, at most size_limit_mb, not empty (-EINVAL). */
    public static long checkArgs(long offset, long size) {
        boolean bad = ((offset | size) & (MemMap.PAGE_SIZE - 1)) != 0 || size == 0
                || Long.compareUnsigned(size >>> MemMap.PAGE_SHIFT, SIZE_LIMIT_PAGES) > 0;
        return bad ? -Errno.EINVAL : 0;
    }

    /**
     * mmap() of a dma-buf udmabuf made: dma_buf_mmap_internal() refuses pages past the buffer ("if (vma->vm_pgoff +
     * vma_pages(vma) > dmabuf->size >> PAGE_SHIFT)"), mmap_udmabuf() a private mapping (both -EINVAL, 5.10-7.2). A size
     * the recording did not show is not checked.
     */
    public static long mmap(Inode dmabuf, long pgoff, long len, boolean shared) {
        long pages = MemMap.pageAlign(len) >>> MemMap.PAGE_SHIFT;
        if (!dmabuf.sizeUnknown && Long.compareUnsigned(pgoff + pages, dmabuf.size >>> MemMap.PAGE_SHIFT) > 0) {
            return -Errno.EINVAL;
        }
        return shared ? 0 : -Errno.EINVAL;
    }

    /**
     * mm/gup.c memfd_pin_folios() (6.11+): pins each folio of the file's {@code [start, end]} once (try_grab_folio(folio,
     * 1, FOLL_PIN)), allocating the ones the page cache lacks (memfd_alloc_folio(), under memalloc_pin_save(): never
     * in ZONE_MOVABLE), migrating the ones it had there first; {@link #batch} holds them. Returns the folios pinned,
     * -EINVAL or -ENOMEM.
     */
    long memfdPinFolios(Mm mm, Inode memfd, long start, long end) {
        if (start < 0 || start > end || !memfd.isShmem() && !memfd.isHugetlbfs() || end >= memfd.size) {
            return -Errno.EINVAL;
        }
        long first = start >>> MemMap.PAGE_SHIFT;
        long last = end >>> MemMap.PAGE_SHIFT;
        if (memfd.isHugetlbfs()) { // hstate_file() (6.11-7.2): the index runs over whole huge pages of the file's hstate
            long hp = memfd.hstate.pages();
            first &= -hp;
            last |= hp - 1;
        }
        long r;
        long folios;
        do {
            boolean pinSaved = faultHandler.memallocPinSave();
            faultHandler.ensureCached(memfd, first, last + 1 - first, 0);
            faultHandler.memallocPinRestore(pinSaved);
            folios = grabFolios(memfd, first, last);
            // check_and_migrate_movable_folios(): folios the file already had in ZONE_MOVABLE or CMA are unpinned,
            // migrated and pinned again (-EAGAIN), or the call fails (-ENOMEM)
            r = migration.checkAndMigrateMovablePages(mm, start, batch, 0, Foll.PIN);
        } while (r == -Errno.EAGAIN);
        return r < 0 ? r : folios;
    }

    /** try_grab_folio(folio, 1, FOLL_PIN) of each folio caching {@code [first, last]}; returns how many. */
    private long grabFolios(Inode memfd, long first, long last) {
        batch.clear();
        PageCache pc = memfd.pageCache;
        long folios = 0;
        for (long idx = first; idx <= last; folios++) {
            long head = pc.folioHead(memMap, idx);
            long pages = pc.folioPages(memMap, idx);
            long pfn = pc.pfnAt(pc.indexOf(head), head);
            memMap.tryGrabFolio(pfn, pages, true);
            batch.add(head - first, pfn, pages, memMap.flags(pfn) & PageFlags.FILE, memfd.ino, head);
            ctx.cost(CostModel.PAGE_WALK_NS * pages);
            idx = head + pages;
        }
        return folios;
    }

    /** The recording's dma_buf_fd() installed {@code dmabuf}, the dma-buf of the {@link #create} that just succeeded. */
    public void installed(long dmabuf) {
        if (created != null) {
            byDmabuf.put(dmabuf, created);
        }
    }

    /** The recording's udmabuf_create() made {@code dmabuf}, whose pins the model does not know. */
    public void unfollowed(long dmabuf) {
        unfollowed.put(dmabuf, Boolean.TRUE);
    }

    /** Whether a dma-buf whose pins the model does not know is alive: they may hold any memfd's pages. */
    public boolean anyUnfollowed() {
        return unfollowed.size() > 0;
    }

    /** release_udmabuf() of the recording's {@code dmabuf}: unpin_folio() of every folio it pinned. */
    public void releaseRecorded(long dmabuf) {
        unfollowed.remove(dmabuf);
        Registration r = byDmabuf.get(dmabuf);
        if (r != null) {
            byDmabuf.remove(dmabuf);
            if (!r.released) {
                registrations.release(r, false);
            }
        }
    }

    /** A program's udmabuf_create marker under {@code handle} named the call just judged: its registration, if any. */
    public void adopt(int handle) {
        if (created != null && handle != 0) {
            adopted.put(handle, created);
        }
    }

    /** udmabuf_release under {@code handle}: the dma-buf's last reference went, release_udmabuf() unpins. */
    public long release(int handle) {
        ctx.cost(CostModel.CALL_NS);
        Registration r = adopted.get(handle);
        if (r != null) {
            adopted.remove(handle);
            if (!r.released) { // else the recording's release_udmabuf() came first
                registrations.release(r, false);
            }
            return 0;
        }
        r = registrations.live(handle, Registration.Kind.UDMABUF);
        if (r == null && !profile.udmabufPins) {
            // before 6.11 udmabuf_create() takes page references, which the model does not follow: nor their release
            ctx.assume("udmabuf before 6.11 (page references, not pins: not modelled)");
            return ctx.observedOr(0);
        }
        if (r == null) {
            return unbalanced(handle, "udmabuf_release", Registration.Kind.UDMABUF, true, Errno.EINVAL);
        }
        registrations.release(r, false);
        return 0;
    }
}
