package pinreplay.replay.run;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import pinreplay.format.EventType;
import pinreplay.replay.outcome.ReplaySummary;

/**
 * What one {@link Replay#run} gave: the totals (events, calls, violations, stalls, divergences, injections,
 * latencies) and whether the trace was refused for having no event to replay; the outcomes themselves
 * (violations by kind among them) went to the sink.
 *
 * @param refusal why the trace is refused (exit 3: nothing to replay, with {@code requireEvents}), or null
 */
public record ReplayResult(ReplaySummary summary, String refusal) {
    /** The simulated latency histograms (nanoseconds, {@code Latencies}' configuration) by event name. */
    public SortedMap<String, Histogram> latencyByEvent() {
        return Stream.of(EventType.values()).filter(t -> summary.latencies.of(t) != null).collect(
                Collectors.toMap(EventType::eventName, t -> summary.latencies.of(t), (a, b) -> a, TreeMap::new));
    }
}
