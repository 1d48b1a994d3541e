package pinreplay.campaign;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.HdrHistogram.Histogram;

/**
 * What changed against a previous campaign's summary ({@code --baseline DIR}): cells that fail now
 * and did not (new), failed and pass now (fixed), fail in both (still failing), and latency
 * percentiles that moved by more than the threshold.
 *
 * @param baseline    the baseline's campaign name
 * @param baselineDigest the baseline spec's digest (differs when the spec changed)
 */
public record BaselineComparison(String baseline, String baselineDigest, List<CellChange> newFailures,
        List<CellChange> fixed, List<CellChange> stillFailing, List<String> added, List<String> removed,
        List<LatencyMove> latencyMoves) {

    /**
     * @param previous the baseline's summary.json as read by {@link Json}
     * @param allIds   every cell id of the current matrix (not only this shard's)
     */
    @SuppressWarnings("unchecked")
    public static BaselineComparison compare(CampaignInfo info, List<CellOutcome> cells, Set<String> allIds,
            Map<String, Object> previous) {
        Map<String, Map<String, Object>> before = new java.util.LinkedHashMap<>();
        for (Object o : (List<Object>) previous.get("cells")) {
            Map<String, Object> c = (Map<String, Object>) o;
            before.put((String) c.get("id"), c);
        }
        List<CellChange> newFailures = new ArrayList<>();
        List<CellChange> fixed = new ArrayList<>();
        List<CellChange> still = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<LatencyMove> moves = new ArrayList<>();
        for (CellOutcome c : cells) {
            Map<String, Object> b = before.get(c.cell().id());
            String was = b == null ? "absent" : (String) b.get("status");
            boolean wasFailing = b != null && Status.byLabel(was).failing();
            CellChange change = new CellChange(c.cell().id(), was, c.status().label(), c.reasons());
            if (b == null) {
                added.add(c.cell().id());
            }
            if (c.status().failing()) {
                (wasFailing ? still : newFailures).add(change);
            } else if (wasFailing) {
                fixed.add(change);
            }
            if (b != null && b.get("latency_us") instanceof Map<?, ?> lat) {
                moves(info, c, (Map<String, Object>) lat, moves);
            }
        }
        Set<String> removed = new LinkedHashSet<>(before.keySet());
        removed.removeAll(allIds);
        return new BaselineComparison((String) previous.get("campaign"), (String) previous.get("spec_sha256"),
                newFailures, fixed, still, added, List.copyOf(removed), moves);
    }

    @SuppressWarnings("unchecked")
    private static void moves(CampaignInfo info, CellOutcome c, Map<String, Object> before, List<LatencyMove> out) {
        BigDecimal threshold = BigDecimal.valueOf(info.latency().thresholdPercent());
        for (Map.Entry<String, Histogram> e : c.result().latency().entrySet()) {
            if (!(before.get(e.getKey()) instanceof Map<?, ?> b0)) {
                continue;
            }
            Map<String, Object> b = (Map<String, Object>) b0;
            Map<String, Object> now = LatencyStats.of(e.getValue());
            long minCount = info.latency().minCount();
            if ((Long) now.get("count") < minCount || !(b.get("count") instanceof Long n) || n < minCount) {
                continue;
            }
            for (String p : LatencyStats.LABELS) {
                BigDecimal was = Json.decimal(b.get(p));
                BigDecimal is = (BigDecimal) now.get(p);
                if (was == null || was.signum() == 0) {
                    continue;
                }
                BigDecimal change = is.subtract(was).multiply(BigDecimal.valueOf(100)).divide(was, 1, RoundingMode.HALF_EVEN);
                if (change.abs().compareTo(threshold) > 0) {
                    out.add(new LatencyMove(c.cell().id(), e.getKey(), p, was, is, change));
                }
            }
        }
    }
}
