package pinreplay.format;

/** Receives events one at a time; the view is only valid during the call. */
@FunctionalInterface
public interface EventHandler {
    void onEvent(EventView event);

    /** The stream ended (end of input, or the end marker of a queue). */
    default void onEnd() {
    }
}
