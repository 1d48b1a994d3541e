package pinreplay.replay.gup;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.FilePins;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.kernel.LongtermMigration;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.FrameOwners;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.PageTable;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.mm.Tasks;
import pinreplay.replay.outcome.ViolationKind;
import pinreplay.replay.range.LongObjectMap;

/**
 * Page migration: the long-term pin's check_and_migrate_movable_pages() and the compaction/NUMA
 * migration of a {@code migrate} event. migrate_pages() refuses a folio holding references beyond its
 * owner's (folio_expected_refs()), so a pinned page never moves unless a fault point breaks that.
 */
public final class Migration {
    private final Profile profile;
    private final EventContext ctx;
    private final FaultPoints faults;
    private final MemMap memMap;
    private final Tasks tasks;
    private final LongObjectMap<Inode> inodes;
    private final FilePins filePins;
    private final Unpin unpin;
    private final Registrations registrations;
    private final AddressSpace addressSpace;
    private long[] runPfn = new long[16];
    private long[] runLen = new long[16];
    private int runs;
    /** CMA era: the previous migration failed, so the next pass pins in place. */
    private boolean pinInPlace;

    public Migration(Profile profile, EventContext ctx, FaultPoints faults, MemMap memMap, Tasks tasks,
            LongObjectMap<Inode> inodes, FilePins filePins, Unpin unpin, Registrations registrations,
            AddressSpace addressSpace) {
        this.profile = profile;
        this.ctx = ctx;
        this.faults = faults;
        this.memMap = memMap;
        this.tasks = tasks;
        this.inodes = inodes;
        this.filePins = filePins;
        this.unpin = unpin;
        this.registrations = registrations;
        this.addressSpace = addressSpace;
    }

    /**
     * mm/gup.c check_and_migrate_movable_pages() (~5.13+; check_and_migrate_cma_pages() ~5.1-5.12):
     * 0 when every folio is long-term pinnable; otherwise unpin everything the call pinned, migrate, and
     * return -EAGAIN to pin again, or -ENOMEM when migrate_pages() failed (until 5.13, and 5.10.y before 5.10.38,
     * pinned in place).
     */
    public long checkAndMigrateMovablePages(Mm mm, long start, Extents out, int mark, long foll) {
        boolean movableEra = profile.longtermMigration == LongtermMigration.MOVABLE_OR_ENOMEM;
        boolean failureIsError = profile.longtermMigration != LongtermMigration.CMA_PIN_ON_FAILURE;
        if (pinInPlace) {
            pinInPlace = false;
            return 0;
        }
        long unpinnable = PageFlags.CMA | (movableEra ? PageFlags.MOVABLE : 0);
        runs = 0;
        long pages = 0;
        for (int i = mark; i < out.size(); i++) {
            if ((out.kind(i) & (PageFlags.ZERO | PageFlags.DAX)) == 0 && memMap.anyFlag(out.pfn(i), out.len(i),
                    unpinnable)) {
                addRun(out.pfn(i), out.len(i));
                pages += out.len(i);
            }
        }
        if (runs == 0) {
            return 0;
        }
        // migrate_longterm_unpinnable_folios(): unpin all pinned pages, not only the bad ones.
        unpin.release(out, mark, (foll & Foll.PIN) != 0, false);
        boolean fails = faults.migratePagesFails(mm, start, pages);
        if (fails) {
            ctx.injection("migrate_pages", failureIsError ? "-ENOMEM" : "failed, pinned in place");
        }
        for (int r = 0; r < runs && !fails; r++) {
            fails = memMap.hasExtraRefs(runPfn[r], runLen[r]); // a fork() child's mapping does not hold it back
        }
        if (fails) {
            if (failureIsError) {
                return -Errno.ENOMEM;
            }
            pinInPlace = true;
            return -Errno.EAGAIN;
        }
        for (int r = 0; r < runs; r++) {
            moveFrames(runPfn[r], runLen[r], unpinnable);
        }
        return -Errno.EAGAIN;
    }

    /**
     * A {@code migrate} event (compaction, NUMA balancing): moves the pages mapped at
     * {@code [addr, addr + len)} that hold no extra reference. Returns the pages not migrated, as
     * migrate_pages() does.
     */
    public long migrateRange(Mm mm, long addr, long len) {
        PageTable pt = mm.pageTable;
        long from = addr >>> MemMap.PAGE_SHIFT;
        long to = (addr + len + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT;
        long notMigrated = 0;
        for (long p = from; p < to; ) {
            int i = pt.indexOf(p);
            long e = Math.min(to, pt.end(i));
            long bits = pt.pte(i);
            if ((bits & Pte.PRESENT) != 0 && (bits & (Pte.SPECIAL | Pte.ZERO | Pte.DEVMAP)) == 0) {
                notMigrated += migrateMapped(mm, pt.pfnAt(i, p), e - p, p);
            }
            p = e;
        }
        return notMigrated;
    }

    /**
     * migrate_pages() of mapped frames: try_to_migrate() unmaps every mapping, then folio_migrate_mapping() finds a
     * reference beyond the owner's (a GUP reference, a pin) and the folio stays, counted once however large
     * (5.10's thp_retry, 6.1+'s folios).
     */
    private long migrateMapped(Mm mm, long pfn, long n, long vpn) {
        long notMigrated = 0;
        for (long p = pfn; p < pfn + n; ) {
            long e = p + memMap.uniformRun(p, pfn + n - p);
            if (memMap.hasExtraRefs(p, e - p)) {
                long at = (vpn + (p - pfn)) << MemMap.PAGE_SHIFT;
                if (faults.migratePinnedPage(mm, at)) {
                    ctx.injection("migrate_pages", "moved a folio with extra references");
                    ctx.violation(ViolationKind.PINNED_PAGE_MIGRATED, registrations.holderOf(p, e - p),
                            (e - p) + " page(s) at 0x" + Long.toHexString(at) + " were migrated while pinned; the pin"
                                    + " still refers to the old frames, now freed");
                    moveFrames(p, e - p, 0);
                } else {
                    int ord = memMap.order(p);
                    notMigrated += ((e - 1) >>> ord) - (p >>> ord) + 1;
                }
            } else {
                moveFrames(p, e - p, 0);
            }
            p = e;
        }
        return notMigrated;
    }

    /** Moves frames to newly allocated ones (without {@code dropFlags}), repointing their owner. */
    private void moveFrames(long pfn, long n, long dropFlags) {
        filePins.changed();
        FrameOwners owners = memMap.ownerMap();
        for (long p = pfn; p < pfn + n; ) {
            int i = owners.indexOf(p);
            long e = Math.min(pfn + n, owners.end(i));
            long id = owners.owner(i);
            long index = owners.pageAt(i, p);
            long flags = memMap.flags(p);
            long len = e - p;
            ctx.cost(CostModel.MIGRATE_PAGE_NS * len);
            if (id != 0 && (flags & (PageFlags.ANON | PageFlags.FILE)) != 0) {
                long moved = memMap.allocRam(len, memMap.order(p), flags & ~dropFlags, id, index);
                if ((flags & PageFlags.ANON) != 0) {
                    memMap.moveAnonRmap(p, moved, len);
                    // try_to_migrate()/remove_migration_ptes() walk the rmap: the owner and every fork() child
                    // still sharing the page map it at the same address
                    for (long mmId : tasks.mmIds()) {
                        repoint(tasks.byId(mmId).pageTable, index, p, moved, len);
                    }
                } else {
                    Inode inode = inodes.get(id);
                    if (inode != null) {
                        inode.pageCache.set(index, index + len, 1, moved);
                        addressSpace.unmapMappingRange(inode, index, len, false);
                    }
                }
                memMap.free(p, len);
            }
            p = e;
        }
    }

    /** Points the PTEs of {@code [vpn, vpn + n)} that map {@code from}'s frames at {@code to}'s. */
    private static void repoint(PageTable pt, long vpn, long from, long to, long n) {
        for (long q = vpn; q < vpn + n; ) {
            int j = pt.indexOf(q);
            long e = Math.min(vpn + n, pt.end(j));
            long bits = pt.pte(j);
            if ((bits & (Pte.PRESENT | Pte.ANON)) == (Pte.PRESENT | Pte.ANON) && pt.pfnAt(j, q) == from + (q - vpn)) {
                pt.set(q, e, bits, to + (q - vpn));
            }
            q = e;
        }
    }

    private void addRun(long pfn, long len) {
        if (runs == runPfn.length) {
            runPfn = java.util.Arrays.copyOf(runPfn, runs * 2);
            runLen = java.util.Arrays.copyOf(runLen, runs * 2);
        }
        runPfn[runs] = pfn;
        runLen[runs] = len;
        runs++;
    }
}
