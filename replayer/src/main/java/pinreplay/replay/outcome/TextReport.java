package pinreplay.replay.outcome;

import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;

import pinreplay.format.Errno;
import pinreplay.format.EventType;

/** The human report: results by event, violations with lines and explanation, stalls, divergences, latency. */
public final class TextReport {
    private TextReport() {
    }

    public static void write(PrintStream out, Findings f) {
        ReplaySummary s = f.summary;
        out.println("pinreplay replay: kernel " + s.profile);
        out.println("events: " + s.eventsReplayed + " replayed, " + s.eventsPassedThrough + " passed through; "
                + s.calls + " calls");
        out.println();
        out.println("Results by event");
        out.println(String.format(Locale.ROOT, "  %-28s %8s %8s  %s", "event", "calls", "ok", "errors"));
        for (EventType t : EventType.values()) {
            int c = t.code();
            if (f.calls[c] == 0) {
                continue;
            }
            out.println(String.format(Locale.ROOT, "  %-28s %8d %8d  %s", t.eventName(), f.calls[c], f.ok[c],
                    errors(f.errors[c])));
        }
        out.println();
        out.println("Violations: " + (s.violations == 0 ? "none" : s.violations + " " + f.violationsByKind));
        for (Outcome o : f.violations) {
            out.println("  line " + o.line + " (ts " + ts(o) + ", pid " + o.pid + ") " + o.violation + " ["
                    + o.handle + "]" + (o.victimIno >= 0 ? " victim inode " + o.victimIno + " offset " + o.victimOffset
                    : ""));
            out.println("    " + o.detail);
        }
        out.println("Stalls: " + (f.stalls.isEmpty() ? "none" : f.stalls.size()));
        for (Outcome o : f.stalls) {
            out.println("  line " + o.line + " (ts " + ts(o) + ", pid " + o.pid + ") " + o.event.eventName()
                    + " blocked " + us(o.blockedNs) + " us until the end of the trace, waiting on "
                    + (o.waitingOn.length == 0 ? "no holder" : String.join(", ", o.waitingOn))
                    + (o.cause == null ? "" : " (" + o.cause + ")"));
            if (o.detail != null) {
                out.println("    " + o.detail);
            }
        }
        out.println("Divergences: " + (s.divergences == 0 ? "none" : s.divergences));
        for (Outcome o : f.divergences) {
            out.println("  line " + o.line + " (ts " + ts(o) + ", pid " + o.pid + ") " + o.event.eventName()
                    + ": model " + Outcome.describe(o.result) + ", trace " + Errno.describe(o.observed));
        }
        if (!f.injectionsByName.isEmpty()) {
            out.println("Injections: " + s.injections + " " + f.injectionsByName);
            for (Outcome o : f.injections) {
                out.println("  line " + o.line + " (ts " + ts(o) + ", pid " + o.pid + ") "
                        + (o.event == null ? "" : o.event.eventName()) + (o.handle == null ? "" : " [" + o.handle + "]")
                        + ": " + (o.injected == null ? "" : o.injected + " at ") + o.point + ": " + o.effect);
            }
        }
        if (s.assumed > 0) {
            out.println("Assumed: " + s.assumed + " calls relied on what existed before the recording (memory, files,"
                    + " registrations); the model assumed what the kernel's results imply (--strict-state refuses)");
        }
        if (s.lostEvents > 0 || s.lossNotices > 0) {
            out.println("Lost: " + s.lostEvents + " events (" + s.lossNotices + " ring-buffer overflow notices, the first at line "
                    + s.firstLossLine + "): what they did is unknown; from there on the model takes the memory it knew as "
                    + "mapped before the recording (a larger buffer_size_kb keeps them)");
        }
        latencies(out, "Latency (simulated, us)", s.latencies);
        if (s.measured != null && s.measured.any()) {
            latencies(out, "Latency (measured in the recording, kprobe to kretprobe, us)", s.measured);
        }
        out.flush();
    }

    private static void latencies(PrintStream out, String title, Latencies l) {
        out.println();
        out.println(title);
        out.println(String.format(Locale.ROOT, "  %-28s %8s %10s %10s %10s %10s", "event", "count", "p50", "p99",
                "p99.9", "max"));
        for (EventType t : EventType.values()) {
            Histogram h = l.of(t);
            if (h != null) {
                out.println(String.format(Locale.ROOT, "  %-28s %8d %10.3f %10.3f %10.3f %10.3f", t.eventName(),
                        h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                        h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0));
            }
        }
    }

    static String errors(long[] counts) {
        if (counts == null) {
            return "";
        }
        return IntStream.range(1, counts.length).filter(e -> counts[e] > 0)
                .mapToObj(e -> Errno.describe(-e) + " x" + counts[e]).collect(Collectors.joining(", "));
    }

    static String ts(Outcome o) {
        return new JsonText(32).ts(o.ts, o.tsBits).toString();
    }

    static String us(long ns) {
        return new JsonText(32).fixed(ns, 3, 3).toString();
    }
}
