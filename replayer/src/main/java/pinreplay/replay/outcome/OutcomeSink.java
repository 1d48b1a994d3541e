package pinreplay.replay.outcome;

/** Receives outcomes as they become known; the {@link Outcome} is reused after the call returns. */
public interface OutcomeSink {
    void accept(Outcome o);

    /** The replay ended; {@code summary} has the totals. */
    default void end(ReplaySummary summary) {
    }
}
