package pinreplay.inject;

import static pinreplay.replay.outcome.JsonText.quote;

import java.io.PrintWriter;

import pinreplay.replay.outcome.JsonText;

/**
 * A sweep's report, text or JSON lines: each site with what it changed and the exact command that
 * reproduces it ({@code <command> --inject NAME:fail-nth=K --seed S}).
 */
public final class SweepReport {
    private SweepReport() {
    }

    /** The command reproducing {@code site}: {@code command} (trace, kernel, policies, other injectors) plus the site. */
    public static String command(String command, Sweep.Result r, Sweep.Site site, long seed) {
        return command + " --inject " + r.swept().withFailNth(site.failNth()) + " --seed " + seed;
    }

    public static void text(PrintWriter out, Sweep.Result r, String command, long seed) {
        out.println("pinreplay sweep: " + r.swept() + ", seed " + seed + ": " + r.sites().size() + " site(s)"
                + (r.capped() ? " (capped by --sweep-max)" : "") + ", " + r.changed() + " change the outcome, "
                + r.withViolations() + " with violations");
        for (Sweep.Site s : r.sites()) {
            out.println();
            out.println("fail-nth=" + s.failNth() + ": line " + s.line() + " " + s.event()
                    + (s.handle() == null ? "" : " [" + s.handle() + "]") + " at " + s.point() + ": " + s.effect());
            if (!s.changesOutcome()) {
                out.println("    same outcome as without it");
            }
            if (s.firstChange() != null) {
                out.println("    " + s.changedCalls() + " call(s) changed; first: " + s.firstChange());
            }
            for (String v : s.newViolations()) {
                out.println("    violation: " + v);
            }
            out.println("    " + command(command, r, s, seed));
        }
        out.flush();
    }

    public static void jsonl(PrintWriter out, Sweep.Result r, String command, long seed) {
        for (Sweep.Site s : r.sites()) {
            StringBuilder sb = new StringBuilder("{\"fail_nth\":").append(s.failNth()).append(",\"line\":")
                    .append(s.line()).append(",\"event\":").append(quote(s.event()));
            if (s.handle() != null) {
                sb.append(",\"handle\":").append(quote(s.handle()));
            }
            sb.append(",\"injected\":").append(quote(r.swept().name())).append(",\"point\":").append(quote(s.point()))
                    .append(",\"effect\":").append(quote(s.effect())).append(",\"changes_outcome\":")
                    .append(s.changesOutcome()).append(",\"changed_calls\":").append(s.changedCalls())
                    .append(",\"first_change\":").append(quote(s.firstChange())).append(",\"violations\":[")
                    .append(String.join(",", s.newViolations().stream().map(JsonText::quote).toList()));
            sb.append("],\"command\":").append(quote(command(command, r, s, seed))).append('}');
            out.println(sb);
        }
        out.println("{\"sweep\":" + quote(r.swept().toString()) + ",\"seed\":" + seed + ",\"sites\":" + r.sites().size()
                + ",\"changed\":" + r.changed() + ",\"with_violations\":" + r.withViolations() + ",\"capped\":"
                + r.capped() + "}");
        out.flush();
    }
}
