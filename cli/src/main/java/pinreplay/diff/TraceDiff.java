package pinreplay.diff;

import java.util.List;

import pinreplay.format.EventHandler;
import pinreplay.format.EventView;
import pinreplay.replay.Replayer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.JsonlWriter;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ReplaySummary;

/**
 * One trace replayed twice in step: each event goes to run A's replayer, then to run B's, and their outcome
 * records (as {@code replay --format jsonl} writes them) to the {@link Aligner}. The trace is read once, so
 * standard input works, and the aligner holds only the calls one run has not finished.
 */
public final class TraceDiff implements EventHandler {
    private final Replayer a;
    private final Replayer b;
    private final Aligner aligner;

    public TraceDiff(Profile pa, FaultPoints fa, Profile pb, FaultPoints fb, Aligner aligner) {
        this.a = new Replayer(pa, fa, new Tap(aligner, 0));
        this.b = new Replayer(pb, fb, new Tap(aligner, 1));
        this.aligner = aligner;
    }

    /** {@code TRACE under 6.1 {dax-truncate=fail} with mmap-unlock:fail-nth=1}: how a report names a run. */
    public static String label(String source, Profile p, List<String> injected) {
        return source + " under " + p.describe() + (injected.isEmpty() ? "" : " with " + String.join(" ", injected));
    }

    /** With strict state, both runs refuse to assume memory no event described (see {@link Replayer#strictState}). */
    public void strictState(boolean on) {
        a.strictState(on);
        b.strictState(on);
    }

    @Override
    public void onEvent(EventView v) {
        a.onEvent(v);
        b.onEvent(v);
    }

    /** Ends both runs and the diff. */
    @Override
    public void onEnd() {
        a.onEnd();
        b.onEnd();
        aligner.end();
    }

    /** Run A's (0) or B's (1) totals. */
    public ReplaySummary summary(int side) {
        return side == 0 ? a.summary() : b.summary();
    }

    /** A run's outcomes, formatted by the replay's own JSON writer, to one side of the aligner. */
    private record Tap(Aligner aligner, int side) implements OutcomeSink {
        @Override
        public void accept(Outcome o) {
            aligner.add(side, JsonlWriter.format(o));
        }
    }
}
