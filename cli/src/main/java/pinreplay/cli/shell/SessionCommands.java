package pinreplay.cli.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import pinreplay.cli.ExitCodes;
import pinreplay.inject.Injectors;
import pinreplay.replay.run.TraceSource;

/**
 * The session's own commands, as a picocli tree (so each has {@code --help} and options complete like the
 * CLI's). Each returns {@link ExitCodes#OK}; failures are exceptions the {@link Dispatcher} reports.
 */
final class SessionCommands {
    private SessionCommands() {
    }

    /** The session commands over {@code s}, each its own top-level picocli command, by name. */
    static Map<String, CommandLine> commands(Session s) {
        Map<String, CommandLine> m = new LinkedHashMap<>();
        for (SessionCommand c : List.of(new Load(), new Step(), new Run(), new Break(), new WatchCmd(), new Unbreak(),
                new Back(), new ReverseContinue(), new Where(), new ListCmd(), new Show(), new Info(), new SetCmd(),
                new Inject(), new SessionDiff(), new Save())) {
            c.s = s;
            CommandLine cl = new CommandLine(c);
            m.put(cl.getCommandName(), cl);
        }
        return m;
    }

    /** The watchpoints, one a line, as watch and info watchpoints list them. */
    static String watchpoints(Session s) {
        var lines = s.breakpoints.describeWatches().values();
        return lines.isEmpty() ? "no watchpoints" : String.join("\n", lines);
    }

    /** The configured injectors, one a line, as inject list and info injectors list them. */
    static String injectors(Session s) {
        List<String> specs = s.config().injects();
        return specs.isEmpty() ? "no injectors (available: " + Injectors.NAMES + ")" : String.join("\n", specs);
    }

    /** The same commands under one root, as picocli's JLine completer wants them. */
    static CommandLine tree(Session s) {
        CommandLine root = new CommandLine(new Root());
        commands(s).values().forEach(root::addSubcommand);
        return root;
    }

    /** A session command: the session it acts on (set once by {@link #commands}), and {@code -h}, {@code --help}. */
    abstract static class SessionCommand implements Callable<Integer> {
        Session s;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;

        /** Failures are exceptions, unchecked. */
        @Override
        public abstract Integer call();
    }

    @Command(name = "session", description = "Session commands.")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "load",
            description = "Load a trace (text or a queue) and start over at its beginning; kernel, policies, "
                    + "injectors and breakpoints stay.")
    static final class Load extends SessionCommand {
        @Parameters(arity = "0..1", paramLabel = "TRACE", description = "Trace text file.")
        String trace;

        @Option(names = "--queue", paramLabel = "DIR", description = "A queue written by ingest.")
        Path queue;

        @Override
        public Integer call() {
            if ((trace == null) == (queue == null)) {
                throw new ShellException("expected a TRACE or --queue DIR (one of them)");
            }
            s.load(queue != null ? TraceSource.queue(queue) : TraceSource.text(trace, null));
            s.out().println(Listing.loaded(s));
            return ExitCodes.OK;
        }
    }

    @Command(name = "step", aliases = {"s", "next", "n"},
            description = "Apply the next N events (default 1), printing each with its outcomes; stops at breakpoints.")
    static final class Step extends SessionCommand {
        @Parameters(arity = "0..1", paramLabel = "N", defaultValue = "1", description = "Events to apply.")
        long n;

        @Override
        public Integer call() {
            if (n < 1) {
                throw new ShellException("expected a positive number of events, got " + n);
            }
            String why = s.advance(n, null, true);
            if (why != null) {
                s.out().stop(why);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "run", aliases = {"continue", "cont", "c"},
            description = {"Apply events until the end of the trace, a breakpoint, Ctrl-C or the condition after 'until'.",
                    "The conditions are violation, stall (after the event that found it), event NAME and line N "
                            + "(before that event). Prints only violations, stalls, injections, errors and "
                            + "divergences on the way."})
    static final class Run extends SessionCommand {
        @Parameters(paramLabel = "until COND", description = "Until violation, stall, event NAME or line N.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            Condition until = null;
            if (!words.isEmpty()) {
                if (!words.get(0).equals("until")) {
                    throw new ShellException("expected 'until' and a condition, got '" + words.get(0) + "'");
                }
                until = Condition.parse(words.subList(1, words.size()));
            }
            s.out().stop(s.advance(Long.MAX_VALUE, until, false));
            return ExitCodes.OK;
        }
    }

    @Command(name = "break", aliases = "b",
            description = {"Stop run and step at a condition: violation, stall, event NAME [KEY=VALUE...], line N; "
                    + "alone, list breakpoints.",
                    "KEY=VALUE pairs make an event breakpoint conditional: a field of the event as the trace writes "
                            + "it, or pid, comm, cpu (break event dma_write handle=vfio0, break event pin_user_pages "
                            + "if pid=42)."})
    static final class Break extends SessionCommand {
        @Parameters(paramLabel = "COND", description = "Violation, stall, event NAME [KEY=VALUE...] or line N.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            if (words.isEmpty()) {
                List<String> lines = s.breakpoints.describe();
                s.out().println(lines.isEmpty() ? "no breakpoints" : String.join("\n", lines));
                return ExitCodes.OK;
            }
            Condition c = Condition.parse(words);
            s.out().println("breakpoint " + s.breakpoints.add(c) + ": " + c);
            return ExitCodes.OK;
        }
    }

    @Command(name = "unbreak", aliases = {"delete", "d"},
            description = "Remove a breakpoint or watchpoint by number, a breakpoint by condition, or all of them "
                    + "(alone or with all).")
    static final class Unbreak extends SessionCommand {
        @Parameters(paramLabel = "N|COND|all", description = "Breakpoint or watchpoint number, condition, or all.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            if (words.isEmpty() || words.size() == 1 && words.get(0).equals("all")) {
                s.breakpoints.clear();
                s.out().println("no breakpoints");
                return ExitCodes.OK;
            }
            int n = words.size() == 1 && words.get(0).chars().allMatch(Character::isDigit)
                    ? Integer.parseInt(words.get(0)) : 0;
            Condition c = n > 0 ? null : Condition.parse(words);
            if (!s.breakpoints.remove(n, c)) {
                throw new ShellException("expected a breakpoint (break lists them), got '" + String.join(" ", words) + "'");
            }
            s.out().println("removed " + String.join(" ", words));
            return ExitCodes.OK;
        }
    }

    @Command(name = "back", aliases = {"reverse-step", "rs", "reverse-next", "rn"},
            description = {"Step back N events (default 1), or back until a condition.",
                    "The log of applied events is replayed from the start up to there; typed events after that point "
                            + "are dropped. With until COND it goes back to just before the last event that COND or "
                            + "a breakpoint or watchpoint stops at (for a violation, stall or watched change: the "
                            + "event that caused it)."})
    static final class Back extends SessionCommand {
        @Parameters(paramLabel = "N|until COND", description = "Events to undo (default 1), or until a condition.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            if (!words.isEmpty() && words.get(0).equals("until")) {
                s.out().stop(s.backUntil(Condition.parse(words.subList(1, words.size()))));
                return ExitCodes.OK;
            }
            if (words.size() > 1) {
                throw new ShellException("expected N or until COND, got '" + String.join(" ", words) + "'");
            }
            long n = words.isEmpty() ? 1 : StateView.number(words.get(0), "a number of events or until COND");
            if (n < 1) {
                throw new ShellException("expected a positive number of events, got " + n);
            }
            s.back(n);
            s.out().println("at event " + s.events() + " (line " + s.lastLine() + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "reverse-continue", aliases = "rc",
            description = "Go back to just before the last event that a breakpoint or watchpoint stops at, or to "
                    + "the start.")
    static final class ReverseContinue extends SessionCommand {
        @Override
        public Integer call() {
            s.out().stop(s.backUntil(null));
            return ExitCodes.OK;
        }
    }

    @Command(name = "watch",
            description = {"Stop run and step after an event that changes a page, range, handle or inode; alone, "
                    + "list watchpoints.",
                    "A page or range (of the last event's process unless PID is given) stops when its mapping, its "
                            + "frames' reference or pin counts or their owner change; a handle when it is "
                            + "registered, released or its frames change; an inode when its size, mappings, page "
                            + "cache, blocks or pinned pages change."})
    static final class WatchCmd extends SessionCommand {
        @Parameters(paramLabel = "TARGET",
                description = "Page ADDR [PID], range START-END [PID], handle NAME or inode INO.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            if (words.isEmpty()) {
                s.out().println(watchpoints(s));
                return ExitCodes.OK;
            }
            Watch w = Watch.parse(words, s.lastPid());
            w.arm(s.kernel());
            s.out().println("watchpoint " + s.breakpoints.add(w) + ": " + w);
            return ExitCodes.OK;
        }
    }

    @Command(name = "where", aliases = "bt",
            description = "Show the trace and position, the last event applied and the next one.")
    static final class Where extends SessionCommand {
        @Override
        public Integer call() {
            Listing.where(s).forEach(s.out()::println);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", aliases = "l",
            description = "List the trace's events around the next one (marked =>), or around trace line LINE.")
    static final class ListCmd extends SessionCommand {
        @Parameters(arity = "0..1", paramLabel = "LINE", description = "Trace line to list around.")
        Long line;

        @Override
        public Integer call() {
            Listing.list(s, line == null ? 0 : line, 4, 6).forEach(s.out()::println);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", aliases = {"print", "p"},
            description = {"Show the model's state.",
                    "Subjects: mm [PID], vmas [PID], pins, page ADDR [PID], file INO, handles, lock, iommu, stats."})
    static final class Show extends SessionCommand {
        @Parameters(index = "0", paramLabel = "WHAT",
                description = "One of mm, vmas, pins, page, file, handles, lock, iommu, stats.")
        String subject;

        @Parameters(index = "1..*", paramLabel = "ARG", description = "ADDR, INO or PID as the subject needs.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            for (String line : StateView.show(s, subject, args)) {
                s.out().println(line);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "info", aliases = "i",
            description = {"Show breakpoints, watchpoints, injectors or, as show does, the model's state.",
                    "Subjects: breakpoints, watchpoints, injectors, and show's mm, vmas, pins, page, file, handles, "
                            + "lock, iommu, stats."})
    static final class Info extends SessionCommand {
        static final List<String> SUBJECTS = List.of("breakpoints", "watchpoints", "injectors");

        @Parameters(paramLabel = "WHAT", description = "A subject and its arguments, as show takes them.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            if (words.isEmpty()) {
                s.out().println("info subjects: " + String.join(", ", SUBJECTS) + ", " + String.join(", ",
                        StateView.SUBJECTS));
                return ExitCodes.OK;
            }
            List<String> args = words.subList(1, words.size());
            switch (words.get(0)) {
                case "breakpoints", "break", "b" -> {
                    List<String> lines = s.breakpoints.describe();
                    s.out().println(lines.isEmpty() ? "no breakpoints or watchpoints" : String.join("\n", lines));
                }
                case "watchpoints", "watch" -> s.out().println(watchpoints(s));
                case "injectors", "inject" -> s.out().println(injectors(s));
                default -> StateView.show(s, words.get(0), args).forEach(s.out()::println);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set",
            description = {"Change the kernel release, a policy or the injector seed.",
                    "A policy is KEY=VALUE, or none to clear them all. The session's events are replayed under the "
                            + "new profile up to the current position."})
    static final class SetCmd extends SessionCommand {
        @Parameters(index = "0", paramLabel = "kernel|policy|seed", description = "What to set.")
        String what;

        @Parameters(index = "1", paramLabel = "VALUE", description = "X.Y[.Z], KEY=VALUE|none, or a number.")
        String value;

        @Override
        public Integer call() {
            switch (what) {
                case "kernel" -> s.reconfigure(c -> c.kernel(value));
                case "policy" -> s.reconfigure(c -> c.policy(value));
                case "seed" -> s.reconfigure(c -> c.seed(StateView.number(value, "a seed")));
                default -> throw new ShellException("expected kernel, policy or seed, got '" + what + "'");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "inject",
            description = {"Add, remove or list fault injectors: add NAME[:key=value,...], remove NAME, list.",
                    "Adding or removing one replays the session's events with the injectors re-seeded."})
    static final class Inject extends SessionCommand {
        @Parameters(index = "0", paramLabel = "add|remove|list", description = "What to do.")
        String action;

        @Parameters(index = "1", arity = "0..1", paramLabel = "SPEC", description = "Injector spec or name.")
        String spec;

        @Override
        public Integer call() {
            switch (action) {
                case "list" -> {
                    s.out().println(injectors(s));
                    return ExitCodes.OK;
                }
                case "add", "remove" -> {
                    if (spec == null) {
                        throw new ShellException("expected an injector after '" + action + "', one of "
                                + Injectors.NAMES);
                    }
                }
                default -> throw new ShellException("expected add, remove or list, got '" + action + "'");
            }
            if (action.equals("add")) {
                s.reconfigure(c -> c.addInject(spec));
            } else if (!s.removeInject(spec)) {
                throw new ShellException("expected a configured injector (inject list), got '" + spec + "'");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "save",
            description = "Write the session's events (the trace up to here and typed events, in order) as a trace "
                    + "that replays to the same state.")
    static final class Save extends SessionCommand {
        @Parameters(paramLabel = "FILE", description = "Trace file to write.")
        Path file;

        @Override
        public Integer call() {
            s.save(file);
            s.out().println("saved " + s.events() + " events to " + file);
            return ExitCodes.OK;
        }
    }
}
