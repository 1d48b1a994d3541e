package pinreplay.inject;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.run.Replay;
import pinreplay.replay.run.TraceSource;

/**
 * The kernel's systematic fail-nth loop (Documentation/fault-injection, "fail-nth"): replay once per
 * eligible site of one injector, with fail-nth = 1, 2, ... until a run injects nothing (or the cap), and
 * compare each run with the run without it.
 */
public final class Sweep {
    /**
     * One site: the fail-nth that reaches it, where the injector fired (line, event, handle, point, effect),
     * how many calls changed and the first change, and the violations not in the baseline.
     */
    public record Site(long failNth, long line, String event, String handle, String point, String effect,
                       int changedCalls, String firstChange, List<String> newViolations) {
        public boolean changesOutcome() {
            return changedCalls > 0 || !newViolations.isEmpty();
        }
    }

    /** Every site reached, and whether the cap stopped the sweep before a run injected nothing. */
    public record Result(InjectSpec swept, List<Site> sites, boolean capped) {
        public long changed() {
            return sites.stream().filter(Site::changesOutcome).count();
        }

        public long withViolations() {
            return sites.stream().filter(s -> !s.newViolations().isEmpty()).count();
        }
    }

    private Sweep() {
    }

    /**
     * Sweeps {@code swept} (its fail-nth replaced run by run) on top of the {@code others} over {@code trace}
     * (read once per run), each run with the same {@code seed}; at most {@code max} runs with the injector; the
     * injectors' verbose lines go to {@code log}.
     */
    public static Result run(Replay replay, TraceSource trace, InjectSpec swept, List<InjectSpec> others, long seed,
            long max, PrintWriter log) {
        RunDigest base = new RunDigest(swept.name());
        replay.run(trace, others.isEmpty() ? FaultPoints.NONE : new Injectors(others, seed, log), base);
        List<Site> sites = new ArrayList<>();
        for (long nth = 1; nth <= max; nth++) {
            List<InjectSpec> specs = new ArrayList<>(others);
            specs.add(swept.withFailNth(nth));
            RunDigest d = new RunDigest(swept.name());
            replay.run(trace, new Injectors(specs, seed, log), d);
            if (d.site == null) {
                return new Result(swept, sites, false);
            }
            sites.add(site(nth, d, base));
        }
        return new Result(swept, sites, true);
    }

    private static Site site(long nth, RunDigest d, RunDigest base) {
        Outcome o = d.site;
        int first = d.firstDifference(base);
        String change = null;
        if (first >= 0) {
            change = first < d.calls() && first < base.calls() && d.line(first) == base.line(first)
                    ? "line " + d.line(first) + " " + EventType.ofCode(d.event(first)).eventName() + ": "
                    + describe(base.result(first)) + " -> " + describe(d.result(first))
                    : "the calls reported differ from line " + (first < d.calls() ? d.line(first) : base.line(first));
        }
        List<String> fresh = new ArrayList<>(d.violations);
        for (String v : base.violations) {
            fresh.remove(v);
        }
        return new Site(nth, o.line, o.event == null ? null : o.event.eventName(), o.handle, o.point, o.effect,
                d.differences(base), change, List.copyOf(fresh));
    }

    private static String describe(long result) {
        return result < 0 ? Errno.describe(result) : Long.toString(result);
    }
}
