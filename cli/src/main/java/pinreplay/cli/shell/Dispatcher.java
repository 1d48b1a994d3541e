package pinreplay.cli.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.jline.reader.impl.DefaultParser;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import pinreplay.cli.ExitCodes;

/**
 * Runs one shell line: a comment, a typed native event, a session command, any CLI command (the same
 * picocli tree as the command line), {@code help} or {@code exit}. Errors become one line on the error
 * writer, prefixed with where the line came from ({@code script:LINE: }), and an exit code as the CLI's.
 */
final class Dispatcher {
    /** Words the shell itself understands besides the command trees. */
    static final List<String> BUILTINS = List.of("help", "exit", "quit", "q");
    /** Commands that Enter on an empty line repeats, as gdb repeats step, next and continue. */
    private static final List<String> REPEATED = List.of("step", "run", "back", "reverse-continue");

    private final Session session;
    private final Map<String, CommandLine> sessionCommands;
    /** Each session command's aliases (gdb's short names: s, n, c, b, d, i, p, bt, l, rs, rc), to its name. */
    private final Map<String, String> aliases = new LinkedHashMap<>();
    /** The last command Enter repeats, or null. */
    private String repeat;
    private final CommandLine cliTree;
    private final PrintWriter err;
    private boolean exit;

    Dispatcher(Session session, CommandLine cliTree, PrintWriter err) {
        this.session = session;
        this.sessionCommands = SessionCommands.commands(session);
        sessionCommands.values().forEach(c -> c.setOut(session.out().writer()));
        sessionCommands.forEach((name, c) -> {
            for (String a : c.getCommandSpec().aliases()) {
                aliases.put(a, name);
            }
        });
        this.cliTree = cliTree;
        this.err = err;
    }

    /** The session command {@code name} (or alias), or null. */
    CommandLine sessionCommand(String name) {
        return sessionCommands.get(canonical(name));
    }

    /** The session command an alias stands for; any other word as it is. */
    String canonical(String word) {
        return aliases.getOrDefault(word, word);
    }

    /** Alias to command name, in the order the commands are listed. */
    Map<String, String> aliases() {
        return aliases;
    }

    CommandLine cliTree() {
        return cliTree;
    }

    /** Whether {@code exit} or {@code quit} was given. */
    boolean exitRequested() {
        return exit;
    }

    /** CLI command names usable in the shell: not {@code shell} itself, nor those a session command shadows. */
    List<String> cliCommands() {
        List<String> names = new ArrayList<>(cliTree.getSubcommands().keySet());
        names.remove("shell");
        names.removeAll(sessionCommands.keySet());
        names.removeAll(aliases.keySet());
        return names;
    }

    List<String> sessionCommands() {
        return new ArrayList<>(sessionCommands.keySet());
    }

    /**
     * Runs a line typed at the terminal: an empty line repeats the last {@code step}, {@code run}, {@code back}
     * or {@code reverse-continue} (by any alias), as Enter does in gdb; other commands end the repetition.
     */
    int executeTyped(String line) {
        if (line.isBlank()) {
            return repeat == null ? ExitCodes.OK : execute(repeat, "");
        }
        int code = execute(line, "");
        List<String> w = line.strip().startsWith("#") || TraceText.isEvent(line) ? List.of() : words(line.strip());
        repeat = code < ExitCodes.USAGE && !w.isEmpty() && REPEATED.contains(canonical(w.get(0))) ? line : null;
        return code;
    }

    /**
     * Runs {@code line}; {@code where} prefixes error messages ({@code ""} interactively).
     *
     * @return the line's exit code: 0, 1 when a CLI command found problems, 2 usage, 3 bad input, 4 output
     */
    int execute(String line, String where) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return ExitCodes.OK;
        }
        try {
            if (TraceText.isEvent(line)) {
                session.typed(line);
                return ExitCodes.OK;
            }
            List<String> words = words(trimmed);
            String first = canonical(words.get(0));
            if (first.equals("exit") || first.equals("quit") || first.equals("q")) {
                exit = true;
                return ExitCodes.OK;
            }
            if (first.equals("help")) {
                return help(words);
            }
            if (sessionCommands.containsKey(first)) {
                return runSession(words);
            }
            if (cliCommands().contains(first)) {
                return runCli(words, where);
            }
            throw new ShellException("expected a command ('help' lists them) or an event such as "
                    + "'vfio_dma_map: handle=...', got '" + first + "'");
        } catch (ParameterException | ShellException e) {
            report(where, e.getMessage());
            return ExitCodes.USAGE;
        } catch (RuntimeException e) {
            String m = e.getMessage();
            report(where, m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
            return ExitCodes.forException(e);
        } finally {
            session.out().flush();
        }
    }

    /** Splits a line as the interactive reader does (quotes, escapes). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String w : new DefaultParser().parse(line, 0).words()) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    private int runSession(List<String> words) throws ParameterException {
        CommandLine cmd = sessionCommands.get(canonical(words.get(0)));
        ParseResult parsed = cmd.parseArgs(words.subList(1, words.size()).toArray(new String[0]));
        if (CommandLine.printHelpIfRequested(parsed)) {
            return ExitCodes.OK;
        }
        return ((SessionCommands.SessionCommand) cmd.getCommand()).call();
    }

    /** A CLI command: its own error handler prints {@code pinreplay: ...}; the first line gets the prefix. */
    private int runCli(List<String> words, String where) {
        session.out().flush();
        StringWriter captured = new StringWriter();
        PrintWriter previous = cliTree.getErr();
        cliTree.setErr(new PrintWriter(captured, true));
        int code;
        try {
            code = cliTree.execute(words.toArray(new String[0]));
        } finally {
            cliTree.setErr(previous);
        }
        cliTree.getOut().flush();
        String text = captured.toString();
        if (!text.isEmpty()) {
            String msg = text.startsWith("pinreplay: ") ? text.substring("pinreplay: ".length()) : text;
            err.print(where + msg);
            err.flush();
        }
        return code;
    }

    private int help(List<String> words) {
        ShellOut out = session.out();
        if (words.size() > 1) {
            String name = canonical(words.get(1));
            CommandLine c = sessionCommands.get(name);
            if (c == null && cliCommands().contains(name)) {
                c = cliTree.getSubcommands().get(name);
            }
            if (c == null) {
                throw new ShellException("expected a command to describe ('help' lists them), got '" + name + "'");
            }
            c.usage(out.writer());
            return ExitCodes.OK;
        }
        out.println("Session commands ('help COMMAND' or 'COMMAND --help' for details):");
        for (String name : sessionCommands()) {
            out.println(row(name, sessionCommands.get(name)));
        }
        out.println(String.format(Locale.ROOT, "  %-16s %s", "EVENT:",
                "A native event typed as in a trace, applied at once (vfio_dma_map: handle=v vaddr=0x... iova=0x0 "
                        + "size=0x1000)."));
        out.println(String.format(Locale.ROOT, "  %-16s %s", "exit", "Leave the shell (also quit, q, Ctrl-D)."));
        out.println("Enter on an empty line repeats step, run, back and reverse-continue.");
        out.println("Commands of the command line, run as there:");
        for (String name : new TreeSet<>(cliCommands())) {
            out.println(row(name, cliTree.getSubcommands().get(name)));
        }
        return ExitCodes.OK;
    }

    private static String row(String name, CommandLine c) {
        String[] d = c.getCommandSpec().usageMessage().description();
        String[] also = c.getCommandSpec().aliases();
        return String.format(Locale.ROOT, "  %-16s %s%s", name, d.length == 0 ? "" : d[0],
                also.length == 0 ? "" : " Also: " + String.join(", ", also) + ".");
    }

    private void report(String where, String message) {
        err.println(where + message);
        err.flush();
    }
}
