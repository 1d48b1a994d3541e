package pinreplay.format;

/**
 * Receives blocks of packed records ({@link Record}). The buffer is reused once the call returns:
 * a sink that keeps the data copies it (a Chronicle append does).
 */
@FunctionalInterface
public interface BlockSink {
    void onBlock(byte[] buf, int length);

    /** Called once when the producer is done; the default does nothing. */
    default void onEnd() {
    }
}
