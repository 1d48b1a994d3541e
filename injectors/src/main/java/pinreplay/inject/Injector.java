package pinreplay.inject;

import java.io.PrintWriter;
import java.util.SplittableRandom;

import pinreplay.format.EventView;

/**
 * One configured injector: its spec, its fault_attr, its call filter, and what it prints when it fires
 * (fail_dump(): one line at verbose 1, plus the model's call chain at verbose 2, as dump_stack() would).
 */
final class Injector {
    final InjectSpec spec;
    final FaultAttr attr;
    private final CallFilter filter;
    /** Seeded choices of a target (file, registration), drawn only when the injector fires. */
    private final SplittableRandom choice;
    private final PrintWriter log;
    /** Where a between-events injector fires (its first point). */
    final String point;
    long firings;
    /**
     * Whether its eligible gaps can be counted a run at a time: only fail-nth decides, its call filter
     * is the same for every event, and nothing but gaps counts (ignore-refs also counts migrate_pages()
     * calls inside events), so between two changes of the core's pin state every gap is alike.
     */
    final boolean countsRuns;
    /** The first gap of the run of eligible gaps not counted yet, or 0 when none is. */
    long eligibleSince;

    Injector(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        this.spec = spec;
        this.attr = spec.attr(random.split());
        this.choice = random.split();
        this.filter = spec.filter();
        this.log = log;
        this.point = Catalog.of(spec.name()).points().get(0);
        this.countsRuns = attr.nthOnly() && !filter.dependsOnEvent() && !spec.ignoreRefs();
    }

    /** Whether a call of {@code size} made while replaying {@code current} fails at {@code point}. */
    boolean fire(EventView current, long size, String point) {
        if (!filter.passes(current, point) || !attr.shouldFail(size)) {
            return false;
        }
        firings++;
        if (spec.verbose() > 0) {
            dump(current, point);
        }
        return true;
    }

    /** Whether the filter lets a call at {@code current} through at {@link #point} and a failure is still possible. */
    boolean eligible(EventView current) {
        return attr.mayFail() && filter.passes(current, point);
    }

    /** A seeded index in {@code [0, n)}. */
    int choose(int n) {
        return n == 1 ? 0 : choice.nextInt(n);
    }

    private void dump(EventView current, String point) {
        log.println("FAULT_INJECTION: forcing a failure. name " + spec.name() + ", point " + point
                + (current == null ? "" : ", line " + current.line() + " " + current.eventName() + " pid "
                + current.pid()) + ", interval " + attr.interval + ", probability " + attr.probability
                + ", space " + attr.space + ", times " + attr.times);
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
