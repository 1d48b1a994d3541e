package pinreplay.campaign.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import pinreplay.campaign.Attempt;
import pinreplay.campaign.BaselineComparison;
import pinreplay.campaign.CampaignInfo;
import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.Cell;
import pinreplay.campaign.CellChange;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.LatencyMove;
import pinreplay.campaign.LatencyStats;
import pinreplay.campaign.Repro;
import pinreplay.campaign.Status;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.TraceSpec;

/**
 * {@code summary.json}: the campaign's axes, totals and one entry per cell (verdict, attempts, counts,
 * latency percentiles, reproduce command, reproducer). With the per-cell files it holds everything a
 * merge needs to write the same outputs again ({@link SummaryReader}). docs/campaign.md shows it.
 */
public final class SummaryJson {
    public static final String FORMAT = "pinreplay-campaign-summary/1";

    private SummaryJson() {
    }

    public static Map<String, Object> of(CampaignResult r) {
        CampaignInfo info = r.info();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("campaign", info.name());
        m.put("spec_sha256", info.digest());
        m.put("cells_total", (long) info.cellsTotal());
        m.put("cells_run", (long) r.cells().size());
        m.put("axes", axes(info));
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("threshold_percent", BigDecimal.valueOf(info.latency().thresholdPercent()));
        lat.put("min_count", info.latency().minCount());
        lat.put("fail_on_regression", info.latency().failOnRegression());
        m.put("latency_settings", lat);
        Map<String, Object> totals = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            totals.put(s.label(), r.count(s));
        }
        m.put("totals", totals);
        m.put("exit_code", (long) r.exitCode());
        List<Object> cells = new ArrayList<>();
        for (CellOutcome c : r.cells()) {
            cells.add(cell(c));
        }
        m.put("cells", cells);
        if (r.baseline() != null) {
            m.put("baseline", baseline(r.baseline()));
        }
        return m;
    }

    private static Map<String, Object> axes(CampaignInfo info) {
        Map<String, Object> a = new LinkedHashMap<>();
        List<Object> traces = new ArrayList<>();
        for (TraceSpec t : info.traces()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            if (t.isSynth()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("scenario", t.scenario());
                s.put("params", new LinkedHashMap<>(t.params()));
                s.put("seed", t.synthSeed());
                s.put("events", t.events());
                tm.put("synth", s);
            } else {
                tm.put("file", t.file().toString());
            }
            traces.add(tm);
        }
        a.put("traces", traces);
        a.put("kernels", new ArrayList<>(info.kernels()));
        List<Object> policies = new ArrayList<>();
        for (PolicySet p : info.policies()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("settings", new LinkedHashMap<>(p.settings()));
            policies.add(pm);
        }
        a.put("policies", policies);
        List<Object> injectors = new ArrayList<>();
        for (InjectorSet i : info.injectors()) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("name", i.name());
            im.put("specs", new ArrayList<>(i.specs()));
            injectors.add(im);
        }
        a.put("injectors", injectors);
        a.put("seeds", new ArrayList<>(info.seeds()));
        return a;
    }

    private static Map<String, Object> cell(CellOutcome o) {
        Cell c = o.cell();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", (long) c.index());
        m.put("id", c.id());
        m.put("trace", c.trace().name());
        m.put("kernel", c.kernel());
        m.put("policy", c.policy().name());
        m.put("injectors", c.injectors().name());
        m.put("seed", c.seed());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("violations", new ArrayList<>(c.expect().violations()));
        e.put("stalls", c.expect().stalls());
        e.put("divergences", c.expect().divergences());
        m.put("expect", e);
        m.put("status", o.status().label());
        m.put("exit_status", (long) o.result().exitStatus());
        m.put("diagnostics", o.result().diagnostics());
        List<Object> attempts = new ArrayList<>();
        for (Attempt a : o.attempts()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("status", a.status().label());
            am.put("exit_status", (long) a.exitStatus());
            am.put("reasons", new ArrayList<>(a.reasons()));
            attempts.add(am);
        }
        m.put("attempts", attempts);
        m.put("calls", o.outcomes().calls());
        Map<String, Object> v = new LinkedHashMap<>();
        o.outcomes().violations().forEach((k, list) -> v.put(k, (long) list.size()));
        m.put("violations", v);
        m.put("stalls", (long) o.outcomes().stalls().size());
        m.put("divergences", (long) o.outcomes().divergences().size());
        m.put("injected", new LinkedHashMap<>(o.outcomes().injected()));
        Map<String, Object> lat = new LinkedHashMap<>();
        o.result().latency().forEach((k, h) -> lat.put(k, LatencyStats.of(h)));
        m.put("latency_us", lat);
        m.put("reproduce", c.reproduceCommand());
        if (o.repro() != null) {
            Repro r = o.repro();
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("file", Repro.path(c));
            rm.put("violation", r.kind());
            rm.put("events_before", r.eventsBefore());
            rm.put("events_after", r.eventsAfter());
            rm.put("replays", (long) r.tests());
            rm.put("minimal", r.minimal());
            rm.put("command", c.replayCommand(Repro.path(c)));
            m.put("repro", rm);
        }
        return m;
    }

    private static Map<String, Object> baseline(BaselineComparison b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", b.baseline());
        m.put("spec_sha256", b.baselineDigest());
        m.put("new_failures", changes(b.newFailures()));
        m.put("fixed", changes(b.fixed()));
        m.put("still_failing", changes(b.stillFailing()));
        m.put("added", new ArrayList<>(b.added()));
        m.put("removed", new ArrayList<>(b.removed()));
        List<Object> moves = new ArrayList<>();
        for (LatencyMove mv : b.latencyMoves()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("cell", mv.cellId());
            mm.put("event", mv.event());
            mm.put("percentile", mv.percentile());
            mm.put("before_us", mv.beforeUs());
            mm.put("after_us", mv.afterUs());
            mm.put("change_percent", mv.changePercent());
            moves.add(mm);
        }
        m.put("latency_moves", moves);
        return m;
    }

    private static List<Object> changes(List<CellChange> list) {
        List<Object> out = new ArrayList<>();
        for (CellChange c : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cell", c.cellId());
            m.put("before", c.before());
            m.put("after", c.after());
            m.put("reasons", new ArrayList<>(c.reasons()));
            out.add(m);
        }
        return out;
    }
}
