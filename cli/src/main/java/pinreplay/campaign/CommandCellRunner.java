package pinreplay.campaign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

import picocli.CommandLine;

import pinreplay.campaign.spec.TraceSpec;
import pinreplay.cli.InputException;
import pinreplay.cli.Main;

/**
 * The real {@link CellRunner}: runs pinreplay's own commands in this JVM, with no process per cell.
 * A trace is prepared once: {@code synth} writes a synthesized trace's text, {@code ingest} parses
 * the text into a queue; then each cell is {@code replay --queue DIR ... --format jsonl}, and the
 * per-event-kind latency histograms are built from the records' {@code latency_us}.
 */
public final class CommandCellRunner implements CellRunner {
    /** Runs one pinreplay command line with standard output into {@code out}; returns its exit code. */
    @FunctionalInterface
    public interface Commands {
        int execute(OutputStream out, StringWriter err, String... args);
    }

    /** Histograms of simulated latency: nanoseconds, 3 significant digits, auto-resizing. */
    private static final int DIGITS = 3;

    private final Commands commands;

    /** Runs the commands of {@link Main}'s tree. */
    public CommandCellRunner() {
        this((out, err, args) -> {
            CommandLine cl = Main.commandLine(java.io.InputStream.nullInputStream(), out); // byte output too (cat)
            PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
            cl.setOut(o);
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            o.flush();
            return code;
        });
    }

    public CommandCellRunner(Commands commands) {
        this.commands = commands;
    }

    @Override
    public PreparedTrace prepare(TraceSpec trace, Path workDir) throws IOException {
        Path text = trace.file();
        if (trace.isSynth()) {
            text = workDir.resolve(trace.name() + ".trace");
            List<String> args = new ArrayList<>(List.of("synth", trace.scenario()));
            trace.params().forEach((k, v) -> args.addAll(List.of("--param", k + "=" + v)));
            args.addAll(List.of("--seed", Long.toString(trace.synthSeed())));
            if (trace.events() > 0) {
                args.addAll(List.of("--events", Long.toString(trace.events())));
            }
            try (OutputStream out = Files.newOutputStream(text)) {
                check(args, run(out, args));
            }
        }
        Path queue = workDir.resolve(trace.name() + ".queue");
        List<String> ingest = List.of("ingest", text.toString(), "--queue", queue.toString(), "--force");
        check(ingest, run(OutputStream.nullOutputStream(), ingest));
        return new PreparedTrace(trace, text, queue);
    }

    @Override
    public CellResult run(Cell cell, PreparedTrace trace) {
        List<String> args = new ArrayList<>(List.of("replay"));
        if (trace.queue() != null) {
            args.addAll(List.of("--queue", trace.queue().toString()));
        } else {
            args.add(trace.text().toString());
        }
        args.addAll(cell.replayOptions());
        args.addAll(List.of("--format", "jsonl"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = commands.execute(out, err, args.toArray(String[]::new));
        List<String> records = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        return new CellResult(records, latency(records), code, err.toString());
    }

    /** Simulated latency per event kind from the call records' {@code latency_us}. */
    static SortedMap<String, Histogram> latency(List<String> records) {
        SortedMap<String, Histogram> out = new TreeMap<>();
        for (String line : records) {
            if (!(Json.parse(line) instanceof Map<?, ?> r) || !(r.get("event") instanceof String event)) {
                continue;
            }
            Object us = r.get("latency_us");
            BigDecimal v = us instanceof BigDecimal d ? d : us instanceof Long l ? BigDecimal.valueOf(l) : null;
            if (v != null && v.signum() >= 0) {
                long ns = v.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
                out.computeIfAbsent(event, e -> new Histogram(DIGITS)).recordValue(ns);
            }
        }
        return out;
    }

    private record Run(int code, String err) {
    }

    private Run run(OutputStream out, List<String> args) {
        StringWriter err = new StringWriter();
        return new Run(commands.execute(out, err, args.toArray(String[]::new)), err.toString());
    }

    private static void check(List<String> args, Run r) {
        if (r.code() != 0) {
            // The first line says what went wrong; usage text after it would bury it in the report.
            throw new InputException("pinreplay " + String.join(" ", args) + " exited with " + r.code() + ": "
                    + r.err().strip().lines().findFirst().orElse("no message"));
        }
    }
}
