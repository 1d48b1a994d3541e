package pinreplay.cli.shell;

import java.io.PrintWriter;

/**
 * Where the session writes: plain lines, and alerts (violations, stalls, divergences, stops) that are
 * red when the terminal has colour. Scripts and tests get no escape codes.
 */
final class ShellOut {
    private static final String RED = "\u001b[31m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final boolean colour;

    ShellOut(PrintWriter out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    void println(String s) {
        out.println(s);
    }

    /** Something that went wrong in the modelled kernel. */
    void alert(String s) {
        out.println(colour ? RED + s + RESET : s);
    }

    /** Where a run stopped and why. */
    void stop(String s) {
        out.println(colour ? BOLD + s + RESET : s);
    }

    void flush() {
        out.flush();
    }

    PrintWriter writer() {
        return out;
    }
}
