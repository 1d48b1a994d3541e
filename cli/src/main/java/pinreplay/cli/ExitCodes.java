package pinreplay.cli;

import java.io.UncheckedIOException;

import pinreplay.format.TraceFormatException;
import pinreplay.format.queue.QueueException;

/**
 * The documented exit codes (README, "Exit codes"): one table for every command.
 */
public final class ExitCodes {
    /** Success: no violation, divergence or stall that {@code --fail-on} names. */
    public static final int OK = 0;
    /** Violations, divergences or stalls were found (as {@code --fail-on} selects). */
    public static final int FINDINGS = 1;
    /** Usage error: unknown option, bad value. */
    public static final int USAGE = 2;
    /**
     * Bad or incomplete input: missing or unreadable file, malformed line, missing directory or not a queue,
     * truncated, corrupt or incomplete queue, a queue format newer than this build, a trace with no event to
     * replay, an input that needs more memory than the JVM has (out of memory) or nests too deeply.
     */
    public static final int BAD_INPUT = 3;
    /**
     * Output could not be written or produced: unwritable directory or file, disk full, an existing queue without
     * --force, a closed pipe other than by its reader; also an internal error (a bug, reported as such).
     */
    public static final int OUTPUT_ERROR = 4;
    /**
     * The system refused what was asked (record): not root, no tracefs or kprobe events, kprobes disabled
     * or forbidden by lockdown, a tracefs instance of that name in use.
     */
    public static final int SYSTEM_REFUSED = 5;
    /** Interrupted (SIGINT) before finishing. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    public static int forException(Throwable t) {
        // picocli hands parse errors to this mapper too: a bad option value is a usage error.
        if (t instanceof picocli.CommandLine.ParameterException) {
            return USAGE;
        }
        if (t instanceof TraceFormatException) {
            return BAD_INPUT;
        }
        if (t instanceof OutputException || t instanceof UncheckedIOException) {
            return OUTPUT_ERROR;
        }
        if (t instanceof InputException || t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
            return BAD_INPUT;
        }
        if (t instanceof QueueException q) {
            return q.reason().isOutput() ? OUTPUT_ERROR : BAD_INPUT;
        }
        return OUTPUT_ERROR;
    }
}
