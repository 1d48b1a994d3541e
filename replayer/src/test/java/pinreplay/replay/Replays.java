package pinreplay.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.synth.Scenario;
import pinreplay.format.synth.Synthesizer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.Findings;
import pinreplay.replay.outcome.JsonlWriter;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ReplaySummary;

/** Test helper: replays ftrace text (the scenario traces in traces/) and keeps every outcome. */
final class Replays implements OutcomeSink {
    final List<Outcome> outcomes = new ArrayList<>();
    final Findings findings = new Findings();
    ReplaySummary summary;
    Replayer replayer;

    /** Native events as trace lines of one task, event {@code i} on line {@code i + 1} (no header). */
    static String lines(String... events) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < events.length; i++) {
            sb.append(String.format("         app-100     [000] .....   1.%06d: ", i + 1)).append(events[i]).append('\n');
        }
        return sb.toString();
    }

    static Path trace(String name) {
        Path p = Path.of("..", "traces", name);
        return Files.exists(p) ? p : Path.of("traces", name);
    }

    static Replays file(String name, String kernel, String... policies) {
        try {
            return text(Files.readString(trace(name)), kernel, FaultPoints.NONE, policies);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Replays text(String trace, String kernel, FaultPoints faults, String... policies) {
        return text(trace, kernel, faults, false, policies);
    }

    /** As {@link #text}, with {@code --strict-state} when {@code strict}. */
    static Replays text(String trace, String kernel, FaultPoints faults, boolean strict, String... policies) {
        Replays r = new Replays();
        Profile p = Profile.of(KernelRelease.parse(kernel), Policies.parse(Arrays.asList(policies)));
        r.replayer = new Replayer(p, faults, r);
        r.replayer.strictState(strict);
        EventWriter w = new EventWriter(new EventReader(r.replayer));
        try {
            new TraceParser("test", w, false).parse(Channels.newChannel(
                    new java.io.ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w.finish();
        return r;
    }

    /**
     * Synthesizes {@code scenario} with {@code params} ({@code key=value,...}, empty for defaults) and
     * {@code seed}, {@code events} events long, straight into the replayer (no text in between).
     */
    static Replays synth(String scenario, String params, long seed, long events, String kernel, String... policies) {
        Replays r = new Replays();
        Profile p = Profile.of(KernelRelease.parse(kernel), Policies.parse(Arrays.asList(policies)));
        r.replayer = new Replayer(p, FaultPoints.NONE, r);
        EventWriter w = new EventWriter(new EventReader(r.replayer));
        Scenario sc = Synthesizer.scenario(scenario);
        Map<String, String> given = new LinkedHashMap<>();
        for (String kv : params.isEmpty() ? new String[0] : params.split(",")) {
            int eq = kv.indexOf('=');
            given.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Synthesizer.run(sc, sc.params().set(given), seed, events, 0, w);
        w.finish();
        return r;
    }

    @Override
    public void accept(Outcome o) {
        Outcome c = new Outcome();
        c.copyFrom(o);
        outcomes.add(c);
        findings.accept(o);
    }

    @Override
    public void end(ReplaySummary s) {
        summary = s;
        findings.end(s);
    }

    /** The call outcome of the event on {@code line}. */
    Outcome call(long line) {
        return outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.line == line).findFirst()
                .orElseThrow(() -> new AssertionError("no call outcome for line " + line + "\n" + jsonl()));
    }

    /** The result of the call on {@code line}, as JSON prints it ({@code 0}, {@code "-EFAULT"}). */
    String result(long line) {
        Outcome o = call(line);
        return o.result < 0 ? pinreplay.format.Errno.describe(o.result) : Long.toString(o.result);
    }

    /**
     * The classes of result the calls of {@code type} got: {@code "0"}, {@code ">0"} for a count, or an
     * errno name; sorted.
     */
    java.util.SortedSet<String> results(pinreplay.format.EventType type) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (Outcome o : outcomes) {
            if (o.kind == Outcome.Kind.CALL && o.event == type) {
                out.add(o.result < 0 ? pinreplay.format.Errno.describe(o.result) : o.result == 0 ? "0" : ">0");
            }
        }
        return out;
    }

    /** The distinct violation kinds, sorted. */
    java.util.SortedSet<String> kinds() {
        return new java.util.TreeSet<>(violationKinds());
    }

    List<Outcome> violations() {
        return outcomes.stream().filter(o -> o.kind == Outcome.Kind.VIOLATION).collect(Collectors.toList());
    }

    List<String> violationKinds() {
        return violations().stream().map(o -> o.violation).collect(Collectors.toList());
    }

    List<Outcome> stalls() {
        return outcomes.stream().filter(o -> o.kind == Outcome.Kind.STALL).collect(Collectors.toList());
    }

    String jsonl() {
        return outcomes.stream().map(JsonlWriter::format).collect(Collectors.joining("\n"));
    }
}
