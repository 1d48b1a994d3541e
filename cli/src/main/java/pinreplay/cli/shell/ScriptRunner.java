package pinreplay.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;

import pinreplay.cli.ExitCodes;
import pinreplay.cli.InputException;

/**
 * Standard input that is not a terminal: the same commands, one per line, with no prompt. The first
 * line that fails (exit code 2 and up) stops the script with that code, its message naming the line
 * ({@code script:LINE: ...}): later lines usually depend on it. At the end the exit code is replay's:
 * 1 when the session found violations or divergences, else 0. A CLI command that itself exits 1 (a
 * {@code replay} with findings) does not stop the script.
 */
final class ScriptRunner {
    private ScriptRunner() {
    }

    static int run(BufferedReader in, Dispatcher d, Session s) {
        long lineNo = 0;
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                int code = d.execute(line, "script:" + lineNo + ": ");
                if (code >= ExitCodes.USAGE) {
                    return code;
                }
                if (d.exitRequested()) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new InputException("script:" + (lineNo + 1) + ": cannot read: " + e.getMessage());
        }
        return s.foundProblems() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
