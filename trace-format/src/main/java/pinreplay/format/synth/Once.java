package pinreplay.format.synth;

/** A single action at a set time (unmap a BAR, unregister a region). */
final class Once extends Actor {
    /** What to emit. */
    interface Action {
        void run(Synth s, long now);
    }

    private final Action action;

    Once(long delayNanos, Action action) {
        super(delayNanos);
        this.action = action;
    }

    @Override
    protected long act(Synth s, long now) {
        action.run(s, now);
        return DONE;
    }
}
