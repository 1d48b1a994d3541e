package pinreplay.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import pinreplay.campaign.spec.Shell;
import pinreplay.inject.InjectSpec;
import pinreplay.inject.Sweep;
import pinreplay.inject.SweepReport;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.Findings;
import pinreplay.replay.outcome.JsonReport;
import pinreplay.replay.outcome.JsonlWriter;
import pinreplay.replay.outcome.ReplaySummary;
import pinreplay.replay.outcome.TextReport;
import pinreplay.replay.run.Replay;
import pinreplay.replay.run.ReplayResult;
import pinreplay.replay.run.TraceSource;

/**
 * {@code pinreplay replay}: replays a trace (text streamed through the parser, or a queue) into the
 * pinning core of one kernel release, with the {@code --inject}ed faults, and reports outcomes. Exit 1
 * when it finds what {@code --fail-on} names (violations and divergences by default); a trace with nothing to replay
 * is a warning (exit 3 with {@code --require-events}); a reader that closes standard output ends it quietly with 0.
 */
@Command(name = "replay",
        description = {"Replay a trace against a kernel release's pinning rules and report the outcomes.",
                "Reports each call's result, the violations, stalls and divergences from the trace's ret=, and the "
                        + "simulated latency."})
final class ReplayCommand extends Subcommand {
    /** Output formats. */
    enum Format {
        text, json, jsonl
    }

    /** What makes the exit code 1. */
    enum FailOn {
        violation, divergence, stall
    }

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Trace text to replay; - reads standard input.")
    String input;

    @Mixin
    QueueOption queue;

    @Mixin
    RunOptions run;

    @Option(names = "--allow-incomplete", description = {"With --queue: replay the prefix of a queue that is incomplete"
            + " or stopped early (stderr says how far it goes) instead of exiting 3."})
    boolean allowIncomplete;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json|jsonl",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write HdrHistogram percentile distributions of the simulated latency per event kind.")
    Path hgrm;

    @Option(names = "--sweep", paramLabel = "NAME[:KEY=VALUE,...]",
            description = "Replay once per eligible site of this injector (fail-nth=1, 2, ... until a run injects "
                    + "nothing) and report which sites change the outcome or produce violations, each with the "
                    + "command that reproduces it (text or jsonl).")
    String sweep;

    @Option(names = "--sweep-max", defaultValue = "1000", paramLabel = "N",
            description = "At most this many sweep runs (default: ${DEFAULT-VALUE}).")
    long sweepMax;

    @Option(names = "--strict-state",
            description = "Refuse to assume: a call on memory that no snapshot, syscall or native event described is an "
                    + "error (exit 3) instead of an assumption labelled on the outcome.")
    boolean strictState;

    @Option(names = "--fail-on", split = ",", paramLabel = "KINDS", defaultValue = "violation,divergence",
            description = "Exit 1 when any of these are found: violation, divergence, stall (default: ${DEFAULT-VALUE}).")
    EnumSet<FailOn> failOn;

    @Option(names = "--lenient", description = "Skip malformed lines of a text trace, count them and name the first "
            + "ten on stderr (as ingest --lenient).")
    boolean lenient;

    @Option(names = "--require-events", description = "Exit 3 when the trace holds no event the model replays (empty, "
            + "or only comments and unknown events); by default that is a warning and exit 0.")
    boolean requireEvents;

    @Override
    public Integer call() {
        if ((input == null) == (queue.queue == null)) {
            throw new ParameterException(spec.commandLine(), "expected a trace FILE, - or --queue DIR (one of them)");
        }
        TraceSource source = queue.source(input, main.stdin());
        Profile profile = run.profile(sweep == null ? source.recordedRelease() : null);
        FaultPoints faults = run.faults();
        if (hgrm != null) {
            OutputPaths.checkFile(hgrm, "--hgrm");
        }
        Replay replay = new Replay(profile).lenient(lenient).allowIncomplete(allowIncomplete)
                .warnings(spec.commandLine().getErr());
        if (sweep != null) {
            return sweep(replay, source);
        }
        PipeGuard stdout = new PipeGuard(main.stdout());
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        Findings findings = new Findings();
        ReplayResult result;
        try {
            result = replay.strictState(strictState).requireEvents(requireEvents)
                    .run(source, faults, format == Format.jsonl ? new JsonlWriter(out) : findings);
            PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
            if (format == Format.text) {
                TextReport.write(print, findings);
            } else if (format == Format.json) {
                JsonReport.write(print, findings);
            }
            print.flush();
            if (print.checkError()) {
                throw new UncheckedIOException(new IOException(stdout.closedByReader() ? "Broken pipe" : "write failed"));
            }
        } catch (UncheckedIOException e) {
            PipeGuard.writeFailed(stdout, e);
            return ExitCodes.OK;
        }
        if (result.refusal() != null) {
            spec.commandLine().getErr().println("pinreplay: " + result.refusal());
            return ExitCodes.BAD_INPUT;
        }
        if (hgrm != null) {
            writeHgrm(result.summary());
        }
        return found(result.summary()) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** --sweep: the fail-nth loop over the trace (read once from standard input, else re-read per run). */
    private int sweep(Replay replay, TraceSource source) {
        InjectSpec swept = run.parse(sweep);
        List<InjectSpec> others = run.specs(run.injects);
        if (format == Format.json) {
            throw new ParameterException(spec.commandLine(), "--sweep prints text or jsonl, got --format json");
        }
        Sweep.Result r = Sweep.run(replay, source.rereadable(), swept, others, run.seed, sweepMax,
                spec.commandLine().getErr());
        PipeGuard stdout = new PipeGuard(main.stdout());
        PrintWriter print = new PrintWriter(new OutputStreamWriter(new BufferedOutputStream(stdout, 1 << 16),
                StandardCharsets.UTF_8));
        if (format == Format.jsonl) {
            SweepReport.jsonl(print, r, reproCommand(), run.seed);
        } else {
            SweepReport.text(print, r, reproCommand(), run.seed);
        }
        if (print.checkError()) {
            if (stdout.closedByReader()) {
                return ExitCodes.OK;
            }
            throw new OutputException("cannot write the output");
        }
        return failOn.contains(FailOn.violation) && r.withViolations() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** {@code pinreplay replay} with this trace, kernel, policies and the other injectors: a sweep site's command. */
    private String reproCommand() {
        StringBuilder sb = new StringBuilder("pinreplay replay ");
        sb.append(queue.queue != null ? "--queue " + Shell.quote(queue.queue.toString()) : Shell.quote(input));
        sb.append(" --kernel ").append(run.kernel == null ? KernelRelease.NEWEST : run.kernel);
        return run.policiesAndInjects(sb).toString();
    }

    private boolean found(ReplaySummary s) {
        return failOn.contains(FailOn.violation) && s.violations > 0
                || failOn.contains(FailOn.divergence) && s.divergences > 0
                || failOn.contains(FailOn.stall) && s.stalls > 0;
    }

    private void writeHgrm(ReplaySummary s) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(bytes, false, java.nio.charset.StandardCharsets.UTF_8)) {
            s.latencies.writeHgrm(p); // a few KiB: written whole below, so a write error keeps its reason
        }
        try {
            Files.write(hgrm, bytes.toByteArray());
        } catch (IOException e) {
            throw new OutputException(hgrm + ": cannot write: " + e.getMessage());
        }
    }
}
