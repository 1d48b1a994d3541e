package pinreplay.format;

/**
 * Receives blocks of packed records ({@link Record}). The buffer is reused once the call returns:
 * a sink that keeps the data copies it (a Chronicle append does).
 */
@FunctionalInterface
public interface BlockSink {
    void onBlock(byte[] buf, int length);

    /**
     * Hands the block on and returns the buffer to fill next. By default that is {@code buf} itself,
     * reused once {@link #onBlock} returns; a sink that keeps blocks for later ({@code AsyncBlockSink})
     * keeps {@code buf} instead of copying it and returns a free buffer of the same size.
     */
    default byte[] exchange(byte[] buf, int length) {
        onBlock(buf, length);
        return buf;
    }

    /** Called once when the producer is done; the default does nothing. */
    default void onEnd() {
    }
}
