package pinreplay.diff;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --format text}: the two runs named as diff(1) names its files, then one line per call that differs
 * ({@code A -> B} for each aspect, violations explained below it), then the totals.
 *
 * <pre>
 * --- traces/qemu-memfile-ext4.txt under 6.1
 * +++ traces/qemu-memfile-ext4.txt under 6.15
 * line 22 dma_write [ram-shared]: result 4096 -> -EFAULT; violation write-to-clean-folio -> none; latency 0.300 -> 0.000 us
 *   - write-to-clean-folio: DMA write through ram-shared into ...
 * </pre>
 */
public final class TextDiff implements DiffReport {
    private final PrintWriter out;

    public TextDiff(PrintWriter out, String a, String b) {
        this.out = out;
        out.println("--- " + a);
        out.println("+++ " + b);
    }

    @Override
    public void row(CallDiff d) {
        out.println(line(d));
        explain("-", d.a(), d.b());
        explain("+", d.b(), d.a());
    }

    /** One call on one line: where, then what changed (or {@code =} and its outcome when equal). */
    public static String line(CallDiff d) {
        SideCall e = d.either();
        StringBuilder sb = new StringBuilder("line ").append(d.key().line()).append(' ').append(d.key().event());
        if (e.handle != null) {
            sb.append(" [").append(e.handle).append(']');
        }
        sb.append(": ");
        List<String> parts = new ArrayList<>();
        if (d.changed().contains(Aspect.presence)) {
            parts.add("only in " + (d.a() != null ? "A" : "B") + " (" + outcome(e) + ")");
        } else if (!d.differs()) {
            parts.add("= " + outcome(e));
        } else {
            SideCall a = d.a();
            SideCall b = d.b();
            for (Aspect x : d.changed()) {
                parts.add(switch (x) {
                    case result -> "result " + a.resultText() + " -> " + b.resultText();
                    case retries -> "retries " + a.retries + " -> " + b.retries;
                    case violation -> "violation " + a.violationText() + " -> " + b.violationText();
                    case stall -> "stall " + a.stallText() + " -> " + b.stallText();
                    case latency -> a.called && b.called
                            ? "latency " + a.latencyText() + " -> " + b.latencyText() + " us"
                            : "latency " + us(a) + " -> " + us(b);
                    case presence -> throw new IllegalStateException();
                });
            }
        }
        return sb.append(String.join("; ", parts)).toString();
    }

    private static String us(SideCall s) {
        return s.called ? s.latencyText() + " us" : "none";
    }

    private static String outcome(SideCall s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.called ? "result " + s.resultText() + ", " + s.latencyText() + " us" : "no result");
        if (!s.violations.isEmpty()) {
            sb.append(", violation ").append(s.violationText());
        }
        if (s.stall != null) {
            sb.append(", stall ").append(s.stallText());
        }
        return sb.toString();
    }

    /** The violations and injections of {@code s} that {@code other} does not share, under the call's line. */
    private void explain(String sign, SideCall s, SideCall other) {
        if (s == null) {
            return;
        }
        for (int i = 0; i < s.violations.size(); i++) {
            if (other == null || !other.violations.contains(s.violations.get(i))) {
                out.println("  " + sign + " " + s.violations.get(i) + ": " + s.details.get(i));
            }
        }
        for (String inj : s.injections) {
            if (other == null || !other.injections.contains(inj)) {
                out.println("  " + sign + " injected " + inj);
            }
        }
    }

    @Override
    public void end(DiffSummary s) {
        out.println(s.text());
        out.flush();
    }
}
