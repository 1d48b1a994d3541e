package pinreplay.format.parse;

/**
 * A point between two lines of the input where a parse can be taken up again: the first {@code lines}
 * lines, {@code offset} bytes, are parsed and every record they gave is in the writer; {@code malformed}
 * of them were skipped ({@code --lenient}). {@code crc} is the CRC32C of the input bytes since the
 * previous checkpoint (from offset 0 for the first), so a resumed ingest can check that its input
 * begins with the bytes the first one read.
 */
public record Checkpoint(long lines, long offset, int crc, long malformed) {
    /** The start of the input. */
    public static final Checkpoint START = new Checkpoint(0, 0, 0, 0);

    /** Told of each checkpoint as the parse passes it (about once per MiB of input). */
    public interface Sink {
        void reached(Checkpoint c);
    }
}
