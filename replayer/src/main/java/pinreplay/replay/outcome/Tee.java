package pinreplay.replay.outcome;

/** Hands each outcome to two sinks in turn. */
public final class Tee implements OutcomeSink {
    private final OutcomeSink first;
    private final OutcomeSink second;

    public Tee(OutcomeSink first, OutcomeSink second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void accept(Outcome o) {
        first.accept(o);
        second.accept(o);
    }

    @Override
    public void end(ReplaySummary summary) {
        first.end(summary);
        second.end(summary);
    }
}
