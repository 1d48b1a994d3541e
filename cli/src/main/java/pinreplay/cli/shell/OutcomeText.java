package pinreplay.cli.shell;

import java.util.Locale;

import pinreplay.format.Errno;
import pinreplay.replay.outcome.Outcome;

/** One outcome as one stable line under the event that produced it. */
final class OutcomeText {
    private OutcomeText() {
    }

    static String format(Outcome o) {
        return switch (o.kind) {
            case CALL -> "  -> " + o.event.eventName() + " = " + Errno.describe(o.result)
                    + (o.handle == null ? "" : " [" + o.handle + "]")
                    + String.format(Locale.ROOT, ", %.3f us", o.latencyNs / 1000.0)
                    + (o.retries > 0 ? ", " + o.retries + " retries" : "")
                    + (!o.hasObserved ? "" : o.agrees() ? ", as traced"
                    : "; DIVERGES: trace returned " + Errno.describe(o.observed));
            case VIOLATION -> "  !! violation " + o.violation + " [" + o.handle + "]"
                    + (o.victimIno >= 0 ? " victim inode " + o.victimIno + " offset " + o.victimOffset : "")
                    + ": " + o.detail;
            case STALL -> "  !! stall: " + o.event.eventName() + " (line " + o.line + ") waiting on "
                    + String.join(", ", o.waitingOn) + (o.cause == null ? "" : " (" + o.cause + ")");
            case INJECTION -> "  ~~ injected " + o.injected + ": " + o.effect;
        };
    }

    /** Whether a quiet {@code run} still prints it: anything but a call that succeeded as traced. */
    static boolean notable(Outcome o) {
        return o.kind != Outcome.Kind.CALL || o.result < 0 || divergent(o);
    }

    /** Whether it is something wrong in the modelled kernel (red on a colour terminal). */
    static boolean alarming(Outcome o) {
        return o.kind == Outcome.Kind.VIOLATION || o.kind == Outcome.Kind.STALL || divergent(o);
    }

    private static boolean divergent(Outcome o) {
        return o.kind == Outcome.Kind.CALL && o.hasObserved && !o.agrees();
    }
}
