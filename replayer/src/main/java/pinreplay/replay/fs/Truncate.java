package pinreplay.replay.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.dev.PinWaiters;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.kernel.DaxTruncate;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.Hugetlb;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.ViolationKind;
import pinreplay.replay.range.Counters;

/**
 * Truncate and punch-hole against pinned pages. Page cache: pinned pages are detached and survive
 * (mm/truncate.c). fsdax: the page is the block, so what happens depends on the release or the
 * {@code dax-truncate} policy (seed 001): none (pre-4.18), fail, wait (xfs_break_dax_layouts() 4.18,
 * ext4_break_layouts() 4.19, dax_break_layout() 6.15), remap to lost+found, or no DAX at all. Two kernel bugs
 * are reproduced as the release has them: dax_layout_busy_page_range() ignoring a file no VMA maps (until 6.15),
 * and 6.1.y's O_DIRECT completion that never wakes the waiter.
 */
public final class Truncate implements PinWaiters {
    /** The call waits: it is reported when it completes, or as a stall. */
    public static final long WAITING = Outcome.WAITING;

    private final Profile profile;
    private final EventContext ctx;
    private final MemMap memMap;
    private final FilePins filePins;
    private final Registrations registrations;
    private final AddressSpace addressSpace;
    private final Files files;
    private final Hugetlb hugetlb;
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<FileSystem> withLostFound = new ArrayList<>();

    public Truncate(Profile profile, EventContext ctx, MemMap memMap, FilePins filePins, Registrations registrations,
            AddressSpace addressSpace, Files files, Hugetlb hugetlb) {
        this.hugetlb = hugetlb;
        this.profile = profile;
        this.ctx = ctx;
        this.memMap = memMap;
        this.filePins = filePins;
        this.registrations = registrations;
        this.addressSpace = addressSpace;
        this.files = files;
    }

    /** Stall causes: the pages are still held, or the last release never woke the sleeper. */
    public static final String PINS_HELD = "pins-held", DAX_WAKEUP_MISSED = "dax-wakeup-missed";

    /**
     * A truncate sleeping in the filesystem's break-layouts loop: ___wait_var_event() on the refcount of the page
     * dax_layout_busy_page() returned, so only a put of that page that calls wake_up_var() wakes it.
     */
    private static final class Waiter {
        final EventType type;
        final long line, ts;
        final int tsBits, pid;
        final Inode inode;
        /**
         * What it does once the layouts are broken: OP_TRUNCATE or OP_PUNCH_HOLE (pages {@code [from, to)}), OP_ALLOCATE,
         * OP_FALLOCATE (fallocate() {@code mode} over bytes {@code [offset, offset + len)}).
         */
        final int op;
        /** fallocate()'s mode (OP_ALLOCATE: FALLOC_FL_KEEP_SIZE or not; OP_FALLOCATE). */
        final int mode;
        /** OP_FALLOCATE: its checks were made before the break (or the kernel's result made them). */
        final boolean checked;
        /** Pages freed, and the size set (-1: none), by a truncate or punch-hole. */
        final long from, to, newSize;
        final boolean punch;
        /** Bytes an allocation covers. */
        final long offset, len;
        /** The page it sleeps on. */
        long sleepFrame;
        /** The registration being released holds that page. */
        boolean onReleased;
        /** What made that page idle without waking the task (null while it is held). */
        String missedBy;

        Waiter(EventType type, long line, long ts, int tsBits, int pid, Inode inode, int op, long from, long to,
                long newSize, boolean punch, long offset, long len, long sleepFrame) {
            this(type, line, ts, tsBits, pid, inode, op, from, to, newSize, punch, offset, len, sleepFrame, 0, true);
        }

        Waiter(EventType type, long line, long ts, int tsBits, int pid, Inode inode, int op, long from, long to,
                long newSize, boolean punch, long offset, long len, long sleepFrame, int mode, boolean checked) {
            this.type = type;
            this.line = line;
            this.ts = ts;
            this.tsBits = tsBits;
            this.pid = pid;
            this.inode = inode;
            this.op = op;
            this.from = from;
            this.to = to;
            this.newSize = newSize;
            this.punch = punch;
            this.offset = offset;
            this.len = len;
            this.sleepFrame = sleepFrame;
            this.mode = mode;
            this.checked = checked;
        }
    }

    /**
     * A truncate or fallocate traced from a task that sleeps in a {@link Waiter} (xfs_break_dax_layouts() /
     * ext4_break_layouts(): ___wait_var_event(TASK_INTERRUPTIBLE), v4.18/~v4.19): the task cannot issue it
     * before it wakes, so it runs then, in trace order ({@code op} one of the {@code OP_}s).
     */
    private record Deferred(EventType type, long line, long ts, int tsBits, int pid, Inode inode, int op, long a,
            long b, int mode) {
    }

    /** A file's last page index, LLONG_MAX in pages: remove_inode_hugepages()'s end of a truncation. */
    private static final long FILE_END = Long.MAX_VALUE >>> MemMap.PAGE_SHIFT;
    /** OP_FALLOCATE: a fallocate() of any mode ({@link #fallocate}), bytes {@code [a, a + b)}. */
    public static final int OP_TRUNCATE = 0, OP_PUNCH_HOLE = 1, OP_ALLOCATE = 2, OP_FALLOCATE = 3;

    private final List<Deferred> deferred = new ArrayList<>();

    /** Whether task {@code pid} sleeps in a truncate or punch-hole of a DAX file. */
    public boolean asleep(int pid) {
        for (Waiter w : waiters) {
            if (w.pid == pid) {
                return true;
            }
        }
        return false;
    }

    /**
     * The recording shows task {@code pid}'s truncate or punch-hole return {@code ret} while the model still has it
     * asleep (the caller reports that divergence): the kernel wins, so the task stops waiting and, when the call
     * succeeded, its pages go as the kernel let them, a block still pinned in the model moved aside as when no VMA maps
     * the file.
     */
    public void returnedInTrace(int pid, long ret) {
        for (int w = 0; w < waiters.size(); w++) {
            Waiter x = waiters.get(w);
            if (x.pid == pid) {
                waiters.remove(w);
                if (ret == 0) {
                    complete(x, true);
                }
                wake(pid);
                return;
            }
        }
    }

    /** Queues the current event of a task that is {@link #asleep}; returns {@link #WAITING}. */
    public long defer(Inode inode, int op, long a, long b) {
        return defer(inode, op, a, b, 0);
    }

    /** As {@link #defer(Inode, int, long, long)}, for OP_FALLOCATE with its {@code mode}. */
    public long defer(Inode inode, int op, long a, long b, int mode) {
        var c = ctx;
        deferred.add(new Deferred(c.event, c.line, c.ts, c.tsBits, c.pid, inode, op, a, b, mode));
        return WAITING;
    }

    /**
     * A file whose size the recording did not show, guessed to hold what its mappings cover, turns out to be
     * {@code size} bytes: what the guess put past it (the page cache, the mappings' pages there) was never the file's.
     */
    public void sizeLearned(Inode inode, long size) {
        inode.sizeUnknown = false;
        if (size < inode.size) {
            truncatePages(inode, (size + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT, inode.sizePages(), size, false,
                    false);
        }
        inode.size = size;
    }

    /** ftruncate(): 0, -EINVAL, -EPERM, -EBUSY, or {@link #WAITING}. */
    public long ftruncate(Inode inode, long newSize) {
        var c = ctx;
        if (c.observedIs(-Errno.EPERM) && Memfd.sealsUnknown(inode) && Memfd.setattr(inode, newSize) == 0) {
            // shmem_setattr(), hugetlbfs_setattr() (5.10-7.2): a memfd whose seals the recording never showed may
            // hold F_SEAL_SHRINK or F_SEAL_GROW added before it (the size stays)
            c.assume("the file's seals (F_SEAL_SHRINK or F_SEAL_GROW, added before the recording)");
            return -Errno.EPERM;
        }
        return ftruncate(inode, newSize, c.event, c.line, c.ts, c.tsBits, c.pid);
    }

    private long ftruncate(Inode inode, long newSize, EventType type, long line, long ts, int tsBits, int pid) {
        ctx.cost(CostModel.CALL_NS);
        if (newSize < 0 || inode.isHugetlbfs() && inode.hstate.unaligned(newSize)) {
            // hugetlbfs_setattr() (5.10-7.2), h = hstate_inode(inode): "if (newsize & ~huge_page_mask(h)) return -EINVAL;"
            return -Errno.EINVAL;
        }
        if (inode.isSecretmem() && inode.size != 0) {
            // secretmem_setattr() (5.14-7.2; 6.1 mm/secretmem.c:175, 7.2 :251): "if ((ia_valid & ATTR_SIZE) &&
            // inode->i_size) ret = -EINVAL;": its size is set once
            return -Errno.EINVAL;
        }
        long sealed = Memfd.setattr(inode, newSize);
        if (sealed != 0) {
            return sealed;
        }
        if (inode.isHugetlbfs()) {
            // hugetlbfs_setattr() -> hugetlb_vmtruncate() on every size change, a growth too (5.10-7.2; 6.12
            // fs/hugetlbfs/inode.c:945, :702): hugetlb_vmdelete_list() from the new size to the end and
            // remove_inode_hugepages(inode, offset, LLONG_MAX), folios fallocated past the old size with them
            return shrink(inode, newSize >>> MemMap.PAGE_SHIFT, FILE_END, newSize, false, type, line, ts, tsBits, pid);
        }
        if (newSize >= inode.size) {
            if (!inode.isFsdax(profile.daxEnabled())) {
                inode.size = newSize;
                return 0;
            }
            // ext4_setattr(), xfs_vn_setattr() (5.10-7.2): every ATTR_SIZE change breaks the layouts, a growth too
            return shrink(inode, inode.sizePages(), inode.sizePages(), newSize, false, type, line, ts, tsBits, pid);
        }
        long from = (newSize + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT;
        return shrink(inode, from, inode.sizePages(), newSize, false, type, line, ts, tsBits, pid);
    }

    /** fallocate(FALLOC_FL_PUNCH_HOLE): frees the whole pages of the range. */
    public long punchHole(Inode inode, long offset, long len) {
        var c = ctx;
        return punchHole(inode, offset, len, c.event, c.line, c.ts, c.tsBits, c.pid);
    }

    private long punchHole(Inode inode, long offset, long len, EventType type, long line, long ts, int tsBits, int pid) {
        ctx.cost(CostModel.CALL_NS);
        if (offset < 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        // hugetlbfs_punch_hole() (5.10-7.2): whole huge pages of the file's hstate, huge_page_size(hstate_inode())
        long unit = inode.isHugetlbfs() ? inode.hstate.size() : MemMap.PAGE_SIZE;
        long from = ((offset + unit - 1) & -unit) >>> MemMap.PAGE_SHIFT;
        long to = ((offset + len) & -unit) >>> MemMap.PAGE_SHIFT;
        // hugetlbfs_punch_hole(): the seals are tested inside "if (hole_end > hole_start)" until 6.0, before it since
        long sealed = inode.isHugetlbfs() && !profile.hugetlbPunchSealsFirst && from >= to ? 0
                : Memfd.fallocate(inode, true, 0);
        if (sealed != 0) {
            return sealed;
        }
        if (!inode.isFsdax(profile.daxEnabled())) {
            if (inode.fs.type == FsType.XFS) {
                // xfs_free_file_space() -> xfs_flush_unmap_range(): a partly punched page leaves the page cache too
                // (its block stays, zeroed in part); ext4, btrfs and shmem zero such a page in place
                xfsFlushUnmapRange(inode, offset >>> MemMap.PAGE_SHIFT,
                        (offset + len + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT);
            }
            return from >= to ? 0 : shrink(inode, from, to, -1, true, type, line, ts, tsBits, pid);
        }
        // the layouts break over the whole file, whole pages punched or not; ext4_punch_hole() returns at i_size
        // before its ext4_break_layouts() until ext4_fallocate() breaks them first (6.15, 6.12.41)
        boolean ext4 = inode.fs.type == FsType.EXT4;
        if (ext4 && offset >= inode.size && !profile.ext4FallocateBreaksFirst) {
            return 0;
        }
        if (ext4) {
            to = Math.min(to, inode.sizePages()); // "set the hole to end after the page that contains i_size"
        }
        return shrink(inode, from, Math.max(from, to), -1, true, type, line, ts, tsBits, pid);
    }

    /** fallocate(mode 0): 0, -EINVAL, -EBUSY, or {@link #WAITING}. */
    public long allocate(Inode inode, long offset, long len) {
        var c = ctx;
        return allocate(inode, offset, len, 0, c.event, c.line, c.ts, c.tsBits, c.pid);
    }

    // xfs_file_fallocate() (5.10-7.2) calls xfs_break_layouts(BREAK_UNMAP) before any mode, an allocation too: an
    // fs-DAX file's user PTEs are zapped and the call waits for its pinned pages; ext4_fallocate() allocates without.
    // FALLOC_FL_KEEP_SIZE in mode: the blocks, not the size (ext4_alloc_file_blocks() with new_size 0,
    // xfs_falloc_newsize(), shmem_fallocate(), hugetlbfs_fallocate(), btrfs_fallocate_update_isize())
    private long allocate(Inode inode, long offset, long len, int mode, EventType type, long line, long ts, int tsBits,
            int pid) {
        boolean keep = (mode & Falloc.KEEP_SIZE) != 0;
        if (offset < 0 || len <= 0 || inode.fs.type != FsType.XFS || !inode.isFsdax(profile.daxEnabled())) {
            return files.allocate(inode, offset, len, keep);
        }
        DaxTruncate dt = profile.daxTruncate(true, false);
        if (dt == DaxTruncate.FAIL || dt == DaxTruncate.WAIT) {
            long busy = daxLayoutBusyPage(inode);
            if (busy >= 0 && dt == DaxTruncate.FAIL) {
                return -Errno.EBUSY;
            }
            if (busy >= 0) {
                waiters.add(new Waiter(type, line, ts, tsBits, pid, inode, OP_ALLOCATE, 0, 0, -1, false, offset, len,
                        busy, mode, true));
                return WAITING;
            }
        }
        return files.allocate(inode, offset, len, keep);
    }

    /**
     * fallocate(fd, {@code mode}, offset, len) as vfs_fallocate() and the file's {@code ->fallocate} run it: 0, -errno
     * (a refused call changes nothing), or {@link #WAITING} while the fs-DAX layout break waits for pinned pages. On a
     * file from before the recording whose checks cannot give the recorded result, that result.
     */
    public long fallocate(Inode inode, int mode, long offset, long len) {
        var c = ctx;
        // a file of a known kind whose size the recording does not show: only its range checks against i_size
        // (ext4_insert_range(), ext4_collapse_range(), xfs_falloc_*_range(), 5.10-7.2) may be wrong
        boolean unsized = inode.sizeUnknown && Falloc.check(profile, inode, mode, offset, len) == 0;
        if ((inode.undescribed || unsized) && c.hasObserved) {
            long checked = checks(inode, mode, offset, len);
            if (checked != Falloc.DEVICE_DECIDES && checked != c.observed) {
                // a file from before the recording, of a kind and size the model only took it for: its checks cannot
                // give the recorded result (shmem refusing INSERT_RANGE, a file longer than the model knows), which stands
                c.assume(Inode.name(inode.ino) + ", a file from before the recording, is not what was assumed (the model"
                        + " gave " + Errno.describe(checked) + ")");
                return c.observed < 0 ? c.observed : fallocated(inode, mode, offset, len);
            }
        }
        return fallocate(inode, mode, offset, len, false, c.event, c.line, c.ts, c.tsBits, c.pid);
    }

    /**
     * The folios the last hugetlbfs fallocate() of {@code inode} allocated go back, as a punched hole over each gives
     * them (remove_inode_hugepages(), hugetlb_unreserve_pages()): the kernel's pool could not give them.
     */
    public void unallocateHuge(Inode inode) {
        int order = inode.hstate.order;
        for (int i = files.allocatedHugeCount() - 1; i >= 0; i--) {
            long idx = files.allocatedHuge(i);
            truncatePages(inode, idx << order, (idx + 1) << order, -1, true, false);
        }
    }

    /** The checks of vfs_fallocate() and the filesystem's ->fallocate that refuse before any effect: 0 or the refusal. */
    private long checks(Inode inode, int mode, long offset, long len) {
        long r = Falloc.check(profile, inode, mode, offset, len);
        return r != 0 ? r : rangeChecks(inode, mode, offset, len);
    }

    /**
     * A fallocate() the recording shows succeed (a raw syscall's return): its effect, the kernel's result standing
     * for the checks (the model's size of a file opened before the recording may be short). A mode the model does not
     * know changes nothing.
     */
    public long fallocated(Inode inode, int mode, long offset, long len) {
        var c = ctx;
        return fallocate(inode, mode, offset, len, true, c.event, c.line, c.ts, c.tsBits, c.pid);
    }

    private long fallocate(Inode inode, int mode, long offset, long len, boolean succeeded, EventType type, long line,
            long ts, int tsBits, int pid) {
        if (!succeeded) {
            long r = Falloc.check(profile, inode, mode, offset, len);
            if (r == Falloc.DEVICE_DECIDES) {
                // ext4_fallocate() (6.17+): "if ((mode & FALLOC_FL_WRITE_ZEROES) &&
                // !bdev_write_zeroes_unmap_sectors(inode->i_sb->s_bdev)) return -EOPNOTSUPP;"
                ctx.assume("whether the device unmaps on write zeroes (bdev_write_zeroes_unmap_sectors())");
                r = Math.min(0, ctx.observedOr(-Errno.EOPNOTSUPP));
            }
            if (r != 0) {
                return r;
            }
        } else if (offset < 0 || len <= 0) {
            return 0;
        }
        return switch (mode & Falloc.MODE_MASK) {
            case Falloc.PUNCH_HOLE -> punchHole(inode, offset, len, type, line, ts, tsBits, pid);
            // xfs_file_fallocate()'s FALLOC_FL_UNSHARE_RANGE: xfs_reflink_unshare() (nothing to unshare: the model
            // has no reflinked file), then xfs_alloc_file_space() as an allocation
            case 0, Falloc.UNSHARE_RANGE -> {
                // shmem_fallocate(), hugetlbfs_fallocate(): F_SEAL_GROW refuses growing past i_size, KEEP_SIZE or not
                long sealed = succeeded ? 0 : Memfd.fallocate(inode, false, offset + len);
                yield sealed != 0 ? sealed : allocate(inode, offset, len, mode, type, line, ts, tsBits, pid);
            }
            case Falloc.ZERO_RANGE, Falloc.WRITE_ZEROES, Falloc.COLLAPSE_RANGE, Falloc.INSERT_RANGE ->
                    rangeOp(inode, mode, offset, len, succeeded, type, line, ts, tsBits, pid);
            default -> 0;
        };
    }

    /**
     * FALLOC_FL_ZERO_RANGE (FALLOC_FL_WRITE_ZEROES, 7.2), FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE on ext4,
     * xfs, btrfs (zero only) or a filesystem the recording does not name (taken as ext4): on an fs-DAX file the
     * layouts break first and the call waits for pinned DAX pages, as a punch-hole does. xfs_file_fallocate() breaks
     * them before every mode (5.10-7.2); ext4_fallocate() before every mode but allocation, ahead of the mode's
     * checks, from 6.15 and 6.12.41; before, ext4_zero_range() broke them only over whole blocks and
     * ext4_collapse_range()/ext4_insert_range() after their checks.
     */
    private long rangeOp(Inode inode, int mode, long offset, long len, boolean succeeded, EventType type, long line,
            long ts, int tsBits, int pid) {
        ctx.cost(CostModel.CALL_NS);
        boolean xfs = inode.fs.type == FsType.XFS;
        boolean ext4 = !xfs && inode.fs.type != FsType.BTRFS;
        boolean dax = inode.isFsdax(profile.daxEnabled());
        boolean breakFirst = dax && (xfs || ext4 && profile.ext4FallocateBreaksFirst);
        boolean checked = succeeded || !breakFirst;
        if (!succeeded && !breakFirst) {
            long r = rangeChecks(inode, mode, offset, len);
            if (r != 0) {
                return r;
            }
        }
        boolean zero = (mode & (Falloc.ZERO_RANGE | Falloc.WRITE_ZEROES)) != 0;
        boolean wholeBlocks = wholeFrom(offset) < wholeTo(offset, len);
        if (!dax || !breakFirst && zero && !wholeBlocks) {
            return rangeEffect(inode, mode, offset, len, checked, false, false, line);
        }
        DaxTruncate m = profile.daxTruncate(xfs, inode.fs.type == FsType.EXT4);
        boolean unmapped = false;
        if (m == DaxTruncate.FAIL || m == DaxTruncate.WAIT) {
            long busy = daxLayoutBusyPage(inode);
            if (busy >= 0 && m == DaxTruncate.FAIL) {
                return -Errno.EBUSY;
            }
            if (busy >= 0) {
                waiters.add(new Waiter(type, line, ts, tsBits, pid, inode, OP_FALLOCATE, 0, 0, -1, false, offset, len,
                        busy, mode, checked));
                return WAITING;
            }
            unmapped = profile.daxBusySkipsUnmapped && inode.mappings.isEmpty();
        }
        return rangeEffect(inode, mode, offset, len, checked, m == DaxTruncate.REMAP, unmapped, line);
    }

    /**
     * The checks of ext4_collapse_range()/ext4_insert_range() and xfs_falloc_collapse_range()/
     * xfs_falloc_insert_range() (5.10-7.2): offset and len aligned to the block (the cluster; xfs_is_falloc_aligned(),
     * the allocation unit: 4 KiB in the model, as fs-DAX needs), a collapse ending before i_size ("no need to overlap
     * collapse range with EOF"), an insert starting before it; -EINVAL otherwise.
     */
    private static long rangeChecks(Inode inode, int mode, long offset, long len) {
        int kind = mode & Falloc.MODE_MASK;
        if (kind != Falloc.COLLAPSE_RANGE && kind != Falloc.INSERT_RANGE) {
            return 0;
        }
        if (((offset | len) & (MemMap.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        return kind == Falloc.COLLAPSE_RANGE ? offset + len >= inode.size ? -Errno.EINVAL : 0
                : offset >= inode.size ? -Errno.EINVAL : 0;
    }

    /** The first whole page of bytes {@code [offset, ...)}. */
    private static long wholeFrom(long offset) {
        return (offset + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT;
    }

    /** The end of the last whole page of bytes {@code [offset, offset + len)}. */
    private static long wholeTo(long offset, long len) {
        return (offset + len) >>> MemMap.PAGE_SHIFT;
    }

    /**
     * A zero, collapse or insert range once the layouts are broken: the checks not yet made, then the page cache, the
     * blocks and i_size. {@code unmapped}: the break found no busy page only because no VMA maps the file
     * (dax_layout_busy_page_range() until 6.15), so freed blocks may still be pinned.
     */
    private long rangeEffect(Inode inode, int mode, long offset, long len, boolean checked, boolean remap,
            boolean unmapped, long line) {
        if (!checked) {
            long r = rangeChecks(inode, mode, offset, len);
            if (r != 0) {
                return r;
            }
        }
        boolean xfs = inode.fs.type == FsType.XFS;
        long first = offset >>> MemMap.PAGE_SHIFT;
        long end = (offset + len + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT;
        switch (mode & Falloc.MODE_MASK) {
            case Falloc.COLLAPSE_RANGE, Falloc.INSERT_RANGE -> {
                boolean collapse = (mode & Falloc.COLLAPSE_RANGE) != 0;
                long n = len >>> MemMap.PAGE_SHIFT;
                // ext4_collapse_range()/ext4_insert_range(): truncate_pagecache() from the offset, COWed copies too;
                // xfs_prepare_shift(): xfs_flush_unmap_range() (truncate_pagecache_range()) from the block before it
                long pcFrom = xfs ? Math.max(0, first - 1) : first;
                long last = lastPage(inode);
                if (xfs) {
                    xfsFlushUnmapRange(inode, pcFrom, last);
                } else {
                    dropPageCache(inode, pcFrom, last, true);
                }
                ctx.cost(CostModel.PAGE_WALK_NS * Math.min(last - pcFrom, 1 << 20));
                if (collapse) {
                    // ext4_ext_remove_space() / xfs_free_file_space(), then the extents after it shift down
                    if (unmapped) {
                        noteFreedUnmapped(inode, first, first + n, "collapse-range", line);
                    }
                    freeBlocks(inode, first, first + n, remap);
                    inode.fs.shift(inode, first + n, -n);
                    inode.size = inode.size > offset + len ? inode.size - len : offset;
                    if (xfs) {
                        // xfs_falloc_setsize() -> xfs_setattr_size(): truncate_setsize()'s truncate_pagecache() past the
                        // new size, COWed copies too (5.10-7.2)
                        dropPageCache(inode, MemMap.pageAlign(inode.size) >>> MemMap.PAGE_SHIFT, last, true);
                    }
                } else {
                    // "Expand file to avoid data loss if there is error while shifting", then the extents shift up
                    inode.fs.shift(inode, first, n);
                    inode.size += len;
                }
            }
            default -> { // FALLOC_FL_ZERO_RANGE, FALLOC_FL_WRITE_ZEROES
                long from = wholeFrom(offset);
                long to = wholeTo(offset, len);
                if (xfs) {
                    // xfs_falloc_zero_range(): xfs_free_file_space() drops the page cache (xfs_flush_unmap_range())
                    // and frees the whole blocks, then xfs_alloc_file_space() over the range rounded out
                    xfsFlushUnmapRange(inode, first, end);
                    if (unmapped && to > from) {
                        noteFreedUnmapped(inode, from, to, "zero-range", line);
                    }
                    freeBlocks(inode, from, to, remap);
                } else if (to > from) {
                    // ext4_zero_range(): truncate_pagecache_range() over the whole blocks, their extents converted to
                    // unwritten (the blocks stay the file's); btrfs_zero_range(): btrfs_punch_hole_lock_range()'s
                    // truncate_pagecache_range(), a new prealloc extent replacing the old ones
                    dropPageCache(inode, from, to, false);
                    if (inode.fs.type == FsType.BTRFS) {
                        freeBlocks(inode, from, to, false);
                    }
                }
                if (inode.fs.type.diskBlocks()) {
                    inode.fs.allocateHoles(inode, first, end - first, filePins);
                }
                ctx.cost(CostModel.PAGE_WALK_NS * Math.min(end - first, 1 << 20));
                if ((mode & Falloc.KEEP_SIZE) == 0) {
                    inode.size = Math.max(inode.size, offset + len);
                }
            }
        }
        filePins.changed();
        return 0;
    }

    /** The page past the file's last: its size, a cached page or a block beyond it (blocks allocated KEEP_SIZE). */
    private static long lastPage(Inode inode) {
        long last = inode.sizePages();
        PageCache pc = inode.pageCache;
        for (int i = pc.size() - 1; i >= 0; i--) {
            if (pc.cached(i)) {
                last = Math.max(last, pc.end(i));
                break;
            }
        }
        FileBlocks b = inode.blocks;
        for (int i = b.size() - 1; i >= 0; i--) {
            if (b.allocated(i)) {
                last = Math.max(last, b.end(i));
                break;
            }
        }
        return last;
    }

    /**
     * What a waiter does once no page of its file is busy (with {@code remap}: the kernel let it go on regardless):
     * the call's result, a check made after the break refusing it.
     */
    private long complete(Waiter x, boolean remap) {
        if (x.op == OP_ALLOCATE) {
            return files.allocate(x.inode, x.offset, x.len, (x.mode & Falloc.KEEP_SIZE) != 0);
        }
        if (x.op == OP_FALLOCATE) {
            return rangeEffect(x.inode, x.mode, x.offset, x.len, x.checked, remap, false, x.line);
        }
        truncatePages(x.inode, x.from, x.to, x.newSize, x.punch, remap);
        return 0;
    }

    private long shrink(Inode inode, long from, long to, long newSize, boolean punch, EventType type, long line,
            long ts, int tsBits, int pid) {
        if (!inode.isFsdax(profile.daxEnabled())) {
            truncatePages(inode, from, to, newSize, punch, false);
            return 0;
        }
        DaxTruncate mode = profile.daxTruncate(inode.fs.type == FsType.XFS, inode.fs.type == FsType.EXT4);
        if (mode == DaxTruncate.FAIL || mode == DaxTruncate.WAIT) {
            long busy = daxLayoutBusyPage(inode);
            if (busy >= 0 && mode == DaxTruncate.FAIL) {
                return -Errno.EBUSY;
            }
            if (busy >= 0) {
                waiters.add(new Waiter(type, line, ts, tsBits, pid, inode, punch ? OP_PUNCH_HOLE : OP_TRUNCATE, from,
                        to, newSize, punch, 0, 0, busy));
                return WAITING;
            }
            if (profile.daxBusySkipsUnmapped && inode.mappings.isEmpty()) {
                noteFreedUnmapped(inode, from, to, punch, line);
            }
        }
        truncatePages(inode, from, to, newSize, punch, mode == DaxTruncate.REMAP);
        return 0;
    }

    /**
     * fs/dax.c dax_layout_busy_page_range() over the whole file: unmaps every user PTE, then returns the first page
     * with references beyond idle (-1 when none). Until 6.15 it starts with
     * "if (!dax_mapping(mapping) || !mapping_mapped(mapping)) return NULL;": a file no VMA maps has no busy page,
     * even while O_DIRECT or a raw pin still holds its blocks.
     */
    private long daxLayoutBusyPage(Inode inode) {
        if (profile.daxBusySkipsUnmapped && inode.mappings.isEmpty()) {
            return -1;
        }
        addressSpace.unmapMappingRange(inode, 0, Long.MAX_VALUE / 2, false);
        return firstBusyFrame(inode);
    }

    /** The mapping_mapped() hole let this truncate free blocks still pinned: the later DMA's violation says so. */
    private void noteFreedUnmapped(Inode inode, long from, long to, boolean punch, long line) {
        noteFreedUnmapped(inode, from, to, punch ? "punch-hole" : "truncate", line);
    }

    private void noteFreedUnmapped(Inode inode, long from, long to, String call, long line) {
        String why = "the " + call + " at line " + line + " did not wait for it: "
                + "dax_layout_busy_page_range() finds no busy page in a file no VMA maps (mapping_mapped(), until 6.15)";
        FileSystem.forEachBlock(inode, from, to - from, (blk, len, fileIndex) ->
                registrations.noteBlocksFreed(inode.fs.daxBase() + blk, len, why));
    }

    /**
     * truncate_pagecache() / truncate_pagecache_range() and the block freeing: PTEs zapped, page-cache
     * folios detached (pinned ones live on), blocks freed for reuse or, with {@code remap}, the pinned
     * ones handed to lost+found.
     */
    private void truncatePages(Inode inode, long from, long to, long newSize, boolean punch, boolean remap) {
        // truncate_pagecache() unmaps private COW copies too, truncate_pagecache_range() (a punch) not; hugetlbfs's
        // hugetlb_vmdelete_list() unmaps every VMA's pages in the range, private copies too, for both (5.10-7.2)
        if (inode.isHugetlbfs()) {
            // remove_inode_hugepages() -> hugetlb_unreserve_pages() (5.10-7.2); a truncation's reaches LLONG_MAX
            hugetlb.unreservePages(inode, from, punch ? to : Long.MAX_VALUE);
        }
        dropPageCache(inode, from, to, !punch || inode.isHugetlbfs());
        freeBlocks(inode, from, to, remap);
        ctx.cost(CostModel.PAGE_WALK_NS * Math.min(to - from, 1 << 20));
        if (newSize >= 0) {
            inode.size = newSize;
        }
    }

    /**
     * unmap_mapping_range() and truncate_inode_pages_range() over file pages {@code [from, to)}: user PTEs zapped
     * (with {@code evenCows}, as truncate_pagecache() does, the private COWed copies too; truncate_pagecache_range()
     * leaves them), the cached folios leave the page cache; a pinned one lives on, detached from the file.
     */
    private void dropPageCache(Inode inode, long from, long to, boolean evenCows) {
        addressSpace.unmapMappingRange(inode, from, to - from, evenCows);
        filePins.changed();
        PageCache pc = inode.pageCache;
        for (int i = pc.indexOf(from); i < pc.size() && pc.start(i) < to; i++) {
            if (pc.cached(i)) {
                long s = Math.max(from, pc.start(i));
                long e = Math.min(to, pc.end(i));
                memMap.putOwnerRef(pc.pfnAt(i, s), e - s);
            }
        }
        pc.clear(from, to);
    }

    /**
     * xfs_flush_unmap_range() (5.10-7.2): truncate_pagecache_range() over file pages {@code [from, to)}, the byte range
     * rounded out to whole pages. Where it takes a large folio it covers only in part out whole
     * ({@code xfs-flush-unmap-whole-folio}), truncate_cleanup_folio() unmaps one still mapped with
     * unmap_mapping_folio(): every VMA of the file loses the page-cache PTEs and the guard markers over the whole folio.
     */
    private void xfsFlushUnmapRange(Inode inode, long from, long to) {
        if (!profile.xfsFlushUnmapWholeFolio || from >= to) {
            dropPageCache(inode, from, to, false);
            return;
        }
        PageCache pc = inode.pageCache;
        long firstHead = pc.folioHead(memMap, from);
        long firstEnd = firstHead + (pc.cached(pc.indexOf(from)) ? pc.folioPages(memMap, from) : 1);
        long lastHead = pc.folioHead(memMap, to - 1);
        long lastEnd = lastHead + (pc.cached(pc.indexOf(to - 1)) ? pc.folioPages(memMap, to - 1) : 1);
        dropPageCache(inode, from, to, false);
        boolean firstPartial = firstHead < from;
        if (firstPartial) {
            partialFolioOut(inode, firstHead, firstEnd);
        }
        if (lastEnd > to && !(firstPartial && lastHead == firstHead)) {
            partialFolioOut(inode, lastHead, lastEnd);
        }
    }

    /** truncate_inode_folio() of the folio over file pages {@code [head, end)}, part of it out of the page cache already. */
    private void partialFolioOut(Inode inode, long head, long end) {
        if (addressSpace.mapsFilePages(inode, head, end - head)) {
            addressSpace.unmapMappingFolio(inode, head, end - head);
        }
        dropPageCache(inode, head, end, false);
    }

    /** The blocks behind file pages {@code [from, to)} are freed or, with {@code remap}, the pinned ones moved aside. */
    private void freeBlocks(Inode inode, long from, long to, boolean remap) {
        FileSystem fs = inode.fs;
        if (fs.type.diskBlocks() && to > from) {
            if (remap) {
                remapPinnedBlocks(inode, from, to);
            }
            if (inode.isFsdax(profile.daxEnabled())) {
                FileSystem.forEachBlock(inode, from, to - from,
                        (blk, len, fileIndex) -> registrations.daxBlocksFreed(fs.daxBase() + blk, len));
            }
            fs.free(inode, from, to - from);
        }
    }

    /**
     * invalidate_inode_pages2_range() over the folios that hold bytes {@code [offset, offset + len)}, as an O_DIRECT
     * write calls it before and after the write (kiocb_invalidate_pages(), kiocb_invalidate_post_direct_write(), 6.6+;
     * iomap_dio_rw() and iomap_dio_complete() before): each cached folio is unmapped from user page tables
     * (unmap_mapping_folio(): COWed copies stay), then leaves the page cache unless dirty
     * (invalidate_complete_folio2(), -EBUSY); a pinned one leaves too, its refcount unchecked: the pin holds a folio the
     * file no longer has. The blocks stay the file's. Returns -EBUSY when a dirty folio stayed, else 0.
     */
    public long invalidateInodePages2Range(Inode inode, long offset, long len) {
        PageCache pc = inode.pageCache;
        long from = pc.folioHead(memMap, offset >>> MemMap.PAGE_SHIFT);
        long last = (offset + len - 1) >>> MemMap.PAGE_SHIFT;
        long to = pc.folioHead(memMap, last) + pc.folioPages(memMap, last);
        long busy = 0;
        for (long p = from; p < to; ) { // by file page: dropClean() changes the runs
            int i = pc.indexOf(p);
            long e = Math.min(to, pc.end(i));
            if (pc.cached(i)) {
                addressSpace.unmapMappingRange(inode, p, e - p, false);
                busy |= dropClean(pc, p, pc.pfnAt(i, p), e - p);
            }
            p = e;
        }
        filePins.changed();
        ctx.cost(CostModel.PAGE_WALK_NS * Math.min(to - from, 1 << 20));
        return busy != 0 ? -Errno.EBUSY : 0;
    }

    /**
     * invalidate_mapping_pages() over the folios that hold bytes {@code [offset, offset + len)}: unlike
     * {@link #invalidateInodePages2Range} it unmaps nothing and takes only idle folios (mapping_evict_folio(): not dirty,
     * not mapped, no reference beyond the page cache's, so never a pinned one).
     */
    public void invalidateMappingPages(Inode inode, long offset, long len) {
        PageCache pc = inode.pageCache;
        long last = (offset + len - 1) >>> MemMap.PAGE_SHIFT;
        for (long p = pc.folioHead(memMap, offset >>> MemMap.PAGE_SHIFT); p <= last; ) {
            int i = pc.indexOf(p);
            if (!pc.cached(i)) {
                p = pc.end(i);
                continue;
            }
            long n = pc.folioPages(memMap, p);
            long pfn = pc.pfnAt(i, p);
            if (!memMap.anyFlag(pfn, n, PageFlags.DIRTY) && !memMap.busy(pfn, n, 1)
                    && !addressSpace.mapsFilePages(inode, p, n)) {
                memMap.putOwnerRef(pfn, n);
                pc.clear(p, p + n);
            }
            p += n;
        }
        filePins.changed();
        ctx.cost(CostModel.PAGE_WALK_NS * Math.min(last + 1 - (offset >>> MemMap.PAGE_SHIFT), 1 << 20));
    }

    /** invalidate_complete_folio2() over one cached run: the clean pages leave; returns 1 when a dirty one stayed. */
    private long dropClean(PageCache pc, long index, long pfn, long n) {
        Counters flags = memMap.flagsMap();
        long busy = 0;
        for (long p = pfn; p < pfn + n; ) {
            int j = flags.indexOf(p);
            long e = Math.min(pfn + n, flags.end(j));
            if ((flags.value(j) & PageFlags.DIRTY) != 0) {
                busy = 1;
            } else {
                String holder = registrations.holderOf(p, e - p);
                if (holder != null) {
                    ctx.violation(ViolationKind.PINNED_PAGE_DISCARDED, holder, "an O_DIRECT write's invalidation "
                            + "(invalidate_inode_pages2_range()) took page-cache folios that " + holder + " holds pinned "
                            + "out of the file: the device keeps them, the file's readers and the task's next touch get others");
                }
                memMap.putOwnerRef(p, e - p);
                pc.clear(index + (p - pfn), index + (e - pfn));
            }
            p = e;
        }
        return busy;
    }

    /** Seed 001 option 3: busy blocks go to lost+found instead of the free list. */
    private void remapPinnedBlocks(Inode inode, long from, long to) {
        FileSystem fs = inode.fs;
        FileBlocks b = inode.blocks;
        long idle = profile.daxIdleRefcount;
        for (long p = from; p < to; ) {
            int i = b.indexOf(p);
            long e = Math.min(to, b.end(i));
            if (b.allocated(i)) {
                long blk = b.blockAt(i, p);
                for (long q = 0; q < e - p; ) {
                    Counters ref = memMap.refcountMap();
                    int j = ref.indexOf(fs.daxBase() + blk + q);
                    long run = Math.min(e - p - q, ref.end(j) - (fs.daxBase() + blk + q));
                    if (ref.value(j) > idle) {
                        fs.moveToLostFound(inode, p + q, run);
                        if (!withLostFound.contains(fs)) {
                            withLostFound.add(fs);
                        }
                    }
                    q += run;
                }
            }
            p = e;
        }
    }

    /** dax_busy_page() in file order: the first DAX frame of the file holding references beyond idle, or -1. */
    private long firstBusyFrame(Inode inode) {
        FileBlocks b = inode.blocks;
        Counters ref = memMap.refcountMap();
        long idle = profile.daxIdleRefcount;
        for (int i = 0; i < b.size(); i++) {
            if (!b.allocated(i)) {
                continue;
            }
            long s = inode.fs.daxBase() + b.block(i);
            long e = s + (b.end(i) - b.start(i));
            for (int j = ref.indexOf(s); j < ref.size() && ref.start(j) < e; j++) {
                if (ref.value(j) > idle) {
                    return Math.max(s, ref.start(j));
                }
            }
        }
        return -1;
    }

    /** Before {@code r} drops its pages: which sleepers sleep on a page it holds. */
    @Override
    public void releasing(Registration r) {
        for (int w = 0; w < waiters.size(); w++) {
            Waiter x = waiters.get(w);
            x.onReleased = r.holdsFrame(x.sleepFrame);
        }
    }

    /**
     * The registration named {@code released} dropped its pages. A waiter whose page is now idle wakes only if that
     * registration held the page and its put called wake_up_var() ({@code wakes}); woken, it looks for the next busy
     * page and completes when there is none. Idle lost+found blocks are freed.
     */
    @Override
    public void onPinsDropped(String released, boolean wakes) {
        for (int w = 0; w < waiters.size(); ) {
            Waiter x = waiters.get(w);
            boolean idled = x.onReleased && !memMap.busy(x.sleepFrame, 1, profile.daxIdleRefcount);
            x.onReleased = false;
            if (!idled) {
                w++;
                continue;
            }
            if (!wakes) {
                x.missedBy = released + " (line " + ctx.line + ")";
                w++;
                continue;
            }
            x.missedBy = null;
            long next = firstBusyFrame(x.inode);
            if (next >= 0) {
                x.sleepFrame = next;
                w++;
                continue;
            }
            waiters.remove(w);
            long r = complete(x, false);
            ctx.completeWaitingCall(x.type, x.line, x.ts, x.tsBits, x.pid, r);
            wake(x.pid);
            w = 0;
        }
        for (int i = 0; i < withLostFound.size(); i++) {
            freeIdleLostFound(withLostFound.get(i));
        }
    }

    /** The woken task issues what it was traced doing next, until it sleeps again. */
    private void wake(int pid) {
        for (int i = 0; i < deferred.size() && !asleep(pid); ) {
            Deferred d = deferred.get(i);
            if (d.pid != pid) {
                i++;
                continue;
            }
            deferred.remove(i);
            long r = switch (d.op) {
                case OP_TRUNCATE -> ftruncate(d.inode, d.a, d.type, d.line, d.ts, d.tsBits, d.pid);
                case OP_PUNCH_HOLE -> punchHole(d.inode, d.a, d.b, d.type, d.line, d.ts, d.tsBits, d.pid);
                case OP_FALLOCATE -> fallocate(d.inode, d.mode, d.a, d.b, false, d.type, d.line, d.ts, d.tsBits, d.pid);
                default -> allocate(d.inode, d.a, d.b, 0, d.type, d.line, d.ts, d.tsBits, d.pid);
            };
            if (r != WAITING) {
                ctx.completeWaitingCall(d.type, d.line, d.ts, d.tsBits, d.pid, r);
            }
        }
    }

    private void freeIdleLostFound(FileSystem fs) {
        BlockOwners owners = fs.blockOwner;
        long idle = profile.daxIdleRefcount;
        for (long p = 0; p != Long.MAX_VALUE; ) {
            int i = owners.indexOf(p);
            long e = owners.end(i);
            if (owners.ino(i) == FileSystem.LOST_FOUND_INO && !memMap.busy(fs.daxBase() + p, e - p, idle)) {
                owners.clear(p, e);
            }
            p = e;
        }
    }

    /**
     * End of trace: every truncate still waiting is a stall, blocked until the last timestamp, with its cause; so are
     * the calls its task issues after it.
     */
    public void reportStalls(long lastTs, Outcome scratch) {
        for (Waiter x : waiters) {
            Outcome o = scratch.reset(Outcome.Kind.STALL).at(x.line, x.ts, x.tsBits, x.pid, x.type);
            o.blockedNs = Math.max(0, lastTs - x.ts);
            cause(o, x);
            ctx.sink().accept(o);
        }
        for (Deferred d : deferred) {
            Outcome o = scratch.reset(Outcome.Kind.STALL).at(d.line, d.ts, d.tsBits, d.pid, d.type);
            o.blockedNs = Math.max(0, lastTs - d.ts);
            o.waitingOn = new String[0];
            o.cause = PINS_HELD;
            for (Waiter w : waiters) {
                if (w.pid == d.pid) {
                    cause(o, w);
                    break;
                }
            }
            ctx.sink().accept(o);
        }
    }

    /** What a stall behind {@code x} waits on, and why nothing ended it. */
    private void cause(Outcome o, Waiter x) {
        o.waitingOn = holders(x.inode);
        if (x.missedBy == null) {
            o.cause = PINS_HELD;
            return;
        }
        o.cause = DAX_WAKEUP_MISSED;
        o.detail = "the DAX page it sleeps on went idle when " + x.missedBy + " completed, without a wake-up: "
                + "__bio_release_pages() drops O_DIRECT's FOLL_GET references with folio_put_refs(), not put_page(), "
                + "so put_devmap_managed_page_refs() never calls wake_up_var(); the task sleeps until a signal, "
                + "then finds the page idle";
    }

    public int waiting() {
        return waiters.size() + deferred.size();
    }

    private String[] holders(Inode inode) {
        FileBlocks b = inode.blocks;
        return IntStream.range(0, b.size()).filter(b::allocated).boxed()
                .flatMap(i -> registrations.holdersOfFrames(inode.fs.daxBase() + b.block(i), b.end(i) - b.start(i))
                        .stream())
                .distinct().toArray(String[]::new);
    }
}
