package pinreplay.campaign.report;

import java.util.ArrayList;
import java.util.List;

import pinreplay.campaign.CellOutcome;

/** What an expected failure (xfail) showed, as TAP's {@code # XFAIL} and JUnit's {@code skipped} say it. */
final class Xfail {
    private Xfail() {
    }

    /** {@code expected dma-into-reallocated-block, stall}: the findings the spec expects of the cell. */
    static String message(CellOutcome o) {
        List<String> parts = new ArrayList<>(o.cell().expect().violations());
        if (o.cell().expect().stalls()) {
            parts.add("stall");
        }
        if (o.cell().expect().divergences()) {
            parts.add("divergence");
        }
        return "expected " + String.join(", ", parts);
    }
}
