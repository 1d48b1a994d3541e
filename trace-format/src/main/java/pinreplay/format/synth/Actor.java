package pinreplay.format.synth;

/**
 * Something in a workload that emits events over time: a vCPU touching memory, a device doing DMA,
 * a kworker writing back. The {@link Scheduler} calls {@link #act} at {@link #next}; the actor emits
 * its events and sets its next time (or {@link #DONE}).
 */
public abstract class Actor {
    /** A next time that means the actor has nothing more to do. */
    public static final long DONE = Long.MAX_VALUE;

    long next;
    int id;

    /** @param delayNanos when the actor first acts, counted from the end of the scenario's set-up */
    protected Actor(long delayNanos) {
        this.next = delayNanos;
    }

    /** Emits this actor's events for time {@code now} and returns the time of its next action. */
    protected abstract long act(Synth s, long now);
}
