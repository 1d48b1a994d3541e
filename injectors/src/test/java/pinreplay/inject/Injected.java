package pinreplay.inject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import pinreplay.format.Errno;
import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;
import pinreplay.replay.Replayer;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.JsonlWriter;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;

/** Test helper: replays a trace (a file under traces/ or inline text) with injectors, keeping every outcome. */
final class Injected implements OutcomeSink {
    final List<Outcome> outcomes = new ArrayList<>();
    final StringWriter log = new StringWriter();
    Injectors injectors;

    static String file(String name) {
        try {
            return Files.readString(Path.of("..", "traces", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replays {@code trace} on {@code kernel}; {@code args} are {@code --inject} specs and {@code policy=value}s. */
    static Injected replay(String trace, String kernel, long seed, String... args) {
        List<InjectSpec> specs = new ArrayList<>();
        List<String> policies = new ArrayList<>();
        for (String a : args) {
            if (a.contains(":") || Injectors.NAMES.contains(a)) {
                try {
                    specs.add(InjectSpec.parse(a));
                } catch (InjectSpecException e) {
                    throw new IllegalArgumentException(e);
                }
            } else {
                policies.add(a);
            }
        }
        Injected r = new Injected();
        r.injectors = new Injectors(specs, seed, new PrintWriter(r.log, true));
        Profile p = Profile.of(KernelRelease.parse(kernel), Policies.parse(policies));
        EventWriter w = new EventWriter(new EventReader(new Replayer(p, r.injectors, r)));
        try {
            new TraceParser("test", w, false).parse(Channels.newChannel(
                    new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w.finish();
        return r;
    }

    @Override
    public void accept(Outcome o) {
        Outcome c = new Outcome();
        c.copyFrom(o);
        outcomes.add(c);
    }

    /** The call outcome of the {@code event} on {@code line}. */
    Outcome call(long line, String event) {
        return outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.line == line
                        && o.event.eventName().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " outcome for line " + line + "\n" + jsonl()));
    }

    /** The result of that call as JSON prints it ({@code 0}, {@code -EFAULT}). */
    String result(long line, String event) {
        long r = call(line, event).result;
        return r < 0 ? Errno.describe(r) : Long.toString(r);
    }

    List<Outcome> of(Outcome.Kind kind) {
        return outcomes.stream().filter(o -> o.kind == kind).collect(Collectors.toList());
    }

    List<String> violationKinds() {
        return of(Outcome.Kind.VIOLATION).stream().map(o -> o.violation).collect(Collectors.toList());
    }

    /** {@code line:injector@point} of every injection, in order. */
    List<String> sites() {
        return of(Outcome.Kind.INJECTION).stream().map(o -> o.line + ":" + o.injected + "@" + o.point)
                .collect(Collectors.toList());
    }

    String jsonl() {
        return outcomes.stream().map(JsonlWriter::format).collect(Collectors.joining("\n"));
    }
}
