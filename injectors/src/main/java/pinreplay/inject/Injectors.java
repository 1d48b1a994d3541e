package pinreplay.inject;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import pinreplay.format.EventView;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;

/**
 * The configured injectors as the core's {@link FaultPoints}. Each spec is one injector with its own
 * {@link FaultAttr} and choice stream, split from {@code --seed} in spec order, so a run is
 * byte-identical for the same seed. Several specs may share a name (e.g. {@code faultin_page:...} and
 * {@code fixup_user_fault:...}, both {@code mmap-unlock}): they are asked in spec order, the first to
 * fire wins. A name not configured is an empty array and costs one length check.
 */
public final class Injectors implements FaultPoints {
    /** Every injector name, in listing order. */
    public static final List<String> NAMES = Catalog.names();
    private static final long PAGE_SIZE = 4096;
    private static final int MAX_FILES = 64;

    private final Injector[] mmapUnlock;
    private final Injector[] eagain;
    private final Injector[] enomem;
    private final Injector[] migrate;
    private final Injector[] writebackClean;
    private final Injector[] truncate;
    private final Injector[] punchHole;
    private final Injector[] all;
    /** Whether any injector acts between events (only those need the gaps). */
    private final boolean between;
    private final long[] files = new long[MAX_FILES];
    /** The event being replayed (the reader's flyweight), for call filters and messages. */
    private EventView current;
    private String firing;
    /** The injector that dropped mmap_lock, whose race runs in the window. */
    private Injector unlocked;
    /** The injector whose compaction is running (its ignore-refs decides migrate_pages). */
    private Injector compacting;

    public Injectors(List<InjectSpec> specs, long seed) {
        this(specs, seed, new PrintWriter(System.err, true));
    }

    /** Injectors writing their verbose lines to {@code log}. */
    public Injectors(List<InjectSpec> specs, long seed, PrintWriter log) {
        SplittableRandom root = new SplittableRandom(seed);
        List<Injector> list = new ArrayList<>();
        for (InjectSpec s : specs) {
            if (!NAMES.contains(s.name())) {
                throw new IllegalArgumentException(s.name());
            }
            list.add(new Injector(s, root.split(), log));
        }
        all = list.toArray(new Injector[0]);
        mmapUnlock = named(list, "mmap-unlock");
        eagain = named(list, "eagain");
        enomem = named(list, "enomem");
        migrate = named(list, "migrate");
        writebackClean = named(list, "writeback-clean");
        truncate = named(list, "truncate");
        punchHole = named(list, "punch-hole");
        between = writebackClean.length + truncate.length + punchHole.length + migrate.length > 0;
    }

    private static Injector[] named(List<Injector> list, String name) {
        return list.stream().filter(i -> i.spec.name().equals(name)).toArray(Injector[]::new);
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

    /** The first of {@code list} deciding that this call fails, or null. */
    private Injector fire(Injector[] list, long size, String point) {
        for (Injector i : list) {
            if (i.fire(current, size, point)) {
                firing = i.spec.name();
                return i;
            }
        }
        return null;
    }

    // handle_mm_fault() returning VM_FAULT_RETRY after dropping mmap_lock (mm/memory.c, 5.x-6.x)
    @Override
    public boolean faultinPageRetry(Mm mm, long addr, boolean tried) {
        if (tried) {
            return false;
        }
        unlocked = fire(mmapUnlock, 1, "faultin_page");
        return unlocked != null;
    }

    // FAULT_FLAG_RETRY_NOWAIT: VM_FAULT_RETRY without waiting, faultin_page() -EBUSY (mm/gup.c, 5.x-6.x)
    @Override
    public boolean faultinPageNowait(Mm mm, long addr) {
        return fire(eagain, 1, "faultin_page") != null;
    }

    // fixup_user_fault() setting *unlocked (mm/gup.c, 5.8+)
    @Override
    public boolean fixupUserFaultUnlocked(Mm mm, long addr) {
        unlocked = fire(mmapUnlock, 1, "fixup_user_fault");
        return unlocked != null;
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
        return fire(eagain, nrPages, "migrate_pages") != null || fire(enomem, nrPages, "migrate_pages") != null;
    }

    // a broken migrate_pages() moving a pinned folio (folio_expected_refs() ignored): migrate:ignore-refs=1
    @Override
    public boolean migratePinnedPage(Mm mm, long addr) {
        if (compacting != null) {
            // inside an injected compaction: its own spec decides, without a second draw
            if (compacting.spec.ignoreRefs()) {
                firing = compacting.spec.name();
            }
            return compacting.spec.ignoreRefs();
        }
        for (Injector i : migrate) {
            if (i.spec.ignoreRefs() && i.fire(current, 1, "migrate_pages")) {
                firing = i.spec.name();
                return true;
            }
        }
        return false;
    }

    // the RLIMIT_MEMLOCK charge of vfio_lock_acct(), io_account_mem() or ib_umem_get() failing
    @Override
    public boolean accountLockedVmFails(Mm mm, long nrPages, String function) {
        return fire(enomem, nrPages, function) != null;
    }

    @Override
    public void betweenEvents(EventView next, KernelOps ops) {
        current = next;
        if (!between) {
            return;
        }
        for (Injector i : writebackClean) {
            long ino = target(i, next, ops, true);
            if (ino > 0) {
                ops.writebackClean(ino);
            }
        }
        for (Injector i : truncate) {
            long ino = target(i, next, ops, false);
            if (ino > 0) {
                ops.truncate(ino, i.spec.size());
            }
        }
        for (Injector i : punchHole) {
            long ino = target(i, next, ops, false);
            if (ino > 0) {
                ops.punchHole(ino, i.spec.offset(), i.spec.len());
            }
        }
        for (Injector i : migrate) {
            if (i.eligible(next)) {
                int live = ops.liveRegistrations();
                if (live > 0 && fired(i, 1)) {
                    compacting = i;
                    ops.compact(i.choose(live));
                    compacting = null;
                }
            }
        }
    }

    /** {@code i} fires at its between-events point now. */
    private boolean fired(Injector i, long size) {
        if (i.fire(current, size, i.point)) {
            firing = i.spec.name();
            return true;
        }
        return false;
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
            return pinned && fired(i, 1) ? want : 0;
        }
        return n > 0 && fired(i, 1) ? files[i.choose(n)] : 0;
    }
}
