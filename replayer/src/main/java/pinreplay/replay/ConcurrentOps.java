package pinreplay.replay;

import java.util.Arrays;
import java.util.List;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.BlockOwners;
import pinreplay.replay.fs.FileSystem;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.mm.FrameOwners;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.PageFlags;

/**
 * What other tasks and kernel threads do between two events when an injector asks: the flusher's
 * writeback, another process's ftruncate() or hole punch, kcompactd. Each runs through the core's own
 * Writeback, Truncate and Migration, so the release's rules apply, and is reported as an
 * {@code injected} outcome stamped with the line of the event about to be replayed.
 */
final class ConcurrentOps implements FaultPoints.KernelOps {
    /** Files reported at most (targets are chosen among them). */
    private static final int MAX_FILES = 64;
    private final Kernel k;
    /** The event about to be replayed: where the operations are reported (read only if one runs). */
    private EventView next;
    /** {@link #pinnedFileCount} answers (all files, page-cache files, ascending) and the generation they hold for. */
    private final long[] all = new long[MAX_FILES];
    private final long[] pageCache = new long[MAX_FILES];
    private int allFiles;
    private int pageCacheFiles;
    private long cachedAt = -1;
    /** {@code Registrations.added} when the answer was last brought up to date. */
    private long scannedAdds;
    /** Moves whenever the answers may have changed: each full scan, each file a new registration adds. */
    private long answers;

    ConcurrentOps(Kernel k) {
        this.k = k;
    }

    /** The event about to be replayed: where the operations are reported. */
    void before(EventView next) {
        this.next = next;
    }

    @Override
    public int pinnedFileCount(boolean pageCacheOnly) {
        refresh();
        return pageCacheOnly ? pageCacheFiles : allFiles;
    }

    @Override
    public long pinnedFile(int index, boolean pageCacheOnly) {
        refresh();
        return pageCacheOnly ? pageCache[index] : all[index];
    }

    @Override
    public boolean filePinned(long ino, boolean pageCacheOnly) {
        refresh();
        return pageCacheOnly ? Arrays.binarySearch(pageCache, 0, pageCacheFiles, ino) >= 0
                : Arrays.binarySearch(all, 0, allFiles, ino) >= 0;
    }

    @Override
    public long pinState() {
        refresh();
        return answers << 1 | (k.registrations.live().isEmpty() ? 0 : 1);
    }

    /** Brings the pinned-file answers up to date: a full scan after a generation change, else new registrations only. */
    private void refresh() {
        if (cachedAt != k.filePins.generation()) {
            allFiles = 0;
            pageCacheFiles = 0;
            scanPinnedFiles(k.registrations.live(), 0);
            answers++;
            cachedAt = k.filePins.generation();
            scannedAdds = k.registrations.added;
        } else if (scannedAdds != k.registrations.added) {
            // only registrations made since: they are the newest, at the end of the live list
            List<Registration> live = k.registrations.live();
            int before = allFiles + pageCacheFiles;
            scanPinnedFiles(live, Math.max(0, live.size() - (int) (k.registrations.added - scannedAdds)));
            if (allFiles + pageCacheFiles != before) {
                answers++;
            }
            scannedAdds = k.registrations.added;
        }
    }

    /**
     * Adds the files that live registrations from index {@code from} pin now: all of them, and those whose
     * pinned frames are page cache. A registration found holding no file frame is skipped from then on:
     * frames do not become file pages while pinned.
     */
    private void scanPinnedFiles(List<Registration> live, int from) {
        for (int j = from; j < live.size(); j++) {
            Registration r = live.get(j);
            if (r.noFileFrames) {
                continue;
            }
            boolean file = false;
            Extents x = r.extents;
            for (int i = 0; i < x.size(); i++) {
                if ((x.kind(i) & Extents.FSDAX) != 0) {
                    file = true;
                    allFiles = insert(all, allFiles, daxOwner(x.pfn(i), x.len(i)));
                } else if ((x.kind(i) & PageFlags.FILE) != 0) {
                    // pinned as page cache (try_grab_folio() recorded the folio's kind); still the file's?
                    file = true;
                    pageCacheOwners(x.pfn(i), x.len(i));
                }
            }
            r.noFileFrames = !file;
        }
    }

    /** The file whose blocks the pinned fsdax frames still are, or 0 (freed or moved to lost+found). */
    private long daxOwner(long pfn, long len) {
        FileSystem fs = k.filesystems.ofDaxFrame(pfn);
        if (fs == null) {
            return 0;
        }
        BlockOwners owners = fs.blockOwner;
        long blk = pfn - fs.daxBase();
        for (int j = owners.indexOf(blk); j < owners.size() && owners.start(j) < blk + len; j++) {
            long ino = owners.ino(j);
            if (ino != 0 && ino != FileSystem.LOST_FOUND_INO) {
                return ino;
            }
        }
        return 0;
    }

    /** Adds the files whose page cache still holds pinned frames of {@code [pfn, pfn + len)}. */
    private void pageCacheOwners(long pfn, long len) {
        FrameOwners owners = k.memMap.ownerMap();
        for (long p = pfn; p < pfn + len; ) {
            int j = owners.indexOf(p);
            long e = Math.min(pfn + len, owners.end(j));
            if ((k.memMap.flags(p) & PageFlags.FILE) != 0) {
                allFiles = insert(all, allFiles, owners.owner(j));
                pageCacheFiles = insert(pageCache, pageCacheFiles, owners.owner(j));
            }
            p = e;
        }
    }

    /** Inserts {@code ino} into the ascending set {@code out[0, n)}; named files only (shmem's hidden inodes are not). */
    private static int insert(long[] out, int n, long ino) {
        int at = -Arrays.binarySearch(out, 0, n, ino) - 1; // where it goes; negative when it is there
        if (ino <= 0 || n == out.length || at < 0) {
            return n;
        }
        System.arraycopy(out, at, out, at + 1, n - at);
        out[at] = ino;
        return n + 1;
    }

    @Override
    public int liveRegistrations() {
        return k.registrations.live().size();
    }

    @Override
    public void writebackClean(long ino) {
        begin(EventType.WRITEBACK);
        Inode inode = k.inodes.get(ino);
        if (inode == null) {
            k.ctx.injection("folio_clear_dirty_for_io", "no inode " + ino);
            return;
        }
        long cleaned = k.writeback.writebackRange(inode, 0, -1);
        k.ctx.injection("folio_clear_dirty_for_io", "cleaned and write-protected " + cleaned
                + " dirty page(s) of inode " + ino);
    }

    @Override
    public void truncate(long ino, long newSize) {
        begin(EventType.FTRUNCATE);
        Inode inode = k.inodes.get(ino);
        long r = inode == null ? -Errno.EBADF : k.truncate.ftruncate(inode, newSize);
        k.ctx.injection("do_truncate", "ftruncate(inode " + ino + ", 0x" + Long.toHexString(newSize) + "): "
                + result(r));
    }

    @Override
    public void punchHole(long ino, long offset, long len) {
        begin(EventType.FALLOCATE);
        Inode inode = k.inodes.get(ino);
        long n = inode == null || len >= 0 ? len : Math.max(0, inode.size - offset);
        long r = inode == null ? -Errno.EBADF : k.truncate.punchHole(inode, offset, n);
        k.ctx.injection("vfs_fallocate", "punch_hole(inode " + ino + ", 0x" + Long.toHexString(offset) + ", 0x"
                + Long.toHexString(n) + "): " + result(r));
    }

    @Override
    public void compact(int index) {
        begin(EventType.MIGRATE);
        Registration r = k.registrations.live().get(index);
        long len = Math.max(r.bytes, MemMap.PAGE_SIZE);
        long notMigrated = k.migration.migrateRange(r.mm, r.vaddr, len);
        k.ctx.injection("compact_zone", "migrate_pages() over " + r.name + " [0x" + Long.toHexString(r.vaddr)
                + ", +0x" + Long.toHexString(len) + "): " + notMigrated + " page(s) not migrated");
    }

    private void begin(EventType as) {
        k.ctx.begin(next.line(), next.ts(), Replayer.tsBits(next), next.pid(), as);
    }

    private static String result(long r) {
        return r == Truncate.WAITING ? "waits for the pins to drop" : r < 0 ? Errno.describe(r) : Long.toString(r);
    }
}
