package pinreplay.campaign.report;

import static pinreplay.campaign.Json.object;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import pinreplay.campaign.BaselineComparison;
import pinreplay.campaign.CampaignInfo;
import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.Cell;
import pinreplay.campaign.CellChange;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.LatencyStats;
import pinreplay.campaign.Repro;
import pinreplay.campaign.Status;

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
        Map<String, Object> totals = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            totals.put(s.label(), r.count(s));
        }
        Map<String, Object> m = object("format", FORMAT, "campaign", info.name(), "spec_sha256", info.digest(),
                "cells_total", (long) info.cellsTotal(), "cells_run", (long) r.cells().size(), "axes", axes(info),
                "latency_settings", object("threshold_percent", BigDecimal.valueOf(info.latency().thresholdPercent()),
                        "min_count", info.latency().minCount(),
                        "fail_on_regression", info.latency().failOnRegression()),
                "totals", totals, "exit_code", (long) r.exitCode(),
                "cells", r.cells().stream().map(SummaryJson::cell).toList());
        if (r.baseline() != null) {
            m.put("baseline", baseline(r.baseline()));
        }
        return m;
    }

    private static Map<String, Object> axes(CampaignInfo info) {
        return object("traces", info.traces().stream().map(t -> t.isSynth()
                        ? object("name", t.name(), "synth", object("scenario", t.scenario(), "params", t.params(),
                                "seed", t.synthSeed(), "events", t.events()))
                        : object("name", t.name(), "file", t.file().toString())).toList(),
                "kernels", info.kernels(),
                "policies", info.policies().stream().map(p -> object("name", p.name(), "settings", p.settings()))
                        .toList(),
                "injectors", info.injectors().stream().map(i -> object("name", i.name(), "specs", i.specs())).toList(),
                "seeds", info.seeds());
    }

    private static Map<String, Object> cell(CellOutcome o) {
        Cell c = o.cell();
        Map<String, Object> violations = new LinkedHashMap<>();
        o.outcomes().violations().forEach((k, list) -> violations.put(k, (long) list.size()));
        Map<String, Object> latency = new LinkedHashMap<>();
        o.result().latency().forEach((k, h) -> latency.put(k, LatencyStats.of(h)));
        Map<String, Object> m = object("index", (long) c.index(), "id", c.id(), "trace", c.trace().name(),
                "kernel", c.kernel(), "policy", c.policy().name(), "injectors", c.injectors().name(), "seed", c.seed(),
                "expect", object("violations", new ArrayList<>(c.expect().violations()),
                        "stalls", c.expect().stalls(), "divergences", c.expect().divergences()),
                "status", o.status().label(), "exit_status", (long) o.result().exitStatus(),
                "diagnostics", o.result().diagnostics(),
                "attempts", o.attempts().stream().map(a -> object("status", a.status().label(),
                        "exit_status", (long) a.exitStatus(), "reasons", a.reasons())).toList(),
                "calls", o.outcomes().calls(), "violations", violations,
                "stalls", (long) o.outcomes().stalls().size(), "divergences", (long) o.outcomes().divergences().size(),
                "injected", o.outcomes().injected(), "latency_us", latency, "reproduce", c.reproduceCommand());
        Repro r = o.repro();
        if (r != null) {
            m.put("repro", object("file", Repro.path(c), "violation", r.kind(), "events_before", r.eventsBefore(),
                    "events_after", r.eventsAfter(), "replays", (long) r.tests(), "minimal", r.minimal(),
                    "command", c.replayCommand(Repro.path(c))));
        }
        return m;
    }

    private static Map<String, Object> baseline(BaselineComparison b) {
        return object("campaign", b.baseline(), "spec_sha256", b.baselineDigest(),
                "new_failures", changes(b.newFailures()), "fixed", changes(b.fixed()),
                "still_failing", changes(b.stillFailing()), "added", b.added(), "removed", b.removed(),
                "latency_moves", b.latencyMoves().stream().map(mv -> object("cell", mv.cellId(), "event", mv.event(),
                        "percentile", mv.percentile(), "before_us", mv.beforeUs(), "after_us", mv.afterUs(),
                        "change_percent", mv.changePercent())).toList());
    }

    private static List<Map<String, Object>> changes(List<CellChange> list) {
        return list.stream().map(c -> object("cell", c.cellId(), "before", c.before(), "after", c.after(),
                "reasons", c.reasons())).toList();
    }
}
