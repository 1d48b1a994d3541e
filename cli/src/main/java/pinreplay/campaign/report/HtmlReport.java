package pinreplay.campaign.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.HdrHistogram.Histogram;

import pinreplay.campaign.BaselineComparison;
import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.CellChange;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.Finding;
import pinreplay.campaign.LatencyMove;
import pinreplay.campaign.Repro;
import pinreplay.campaign.Status;
import pinreplay.campaign.spec.TraceSpec;
import pinreplay.replay.outcome.ViolationKind;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing fetched).
 * The outcome matrix (trace by kernel, one square per policy, injector set and seed, coloured by
 * verdict), the baseline changes, latency-by-percentile plots per event kind with one line per
 * kernel (coinciding lines labelled), the violations grouped by trace and kind and the failing cells grouped
 * by trace and reasons, each group with its count, an example and one reproducer, and every cell.
 */
public final class HtmlReport {
    private static final String CSS = String.join("\n",
            "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1320px}",
            "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}",
            "table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}",
            "th{background:#f3f3f3;text-align:left}code{font:12px ui-monospace,monospace;background:#f6f6f6;padding:1px 3px;"
                    + "word-break:break-all}",
            ".matrix{table-layout:fixed;width:100%}.matrix tr>th:first-child{width:210px;overflow-wrap:anywhere}",
            ".sq{display:inline-block;width:14px;height:14px;margin:1px;border:1px solid #0003}.sqs{white-space:nowrap}",
            ".pass{background:#a5d6a7}.xfail{background:#90caf9}.flaky{background:#fff176}.fail{background:#ef9a9a}",
            ".error{background:#ce93d8}.badge{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:3px}",
            ".muted{color:#666}.plots{display:flex;flex-wrap:wrap;gap:18px}.plots figure{margin:0}",
            ".plot text{font:11px system-ui,sans-serif;fill:#333}.plot text.same{font-weight:bold}",
            ".legend span{margin-right:12px}",
            ".matrix td.pass{background:#e8f5e9}.matrix td.xfail{background:#e3f2fd}.matrix td.flaky{background:#fffde7}",
            ".matrix td.fail{background:#ffebee}.matrix td.error{background:#f3e5f5}.matrix td{border-left:6px solid #ccc}",
            ".matrix td.pass{border-left-color:#66bb6a}.matrix td.xfail{border-left-color:#42a5f5}",
            ".matrix td.flaky{border-left-color:#fdd835}.matrix td.fail{border-left-color:#e53935}",
            ".matrix td.error{border-left-color:#ab47bc}",
            ".sq.fresh{border:2px solid #000;width:12px;height:12px}td.id{white-space:nowrap}",
            "details{margin:6px 0}summary{cursor:pointer}",
            ".new{font-weight:bold;color:#b71c1c}.kinds dt{font-weight:bold}.kinds dd{margin:0 0 8px 16px}");

    private HtmlReport() {
    }

    public static String of(CampaignResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>pinreplay campaign ")
                .append(Html.esc(r.info().name())).append("</title>\n<style>\n").append(CSS).append("\n</style></head>\n<body>\n");
        header(sb, r);
        if (r.baseline() != null) {
            baselineLine(sb, r.baseline());
        }
        matrix(sb, r);
        if (r.baseline() != null) {
            baseline(sb, r.baseline());
        }
        plots(sb, r);
        violations(sb, r);
        cells(sb, r);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void header(StringBuilder sb, CampaignResult r) {
        sb.append("<h1>pinreplay campaign ").append(Html.esc(r.info().name())).append("</h1>\n<p class=\"muted\">")
                .append(r.cells().size()).append(" of ").append(r.info().cellsTotal()).append(" cells")
                .append(r.complete() ? "" : " (one shard: merge the shards for the whole campaign)")
                .append(" &middot; spec sha256 <code>").append(r.info().digest(), 0, 12).append("</code> &middot; exit code ")
                .append(r.exitCode()).append("</p>\n<p>");
        for (Status s : Status.values()) {
            sb.append("<span class=\"badge ").append(s.label()).append("\">").append(s.label()).append(' ')
                    .append(r.count(s)).append("</span>");
        }
        sb.append("</p>\n");
    }

    private static void baselineLine(StringBuilder sb, BaselineComparison b) {
        sb.append("<p>Against the baseline campaign <b>").append(Html.esc(b.baseline()))
                .append("</b>: <span class=\"new\">").append(b.newFailures().size()).append(" new failures</span>, ")
                .append(b.fixed().size()).append(" fixed, ").append(b.stillFailing().size()).append(" still failing, ")
                .append(b.added().size()).append(" cells new to the matrix, ").append(b.removed().size())
                .append(" gone from it; ").append(b.latencyMoves().size()).append(" latency percentiles moved.</p>\n");
    }

    private static void baseline(StringBuilder sb, BaselineComparison b) {
        sb.append("<h2>Against the baseline</h2>\n");
        changes(sb, "New failures", b.newFailures(), true);
        changes(sb, "Fixed", b.fixed(), false);
        changes(sb, "Still failing", b.stillFailing(), false);
        if (!b.latencyMoves().isEmpty()) {
            sb.append("<details><summary><b>Latency percentiles that moved</b> (").append(b.latencyMoves().size())
                    .append(")</summary>\n<table><tr><th>cell</th><th>event</th><th>percentile</th>"
                    + "<th>before (µs)</th><th>now (µs)</th><th>change</th></tr>\n");
            for (LatencyMove m : b.latencyMoves()) {
                sb.append("<tr><td>").append(Html.esc(m.cellId())).append("</td><td>").append(Html.esc(m.event()))
                        .append("</td><td>").append(m.percentile()).append("</td><td>").append(m.beforeUs().toPlainString())
                        .append("</td><td>").append(m.afterUs().toPlainString()).append("</td><td class=\"")
                        .append(m.slower() ? "fail" : "pass").append("\">").append(m.slower() ? "+" : "")
                        .append(m.changePercent().toPlainString()).append("%</td></tr>\n");
            }
            sb.append("</table></details>\n");
        }
    }

    /** A table of changed cells; open when {@code open} (new failures), folded otherwise. */
    private static void changes(StringBuilder sb, String title, List<CellChange> list, boolean open) {
        if (list.isEmpty()) {
            return;
        }
        sb.append("<details").append(open ? " open" : "").append("><summary><b>").append(title).append("</b> (")
                .append(list.size()).append(")</summary>\n<table><tr><th>cell</th><th>before</th><th>now</th><th>why</th></tr>\n");
        for (CellChange c : list) {
            sb.append("<tr><td class=\"id\"><a href=\"#").append(Html.esc(c.cellId())).append("\">").append(Html.esc(c.cellId()))
                    .append("</a></td><td>").append(c.before()).append("</td><td class=\"").append(c.after()).append("\">")
                    .append(c.after()).append("</td><td>").append(Html.esc(String.join("; ", c.reasons()))).append("</td></tr>\n");
        }
        sb.append("</table></details>\n");
    }

    private static void matrix(StringBuilder sb, CampaignResult r) {
        sb.append("<h2>Outcome matrix</h2>\n<p class=\"muted\">Rows are traces, columns kernel releases. Each square is one "
                + "cell: policy set &times; injector set &times; seed, in spec order, one line per policy set (");
        sb.append(r.info().policies().size()).append(" &times; ").append(r.info().injectors().size()).append(" &times; ")
                .append(r.info().seeds().size()).append("); hover for its id and verdict. A box takes the colour of its "
                        + "worst cell.</p>\n<table class=\"matrix\"><tr><th>trace</th>");
        for (String k : r.info().kernels()) {
            sb.append("<th>").append(Html.esc(k)).append("</th>");
        }
        sb.append("</tr>\n");
        java.util.Set<String> newIds = new java.util.HashSet<>();
        if (r.baseline() != null) {
            r.baseline().newFailures().forEach(c -> newIds.add(c.cellId()));
        }
        for (TraceSpec t : r.info().traces()) {
            sb.append("<tr><th>").append(Html.esc(t.name())).append("<br><span class=\"muted\">")
                    .append(t.isSynth() ? "synth " + Html.esc(t.scenario()) : Html.esc(t.file().getFileName().toString()))
                    .append("</span></th>");
            for (String k : r.info().kernels()) {
                List<CellOutcome> group = r.cells().stream()
                        .filter(c -> c.cell().trace().name().equals(t.name()) && c.cell().kernel().equals(k)).toList();
                if (group.isEmpty()) {
                    sb.append("<td class=\"muted\">not in this shard</td>");
                    continue;
                }
                Status worst = group.stream().map(CellOutcome::status).max(Enum::compareTo).orElseThrow();
                long ok = group.stream().filter(c -> !c.status().failing()).count();
                sb.append("<td class=\"").append(worst.label()).append("\"><b>").append(ok).append('/').append(group.size())
                        .append("</b> ok<br><span class=\"sqs\">");
                String policy = group.get(0).cell().policy().name();
                for (CellOutcome c : group) {
                    if (!c.cell().policy().name().equals(policy)) {
                        policy = c.cell().policy().name();
                        sb.append("</span><br><span class=\"sqs\">"); // one line of squares per policy set
                    }
                    boolean fresh = newIds.contains(c.cell().id());
                    sb.append("<span class=\"sq ").append(c.status().label()).append(fresh ? " fresh" : "").append("\" title=\"")
                            .append(Html.esc(c.cell().id() + ": " + c.status().label() + (fresh ? " (new)" : "")))
                            .append("\"></span>");
                }
                sb.append("</span>");
                TreeSet<String> kinds = new TreeSet<>();
                group.forEach(c -> kinds.addAll(c.outcomes().violations().keySet()));
                if (!kinds.isEmpty()) {
                    sb.append("<br><small>").append(Html.esc(String.join(", ", kinds))).append("</small>");
                }
                sb.append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n<p class=\"legend\">");
        String[] meaning = {"nothing found, nothing expected", "exactly the expected findings",
            "failed, then passed on a rerun", "unexpected violation, divergence or stall, or an expected one missing",
            "the replay could not run"};
        for (Status s : Status.values()) {
            sb.append("<span><span class=\"sq ").append(s.label()).append("\"></span> <b>").append(s.label()).append("</b>: ")
                    .append(meaning[s.ordinal()]).append("</span> ");
        }
        if (r.baseline() != null) {
            sb.append("<span><span class=\"sq fail fresh\"></span> <b>outlined</b>: fails now, not in the baseline</span>");
        }
        sb.append("</p>\n");
    }

    private static void plots(StringBuilder sb, CampaignResult r) {
        Map<String, Map<String, Histogram>> byEvent = new TreeMap<>();
        for (CellOutcome c : r.cells()) {
            c.result().latency().forEach((event, h) -> {
                Map<String, Histogram> series = byEvent.computeIfAbsent(event, e -> {
                    Map<String, Histogram> m = new LinkedHashMap<>();
                    for (String k : r.info().kernels()) {
                        m.put(k, new Histogram(h.getNumberOfSignificantValueDigits()));
                    }
                    return m;
                });
                series.get(c.cell().kernel()).add(h);
            });
        }
        sb.append("<h2>Latency by percentile</h2>\n");
        if (byEvent.isEmpty()) {
            sb.append("<p class=\"muted\">No call latencies recorded.</p>\n");
            return;
        }
        sb.append("<p class=\"muted\">Simulated latency of each event kind over all cells of a kernel release "
                + "(per-cell data: <code>cells/ID/latency.hlog</code> and <code>.hgrm</code>). Where releases coincide their "
                + "lines overlap: earlier releases are drawn wider, underneath, and the line is labelled with all of "
                + "them.</p>\n<p class=\"legend\">");
        int i = 0;
        for (String k : r.info().kernels()) {
            sb.append("<span style=\"color:").append(PercentilePlot.PALETTE[i++ % PercentilePlot.PALETTE.length])
                    .append("\">&#9644; ").append(Html.esc(k)).append("</span>");
        }
        sb.append("</p>\n<div class=\"plots\">\n");
        for (Map.Entry<String, Map<String, Histogram>> e : byEvent.entrySet()) {
            Map<String, Histogram> nonEmpty = new LinkedHashMap<>();
            e.getValue().forEach((k, h) -> {
                if (h.getTotalCount() > 0) {
                    nonEmpty.put(k, h);
                }
            });
            long n = nonEmpty.values().stream().mapToLong(Histogram::getTotalCount).sum();
            sb.append("<figure><figcaption><b>").append(Html.esc(e.getKey())).append("</b> <span class=\"muted\">(")
                    .append(n).append(" calls");
            for (List<String> same : PercentilePlot.coinciding(nonEmpty)) {
                sb.append("; one line: ").append(Html.esc(String.join(" = ", same)));
            }
            sb.append(")</span></figcaption>").append(PercentilePlot.svg(e.getKey(), nonEmpty)).append("</figure>\n");
        }
        sb.append("</div>\n");
    }

    /**
     * Violations grouped by trace and kind, failing cells by trace and reasons: each group once, with how many
     * cells show it, where (kernels, policy and injector sets), one example and one reproducer.
     */
    private static void violations(StringBuilder sb, CampaignResult r) {
        sb.append("<h2>Violations</h2>\n");
        List<FindingGroups.Group> groups = FindingGroups.violations(r);
        if (groups.isEmpty()) {
            sb.append("<p class=\"muted\">None.</p>\n");
        } else {
            sb.append("<dl class=\"kinds\">\n");
            for (String k : new TreeSet<>(groups.stream().map(FindingGroups.Group::what).toList())) {
                ViolationKind vk = ViolationKind.byId(k);
                sb.append("<dt>").append(Html.esc(k)).append("</dt><dd>")
                        .append(vk == null ? "A violation kind this report does not know." : Html.esc(vk.explanation()))
                        .append("</dd>\n");
            }
            sb.append("</dl>\n<p class=\"muted\">One row per trace and violation kind. Commands run from the directory "
                    + "the campaign ran in; minimized reproducers are beside this report.</p>\n");
            List<FindingGroups.Group> expected = groups.stream().filter(FindingGroups.Group::expected).toList();
            groupTable(sb, groups.stream().filter(g -> !g.expected()).toList(), true);
            if (!expected.isEmpty()) {
                sb.append("<details><summary><b>Expected violations</b> (").append(expected.size())
                        .append(expected.size() == 1 ? " row" : " rows").append(", every cell xfail)</summary>\n");
                groupTable(sb, expected, true);
                sb.append("</details>\n");
            }
        }
        List<FindingGroups.Group> failures = FindingGroups.failures(r);
        if (!failures.isEmpty()) {
            sb.append("<h2>Other failures</h2>\n<p class=\"muted\">Cells that failed, or passed only on a rerun, "
                    + "other than by unexpected violations (above); cells of a trace failing for the same reasons, "
                    + "counts and lines aside, are one row.</p>\n");
            groupTable(sb, failures, false);
        }
    }

    /** Rows of groups: {@code violation} tables show the kind and an example finding, failure tables the reasons. */
    private static void groupTable(StringBuilder sb, List<FindingGroups.Group> groups, boolean violation) {
        if (groups.isEmpty()) {
            return;
        }
        sb.append("<table><tr><th>trace</th><th>").append(violation ? "violation" : "why")
                .append("</th><th>cells</th><th>where</th><th>").append(violation ? "example" : "first cell")
                .append("</th><th>reproduce</th></tr>\n");
        for (FindingGroups.Group g : groups) {
            CellOutcome rep = g.reproducer();
            sb.append("<tr><td>").append(Html.esc(g.trace())).append("</td><td>").append(Html.esc(g.what()))
                    .append("</td><td>").append(g.cells().size());
            for (Status s : Status.values()) {
                long n = g.count(s);
                if (n > 0) {
                    sb.append(" <span class=\"badge ").append(s.label()).append("\">").append(n).append(' ')
                            .append(s.label()).append("</span>");
                }
            }
            sb.append("<details><summary>cells</summary>");
            for (CellOutcome c : g.cells()) {
                sb.append("<a href=\"#").append(Html.esc(c.cell().id())).append("\">").append(Html.esc(c.cell().id()))
                        .append("</a> ");
            }
            sb.append("</details></td><td>").append(where(g)).append("</td><td>");
            if (violation) {
                Finding f = rep.outcomes().violations().get(g.what()).get(0);
                long total = g.cells().stream().mapToLong(c -> c.outcomes().violations().get(g.what()).size()).sum();
                sb.append(total).append(total == 1 ? " finding" : " findings").append("; line ").append(f.line())
                        .append(f.handle().isEmpty() ? "" : " [" + Html.esc(f.handle()) + "]").append(": ")
                        .append(Html.esc(f.detail()));
            } else {
                sb.append(Html.esc(rep.cell().id())).append(": ")
                        .append(Html.esc(String.join("; ", FindingGroups.reasons(rep))));
            }
            sb.append("</td><td>").append(reproduce(rep)).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** {@code kernels 4.14, 5.10; policies default; injectors none, migrate}. */
    private static String where(FindingGroups.Group g) {
        return "kernels " + Html.esc(String.join(", ", g.distinct(c -> c.cell().kernel()))) + "; policies "
                + Html.esc(String.join(", ", g.distinct(c -> c.cell().policy().name()))) + "; injectors "
                + Html.esc(String.join(", ", g.distinct(c -> c.cell().injectors().name())));
    }

    private static String reproduce(CellOutcome c) {
        StringBuilder sb = new StringBuilder("<code>").append(Html.esc(c.cell().reproduceCommand())).append("</code>");
        Repro rp = c.repro();
        if (rp != null) {
            String path = Repro.path(c.cell());
            sb.append("<br>minimized: <a href=\"").append(Html.esc(path)).append("\">").append(Html.esc(path))
                    .append("</a>, ").append(rp.eventsAfter()).append(" of ").append(rp.eventsBefore())
                    .append(" events still give ").append(Html.esc(rp.kind())).append(rp.minimal() ? "" : " (not minimal)")
                    .append(": <code>").append(Html.esc(c.cell().replayCommand(path))).append("</code>");
        }
        return sb.toString();
    }

    private static void cells(StringBuilder sb, CampaignResult r) {
        sb.append("<h2>All cells</h2>\n<table><tr><th>#</th><th>cell</th><th>verdict</th><th>calls</th><th>violations</th>"
                + "<th>stalls</th><th>divergences</th><th>injected</th></tr>\n");
        for (CellOutcome c : r.cells()) {
            long injected = c.outcomes().injected().values().stream().mapToLong(Long::longValue).sum();
            sb.append("<tr id=\"").append(Html.esc(c.cell().id())).append("\"><td>").append(c.cell().index())
                    .append("</td><td class=\"id\">").append(Html.esc(c.cell().id()))
                    .append("</td><td class=\"").append(c.status().label()).append("\">").append(c.status().label())
                    .append("</td><td>").append(c.outcomes().calls()).append("</td><td>").append(c.outcomes().violationCount())
                    .append("</td><td>").append(c.outcomes().stalls().size()).append("</td><td>")
                    .append(c.outcomes().divergences().size()).append("</td><td>").append(injected).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }
}
