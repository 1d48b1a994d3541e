package pinreplay.replay.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

import pinreplay.format.Errno;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;

/**
 * Collects what one explored order produced: its violations, stalls and each call's result by event. The recorded
 * order's results are the baseline every later order is compared with.
 */
final class OrderOutcome implements OutcomeSink {
    private final TraceEvents trace;
    private final TreeSet<String> violations = new TreeSet<>();
    private final TreeSet<String> stalls = new TreeSet<>();
    /** What the class key holds: kinds and events without handles or lines, so that an outcome is one class. */
    private final TreeSet<String> key = new TreeSet<>();
    private final long[] result;
    private final int[] stamp;
    private int generation;
    private long[] baseline;
    private int[] baselineStamp;

    OrderOutcome(TraceEvents trace) {
        this.trace = trace;
        result = new long[trace.size()];
        stamp = new int[trace.size()];
    }

    void reset() {
        violations.clear();
        stalls.clear();
        key.clear();
        generation++;
    }

    @Override
    public void accept(Outcome o) {
        switch (o.kind) {
            case VIOLATION -> {
                violations.add(o.violation + (o.handle != null ? " [" + o.handle + "]" : "") + " at "
                        + o.event.eventName());
                key.add("violation " + o.violation + " at " + o.event.eventName());
            }
            case STALL -> {
                String cause = o.cause != null ? " (" + o.cause + ")" : "";
                stalls.add(o.event.eventName() + (o.handle != null ? " [" + o.handle + "]" : "") + cause);
                key.add("stall " + o.event.eventName() + cause);
            }
            case CALL -> {
                int e = eventOfLine(o.line);
                if (e >= 0) {
                    result[e] = o.result;
                    stamp[e] = generation;
                }
            }
            default -> {
            }
        }
    }

    /** The current order's results become the baseline. */
    void keepAsBaseline() {
        baseline = result.clone();
        baselineStamp = IntStream.range(0, stamp.length).map(i -> stamp[i] == generation ? 1 : 0).toArray();
    }

    /**
     * The class key: the kinds of violation and stall by event, and each kind of result change by event
     * ({@code dio_submit: 0 -> -EFAULT}), however many calls had it; {@code results} gets each changed call.
     */
    String key(List<String> results) {
        for (int i = 0; i < result.length; i++) {
            if (stamp[i] == generation && baselineStamp[i] == 1 && baseline[i] != result[i]) {
                String change = trace.eventName(i) + ": " + text(baseline[i]) + " -> " + text(result[i]);
                results.add("line " + trace.line(i) + " " + change);
                key.add("result " + change);
            }
        }
        return String.join("|", key);
    }

    List<String> violations() {
        return new ArrayList<>(violations);
    }

    List<String> stalls() {
        return new ArrayList<>(stalls);
    }

    private static String text(long r) {
        return r < 0 && r > -4096 ? Errno.describe(r) : Long.toString(r);
    }

    /** Binary search: lines ascend in recorded order. */
    private int eventOfLine(long line) {
        int lo = 0;
        int hi = trace.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long l = trace.line(mid);
            if (l == line) {
                return mid;
            }
            if (l < line) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }
}
