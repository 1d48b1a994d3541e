package pinreplay.replay.fs;

import java.util.ArrayList;
import java.util.List;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.replay.CostModel;
import pinreplay.replay.Kernel;
import pinreplay.replay.kernel.DaxTruncate;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.range.RangeMap;

/**
 * Truncate and punch-hole against pinned pages. Page cache: pinned pages are detached and survive
 * (mm/truncate.c). fsdax: the page is the block, so what happens depends on the release or the
 * {@code dax-truncate} policy (seed 001): none (pre-4.18), fail, wait (xfs_break_dax_layouts() 4.18,
 * ext4_break_layouts() 4.19), remap to lost+found, or no DAX at all.
 */
public final class Truncate {
    /** The call waits: it is reported when it completes, or as a stall. */
    public static final long WAITING = Long.MIN_VALUE + 1;

    private final Kernel k;
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<FileSystem> withLostFound = new ArrayList<>();

    public Truncate(Kernel k) {
        this.k = k;
    }

    /** A truncate sleeping in the filesystem's break-layouts loop until the file's DAX pages are idle. */
    private record Waiter(EventType type, long line, long ts, int tsBits, int pid, Inode inode, long from, long to,
            long newSize, boolean punch) {
    }

    /**
     * A truncate or fallocate traced from a task that sleeps in a {@link Waiter} (xfs_break_dax_layouts() /
     * ext4_break_layouts(): ___wait_var_event(TASK_INTERRUPTIBLE), v4.18/~v4.19): the task cannot issue it
     * before it wakes, so it runs then, in trace order ({@code op} one of the {@code OP_}s).
     */
    private record Deferred(EventType type, long line, long ts, int tsBits, int pid, Inode inode, int op, long a,
            long b) {
    }

    public static final int OP_TRUNCATE = 0, OP_PUNCH_HOLE = 1, OP_ALLOCATE = 2;

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

    /** Queues the current event of a task that is {@link #asleep}; returns {@link #WAITING}. */
    public long defer(Inode inode, int op, long a, long b) {
        var c = k.ctx;
        deferred.add(new Deferred(c.event, c.line, c.ts, c.tsBits, c.pid, inode, op, a, b));
        return WAITING;
    }

    /** ftruncate(): 0, -EINVAL, -EBUSY, or {@link #WAITING}. */
    public long ftruncate(Inode inode, long newSize) {
        var c = k.ctx;
        return ftruncate(inode, newSize, c.event, c.line, c.ts, c.tsBits, c.pid);
    }

    private long ftruncate(Inode inode, long newSize, EventType type, long line, long ts, int tsBits, int pid) {
        k.ctx.cost(CostModel.CALL_NS);
        if (newSize < 0) {
            return -Errno.EINVAL;
        }
        if (newSize >= inode.size) {
            inode.size = newSize;
            return 0;
        }
        long from = (newSize + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT;
        return shrink(inode, from, inode.sizePages(), newSize, false, type, line, ts, tsBits, pid);
    }

    /** fallocate(FALLOC_FL_PUNCH_HOLE): frees the whole pages of the range. */
    public long punchHole(Inode inode, long offset, long len) {
        var c = k.ctx;
        return punchHole(inode, offset, len, c.event, c.line, c.ts, c.tsBits, c.pid);
    }

    private long punchHole(Inode inode, long offset, long len, EventType type, long line, long ts, int tsBits, int pid) {
        k.ctx.cost(CostModel.CALL_NS);
        if (offset < 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        long from = (offset + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT;
        long to = (offset + len) >>> MemMap.PAGE_SHIFT;
        return from >= to ? 0 : shrink(inode, from, to, -1, true, type, line, ts, tsBits, pid);
    }

    private long shrink(Inode inode, long from, long to, long newSize, boolean punch, EventType type, long line,
            long ts, int tsBits, int pid) {
        if (!k.isFsdax(inode)) {
            truncatePages(inode, from, to, newSize, punch, false);
            return 0;
        }
        DaxTruncate mode = k.profile.daxTruncate(inode.fs.type == FsType.XFS, inode.fs.type == FsType.EXT4);
        if (mode == DaxTruncate.FAIL || mode == DaxTruncate.WAIT) {
            // dax_layout_busy_page(): unmap every user PTE, then look for a page with extra references.
            k.addressSpace.unmapMappingRange(inode, 0, Long.MAX_VALUE / 2, false);
            if (daxBusy(inode)) {
                if (mode == DaxTruncate.FAIL) {
                    return -Errno.EBUSY;
                }
                waiters.add(new Waiter(type, line, ts, tsBits, pid, inode, from, to, newSize, punch));
                return WAITING;
            }
        }
        truncatePages(inode, from, to, newSize, punch, mode == DaxTruncate.REMAP);
        return 0;
    }

    /**
     * truncate_pagecache() / truncate_pagecache_range() and the block freeing: PTEs zapped, page-cache
     * folios detached (pinned ones live on), blocks freed for reuse or, with {@code remap}, the pinned
     * ones handed to lost+found.
     */
    private void truncatePages(Inode inode, long from, long to, long newSize, boolean punch, boolean remap) {
        k.addressSpace.unmapMappingRange(inode, from, to - from, !punch);
        k.pinnedFilesGeneration++;
        RangeMap pc = inode.pageCache;
        for (int i = pc.indexOf(from); i < pc.size() && pc.start(i) < to; i++) {
            if (pc.a(i) != 0) {
                long s = Math.max(from, pc.start(i));
                long e = Math.min(to, pc.end(i));
                k.memMap.putOwnerRef(pc.bAt(i, s), e - s);
            }
        }
        pc.clear(from, to);
        FileSystem fs = inode.fs;
        if (fs.type.diskBlocks()) {
            if (remap) {
                remapPinnedBlocks(inode, from, to);
            }
            fs.free(inode, from, to - from);
        }
        k.ctx.cost(CostModel.PAGE_WALK_NS * Math.min(to - from, 1 << 20));
        if (newSize >= 0) {
            inode.size = newSize;
        }
    }

    /** Seed 001 option 3: busy blocks go to lost+found instead of the free list. */
    private void remapPinnedBlocks(Inode inode, long from, long to) {
        FileSystem fs = inode.fs;
        RangeMap b = inode.blocks;
        long idle = k.profile.daxIdleRefcount;
        for (long p = from; p < to; ) {
            int i = b.indexOf(p);
            long e = Math.min(to, b.end(i));
            if (b.a(i) != 0) {
                long blk = b.bAt(i, p);
                for (long q = 0; q < e - p; ) {
                    RangeMap ref = k.memMap.refcountMap();
                    int j = ref.indexOf(fs.daxBase() + blk + q);
                    long run = Math.min(e - p - q, ref.end(j) - (fs.daxBase() + blk + q));
                    if (ref.a(j) > idle) {
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

    /** Whether any DAX page of the file holds references beyond idle (dax_layout_busy_page()). */
    private boolean daxBusy(Inode inode) {
        RangeMap b = inode.blocks;
        long idle = k.profile.daxIdleRefcount;
        for (int i = 0; i < b.size(); i++) {
            if (b.a(i) != 0) {
                long blk = b.b(i);
                if (k.memMap.busy(inode.fs.daxBase() + blk, b.end(i) - b.start(i), idle)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Pins dropped: waiting truncates whose file is idle complete now; idle lost+found blocks are freed. */
    public void onPinsDropped() {
        for (int w = 0; w < waiters.size(); ) {
            Waiter x = waiters.get(w);
            if (daxBusy(x.inode)) {
                w++;
                continue;
            }
            waiters.remove(w);
            truncatePages(x.inode, x.from, x.to, x.newSize, x.punch, false);
            k.ctx.completeWaitingCall(x.type, x.line, x.ts, x.tsBits, x.pid, 0);
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
                default -> k.files.allocate(d.inode, d.a, d.b);
            };
            if (r != WAITING) {
                k.ctx.completeWaitingCall(d.type, d.line, d.ts, d.tsBits, d.pid, r);
            }
        }
    }

    private void freeIdleLostFound(FileSystem fs) {
        RangeMap owners = fs.blockOwner;
        long idle = k.profile.daxIdleRefcount;
        for (long p = 0; p != Long.MAX_VALUE; ) {
            int i = owners.indexOf(p);
            long e = owners.end(i);
            if (owners.a(i) == FileSystem.LOST_FOUND_INO && !k.memMap.busy(fs.daxBase() + p, e - p, idle)) {
                owners.clear(p, e);
            }
            p = e;
        }
    }

    /** End of trace: every truncate still waiting is a stall, blocked until the last timestamp. */
    public void reportStalls(long lastTs, Outcome scratch) {
        for (Waiter x : waiters) {
            Outcome o = scratch.reset(Outcome.Kind.STALL);
            o.line = x.line;
            o.ts = x.ts;
            o.tsBits = x.tsBits;
            o.pid = x.pid;
            o.event = x.type;
            o.waitingOn = holders(x.inode);
            o.blockedNs = Math.max(0, lastTs - x.ts);
            k.ctx.sink().accept(o);
        }
        for (Deferred d : deferred) {
            Outcome o = scratch.reset(Outcome.Kind.STALL);
            o.line = d.line;
            o.ts = d.ts;
            o.tsBits = d.tsBits;
            o.pid = d.pid;
            o.event = d.type;
            o.waitingOn = new String[0];
            for (Waiter w : waiters) {
                if (w.pid == d.pid) {
                    o.waitingOn = holders(w.inode);
                    break;
                }
            }
            o.blockedNs = Math.max(0, lastTs - d.ts);
            k.ctx.sink().accept(o);
        }
    }

    public int waiting() {
        return waiters.size() + deferred.size();
    }

    private String[] holders(Inode inode) {
        List<String> names = new ArrayList<>();
        RangeMap b = inode.blocks;
        for (int i = 0; i < b.size(); i++) {
            if (b.a(i) != 0) {
                for (String n : k.registrations.holdersOfFrames(inode.fs.daxBase() + b.b(i), b.end(i) - b.start(i))) {
                    if (!names.contains(n)) {
                        names.add(n);
                    }
                }
            }
        }
        return names.toArray(new String[0]);
    }
}
