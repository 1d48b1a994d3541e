package pinreplay.replay.outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import pinreplay.format.EventType;

/**
 * Collects what the text and JSON reports show: results by event (counters, no allocation per call),
 * and copies of violations, stalls, divergences and injections (counted by injector/point) (the first {@link #KEEP} of each; all are
 * counted).
 */
public final class Findings implements OutcomeSink {
    public static final int KEEP = 10_000;
    private static final int ERRNO_MAX = 513;

    final long[] calls = new long[256];
    final long[] ok = new long[256];
    final long[][] errors = new long[256][];
    final List<Outcome> violations = new ArrayList<>();
    final List<Outcome> stalls = new ArrayList<>();
    final List<Outcome> divergences = new ArrayList<>();
    final List<Outcome> injections = new ArrayList<>();
    final Map<String, Long> violationsByKind = new TreeMap<>();
    final Map<String, Long> injectionsByName = new TreeMap<>();
    ReplaySummary summary;

    @Override
    public void accept(Outcome o) {
        switch (o.kind) {
            case CALL -> {
                int t = o.event.code();
                calls[t]++;
                if (o.result >= 0) {
                    ok[t]++;
                } else if (o.result > -ERRNO_MAX) {
                    if (errors[t] == null) {
                        errors[t] = new long[ERRNO_MAX];
                    }
                    errors[t][(int) -o.result]++;
                }
                if (o.hasObserved && !o.agrees()) {
                    keep(divergences, o);
                }
            }
            case VIOLATION -> {
                violationsByKind.merge(o.violation, 1L, Long::sum);
                keep(violations, o);
            }
            case STALL -> keep(stalls, o);
            case INJECTION -> {
                injectionsByName.merge(o.injected == null ? o.point : o.injected + "/" + o.point, 1L, Long::sum);
                keep(injections, o);
            }
        }
    }

    @Override
    public void end(ReplaySummary s) {
        summary = s;
    }

    private static void keep(List<Outcome> list, Outcome o) {
        if (list.size() < KEEP) {
            Outcome c = new Outcome();
            c.copyFrom(o);
            list.add(c);
        }
    }

    public List<Outcome> violations() {
        return violations;
    }

    public List<Outcome> stalls() {
        return stalls;
    }

    public List<Outcome> divergences() {
        return divergences;
    }

    public List<Outcome> injections() {
        return injections;
    }

    public long calls(EventType t) {
        return calls[t.code()];
    }
}
