package pinreplay.campaign;

import java.util.List;

/**
 * Everything the outputs are written from: a run and a merge of shards build the same value, so
 * they write the same bytes.
 *
 * @param cells    in matrix index order
 * @param baseline the comparison with {@code --baseline}, or null
 */
public record CampaignResult(CampaignInfo info, List<CellOutcome> cells, BaselineComparison baseline) {
    public CampaignResult {
        cells = List.copyOf(cells);
    }

    public long count(Status s) {
        return cells.stream().filter(c -> c.status() == s).count();
    }

    public boolean complete() {
        return cells.size() == info.cellsTotal();
    }

    /** The exit code: 1 when any cell fails, or with a baseline, when something newly fails. */
    public int exitCode() {
        if (baseline != null) {
            return baseline.newFailures().isEmpty()
                    && !(info.latency().failOnRegression() && baseline.latencyMoves().stream().anyMatch(LatencyMove::slower))
                    ? 0 : 1;
        }
        return cells.stream().anyMatch(c -> c.status().failing()) ? 1 : 0;
    }
}
