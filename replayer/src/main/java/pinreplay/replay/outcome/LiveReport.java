package pinreplay.replay.outcome;

import java.io.PrintStream;
import java.util.function.Consumer;

import pinreplay.format.Errno;

/**
 * What {@code pinreplay watch} prints as a replay goes: one line per violation, stall and divergence the moment
 * the model reports it (text, or the outcome record as a JSON line), flushed at once; calls that agree with the
 * trace print nothing. A listener hears each finding (to end the watch at the first of some kinds).
 */
public final class LiveReport implements OutcomeSink {
    /** The kinds of finding. */
    public enum Kind {
        violation, stall, divergence
    }

    private final PrintStream out;
    private final boolean jsonl;
    /** Hears each finding after it is printed. */
    private final Consumer<Kind> listener;
    private long findings;

    public LiveReport(PrintStream out, boolean jsonl, Consumer<Kind> listener) {
        this.out = out;
        this.jsonl = jsonl;
        this.listener = listener;
    }

    /** Findings printed so far. */
    public long findings() {
        return findings;
    }

    @Override
    public void accept(Outcome o) {
        Kind kind = switch (o.kind) {
            case VIOLATION -> Kind.violation;
            case STALL -> Kind.stall;
            case CALL -> o.hasObserved && !o.agrees() ? Kind.divergence : null;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        findings++;
        out.println(jsonl ? JsonlWriter.format(o) : text(kind, o));
        out.flush();
        listener.accept(kind);
    }

    private static String text(Kind kind, Outcome o) {
        StringBuilder sb = new StringBuilder("line ").append(o.line).append(" (ts ").append(TextReport.ts(o))
                .append(", pid ").append(o.pid).append(") ");
        String handle = o.handle != null ? " [" + o.handle + "]" : "";
        switch (kind) {
            case violation -> sb.append("violation ").append(o.violation).append(handle).append(" at ")
                    .append(o.event.eventName()).append(": ").append(o.detail);
            case stall -> sb.append("stall ").append(o.event.eventName()).append(handle).append(" blocked ")
                    .append(TextReport.us(o.blockedNs)).append(" us").append(o.cause != null ? " (" + o.cause + ")" : "");
            default -> sb.append("divergence ").append(o.event.eventName()).append(handle).append(": the trace says ")
                    .append(Errno.describe(o.observed)).append(", the model ").append(Outcome.describe(o.result));
        }
        return sb.toString();
    }
}
