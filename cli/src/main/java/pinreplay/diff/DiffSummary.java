package pinreplay.diff;

import java.util.ArrayList;
import java.util.List;

/** The totals of a diff: calls compared and differing, per aspect, and each run's findings. */
public final class DiffSummary {
    long calls;
    long differ;
    final long[] byAspect = new long[Aspect.values().length];
    final long[] violations = new long[2];
    final long[] stalls = new long[2];
    final long[] injections = new long[2];

    void count(CallDiff d) {
        calls++;
        if (d.differs()) {
            differ++;
        }
        for (Aspect a : d.changed()) {
            byAspect[a.ordinal()]++;
        }
        count(0, d.a());
        count(1, d.b());
    }

    private void count(int side, SideCall s) {
        if (s != null) {
            violations[side] += s.violations.size();
            stalls[side] += s.stall == null ? 0 : 1;
            injections[side] += s.injections.size();
        }
    }

    public long differ() {
        return differ;
    }

    public long changed(Aspect a) {
        return byAspect[a.ordinal()];
    }

    /** {@code result 4, latency 5} for the aspects that changed anywhere. */
    public String aspectsText() {
        List<String> parts = new ArrayList<>();
        for (Aspect a : Aspect.values()) {
            if (changed(a) > 0) {
                parts.add((a == Aspect.presence ? "in one run only" : a.name()) + " " + changed(a));
            }
        }
        return String.join(", ", parts);
    }

    /** The one-line verdict: {@code 5 of 16 calls differ (result 4, latency 5); violations 1 -> 0, stalls 0 -> 0}. */
    public String text() {
        String findings = "violations " + violations[0] + " -> " + violations[1] + ", stalls " + stalls[0] + " -> "
                + stalls[1]
                + (injections[0] + injections[1] > 0 ? ", injections " + injections[0] + " -> " + injections[1] : "");
        if (differ == 0) {
            return "no difference in " + calls + (calls == 1 ? " call" : " calls") + "; " + findings;
        }
        return differ + " of " + calls + (differ == 1 ? " calls differs" : " calls differ") + " (" + aspectsText() + "); "
                + findings;
    }
}
