package pinreplay.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import pinreplay.campaign.spec.Shell;
import pinreplay.inject.InjectSpec;
import pinreplay.inject.Injectors;
import pinreplay.replay.explore.Explorer;
import pinreplay.replay.explore.OutcomeClass;
import pinreplay.replay.explore.Reproducer;
import pinreplay.replay.explore.TraceEvents;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.run.TraceSource;

/**
 * {@code pinreplay explore}: replays alternative interleavings of a trace's tasks (pinreplay.replay.explore) and
 * reports each distinct outcome with the smallest reordering that produces it, written as a trace that
 * {@code replay} reproduces. Exit 1 when an outcome has what {@code --fail-on} names.
 */
@Command(name = "explore",
        description = {"Replay other interleavings of the trace's tasks and report each distinct outcome.",
                "Keeps each task's order and what the trace's locks and creations impose, skips orders that only "
                        + "swap commuting events, and writes the smallest reordering of each outcome as a trace "
                        + "that 'pinreplay replay' reproduces (docs/explore.md). --seed also orders the alternatives: 0 tries "
                        + "them in recorded order first, another seed shuffles them."})
final class ExploreCommand extends Subcommand {
    /** What makes the exit code 1. */
    enum FailOn {
        violation, stall, divergence
    }

    @Parameters(paramLabel = "TRACE|-", description = "Trace text to explore; - reads standard input.")
    String input;

    @Mixin
    RunOptions run;

    @Option(names = "--max-orders", defaultValue = "10000", paramLabel = "N",
            description = "Replay at most N orders (default: ${DEFAULT-VALUE}).")
    long maxOrders;

    @Option(names = "--max-seconds", defaultValue = "60", paramLabel = "S",
            description = "Stop exploring after S seconds (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Option(names = "--out", defaultValue = "explore-out", paramLabel = "DIR",
            description = "Directory for the reproducer traces, outcome-N.txt (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-prune", description = "Explore every interleaving, also those that only swap commuting "
            + "events (to measure what pruning saves).")
    boolean noPrune;

    @Option(names = "--fail-on", split = ",", paramLabel = "KINDS", defaultValue = "violation,stall",
            description = "Exit 1 when an outcome has any of these: violation, stall, divergence (results that "
                    + "differ from the recorded order's) (default: ${DEFAULT-VALUE}).")
    EnumSet<FailOn> failOn;

    @Override
    public Integer call() {
        if (maxOrders < 1 || !(maxSeconds > 0)) {
            throw new ParameterException(spec.commandLine(), "--max-orders and --max-seconds must be positive");
        }
        OutputPaths.checkDirectory(out, "--out");
        TraceSource source = TraceSource.text(input, main.stdin());
        Profile profile = run.profile(source.recordedRelease());
        Supplier<FaultPoints> faults = injectors();
        TraceEvents events = new TraceEvents();
        source.readTo(events, false, false, spec.commandLine().getErr());
        if (events.size() == 0) {
            throw new InputException(TraceSource.name(input) + ": no event to explore");
        }
        Progress progress = new Progress(spec.commandLine().getErr());
        Explorer.Result r = new Explorer(events, profile, faults).run(new Explorer.Bounds(maxOrders,
                (long) (maxSeconds * 1e9), run.seed, !noPrune), Terminal.stderrIsTty() ? progress : null);
        progress.clear();
        PipeGuard stdout = new PipeGuard(main.stdout());
        PrintStream print = new PrintStream(new BufferedOutputStream(stdout, 1 << 16), false, StandardCharsets.UTF_8);
        report(print, r, profile, writeReproducers(events, r, profile));
        print.flush();
        // the wall time on stderr: the same seed gives the same standard output
        spec.commandLine().getErr().printf(Locale.ROOT, "pinreplay explore: %d order(s) in %.3f s%n", r.orders,
                r.nanos / 1e9);
        spec.commandLine().getErr().flush();
        if (print.checkError() && !stdout.closedByReader()) {
            throw new OutputException("cannot write the output");
        }
        return found(r) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** Writes outcome-N.txt per class other than the recorded order's; returns each one's replay command. */
    private List<String> writeReproducers(TraceEvents events, Explorer.Result r, Profile profile) {
        List<String> commands = new ArrayList<>();
        try {
            Files.createDirectories(out);
            // an earlier run's reproducers: what is in --out is this run's
            try (var old = Files.newDirectoryStream(out, "outcome-*.txt")) {
                for (Path f : old) {
                    if (f.getFileName().toString().matches("outcome-[0-9]+\\.txt")) {
                        Files.delete(f);
                    }
                }
            }
            for (int i = 0; i < r.classes.size(); i++) {
                OutcomeClass c = r.classes.get(i);
                if (c.recorded) {
                    commands.add(null);
                    continue;
                }
                Path file = out.resolve("outcome-" + (i + 1) + ".txt");
                List<String> comments = List.of("pinreplay explore: a reordering of " + TraceSource.name(input)
                        + " (" + c.moved + " event(s) moved) under kernel " + profile.describe(),
                        "outcome: " + c.describe());
                List<Reproducer.Window> windows;
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file))) {
                    windows = Reproducer.write(events, c, comments, o);
                }
                commands.add(replayCommand(file, windows, c.hasStall()));
            }
        } catch (IOException e) {
            throw new OutputException("--out " + out + ": cannot write: " + e.getMessage());
        }
        return commands;
    }

    private String replayCommand(Path file, List<Reproducer.Window> windows, boolean stall) {
        StringBuilder sb = new StringBuilder("pinreplay replay ").append(Shell.quote(file.toString()));
        if (run.kernel != null) {
            sb.append(" --kernel ").append(run.kernel);
        }
        run.policiesAndInjects(sb);
        for (Reproducer.Window w : windows) {
            sb.append(" --inject mmap-unlock:at=line:").append(w.line()).append(",point=").append(w.point())
                    .append(",fail-nth=1,race=").append(w.race());
        }
        if (!run.injects.isEmpty()) {
            sb.append(" --seed ").append(run.seed);
        }
        if (stall) {
            sb.append(" --fail-on violation,divergence,stall"); // the reproduced stall is the finding: exit 1
        }
        return sb.toString();
    }

    private void report(PrintStream p, Explorer.Result r, Profile profile, List<String> commands) {
        p.printf(Locale.ROOT, "pinreplay explore: %s, kernel %s: %d task(s), %d event(s), %d step(s), %d window(s)%n",
                TraceSource.name(input), profile.describe(), r.tasks, r.events, r.steps, r.windows);
        p.printf(Locale.ROOT, "orders: %d explored, %d pruned, %d distinct outcome(s) (%s)%n", r.orders,
                r.pruned, r.classes.size(), r.exhausted ? "every order explored" : "cut by --max-orders or --max-seconds");
        for (int i = 0; i < r.classes.size(); i++) {
            OutcomeClass c = r.classes.get(i);
            p.println();
            if (c.recorded) {
                p.println("recorded order: " + c.describe() + " (" + c.orders + " order(s))");
            } else {
                p.println("outcome " + (i + 1) + ": " + c.describe());
                p.println("    " + c.moved + " event(s) moved; first at order " + c.firstOrder + ", " + c.orders
                        + " order(s) in all");
            }
            for (int k = 0; k < Math.min(c.results.size(), 5); k++) {
                p.println("    result " + c.results.get(k));
            }
            if (c.results.size() > 5) {
                p.println("    ... " + (c.results.size() - 5) + " more changed result(s)");
            }
            if (!c.recorded) {
                p.println("    " + commands.get(i));
            }
        }
    }

    private boolean found(Explorer.Result r) {
        for (OutcomeClass c : r.classes) {
            if (failOn.contains(FailOn.violation) && c.hasViolation() || failOn.contains(FailOn.stall) && c.hasStall()
                    || failOn.contains(FailOn.divergence) && c.hasDifferentResults()) {
                return true;
            }
        }
        return false;
    }

    /** A fresh set of the --inject injectors per explored order (they count calls); specs checked once here. */
    private Supplier<FaultPoints> injectors() {
        List<InjectSpec> specs = run.specs(run.injects);
        java.io.PrintWriter err = spec.commandLine().getErr();
        return specs.isEmpty() ? () -> FaultPoints.NONE : () -> new Injectors(specs, run.seed, err);
    }

    /** A progress line on a terminal, at most every 200 ms. */
    private static final class Progress implements Explorer.Progress {
        private final java.io.PrintWriter err;
        private long last;
        private boolean shown;

        Progress(java.io.PrintWriter err) {
            this.err = err;
        }

        @Override
        public void update(long orders, long pruned, int classes) {
            long now = System.nanoTime();
            if (now - last > 200_000_000L) {
                last = now;
                shown = true;
                err.printf(Locale.ROOT, "\rexplore: %d orders, %d pruned, %d outcome(s)", orders, pruned, classes);
                err.flush();
            }
        }

        void clear() {
            if (shown) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
