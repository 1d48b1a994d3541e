package pinreplay.format.queue;

/**
 * A queue directory that cannot be used, with one line saying why. {@link #reason()} tells the
 * command line which exit code it is: {@link Reason#isOutput()} reasons are about writing.
 */
public final class QueueException extends RuntimeException {
    /** What went wrong; the command line maps each to a documented exit code. */
    public enum Reason {
        /** The directory does not exist (reading). */
        MISSING(false),
        /** The directory exists but holds no pinreplay queue. */
        NOT_A_QUEUE(false),
        /** The queue was written by a newer pinreplay whose format this one cannot read. */
        TOO_NEW(false),
        /** A block fails its checksum or sequence, or the Chronicle files cannot be read. */
        CORRUPT(false),
        /** A queue file cannot be opened: permissions, or not a regular file. */
        UNREADABLE(false),
        /** The metadata says the writer finished, but blocks or the end marker are missing. */
        TRUNCATED(false),
        /** The queue's writer did not finish: it crashed, was killed, or is still running. */
        INCOMPLETE(false),
        /** The ingest stopped early (a malformed line, a read error, a full disk): the queue is a prefix. */
        STOPPED(false),
        /** Another queue took the directory's place while it was read (ingest --force or --resume committed one). */
        REPLACED(false),
        /** The input of {@code ingest --resume} is not the one the queue was ingested from. */
        MISMATCH(false),
        /** Another writer holds the queue's lock. */
        BUSY(true),
        /** A non-empty directory is in the way and replacing it was not asked for (or not safe). */
        EXISTS(true),
        /** The directory or its files cannot be created or written. */
        UNWRITABLE(true);

        private final boolean output;

        Reason(boolean output) {
            this.output = output;
        }

        /** Whether this is a failure to write output rather than bad input. */
        public boolean isOutput() {
            return output;
        }
    }

    private final Reason reason;

    public QueueException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public QueueException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
