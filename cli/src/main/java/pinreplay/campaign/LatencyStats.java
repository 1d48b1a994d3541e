package pinreplay.campaign;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The latency percentiles the summary records and baselines compare, in microseconds with three
 * decimals (histograms hold nanoseconds), as exact decimals so the JSON is byte-stable.
 */
public final class LatencyStats {
    /** Percentile labels and values; {@code max} is the 100th. */
    public static final List<String> LABELS = List.of("p50", "p90", "p99", "p99.9", "max");
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

    private LatencyStats() {
    }

    /** {@code count}, then each label's value in µs. */
    public static Map<String, Object> of(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        for (int i = 0; i < PERCENTILES.length; i++) {
            long ns = PERCENTILES[i] == 100 ? h.getMaxValue() : h.getValueAtPercentile(PERCENTILES[i]);
            m.put(LABELS.get(i), micros(ns));
        }
        return m;
    }

    public static BigDecimal micros(long ns) {
        return BigDecimal.valueOf(ns, 3);
    }
}
