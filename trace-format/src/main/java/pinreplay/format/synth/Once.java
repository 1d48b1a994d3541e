package pinreplay.format.synth;

import java.util.function.ObjLongConsumer;

/** A single action at a set time (unmap a BAR, unregister a region). */
final class Once extends Actor {
    /** What to emit, given the synthesizer and the time. */
    private final ObjLongConsumer<Synth> action;

    Once(long delayNanos, ObjLongConsumer<Synth> action) {
        super(delayNanos);
        this.action = action;
    }

    @Override
    protected long act(Synth s, long now) {
        action.accept(s, now);
        return DONE;
    }
}
