package pinreplay.replay.outcome;

import java.io.PrintStream;
import java.util.Objects;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import pinreplay.format.EventType;

/**
 * Simulated latency per event kind, in HdrHistogram (nanoseconds, 3 significant digits, up to an hour).
 * Histograms are created on the first call of a kind; recording allocates nothing.
 */
public final class Latencies {
    private static final long HIGHEST_NS = 3_600_000_000_000L;
    private final Histogram[] byType = new Histogram[256];
    /** What the values are, for the {@code .hgrm} headings: {@code simulated} or {@code measured}. */
    private final String what;

    /** Simulated latencies (the cost model's). */
    public Latencies() {
        this("simulated");
    }

    public Latencies(String what) {
        this.what = what;
    }

    public void record(EventType type, long ns) {
        Histogram h = byType[type.code()];
        if (h == null) {
            h = new Histogram(1, HIGHEST_NS, 3);
            byType[type.code()] = h;
        }
        h.recordValue(Math.max(1, Math.min(HIGHEST_NS, ns)));
    }

    /** Whether any value was recorded. */
    public boolean any() {
        return Stream.of(byType).anyMatch(Objects::nonNull);
    }

    /** The histogram of a kind, or null when it had no call. */
    public Histogram of(EventType type) {
        return byType[type.code()];
    }

    /** Writes each kind's percentile distribution ({@code .hgrm}, values in microseconds), kinds in code order. */
    public void writeHgrm(PrintStream out) {
        for (EventType t : EventType.values()) {
            Histogram h = byType[t.code()];
            if (h != null) {
                out.println("# " + t.eventName() + " (" + what + " latency, us)");
                h.outputPercentileDistribution(out, 5, 1000.0);
                out.println();
            }
        }
    }
}
