package pinreplay.inject;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import pinreplay.format.EventView;
import pinreplay.inject.Injector.Site;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;

/**
 * The configured injectors as the core's {@link FaultPoints}. Each spec is one injector with its own
 * {@link FaultAttr} and choice stream, split from {@code --seed} in spec order, so a run is
 * byte-identical for the same seed. Each question of the core asks the injectors that may fail it, by kind
 * in listing order, then in spec order (e.g. {@code faultin_page:...} and {@code fixup_user_fault:...}, both
 * {@code mmap-unlock}); the first to fire wins. No injector configured costs one length check.
 */
public final class Injectors implements FaultPoints {
    /** Every injector name, in listing order. */
    public static final List<String> NAMES = Catalog.names();

    /** Every injector, by kind in listing order, then in spec order. */
    private final Injector[] all;
    /** The injectors acting between events, in the order a gap asks them: file operations, then compaction. */
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
    /** The between-events injector acting now (a compaction's own spec decides its migrate_pages()). */
    private Injector acting;

    public Injectors(List<InjectSpec> specs, long seed) {
        this(specs, seed, new PrintWriter(System.err, true));
    }

    /** Injectors writing their verbose lines to {@code log}. */
    public Injectors(List<InjectSpec> specs, long seed, PrintWriter log) {
        SplittableRandom root = new SplittableRandom(seed);
        // each spec's stream split in spec order, then the injectors sorted by kind (a stable sort)
        all = specs.stream().map(s -> s.kind().factory().create(s, root.split(), log))
                .sorted(Comparator.comparingInt(i -> Catalog.KINDS.indexOf(i.spec.kind())))
                .toArray(Injector[]::new);
        betweenAll = Stream.concat(Stream.of(all).filter(i -> i instanceof FileInjector),
                Stream.of(all).filter(i -> i.spec.kind().betweenEvents() && !(i instanceof FileInjector)))
                .toArray(Injector[]::new);
        for (Injector i : betweenAll) {
            betweenLive |= i.attr.mayFail();
        }
    }

    @Override
    public String firing() {
        return firing;
    }

    /** The first injector deciding that this call fails at {@code site}, or null. */
    private Injector fire(Site site, long size, String point) {
        for (Injector i : all) {
            if (i.failsAt(site) && fired(i, size, point)) {
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
        unlocked = fire(Site.FAULTIN_PAGE_RETRY, 1, "faultin_page");
        return unlocked != null;
    }

    @Override
    public boolean faultinPageMayRetry() {
        for (Injector i : all) {
            if (i.failsAt(Site.FAULTIN_PAGE_RETRY) && i.attr.mayFail()) {
                return true;
            }
        }
        return false;
    }

    // FAULT_FLAG_RETRY_NOWAIT: VM_FAULT_RETRY without waiting, faultin_page() -EBUSY (mm/gup.c, 5.x-6.x)
    @Override
    public boolean faultinPageNowait(Mm mm, long addr) {
        return fire(Site.FAULTIN_PAGE_NOWAIT, 1, "faultin_page") != null;
    }

    // fixup_user_fault() setting *unlocked (mm/gup.c, 5.8+)
    @Override
    public boolean fixupUserFaultUnlocked(Mm mm, long addr) {
        unlocked = fire(Site.FIXUP_USER_FAULT_UNLOCKED, 1, "fixup_user_fault");
        return unlocked != null;
    }

    // another thread taking mmap_lock while the fault handler dropped it: the injector that dropped it decides
    @Override
    public void whileUnlocked(Mm mm, long addr, MmEditor editor) {
        if (unlocked != null) {
            unlocked.whileUnlocked(mm, addr, editor);
            unlocked = null;
        }
    }

    // migrate_pages() returning -EAGAIN/-ENOMEM in the long-term pin migration loop (mm/gup.c, 6.x)
    @Override
    public boolean migratePagesFails(Mm mm, long addr, long nrPages) {
        return fire(Site.MIGRATE_PAGES_FAILS, nrPages, "migrate_pages") != null;
    }

    // a broken migrate_pages() moving a pinned folio (folio_expected_refs() ignored): migrate:ignore-refs=1
    @Override
    public boolean migratePinnedPage(Mm mm, long addr) {
        if (acting == null) {
            return fire(Site.MIGRATE_PINNED_PAGE, 1, "migrate_pages") != null;
        }
        // inside an injected compaction: its own spec decides, without a second draw
        if (acting.failsAt(Site.MIGRATE_PINNED_PAGE)) {
            firing = acting.spec.name();
            return true;
        }
        return false;
    }

    // the RLIMIT_MEMLOCK charge of vfio_lock_acct(), io_account_mem() or ib_umem_get() failing
    @Override
    public boolean accountLockedVmFails(Mm mm, long nrPages, String function) {
        return fire(Site.ACCOUNT_LOCKED_VM_FAILS, nrPages, function) != null;
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
        for (Injector i : betweenAll) {
            if (i.eligible(next) && i.hasTarget(ops) && fired(i, 1, i.point)) {
                acting = i;
                i.act(ops);
                acting = null;
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
        for (Injector i : betweenAll) {
            plan(i, g, i.eligible(current) && i.hasTarget(ops));
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

    /** {@code i} fires at {@code point} now: it is the one {@link #firing()} names. */
    private boolean fired(Injector i, long size, String point) {
        if (i.fire(current, size, point)) {
            firing = i.spec.name();
            return true;
        }
        return false;
    }
}
