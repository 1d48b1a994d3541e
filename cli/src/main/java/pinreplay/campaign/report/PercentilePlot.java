package pinreplay.campaign.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * An inline SVG latency-by-percentile plot in the style of HdrHistogram's plotter: the x axis is
 * log-scaled in 1/(1-p), so 90%, 99%, 99.9%... are evenly spaced and the tail gets the room; the
 * y axis is latency in microseconds. One line per series (a kernel release, in matrix order).
 */
final class PercentilePlot {
    static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
        "#17becf"};
    private static final int W = 560;
    private static final int H = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 30;
    private static final int TOP = 14;
    private static final int BOTTOM = 40;
    private static final int NINES = 5; // the axis ends at 99.999%

    private PercentilePlot() {
    }

    /** {@code series}: name to histogram (nanoseconds), in legend order; empty histograms are left out. */
    static String svg(String title, Map<String, Histogram> series) {
        double top = top(series);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"").append(W).append("\" height=\"")
                .append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" role=\"img\">");
        sb.append("<title>").append(Html.esc(title)).append(": latency by percentile</title>");
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(pw)
                .append("\" height=\"").append(ph).append("\" fill=\"#fff\" stroke=\"#999\"/>");
        for (int k = 0; k <= NINES; k++) {
            double x = LEFT + pw * k / (double) NINES;
            sb.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(f(x))
                    .append("\" y2=\"").append(TOP + ph).append("\" stroke=\"#e4e4e4\"/>");
            sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(TOP + ph + 16)
                    .append("\" text-anchor=\"middle\">").append(percentLabel(k)).append("</text>");
        }
        sb.append("<text x=\"").append(LEFT + pw / 2).append("\" y=\"").append(H - 6)
                .append("\" text-anchor=\"middle\">percentile</text>");
        for (int k = 0; k <= 4; k++) {
            double v = top * k / 4;
            double y = TOP + ph - ph * k / 4.0;
            sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(LEFT + pw)
                    .append("\" y2=\"").append(f(y)).append("\" stroke=\"#e4e4e4\"/>");
            sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\">").append(number(v)).append("</text>");
        }
        sb.append("<text transform=\"translate(14 ").append(TOP + ph / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
                .append("latency (µs)</text>");
        int i = 0;
        Map<String, List<String>> lines = lines(series, top);
        for (Map.Entry<String, List<String>> e : lines.entrySet()) {
            String colour = PALETTE[i % PALETTE.length];
            // Earlier series are drawn wider, so releases with the same latencies show as nested bands, not one line.
            String width = f(1.5 + 1.8 * (series.size() - 1 - i++));
            sb.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"").append(width)
                    .append("\" stroke-linejoin=\"round\" points=\"")
                    .append(String.join(" ", e.getValue())).append("\"><title>").append(Html.esc(e.getKey()))
                    .append("</title></polyline>");
        }
        int labels = 0;
        for (List<String> same : sameLines(lines)) {
            String[] end = lines.get(same.get(0)).get(lines.get(same.get(0)).size() - 1).split(",");
            double y = Math.max(TOP + 10, Double.parseDouble(end[1]) - 6 - 13 * labels++);
            sb.append("<text class=\"same\" x=\"").append(f(Double.parseDouble(end[0]) - 4)).append("\" y=\"").append(f(y))
                    .append("\" text-anchor=\"end\">").append(Html.esc(String.join(" = ", same))).append("</text>");
        }
        sb.append("</svg>");
        return sb.toString();
    }

    /**
     * The series whose lines coincide (the same points at the plot's resolution), each group in legend order:
     * drawn as one stripe, they are labelled {@code 4.14 = 5.10} at their right end.
     */
    static List<List<String>> coinciding(Map<String, Histogram> series) {
        return sameLines(lines(series, top(series)));
    }

    private static List<List<String>> sameLines(Map<String, List<String>> lines) {
        Map<List<String>, List<String>> byPoints = new LinkedHashMap<>();
        lines.forEach((name, points) -> byPoints.computeIfAbsent(points, p -> new ArrayList<>()).add(name));
        return byPoints.values().stream().filter(names -> names.size() > 1).toList();
    }

    /** Each series' polyline points, in legend order. */
    private static Map<String, List<String>> lines(Map<String, Histogram> series, double top) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        series.forEach((name, h) -> out.put(name, points(h, top, W - LEFT - RIGHT, H - TOP - BOTTOM)));
        return out;
    }

    /** The y axis' top: a round number at or above the slowest call. */
    private static double top(Map<String, Histogram> series) {
        double maxUs = 0;
        for (Histogram h : series.values()) {
            maxUs = Math.max(maxUs, h.getMaxValue() / CellFiles.NS_PER_US);
        }
        return niceCeiling(maxUs);
    }

    private static List<String> points(Histogram h, double topUs, int pw, int ph) {
        List<String> out = new ArrayList<>();
        double maxX = NINES;
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            double x = p >= 1 ? maxX : Math.min(maxX, Math.log10(1 / (1 - p)));
            double us = v.getValueIteratedTo() / CellFiles.NS_PER_US;
            out.add(f(LEFT + pw * x / maxX) + "," + f(TOP + ph - ph * Math.min(us, topUs) / topUs));
            if (p >= 1 || x >= maxX) {
                break;
            }
        }
        return out;
    }

    /** 0%, 90%, 99%, 99.9%, ...: the percentile where 1/(1-p) is 10^nines. */
    private static String percentLabel(int nines) {
        if (nines == 0) {
            return "0%";
        }
        return nines == 1 ? "90%" : "99" + (nines > 2 ? "." + "9".repeat(nines - 2) : "") + "%";
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v} (at least 1 µs). */
    static double niceCeiling(double v) {
        double base = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (base * m >= v) {
                return base * m;
            }
        }
        return base * 10;
    }

    /** An axis label: 0.25, 2.5, 375 (three significant digits at most, no trailing zeros). */
    static String number(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
