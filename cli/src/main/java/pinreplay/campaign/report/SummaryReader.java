package pinreplay.campaign.report;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import pinreplay.campaign.Attempt;
import pinreplay.campaign.CampaignInfo;
import pinreplay.campaign.Cell;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.CellResult;
import pinreplay.campaign.Json;
import pinreplay.campaign.Outcomes;
import pinreplay.campaign.Repro;
import pinreplay.campaign.Status;
import pinreplay.campaign.spec.CampaignSpec;
import pinreplay.campaign.spec.Expectation;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.TraceSpec;
import pinreplay.cli.InputException;

/**
 * Reads a campaign output directory back (a shard's, for {@code campaign merge}; a previous run's, for
 * {@code --baseline}): {@code summary.json} for the axes and verdicts, each cell's
 * {@code records.jsonl} and {@code latency.hlog}, and the minimized reproducers.
 */
public final class SummaryReader {
    /** A read output directory: the campaign's axes and its cells in index order. */
    public record Read(CampaignInfo info, List<CellOutcome> cells) {
    }

    private SummaryReader() {
    }

    /** The summary alone, as parsed JSON (what a baseline needs). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> summary(Path dir) {
        Path f = dir.resolve(OutputDir.SUMMARY);
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(f + ": expected a campaign summary (the --out of a campaign run), got "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()));
        }
        Object o;
        try {
            o = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InputException(f + ": expected JSON, " + e.getMessage());
        }
        if (!(o instanceof Map) || !SummaryJson.FORMAT.equals(((Map<String, Object>) o).get("format"))) {
            throw new InputException(f + ": expected format " + SummaryJson.FORMAT + ", got "
                    + (o instanceof Map<?, ?> m ? m.get("format") : "no object"));
        }
        return (Map<String, Object>) o;
    }

    public static Read read(Path dir) {
        Map<String, Object> s = summary(dir);
        try {
            CampaignInfo info = info(s);
            List<CellOutcome> cells = new ArrayList<>();
            for (Object c : list(s.get("cells"))) {
                cells.add(cell(dir, info, map(c)));
            }
            return new Read(info, cells);
        } catch (IOException e) {
            throw new InputException(dir + ": a cell's files are unreadable: " + e.getMessage());
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new InputException(dir.resolve(OutputDir.SUMMARY) + ": expected a summary written by pinreplay, got "
                    + "one that does not fit its format (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static CampaignInfo info(Map<String, Object> s) {
        Map<String, Object> axes = map(s.get("axes"));
        List<TraceSpec> traces = new ArrayList<>();
        for (Object o : list(axes.get("traces"))) {
            Map<String, Object> t = map(o);
            if (t.containsKey("synth")) {
                Map<String, Object> syn = map(t.get("synth"));
                traces.add(new TraceSpec((String) t.get("name"), null, (String) syn.get("scenario"),
                        strings(map(syn.get("params"))), (Long) syn.get("seed"), (Long) syn.get("events")));
            } else {
                traces.add(new TraceSpec((String) t.get("name"), Path.of((String) t.get("file")), null, Map.of(), 0, 0));
            }
        }
        List<PolicySet> policies = new ArrayList<>();
        for (Object o : list(axes.get("policies"))) {
            policies.add(new PolicySet((String) map(o).get("name"), strings(map(map(o).get("settings")))));
        }
        List<InjectorSet> injectors = new ArrayList<>();
        for (Object o : list(axes.get("injectors"))) {
            injectors.add(new InjectorSet((String) map(o).get("name"), list(map(o).get("specs")).stream()
                    .map(String.class::cast).toList()));
        }
        Map<String, Object> lat = map(s.get("latency_settings"));
        return new CampaignInfo((String) s.get("campaign"), (String) s.get("spec_sha256"), traces,
                list(axes.get("kernels")).stream().map(String.class::cast).toList(), policies, injectors,
                list(axes.get("seeds")).stream().map(Long.class::cast).toList(),
                (int) (long) (Long) s.get("cells_total"),
                new CampaignSpec.LatencySettings(((BigDecimal) lat.get("threshold_percent")).doubleValue(),
                        (Long) lat.get("min_count"), (Boolean) lat.get("fail_on_regression")));
    }

    private static CellOutcome cell(Path dir, CampaignInfo info, Map<String, Object> c) throws IOException {
        Map<String, Object> e = map(c.get("expect"));
        Expectation expect = new Expectation(new java.util.TreeSet<>(list(e.get("violations")).stream()
                .map(String.class::cast).toList()), (Boolean) e.get("stalls"), (Boolean) e.get("divergences"));
        String policy = (String) c.get("policy");
        String injectors = (String) c.get("injectors");
        Cell cell = new Cell((int) (long) (Long) c.get("index"), (String) c.get("id"), info.trace((String) c.get("trace")),
                (String) c.get("kernel"),
                info.policies().stream().filter(p -> p.name().equals(policy)).findFirst().orElseThrow(),
                info.injectors().stream().filter(i -> i.name().equals(injectors)).findFirst().orElseThrow(),
                (Long) c.get("seed"), expect);
        List<Attempt> attempts = new ArrayList<>();
        for (Object o : list(c.get("attempts"))) {
            Map<String, Object> a = map(o);
            attempts.add(new Attempt(Status.byLabel((String) a.get("status")), (int) (long) (Long) a.get("exit_status"),
                    list(a.get("reasons")).stream().map(String.class::cast).toList()));
        }
        Path cellDir = dir.resolve("cells").resolve(cell.id());
        double[] span = new double[1];
        SortedMap<String, Histogram> latency = histograms(cellDir.resolve(OutputDir.HLOG), span);
        List<String> records = records(cellDir);
        boolean error = attempts.get(attempts.size() - 1).status() == Status.ERROR;
        Outcomes outcomes = error ? Outcomes.none() : records != null ? Outcomes.of(records) : summarized(c, span[0]);
        CellResult result = new CellResult(records == null ? List.of() : records, outcomes, latency,
                (int) (long) (Long) c.get("exit_status"), (String) c.get("diagnostics"));
        Repro repro = null;
        if (c.get("repro") instanceof Map<?, ?> r0) {
            Map<String, Object> r = map(r0);
            List<String> text = Files.readAllLines(dir.resolve(Repro.path(cell)), StandardCharsets.UTF_8);
            repro = new Repro((String) r.get("violation"), (Long) r.get("events_before"), (Long) r.get("events_after"),
                    (int) (long) (Long) r.get("replays"), (Boolean) r.get("minimal"), text);
        }
        return new CellOutcome(cell, attempts, result, outcomes, repro);
    }

    /** A cell's records: gzipped, or plain as earlier releases wrote them; null when only summarized. */
    private static List<String> records(Path cellDir) throws IOException {
        Path gz = cellDir.resolve(OutputDir.RECORDS);
        if (Files.exists(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        }
        Path plain = cellDir.resolve("records.jsonl");
        return Files.exists(plain) ? Files.readAllLines(plain, StandardCharsets.UTF_8) : null;
    }

    /** The outcomes of a cell kept as a summary only (it passed): its counts, and the span its latency log covers. */
    private static Outcomes summarized(Map<String, Object> c, double spanSeconds) {
        SortedMap<String, Long> injected = new TreeMap<>();
        map(c.get("injected")).forEach((k, v) -> injected.put(k, (Long) v));
        return new Outcomes((Long) c.get("calls"), new TreeMap<>(), List.of(), List.of(), injected, BigDecimal.ZERO,
                BigDecimal.valueOf(spanSeconds));
    }

    private static SortedMap<String, Histogram> histograms(Path hlog, double[] span) throws IOException {
        SortedMap<String, Histogram> out = new TreeMap<>();
        HistogramLogReader r = new HistogramLogReader(hlog.toFile());
        for (EncodableHistogram h; (h = r.nextIntervalHistogram()) != null; ) {
            Histogram hist = (Histogram) h;
            span[0] = (hist.getEndTimeStamp() - hist.getStartTimeStamp()) / 1000.0;
            String tag = hist.getTag();
            hist.setTag(null);
            hist.setStartTimeStamp(0);
            hist.setEndTimeStamp(0);
            out.put(tag, hist);
        }
        r.close();
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, (String) v));
        return out;
    }
}
