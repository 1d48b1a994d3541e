package pinreplay.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.ParseStats;
import pinreplay.format.parse.TraceParser;
import pinreplay.inject.InjectSpec;
import pinreplay.inject.InjectSpecException;
import pinreplay.inject.Injectors;
import pinreplay.inject.Sweep;
import pinreplay.inject.SweepReport;
import pinreplay.replay.Replayer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.PriorMemory;
import pinreplay.format.parse.RecordingHeader;
import pinreplay.replay.outcome.Findings;
import pinreplay.replay.outcome.JsonReport;
import pinreplay.replay.outcome.JsonlWriter;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ReplaySummary;
import pinreplay.replay.outcome.TextReport;

/**
 * {@code pinreplay replay}: replays a trace (text streamed through the parser, or a queue) into the
 * pinning core of one kernel release, with the {@code --inject}ed faults, and reports outcomes. Exit 1
 * when it finds what {@code --fail-on} names; exit 3 for a trace with nothing to replay (unless
 * {@code --allow-empty}); a reader that closes standard output ends it quietly with 0.
 */
@Command(name = "replay",
        description = {"Replay a trace against a kernel release's pinning rules and report the outcomes.",
                "Reports each call's result, the violations, stalls and divergences from the trace's ret=, and the "
                        + "simulated latency."},
        mixinStandardHelpOptions = true)
final class ReplayCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        text, json, jsonl
    }

    /** What makes the exit code 1. */
    enum FailOn {
        violation, divergence, stall
    }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Trace text to replay; - reads standard input.")
    String input;

    @Option(names = "--queue", paramLabel = "DIR", description = "Replay a queue written by ingest instead of text.")
    Path queueDir;

    @Option(names = "--allow-incomplete", description = {"With --queue: replay the prefix of a queue that is incomplete"
            + " or stopped early (stderr says how far it goes) instead of exiting 3."})
    boolean allowIncomplete;

    @Option(names = "--kernel", paramLabel = "X.Y[.Z]",
            description = "Kernel release whose rules apply (default: the newest modelled, "
                    + "see 'pinreplay profiles').")
    String kernel;

    @Option(names = "--policy", paramLabel = "NAME=VALUE",
            description = "Override one rule, e.g. dax-truncate=fail (repeatable; 'pinreplay profiles' lists them).")
    List<String> policies = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json|jsonl",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write HdrHistogram percentile distributions of the simulated latency per event kind.")
    Path hgrm;

    @Option(names = "--inject", paramLabel = "NAME[:KEY=VALUE,...]",
            description = {"Inject a fault (repeatable), e.g. mmap-unlock:race=munmap,fail-nth=1; "
                    + "'pinreplay faults' lists injectors and keys."})
    List<String> injects = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of every injector's random choices (default: ${DEFAULT-VALUE}).")
    long seed;

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

    @Option(names = "--fail-on", split = ",", paramLabel = "KINDS", defaultValue = "violation,divergence,stall",
            description = "Exit 1 when any of these are found: violation, divergence, stall (default: ${DEFAULT-VALUE}).")
    EnumSet<FailOn> failOn;

    @Option(names = "--lenient", description = "Skip malformed lines of a text trace, count them and name the first "
            + "ten on stderr (as ingest --lenient).")
    boolean lenient;

    @Option(names = "--allow-empty", description = "Exit 0, not 3, when the trace holds no event the model replays "
            + "(empty, or only comments and unknown events).")
    boolean allowEmpty;

    @Override
    public Integer call() {
        if ((input == null) == (queueDir == null)) {
            throw new ParameterException(spec.commandLine(), "expected a trace FILE, - or --queue DIR (one of them)");
        }
        ReadableByteChannel text = null;
        String recorded = null;
        if (queueDir == null && sweep == null) {
            RecordingHeader header = peek(TraceInput.open(main, input));
            text = header.channel();
            recorded = header.release();
        }
        Profile profile = profile(recorded);
        FaultPoints faults = injectors();
        if (hgrm != null) {
            OutputPaths.checkFile(hgrm, "--hgrm");
        }
        if (sweep != null) {
            return sweep(profile);
        }
        PipeGuard stdout = new PipeGuard(main.stdout());
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        Findings findings = new Findings();
        OutcomeSink sink = format == Format.jsonl ? new JsonlWriter(out) : findings;
        Replayer replayer = new Replayer(profile, faults, sink);
        replayer.strictState(strictState);
        try {
            if (queueDir != null) {
                QueueInput.readTo(queueDir, new EventReader(replayer), allowIncomplete, spec.commandLine().getErr());
            } else {
                replayText(replayer, text);
            }
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
        } catch (PriorMemory.UndescribedMemory e) {
            throw new InputException(source() + ": --strict-state: " + e.getMessage());
        } catch (UncheckedIOException e) {
            if (stdout.closedByReader()) {
                return ExitCodes.OK; // | head: the reader has what it wanted
            }
            throw new OutputException("cannot write the output: " + e.getCause().getMessage());
        } catch (OutOfMemoryError e) {
            long line = replayer.kernel().ctx.line;
            replayer = null; // let the model go before saying so
            throw new InputException(source() + ": out of memory at line " + line + " (the model of this trace needs "
                    + "a larger heap: PINREPLAY_JAVA_OPTS=-Xmx8g, say)");
        }
        ReplaySummary s = replayer.summary();
        if (s.eventsReplayed == 0 && !allowEmpty) {
            spec.commandLine().getErr().println("pinreplay: " + source() + ": no event to replay ("
                    + s.eventsPassedThrough + " unknown or unmodelled); --allow-empty accepts such a trace");
            return ExitCodes.BAD_INPUT;
        }
        if (hgrm != null) {
            writeHgrm(s);
        }
        return found(s) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private String source() {
        return queueDir != null ? queueDir.toString() : TraceInput.sourceName(input);
    }

    private static RecordingHeader peek(ReadableByteChannel in) {
        try {
            return RecordingHeader.peek(in);
        } catch (IOException e) {
            throw new InputException("cannot read the trace: " + e.getMessage());
        }
    }

    private Profile profile() {
        return profile(null);
    }

    /** --kernel, else the release a recording names (its uname -r), else the newest modelled. */
    private Profile profile(String recorded) {
        try {
            KernelRelease r = kernel != null ? KernelRelease.parseModelled(kernel)
                    : recorded != null ? recordedRelease(recorded) : KernelRelease.NEWEST;
            return Profile.of(r, Policies.parse(policies));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The recorded kernel's release, refused (exit 3) when the model does not describe it. */
    static KernelRelease recordedRelease(String unameR) {
        KernelRelease r;
        try {
            r = KernelRelease.parse(unameR);
        } catch (IllegalArgumentException e) {
            throw new InputException("the recording names kernel '" + unameR + "', not a release X.Y[.Z]; give --kernel");
        }
        KernelRelease at = KernelRelease.of(r.major(), r.minor());
        if (at.compareTo(KernelRelease.OLDEST) < 0 || at.compareTo(KernelRelease.NEWEST) > 0) {
            throw new InputException("the recording is from kernel " + unameR + ", outside the modelled releases "
                    + KernelRelease.OLDEST + " to " + KernelRelease.NEWEST + "; give --kernel to replay it under one of them");
        }
        return r;
    }

    /** The --inject specs as the core's fault points; none configured is {@link FaultPoints#NONE}. */
    private FaultPoints injectors() {
        List<InjectSpec> specs = specs();
        return specs.isEmpty() ? FaultPoints.NONE : new Injectors(specs, seed, spec.commandLine().getErr());
    }

    private List<InjectSpec> specs() {
        List<InjectSpec> specs = new ArrayList<>();
        for (String text : injects) {
            specs.add(parse(text));
        }
        return specs;
    }

    private InjectSpec parse(String text) {
        try {
            return InjectSpec.parse(text);
        } catch (InjectSpecException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** --sweep: the fail-nth loop over the trace (read once from standard input, else re-read per run). */
    private int sweep(Profile profile) {
        InjectSpec swept = parse(sweep);
        List<InjectSpec> others = specs();
        if (format == Format.json) {
            throw new ParameterException(spec.commandLine(), "--sweep prints text or jsonl, got --format json");
        }
        byte[] stdin = "-".equals(input) ? readStdin() : null;
        Sweep.Replay replay = (faults, sink) -> {
            Replayer replayer = new Replayer(profile, faults, sink);
            if (queueDir != null) {
                QueueInput.readTo(queueDir, new EventReader(replayer), allowIncomplete, spec.commandLine().getErr());
            } else {
                replayText(replayer, stdin != null ? Channels.newChannel(new ByteArrayInputStream(stdin))
                        : TraceInput.open(main, input));
            }
        };
        Sweep.Result r = Sweep.run(replay, swept, others, seed, sweepMax, spec.commandLine().getErr());
        PipeGuard stdout = new PipeGuard(main.stdout());
        PrintWriter print = new PrintWriter(new OutputStreamWriter(new BufferedOutputStream(stdout, 1 << 16),
                StandardCharsets.UTF_8));
        if (format == Format.jsonl) {
            SweepReport.jsonl(print, r, reproCommand(profile), seed);
        } else {
            SweepReport.text(print, r, reproCommand(profile), seed);
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
    private String reproCommand(Profile profile) {
        StringBuilder sb = new StringBuilder("pinreplay replay ");
        sb.append(queueDir != null ? "--queue " + shellWord(queueDir.toString()) : shellWord(input));
        sb.append(" --kernel ").append(kernel == null ? KernelRelease.NEWEST : kernel);
        for (String p : policies) {
            sb.append(" --policy ").append(shellWord(p));
        }
        for (String i : injects) {
            sb.append(" --inject ").append(shellWord(i));
        }
        return sb.toString();
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./:=,+@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private byte[] readStdin() {
        try {
            return main.stdin().readAllBytes();
        } catch (IOException e) {
            throw new InputException("<stdin>: cannot read: " + e.getMessage());
        }
    }

    /**
     * Streams text through the parser straight into the replayer: no queue in between. With {@code --lenient},
     * malformed lines are skipped and the first ten named on stderr, as by {@code ingest --lenient}.
     */
    private void replayText(Replayer replayer, ReadableByteChannel channel) {
        EventWriter writer = new EventWriter(new EventReader(replayer));
        ParseStats stats;
        try (ReadableByteChannel in = channel) {
            stats = new TraceParser(TraceInput.sourceName(input), writer, lenient).parse(in);
        } catch (IOException e) {
            throw new InputException(TraceInput.sourceName(input) + ": cannot read: " + e.getMessage());
        }
        writer.finish();
        IngestCommand.reportMalformed(spec.commandLine().getErr(), stats);
    }

    private boolean found(ReplaySummary s) {
        return failOn.contains(FailOn.violation) && s.violations > 0
                || failOn.contains(FailOn.divergence) && s.divergences > 0
                || failOn.contains(FailOn.stall) && s.stalls > 0;
    }

    private void writeHgrm(ReplaySummary s) {
        try (PrintStream p = new PrintStream(Files.newOutputStream(hgrm), false,
                java.nio.charset.StandardCharsets.UTF_8)) {
            s.latencies.writeHgrm(p);
            if (p.checkError()) {
                throw new OutputException(hgrm + ": cannot write");
            }
        } catch (IOException | UncheckedIOException e) {
            throw new OutputException(hgrm + ": cannot write: " + e.getMessage());
        }
    }
}
