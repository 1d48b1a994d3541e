package pinreplay.cli;

/** What the launcher knows about the terminal and the JVM cannot find out itself. */
final class Terminal {
    /** Set to 1 by the launcher when {@code [ -t 2 ]}: stderr is a terminal. */
    static final String STDERR_TTY = "pinreplay.stderr.tty";

    private Terminal() {
    }

    /** Whether stderr is a terminal (so progress and summaries are wanted there). */
    static boolean stderrIsTty() {
        return "1".equals(System.getProperty(STDERR_TTY));
    }
}
