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
    /** Calls that relied on what existed before the recording (memory, files, registrations), which the model assumed. */
    public long assumed;
    /** Events the ring buffer dropped ({@code CPU:N [LOST M EVENTS]}), in how many notices, the first on which line. */
    public long lostEvents;
    public long lossNotices;
    public long firstLossLine;
    /** Why the recording has no kprobes (its header's {@code kprobes=none}), or null: its pinning calls are not in it. */
    public String withoutKprobes;
    /** The recording's own latencies (kprobe to kretprobe), by event. */
    public Latencies measured;
}
