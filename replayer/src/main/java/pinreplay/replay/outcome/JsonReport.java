package pinreplay.replay.outcome;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import pinreplay.format.Errno;
import pinreplay.format.EventType;

/** The whole replay as one JSON document ({@code --format json}). */
public final class JsonReport {
    private JsonReport() {
    }

    public static void write(PrintStream out, Findings f) {
        ReplaySummary s = f.summary;
        JsonText j = new JsonText();
        j.raw('{').key("profile", true).str(s.profile);
        j.key("events", false).raw('{').key("replayed", true).num(s.eventsReplayed).key("passed_through", false)
                .num(s.eventsPassedThrough).raw('}');
        j.key("calls", false).num(s.calls);
        j.key("assumed", false).num(s.assumed);
        j.key("lost_events", false).num(s.lostEvents);
        if (s.lossNotices > 0) {
            j.key("first_loss_line", false).num(s.firstLossLine);
        }
        j.key("results", false).raw('{');
        boolean first = true;
        for (EventType t : EventType.values()) {
            int c = t.code();
            if (f.calls[c] == 0) {
                continue;
            }
            j.key(t.eventName(), first).raw('{').key("calls", true).num(f.calls[c]).key("ok", false).num(f.ok[c]);
            j.key("errors", false).raw('{');
            long[] errs = f.errors[c];
            boolean firstErr = true;
            for (int e = 1; errs != null && e < errs.length; e++) {
                if (errs[e] > 0) {
                    j.key(Errno.describe(-e), firstErr).num(errs[e]);
                    firstErr = false;
                }
            }
            j.raw("}}");
            first = false;
        }
        j.raw('}');
        list(j, "violations", f.violations);
        list(j, "stalls", f.stalls);
        list(j, "divergences", f.divergences);
        j.key("injections", false).raw('{');
        first = true;
        for (Map.Entry<String, Long> e : f.injectionsByName.entrySet()) {
            j.key(e.getKey(), first).num(e.getValue());
            first = false;
        }
        j.raw('}');
        list(j, "injected", f.injections);
        latencies(j, "latency_us", s.latencies);
        if (s.measured != null && s.measured.any()) {
            latencies(j, "measured_latency_us", s.measured);
        }
        j.raw("}\n");
        out.write(j.buf, 0, j.n);
        out.flush();
    }

    private static void latencies(JsonText j, String name, Latencies l) {
        j.key(name, false).raw('{');
        boolean first = true;
        for (EventType t : EventType.values()) {
            Histogram h = l.of(t);
            if (h == null) {
                continue;
            }
            j.key(t.eventName(), first).raw('{').key("count", true).num(h.getTotalCount());
            j.key("p50", false).fixed(h.getValueAtPercentile(50), 3, 3);
            j.key("p99", false).fixed(h.getValueAtPercentile(99), 3, 3);
            j.key("p99_9", false).fixed(h.getValueAtPercentile(99.9), 3, 3);
            j.key("max", false).fixed(h.getMaxValue(), 3, 3).raw('}');
            first = false;
        }
        j.raw('}');
    }

    private static void list(JsonText j, String name, List<Outcome> items) {
        j.key(name, false).raw('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                j.raw(',');
            }
            j.outcome(items.get(i));
        }
        j.raw(']');
    }
}
