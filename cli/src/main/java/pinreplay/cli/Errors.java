package pinreplay.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns a failed command into one line on stderr and its exit code: never a stack trace. */
final class Errors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        cmd.getErr().println("pinreplay: " + msg);
        if (System.getenv("PINREPLAY_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        return ExitCodes.forException(ex);
    }
}
