package pinreplay.inject;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import pinreplay.format.EventView;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;

/**
 * The configured injectors as the core's {@link FaultPoints}. Each injector owns one {@link FaultAttr}
 * and a choice stream, split from {@code --seed} in spec order, so a run is byte-identical for the same
 * seed. An injector not configured is null and costs one null check; between events, only the
 * between-events injectors are asked.
 */
public final class Injectors implements FaultPoints {
    /** Every injector name, in listing order. */
    public static final List<String> NAMES = Catalog.names();
    private static final long PAGE_SIZE = 4096;
    private static final int MAX_FILES = 64;

    private Injector mmapUnlock;
    private Injector eagain;
    private Injector enomem;
    private Injector migrate;
    private Injector writebackClean;
    private Injector truncate;
    private Injector punchHole;
    private final Injector[] all;
    private final long[] files = new long[MAX_FILES];
    /** The event being replayed (the reader's flyweight), for call filters and messages. */
    private EventView current;
    private String firing;
    private Injector unlocked;
    private boolean compacting;

    public Injectors(List<InjectSpec> specs, long seed) {
        this(specs, seed, new PrintWriter(System.err, true));
    }

    /** Injectors writing their verbose lines to {@code log}. */
    public Injectors(List<InjectSpec> specs, long seed, PrintWriter log) {
        SplittableRandom root = new SplittableRandom(seed);
        List<Injector> list = new ArrayList<>();
        for (InjectSpec s : specs) {
            Injector i = new Injector(s, root.split(), log);
            list.add(i);
            switch (s.name()) {
                case "mmap-unlock" -> mmapUnlock = i;
                case "eagain" -> eagain = i;
                case "enomem" -> enomem = i;
                case "migrate" -> migrate = i;
                case "writeback-clean" -> writebackClean = i;
                case "truncate" -> truncate = i;
                case "punch-hole" -> punchHole = i;
                default -> throw new IllegalArgumentException(s.name());
            }
        }
        all = list.toArray(new Injector[0]);
    }

    /** How many times any injector fired. */
    public long firings() {
        long n = 0;
        for (Injector i : all) {
            n += i.firings;
        }
        return n;
    }

    @Override
    public String firing() {
        return firing;
    }

    private boolean fire(Injector i, long size, String point) {
        if (i != null && i.fire(current, size, point)) {
            firing = i.spec.name();
            return true;
        }
        return false;
    }

    // handle_mm_fault() returning VM_FAULT_RETRY after dropping mmap_lock (mm/memory.c, 5.x-6.x)
    @Override
    public boolean faultinPageRetry(Mm mm, long addr, boolean tried) {
        if (!tried && fire(mmapUnlock, 1, "faultin_page")) {
            unlocked = mmapUnlock;
            return true;
        }
        return false;
    }

    // FAULT_FLAG_RETRY_NOWAIT: VM_FAULT_RETRY without waiting, faultin_page() -EBUSY (mm/gup.c, 5.x-6.x)
    @Override
    public boolean faultinPageNowait(Mm mm, long addr) {
        return fire(eagain, 1, "faultin_page");
    }

    // fixup_user_fault() setting *unlocked (mm/gup.c, 5.8+)
    @Override
    public boolean fixupUserFaultUnlocked(Mm mm, long addr) {
        if (fire(mmapUnlock, 1, "fixup_user_fault")) {
            unlocked = mmapUnlock;
            return true;
        }
        return false;
    }

    // a concurrent munmap()/mprotect()/mmap(MAP_FIXED) taking mmap_lock while the fault handler dropped it
    @Override
    public void whileUnlocked(Mm mm, long addr, MmEditor editor) {
        if (unlocked == null) {
            return;
        }
        long page = addr & -PAGE_SIZE;
        switch (unlocked.spec.race()) {
            case "munmap" -> editor.munmap(mm, page, PAGE_SIZE);
            case "mprotect" -> editor.mprotectReadOnly(mm, page, PAGE_SIZE);
            case "remap" -> editor.mmapAnonymous(mm, page, PAGE_SIZE);
            default -> {
            }
        }
        unlocked = null;
    }

    // migrate_pages() returning -EAGAIN/-ENOMEM in the long-term pin migration loop (mm/gup.c, 6.x)
    @Override
    public boolean migratePagesFails(Mm mm, long addr, long nrPages) {
        return fire(eagain, nrPages, "migrate_pages") || fire(enomem, nrPages, "migrate_pages");
    }

    // a broken migrate_pages() moving a pinned folio (folio_expected_refs() ignored): migrate:ignore-refs=1
    @Override
    public boolean migratePinnedPage(Mm mm, long addr) {
        if (migrate == null || !migrate.spec.ignoreRefs()) {
            return false;
        }
        if (compacting) {
            firing = migrate.spec.name();
            return true;
        }
        return fire(migrate, 1, "migrate_pages");
    }

    // the RLIMIT_MEMLOCK charge of vfio_lock_acct(), io_account_mem() or ib_umem_get() failing
    @Override
    public boolean accountLockedVmFails(Mm mm, long nrPages, String function) {
        return fire(enomem, nrPages, function);
    }

    @Override
    public void betweenEvents(EventView next, KernelOps ops) {
        current = next;
        if (writebackClean != null) {
            long ino = target(writebackClean, next, ops, true);
            if (ino > 0) {
                ops.writebackClean(ino);
            }
        }
        if (truncate != null) {
            long ino = target(truncate, next, ops, false);
            if (ino > 0) {
                ops.truncate(ino, truncate.spec.size());
            }
        }
        if (punchHole != null) {
            long ino = target(punchHole, next, ops, false);
            if (ino > 0) {
                ops.punchHole(ino, punchHole.spec.offset(), punchHole.spec.len());
            }
        }
        if (migrate != null && migrate.eligible(next)) {
            int live = ops.liveRegistrations();
            if (live > 0 && fire(migrate, 1, "compact_zone")) {
                compacting = true;
                ops.compact(migrate.choose(live));
                compacting = false;
            }
        }
    }

    /**
     * The file a between-events injector acts on if it fires now, or 0: eligible only when a file has
     * pinned pages ({@code ino=} when that file has), chosen with the seed among them in inode order.
     */
    private long target(Injector i, EventView next, KernelOps ops, boolean pageCacheOnly) {
        if (!i.eligible(next)) {
            return 0;
        }
        int n = ops.pinnedFiles(files, pageCacheOnly);
        long want = i.spec.ino();
        if (want > 0) {
            boolean pinned = false;
            for (int f = 0; f < n; f++) {
                pinned |= files[f] == want;
            }
            return pinned && fire(i, 1, i.point) ? want : 0;
        }
        return n > 0 && fire(i, 1, i.point) ? files[i.choose(n)] : 0;
    }
}
