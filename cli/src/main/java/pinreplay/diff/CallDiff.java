package pinreplay.diff;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** One call under both runs and what differs; a side is null when that run has no outcome for the call. */
public record CallDiff(CallKey key, SideCall a, SideCall b, Set<Aspect> changed) {

    static CallDiff of(CallKey key, SideCall a, SideCall b) {
        EnumSet<Aspect> c = EnumSet.noneOf(Aspect.class);
        if (a == null || b == null) {
            c.add(Aspect.presence);
            return new CallDiff(key, a, b, c);
        }
        if (a.called != b.called || !Objects.equals(a.result, b.result)) {
            c.add(Aspect.result);
        }
        if (a.retries != b.retries) {
            c.add(Aspect.retries);
        }
        if (!a.violations.equals(b.violations)) {
            c.add(Aspect.violation);
        }
        if (!Objects.equals(a.stall, b.stall)) {
            c.add(Aspect.stall);
        }
        if (a.latencyUs == null ? b.latencyUs != null : b.latencyUs == null || a.latencyUs.compareTo(b.latencyUs) != 0) {
            c.add(Aspect.latency);
        }
        return new CallDiff(key, a, b, c);
    }

    public boolean differs() {
        return !changed.isEmpty();
    }

    /** The side that has outcomes (A when both do): where the line's handle comes from. */
    public SideCall either() {
        return a != null ? a : b;
    }
}
