package pinreplay.replay.outcome;

/** Totals of one replay, handed to {@link OutcomeSink#end}. */
public final class ReplaySummary {
    /** The profile, e.g. {@code 6.1} or {@code 6.1 {dax-truncate=fail}}. */
    public String profile;
    public long eventsReplayed;
    public long eventsPassedThrough;
    public long calls;
    public long violations;
    public long divergences;
    public long stalls;
    public long injections;
    public Latencies latencies;
}
