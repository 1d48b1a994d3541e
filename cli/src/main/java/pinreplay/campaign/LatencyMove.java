package pinreplay.campaign;

import java.math.BigDecimal;

/** A latency percentile of one cell and event kind that moved beyond the threshold since the baseline. */
public record LatencyMove(String cellId, String event, String percentile, BigDecimal beforeUs, BigDecimal afterUs,
        BigDecimal changePercent) {

    public boolean slower() {
        return changePercent.signum() > 0;
    }
}
