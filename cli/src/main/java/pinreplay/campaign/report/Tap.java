package pinreplay.campaign.report;

import static pinreplay.replay.outcome.JsonText.quote;

import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.Repro;
import pinreplay.campaign.Status;

/**
 * {@code results.tap}: TAP version 13 as the kernel selftests print it (tools/testing/selftests/
 * kselftest.h): a plan, one {@code ok}/{@code not ok} line per cell, {@code # XFAIL} for a cell that
 * showed exactly its expected findings, {@code # error} for a replay that could not run, a YAML
 * diagnostics block under each line that needs one, and the kselftest totals line.
 */
public final class Tap {
    private Tap() {
    }

    public static String of(CampaignResult r) {
        StringBuilder sb = new StringBuilder("TAP version 13\n");
        sb.append("1..").append(r.cells().size()).append('\n');
        sb.append("# pinreplay campaign ").append(r.info().name()).append(": ").append(r.cells().size()).append(" of ")
                .append(r.info().cellsTotal()).append(" cells\n");
        int n = 0;
        for (CellOutcome o : r.cells()) {
            n++;
            Status s = o.status();
            sb.append(s.failing() ? "not ok " : "ok ").append(n).append(' ').append(o.cell().id());
            if (s == Status.XFAIL) {
                sb.append(" # XFAIL ").append(o.cell().expect().describe());
            } else if (s == Status.ERROR) {
                sb.append(" # error");
            }
            sb.append('\n');
            if (s.failing() || s == Status.FLAKY) {
                diagnostics(sb, o);
            }
        }
        long pass = r.count(Status.PASS) + r.count(Status.FLAKY);
        sb.append("# Totals: pass:").append(pass).append(" fail:").append(r.count(Status.FAIL))
                .append(" xfail:").append(r.count(Status.XFAIL)).append(" xpass:0 skip:0 error:")
                .append(r.count(Status.ERROR)).append('\n');
        return sb.toString();
    }

    /** The YAML block; its strings are JSON's, which YAML reads as double-quoted scalars. */
    private static void diagnostics(StringBuilder sb, CellOutcome o) {
        sb.append("  ---\n");
        sb.append("  status: ").append(o.status().label()).append('\n');
        sb.append("  attempts: ").append(o.attempts().size()).append('\n');
        sb.append(o.status() == Status.FLAKY ? "  first_failure:\n" : "  reasons:\n");
        for (String reason : FindingGroups.reasons(o)) {
            sb.append("    - ").append(quote(reason)).append('\n');
        }
        sb.append("  reproduce: ").append(quote(o.cell().reproduceCommand())).append('\n');
        if (o.repro() != null) {
            sb.append("  minimized: ").append(quote(Repro.path(o.cell()))).append('\n');
            sb.append("  minimized_events: ").append(o.repro().eventsAfter()).append('\n');
        }
        sb.append("  ...\n");
    }
}
