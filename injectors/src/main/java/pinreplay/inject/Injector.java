package pinreplay.inject;

import java.io.PrintWriter;
import java.util.Set;
import java.util.SplittableRandom;

import pinreplay.format.EventView;
import pinreplay.replay.fault.FaultPoints.KernelOps;
import pinreplay.replay.fault.FaultPoints.MmEditor;
import pinreplay.replay.mm.Mm;

/**
 * One configured injector: its spec, its fault_attr, its call filter, and what it prints when it fires
 * (fail_dump(): one line at verbose 1, plus the model's call chain at verbose 2, as dump_stack() would).
 * Each kind is a subclass saying at which of the core's fault points it fails ({@link Site}) and, for one
 * acting between events, on what it acts and how.
 */
abstract class Injector {
    /** The core's questions an injector may answer with a failure (the {@code FaultPoints} calls). */
    enum Site {
        FAULTIN_PAGE_RETRY, FAULTIN_PAGE_NOWAIT, FIXUP_USER_FAULT_UNLOCKED, MIGRATE_PAGES_FAILS, MIGRATE_PINNED_PAGE,
        ACCOUNT_LOCKED_VM_FAILS
    }

    final InjectSpec spec;
    final FaultAttr attr;
    private final Set<Site> sites;
    private final CallFilter filter;
    /** Seeded choices of a target (file, registration), drawn only when the injector fires. */
    private final SplittableRandom choice;
    private final PrintWriter log;
    /** Where a between-events injector fires (its first point). */
    final String point;
    /**
     * Whether its eligible gaps can be counted a run at a time: only fail-nth decides, its call filter
     * is the same for every event, and nothing but gaps counts (no call inside an event, such as
     * migrate:ignore-refs=1's migrate_pages()), so between two changes of the core's pin state every gap is alike.
     */
    final boolean countsRuns;
    /** The first gap of the run of eligible gaps not counted yet, or 0 when none is. */
    long eligibleSince;

    Injector(InjectSpec spec, Set<Site> sites, SplittableRandom random, PrintWriter log) {
        this.spec = spec;
        this.sites = sites;
        this.attr = spec.attr(random.split());
        this.choice = random.split();
        this.filter = spec.filter();
        this.log = log;
        this.point = spec.kind().points().get(0);
        this.countsRuns = attr.nthOnly() && !filter.dependsOnEvent() && sites.isEmpty();
    }

    /** Whether this injector may fail the core's question {@code site}. */
    final boolean failsAt(Site site) {
        return sites.contains(site);
    }

    /** Between events: whether what it acts on exists now (a file with pinned pages, a live registration). */
    boolean hasTarget(KernelOps ops) {
        return false;
    }

    /** Between events, having fired: acts through {@code ops} as another task or kernel thread would. */
    void act(KernelOps ops) {
    }

    /** While mmap_lock is dropped after this injector fired: what another thread does to the page at {@code addr}. */
    void whileUnlocked(Mm mm, long addr, MmEditor editor) {
    }

    /** Whether a call of {@code size} made while replaying {@code current} fails at {@code point}. */
    final boolean fire(EventView current, long size, String point) {
        if (!filter.passes(current, point) || !attr.shouldFail(size)) {
            return false;
        }
        if (spec.verbose() > 0) {
            dump(current, point);
        }
        return true;
    }

    /** Whether the filter lets a call at {@code current} through at {@link #point} and a failure is still possible. */
    final boolean eligible(EventView current) {
        return attr.mayFail() && filter.passes(current, point);
    }

    /** A seeded index in {@code [0, n)}. */
    final int choose(int n) {
        return n == 1 ? 0 : choice.nextInt(n);
    }

    private void dump(EventView current, String point) {
        log.println("FAULT_INJECTION: forcing a failure. name " + spec.name() + ", point " + point
                + (current == null ? "" : ", line " + current.line() + " " + current.eventName() + " pid "
                + current.pid()) + ", interval " + attr.interval + ", probability " + attr.probability
                + ", space " + attr.space + ", times " + attr.timesAtFailure);
        if (spec.verbose() > 1) {
            log.println("Call trace:");
            StackWalker.getInstance().forEach(f -> {
                if (f.getClassName().startsWith("pinreplay.replay.") && !f.getClassName().contains(".fault.")) {
                    String cls = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1);
                    log.println("  " + cls + "." + f.getMethodName());
                }
            });
        }
        log.flush();
    }
}
