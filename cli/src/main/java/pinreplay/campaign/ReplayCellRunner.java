package pinreplay.campaign;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import pinreplay.campaign.spec.TraceSpec;
import pinreplay.cli.ExitCodes;
import pinreplay.cli.InputException;
import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.print.FtracePrinter;
import pinreplay.format.synth.Scenario;
import pinreplay.format.synth.Synthesizer;
import pinreplay.inject.InjectSpec;
import pinreplay.inject.InjectSpecException;
import pinreplay.inject.Injectors;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.JsonlWriter;
import pinreplay.replay.run.Replay;
import pinreplay.replay.run.ReplayResult;
import pinreplay.replay.run.TraceSource;

/**
 * The real {@link CellRunner}: the replay API in this JVM. A trace is prepared once (a synthesized one
 * written as text, a file checked to parse); each cell replays the text as {@code pinreplay replay --format
 * jsonl} would, keeping the records, their typed sum and the replay's own latency histograms. Input the
 * replay refuses is the cell's error (exit 3); anything else is a bug and surfaces as one.
 */
public final class ReplayCellRunner implements CellRunner {
    @Override
    public PreparedTrace prepare(TraceSpec trace, Path workDir) throws IOException {
        Path text = trace.file();
        if (trace.isSynth()) {
            text = workDir.resolve(trace.name() + ".trace");
            synth(trace, text);
        } else {
            check(text);
        }
        return new PreparedTrace(trace, text);
    }

    /** {@code pinreplay synth} of the spec's scenario, parameters, seed and length into {@code text}. */
    private static void synth(TraceSpec trace, Path text) throws IOException {
        Scenario sc;
        try {
            sc = Synthesizer.scenario(trace.scenario());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(text), 1 << 16)) {
                EventWriter w = new EventWriter(new EventReader(new FtracePrinter(out)));
                Synthesizer.run(sc, sc.params().set(trace.params()), trace.synthSeed(),
                        trace.events() > 0 ? trace.events() : 1000, 0, w);
                w.finish();
            }
        } catch (IllegalArgumentException e) {
            throw new InputException(trace.describe() + ": " + e.getMessage());
        }
    }

    /** A trace file must parse, as ingest would: a malformed line fails every cell of it at once. */
    private static void check(Path text) throws IOException {
        try (FileChannel in = FileChannel.open(text)) {
            new TraceParser(text.toString(), new EventWriter((buf, length) -> { }), false).parse(in);
        }
    }

    @Override
    public CellResult run(Cell cell, PreparedTrace trace) {
        StringWriter err = new StringWriter();
        PrintWriter log = new PrintWriter(err, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcomes.Collector outcomes = new Outcomes.Collector(new JsonlWriter(out));
        Replay replay;
        FaultPoints faults;
        try {
            replay = new Replay(profile(cell)).warnings(log);
            faults = faults(cell, log);
        } catch (IllegalArgumentException | InjectSpecException e) { // the spec's checks let none through
            return CellResult.error(ExitCodes.USAGE, "pinreplay: " + e.getMessage());
        }
        ReplayResult r;
        try {
            r = replay.run(TraceSource.text(trace.text().toString(), null), faults, outcomes);
        } catch (TraceFormatException e) { // input the replay refuses; a model bug surfaces as one
            return CellResult.error(ExitCodes.BAD_INPUT, "pinreplay: " + e.getMessage());
        }
        int code = ExitCodes.OK;
        if (r.refusal() != null) {
            log.println("pinreplay: " + r.refusal());
            code = ExitCodes.BAD_INPUT;
        } else if (r.summary().violations > 0 || r.summary().divergences > 0) { // replay's default --fail-on
            code = ExitCodes.FINDINGS;
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return new CellResult(lines, outcomes.outcomes(), r.latencyByEvent(), code, err.toString());
    }

    private static Profile profile(Cell cell) {
        List<String> policies = new ArrayList<>();
        cell.policy().settings().forEach((k, v) -> policies.add(k + "=" + v));
        return Profile.of(KernelRelease.parseModelled(cell.kernel()), Policies.parse(policies));
    }

    private static FaultPoints faults(Cell cell, PrintWriter log) throws InjectSpecException {
        List<InjectSpec> specs = new ArrayList<>();
        for (String s : cell.injectors().specs()) {
            specs.add(InjectSpec.parse(s));
        }
        return specs.isEmpty() ? FaultPoints.NONE : new Injectors(specs, cell.seed(), log);
    }
}
