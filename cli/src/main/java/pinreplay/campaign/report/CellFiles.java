package pinreplay.campaign.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import pinreplay.campaign.CellOutcome;

/**
 * The per-cell files: {@code cells/ID/records.jsonl} (the outcome records as the replay wrote them),
 * {@code cells/ID/latency.hlog} (an HdrHistogram interval log, one interval per event kind, tagged with
 * the kind) and {@code cells/ID/KIND.hgrm} (HdrHistogram's percentile distribution, microseconds).
 */
public final class CellFiles {
    /** hlog and hgrm values are nanoseconds; this ratio prints them as microseconds. */
    static final double NS_PER_US = 1000.0;

    private CellFiles() {
    }

    public static String dir(CellOutcome o) {
        return "cells/" + o.cell().id() + "/";
    }

    public static String records(CellOutcome o) {
        return o.result().records().stream().map(line -> line + "\n").collect(Collectors.joining());
    }

    /**
     * One interval per event kind spanning the trace time of the records. No start time or base time is
     * written: they would be wall-clock times, and the log must be the same on every run.
     */
    public static String hlog(String campaign, CellOutcome o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment("pinreplay campaign " + campaign + ", cell " + o.cell().id()
                    + ": simulated latency per event kind (Tag), values in microseconds");
            w.outputLogFormatVersion();
            w.outputLegend();
            double end = Math.max(o.outcomes().spanSeconds(), 0);
            for (Map.Entry<String, Histogram> e : o.result().latency().entrySet()) {
                Histogram h = e.getValue().copy();
                h.setTag(e.getKey());
                w.outputIntervalHistogram(0, end, h, NS_PER_US);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public static String hgrm(Histogram h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(ps, 5, NS_PER_US);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
