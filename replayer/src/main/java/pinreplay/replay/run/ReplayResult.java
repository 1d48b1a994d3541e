package pinreplay.replay.run;

import java.util.SortedMap;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

import pinreplay.format.EventType;
import pinreplay.replay.outcome.ReplaySummary;
import pinreplay.replay.outcome.ViolationKind;

/**
 * What one {@link Replay#run} gave: the totals (events, calls, violations, stalls, divergences, injections,
 * latencies), violations by kind, and whether the trace was refused for having no event to replay.
 *
 * @param refusal why the trace is refused (exit 3: nothing to replay, without {@code allowEmpty}), or null
 */
public record ReplayResult(ReplaySummary summary, long[] violationsByKind, String refusal) {
    public long violations(ViolationKind k) {
        return violationsByKind[k.ordinal()];
    }

    /** The simulated latency histograms (nanoseconds, {@code Latencies}' configuration) by event name. */
    public SortedMap<String, Histogram> latencyByEvent() {
        SortedMap<String, Histogram> out = new TreeMap<>();
        for (EventType t : EventType.values()) {
            Histogram h = summary.latencies.of(t);
            if (h != null) {
                out.put(t.eventName(), h);
            }
        }
        return out;
    }
}
