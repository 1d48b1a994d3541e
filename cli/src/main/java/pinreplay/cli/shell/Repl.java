package pinreplay.cli.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;

import pinreplay.cli.ExitCodes;

/**
 * The interactive shell on a terminal: JLine line editing, completion ({@link Completers}), history in
 * {@code ~/.pinreplay_history} (Ctrl-R searches it), a prompt with the position and kernel. Ctrl-C
 * stops a long {@code run} (or clears the line being typed), Ctrl-D leaves.
 */
final class Repl {
    static final String HISTORY = ".pinreplay_history";

    private Repl() {
    }

    /** Opens the system terminal; a dumb one, without JLine's warning, when it cannot (no terminfo, say). */
    static Terminal terminal() throws IOException {
        return TerminalBuilder.builder().system(true).dumb(true).build();
    }

    /**
     * Colour only where the terminal has it, never with {@code NO_COLOR} set
     * (https://no-color.org) or on a dumb terminal.
     */
    static boolean colour(Terminal t, String noColor) {
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        if (t.getType() == null || t.getType().startsWith(Terminal.TYPE_DUMB)) {
            return false;
        }
        Integer colours = t.getNumericCapability(Capability.max_colors);
        return colours != null && colours >= 8;
    }

    static LineReader reader(Terminal t, Completers completers, Path history) {
        return LineReaderBuilder.builder()
                .appName("pinreplay")
                .terminal(t)
                .completer(completers)
                .parser(new DefaultParser())
                .variable(LineReader.HISTORY_FILE, history)
                .build();
    }

    /** The first lines on the terminal: what this is and how to begin. */
    static String banner(boolean loaded) {
        return "pinreplay shell: 'help' lists the commands, "
                + (loaded ? "'step' or 'run' to go on" : "'load FILE' opens a trace")
                + "; Tab completes, Enter repeats step/run/back, Ctrl-D leaves.";
    }

    static int run(Terminal t, LineReader reader, Dispatcher d, Session s, boolean colour) {
        Terminal.SignalHandler previous = t.handle(Terminal.Signal.INT, sig -> s.interrupt());
        PrintWriter w = t.writer();
        try {
            while (!d.exitRequested()) {
                String prompt = s.prompt();
                String line;
                try {
                    line = reader.readLine(colour ? "\u001b[1;32m" + prompt + "\u001b[0m" : prompt);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                d.executeTyped(line);
                w.flush();
            }
        } finally {
            t.handle(Terminal.Signal.INT, previous);
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                w.println("cannot save the history: " + e.getMessage());
            }
            w.flush();
        }
        return s.foundProblems() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
