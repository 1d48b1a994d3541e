package pinreplay.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.print.FtracePrinter;
import pinreplay.format.print.JsonlPrinter;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueMetadata;
import pinreplay.format.synth.Params;
import pinreplay.format.synth.Scenario;
import pinreplay.format.synth.Synthesizer;

/**
 * {@code pinreplay synth SCENARIO}: writes a trace of a workload model, as ftrace text (stdout or
 * {@code -o}) or straight into a queue ({@code --queue}, no text in between). Same scenario,
 * parameters and seed give the same bytes.
 */
@Command(name = "synth",
        description = {"Synthesize a trace of a workload model (see --list).",
                "Text goes to standard output or -o FILE; --queue DIR writes events straight into a queue."})
final class SynthCommand extends Subcommand {
    /** Text formats. */
    enum Format {
        ftrace, jsonl
    }

    /** How long the trace runs. */
    static final class Length {
        @Option(names = "--events", paramLabel = "N", description = "Stop after N events (default 1000).")
        long events;

        @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this much trace time.")
        double duration;
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "Workload model; --list shows them.")
    String scenario;

    @Option(names = "--list", description = "Describe every scenario and its parameters.")
    boolean list;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "Set a scenario parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @ArgGroup(exclusive = true)
    Length length = new Length();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the text here (- or absent: stdout).")
    String output;

    @Option(names = "--queue", paramLabel = "DIR", description = "Write the events into a new queue instead of text.")
    Path queueDir;

    @Option(names = "--force", description = "With --queue: replace an existing queue in DIR.")
    boolean force;

    @Option(names = "--format", defaultValue = "ftrace", paramLabel = "ftrace|jsonl",
            description = "Text format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws IOException {
        if (list) {
            printList(spec.commandLine().getOut());
            return ExitCodes.OK;
        }
        if (scenario == null) {
            throw new ParameterException(spec.commandLine(), "Missing SCENARIO (pinreplay synth --list shows them)");
        }
        if (queueDir != null && output != null) {
            throw new ParameterException(spec.commandLine(), "--queue and -o are alternatives: give one");
        }
        Scenario sc;
        Params p;
        try {
            sc = Synthesizer.scenario(scenario);
            p = sc.params().set(params);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (length.events < 0 || length.events == 0 && spec.commandLine().getParseResult().hasMatchedOption("--events")) {
            throw new ParameterException(spec.commandLine(), "--events expects a positive number of events, got "
                    + length.events);
        }
        boolean durationGiven = spec.commandLine().getParseResult().hasMatchedOption("--duration");
        if (durationGiven && !(length.duration > 0 && length.duration * 1e9 < Long.MAX_VALUE)) {
            throw new ParameterException(spec.commandLine(), "--duration expects seconds above 0 and below "
                    + (long) (Long.MAX_VALUE / 1e9) + ", got " + length.duration);
        }
        long events = length.events > 0 || length.duration > 0 ? length.events : 1000;
        long durationNs = Math.round(length.duration * 1e9);
        if (queueDir != null) {
            toQueue(sc, p, events, durationNs);
        } else {
            toText(sc, p, events, durationNs);
        }
        return ExitCodes.OK;
    }

    private void toQueue(Scenario sc, Params p, long events, long durationNs) {
        QueueMetadata meta = new QueueMetadata().source("synth " + describe(sc)).createdBy(VersionProvider.creator());
        try (EventQueue queue = EventQueue.create(queueDir, meta, force)) {
            QueueOutput.write(queue, meta.source(), writer -> {
                Synthesizer.run(sc, p, seed, events, durationNs, writer);
                queue.metadata().lines(writer.lastLine()).malformed(0);
                writer.finish(); // the sink saves the metadata, complete, before the end marker
                return null;
            });
            queue.commit();
        }
    }

    private void toText(Scenario sc, Params p, long events, long durationNs) throws IOException {
        boolean toStdout = output == null || output.equals("-");
        PipeGuard guard = toStdout ? new PipeGuard(main.stdout()) : null;
        OutputStream out;
        try {
            out = toStdout ? guard : new BufferedOutputStream(Files.newOutputStream(Path.of(output)), 1 << 16);
        } catch (IOException e) {
            throw new OutputException("cannot write " + output + ": " + e.getMessage());
        }
        try (OutputStream o = out) {
            EventWriter w = new EventWriter(new EventReader(format == Format.jsonl ? new JsonlPrinter(o) : new FtracePrinter(o)));
            Synthesizer.run(sc, p, seed, events, durationNs, w);
            w.finish();
        } catch (UncheckedIOException | IOException e) {
            if (toStdout) {
                PipeGuard.writeFailed(guard, e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e));
                return; // its reader left: done quietly
            }
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new OutputException("cannot write " + output + " (left cut short): " + cause.getMessage());
        }
    }

    private String describe(Scenario sc) {
        StringBuilder sb = new StringBuilder(sc.name());
        params.forEach((k, v) -> sb.append(" -p ").append(k).append('=').append(v));
        return sb.append(" --seed ").append(seed).toString();
    }

    private static void printList(PrintWriter out) {
        for (Scenario sc : Synthesizer.SCENARIOS) {
            out.println(sc.name());
            for (String line : wrap(sc.description(), 76)) {
                out.println("    " + line);
            }
            for (Params.Spec s : sc.params().specs()) {
                String values = s.choices().isEmpty() ? "" : " (" + String.join("|", s.choices()) + ")";
                out.printf("    -p %s=%s%s%n        %s%n", s.name(), s.defaultValue(), values, s.help());
            }
            out.println();
        }
        out.flush();
    }

    private static java.util.List<String> wrap(String text, int width) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
