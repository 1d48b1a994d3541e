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

    private final Injector[] mmapUnlock;
    private final Injector[] eagain;
    private final Injector[] enomem;
    private final Injector[] migrate;
    private final Injector[] writebackClean;
    private final Injector[] truncate;
    private final Injector[] punchHole;
    private final Injector[] all;
    /** The injectors acting between events. */
    private final Injector[] betweenAll;
    /** Whether an injector acting between events may still fire (only those need the gaps). */
    private boolean betweenLive;
    /** Gaps between events so far, numbered from 1. */
    private long gap;
    /**
     * The next gap whose injectors must be asked one by one even if the core's pin state stays put: the
     * gap where a run-counted fail-nth falls, or the next one when an injector must see every gap.
     */
    private long askAt = 1;
    /** The core's pin state after the last gap asked one by one. */
    private long stateSeen;
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
        betweenAll = list.stream().filter(i -> Catalog.of(i.spec.name()).betweenEvents()).toArray(Injector[]::new);
        for (Injector i : betweenAll) {
            betweenLive |= i.attr.mayFail();
        }
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

    /**
     * Asks the between-events injectors in every gap where one could act differently from the gap before:
     * after a change of the core's pin state, at the gap where a fail-nth falls, or in every gap for an
     * injector that must see each one (a draw, a task or event filter). In the gaps between, the eligible
     * ones are counted a run at a time, so the N-th eligible gap is the same gap as when counted one by one.
     */
    @Override
    public void betweenEvents(EventView next, KernelOps ops) {
        current = next;
        if (!betweenLive) {
            return;
        }
        long g = ++gap;
        if (g < askAt && ops.pinState() == stateSeen) {
            return;
        }
        countRuns(g);
        askEach(next, ops);
        plan(g, ops);
    }

    /** Counts the eligible gaps of every run that ends before gap {@code g}. */
    private void countRuns(long g) {
        for (Injector i : betweenAll) {
            if (i.eligibleSince > 0) {
                i.attr.passed(g - i.eligibleSince);
                i.eligibleSince = 0;
            }
        }
    }

    /** One gap, each injector in turn: the file or registration it acts on is chosen when it fires. */
    private void askEach(EventView next, KernelOps ops) {
        for (Injector i : writebackClean) {
            if (i.eligible(next) && hasFile(i, ops, true) && fired(i, 1)) {
                ops.writebackClean(file(i, ops, true));
            }
        }
        for (Injector i : truncate) {
            if (i.eligible(next) && hasFile(i, ops, false) && fired(i, 1)) {
                ops.truncate(file(i, ops, false), i.spec.size());
            }
        }
        for (Injector i : punchHole) {
            if (i.eligible(next) && hasFile(i, ops, false) && fired(i, 1)) {
                ops.punchHole(file(i, ops, false), i.spec.offset(), i.spec.len());
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

    /**
     * After gap {@code g} was asked one by one: which injectors are eligible from the next gap on, while the
     * pin state stays as it is now, and the first gap that must be asked one by one again.
     */
    private void plan(long g, KernelOps ops) {
        stateSeen = ops.pinState();
        askAt = Long.MAX_VALUE;
        betweenLive = false;
        for (Injector i : writebackClean) {
            plan(i, g, i.eligible(current) && hasFile(i, ops, true));
        }
        for (Injector i : truncate) {
            plan(i, g, i.eligible(current) && hasFile(i, ops, false));
        }
        for (Injector i : punchHole) {
            plan(i, g, i.eligible(current) && hasFile(i, ops, false));
        }
        for (Injector i : migrate) {
            plan(i, g, i.eligible(current) && ops.liveRegistrations() > 0);
        }
    }

    private void plan(Injector i, long g, boolean eligible) {
        if (!i.attr.mayFail()) {
            return;
        }
        betweenLive = true;
        if (!i.countsRuns) {
            askAt = g + 1;
        } else if (eligible) {
            // the failNth-th eligible gap from g + 1 on is g + failNth (saturating: fail-nth may be beyond any trace)
            i.eligibleSince = g + 1;
            askAt = Math.min(askAt, g + Math.min(i.attr.failNth, Long.MAX_VALUE - g));
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

    /** Whether a file has pinned pages ({@code ino=}: that file): a file injector is eligible only then. */
    private static boolean hasFile(Injector i, KernelOps ops, boolean pageCacheOnly) {
        long want = i.spec.ino();
        return want > 0 ? ops.filePinned(want, pageCacheOnly) : ops.pinnedFileCount(pageCacheOnly) > 0;
    }

    /** The file a firing file injector acts on: {@code ino=}, or one chosen with the seed among the pinned, in inode order. */
    private static long file(Injector i, KernelOps ops, boolean pageCacheOnly) {
        long want = i.spec.ino();
        return want > 0 ? want : ops.pinnedFile(i.choose(ops.pinnedFileCount(pageCacheOnly)), pageCacheOnly);
    }
}
