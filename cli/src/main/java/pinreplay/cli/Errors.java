package pinreplay.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import pinreplay.format.TraceFormatException;
import pinreplay.format.queue.QueueException;

/**
 * Turns a failed command into one line on stderr and its exit code ({@link ExitCodes#forException}): never a
 * stack trace (PINREPLAY_DEBUG=1 adds it). Picocli hands Exceptions to {@link #handleExecutionException}; Errors
 * (out of memory, a mapped file that cannot be written) pass it by, and {@link #runCatchingErrors} takes them.
 */
final class Errors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        return report(ex, cmd.getErr());
    }

    /** The execution strategy: picocli's own (the last subcommand runs), with Errors reported as Exceptions are. */
    static int runCatchingErrors(ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (Error e) {
            List<CommandLine> chain = parsed.asCommandLineList();
            return report(e, chain.get(chain.size() - 1).getErr());
        }
    }

    private static int report(Throwable t, PrintWriter err) {
        err.println("pinreplay: " + message(t));
        if (System.getenv("PINREPLAY_DEBUG") != null) {
            t.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.forException(t);
    }

    /** What the user reads: the message of a failure the commands expect, else what kind of failure it was. */
    static String message(Throwable t) {
        String msg = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
        if (t instanceof OutOfMemoryError) {
            return "out of memory" + (msg == null ? "" : " (" + msg + ")")
                    + ": give the JVM a larger heap, e.g. PINREPLAY_JAVA_OPTS=-Xmx8g";
        }
        if (t instanceof StackOverflowError) {
            return "input nested too deeply (stack overflow)";
        }
        if (t instanceof InternalError) {
            return "cannot write the output: " + (msg == null ? "a memory-mapped file failed (disk full?)" : msg);
        }
        boolean expected = t instanceof TraceFormatException || t instanceof InputException
                || t instanceof OutputException || t instanceof QueueException || t instanceof UncheckedIOException
                || t instanceof CommandLine.ParameterException;
        if (expected && msg != null) {
            return msg;
        }
        return "internal error: " + t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg)
                + " (PINREPLAY_DEBUG=1 prints where; please report it)";
    }
}
