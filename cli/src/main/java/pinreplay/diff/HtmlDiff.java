package pinreplay.diff;

import java.io.PrintWriter;
import pinreplay.campaign.report.Html;

/**
 * {@code --format html}: one self-contained page (inline CSS, no scripts, nothing fetched) with the two runs side
 * by side, one row per call shown, the values that differ marked in each run's column, and the totals on top.
 * Rows are written as they come, the totals (known at the end) in a block the CSS moves above the table.
 */
public final class HtmlDiff implements DiffReport {
    private static final String CSS = String.join("\n",
            "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;display:flex;flex-direction:column}",
            "h1{font-size:22px;margin:0 0 8px;order:-2}",
            "table{border-collapse:collapse;margin:6px 0;width:100%;table-layout:fixed}",
            "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;overflow-wrap:anywhere}",
            "th{background:#f3f3f3;text-align:left}col.line{width:70px}col.event{width:230px}",
            "code{font:12px ui-monospace,monospace}.summary{order:-1;margin:0 0 8px}.muted{color:#666}",
            "td.a .ch{background:#ffebee;color:#b71c1c}td.b .ch{background:#e8f5e9;color:#1b5e20}",
            ".ch{padding:0 2px;border-radius:2px}.v{display:block;margin-top:2px}.same td{color:#777}",
            ".absent{color:#999;font-style:italic}");

    private final PrintWriter out;
    private final String a;
    private final String b;
    private long rows;

    public HtmlDiff(PrintWriter out, String a, String b) {
        this.out = out;
        this.a = a;
        this.b = b;
        out.println("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>pinreplay diff: "
                + Html.esc(a) + " vs " + Html.esc(b) + "</title>\n<style>\n" + CSS + "\n</style></head>\n<body>");
        out.println("<h1>pinreplay diff</h1>");
        out.println("<table><colgroup><col class=\"line\"><col class=\"event\"><col><col></colgroup>");
        out.println("<thead><tr><th>line</th><th>event</th><th>A: " + Html.esc(a) + "</th><th>B: " + Html.esc(b)
                + "</th></tr></thead><tbody>");
    }

    @Override
    public void row(CallDiff d) {
        rows++;
        StringBuilder sb = new StringBuilder(d.differs() ? "<tr>" : "<tr class=\"same\">");
        sb.append("<td>").append(d.key().line()).append("</td><td><code>").append(Html.esc(d.key().event()))
                .append("</code>");
        if (d.either().handle != null) {
            sb.append(" <span class=\"muted\">[").append(Html.esc(d.either().handle)).append("]</span>");
        }
        sb.append("</td>");
        side(sb, "a", d.a(), d);
        side(sb, "b", d.b(), d);
        out.println(sb.append("</tr>"));
    }

    private static void side(StringBuilder sb, String cls, SideCall s, CallDiff d) {
        sb.append("<td class=\"").append(cls).append("\">");
        if (s == null) {
            sb.append("<span class=\"absent\">no outcome</span></td>");
            return;
        }
        if (s.called) {
            sb.append("result ").append(mark(d, Aspect.result, s.resultText()));
            if (s.retries > 0 || d.changed().contains(Aspect.retries)) {
                sb.append(", retries ").append(mark(d, Aspect.retries, Long.toString(s.retries)));
            }
            sb.append(", ").append(mark(d, Aspect.latency, s.latencyText() + " us"));
        } else {
            sb.append(mark(d, Aspect.result, "no result"));
        }
        for (int i = 0; i < s.violations.size(); i++) {
            sb.append("<span class=\"v\">").append(mark(d, Aspect.violation, "violation " + s.violations.get(i)))
                    .append(": ").append(Html.esc(s.details.get(i))).append("</span>");
        }
        if (s.violations.isEmpty() && d.changed().contains(Aspect.violation)) {
            sb.append("<span class=\"v\">").append(mark(d, Aspect.violation, "no violation")).append("</span>");
        }
        if (s.stall != null || d.changed().contains(Aspect.stall)) {
            sb.append("<span class=\"v\">").append(mark(d, Aspect.stall, "stall " + s.stallText())).append("</span>");
        }
        for (String inj : s.injections) {
            sb.append("<span class=\"v muted\">injected ").append(Html.esc(inj)).append("</span>");
        }
        sb.append("</td>");
    }

    private static String mark(CallDiff d, Aspect x, String text) {
        return d.changed().contains(x) ? "<span class=\"ch\">" + Html.esc(text) + "</span>" : Html.esc(text);
    }

    @Override
    public void end(DiffSummary s) {
        if (rows == 0) {
            out.println("<tr><td colspan=\"4\" class=\"muted\">no call differs</td></tr>");
        }
        out.println("</tbody></table>");
        out.println("<p class=\"summary\"><b>" + Html.esc(s.text()) + "</b></p>");
        out.println("<p class=\"muted\">A: " + Html.esc(a) + "<br>B: " + Html.esc(b) + "</p>");
        out.println("</body></html>");
        out.flush();
    }
}
