package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import pinreplay.format.EventWriter;
import pinreplay.format.parse.ParseStats;
import pinreplay.format.parse.RecordingHeader;
import pinreplay.format.parse.TraceParser;

/**
 * A real {@code trace-cmd report} replays as the recorder's text of the same run: {@code scripts/kernel-lab.sh
 * --tracecmd} ran {@code trace-cmd record} beside {@code pinreplay record} (the same events, probes, filters, clock
 * and buffer, in the top instance), and {@code traces/real/RELEASE/NAME-tracecmd.txt} is the host's report of its
 * trace.dat, {@code NAME-tracecmd-ftrace.txt} the recorder's text. From the report's first event on (trace-cmd traced
 * from the program's start, the recorder from its shell's), every call has the same result, recorded result and
 * agreement, and the same findings, in the same order. Line numbers and times differ (each instance's buffer stamps
 * an event itself), and so do a finding's handle and text (they name lines, and files the model numbers as it meets
 * them: the recorder's shell opened some before the program started).
 */
class TraceCmdReportFixturesTest {
    private static final Path REAL = Path.of("..", "traces", "real");
    private static final Pattern TS = Pattern.compile("\"ts\":([0-9.]+),");
    private static final Pattern EVENT_TS = Pattern.compile("\\s(\\d+\\.\\d{6,9}):\\s");

    @TestFactory
    Stream<DynamicTest> reportReplaysAsTheRecordersTextOfItsRun() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> releases = Files.list(REAL)) {
            for (Path dir : releases.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> traces = Files.list(dir)) {
                    for (Path report : traces.filter(p -> p.toString().endsWith("-tracecmd.txt")).sorted().toList()) {
                        String name = report.getFileName().toString();
                        Path twin = dir.resolve(name.replace("-tracecmd.txt", "-tracecmd-ftrace.txt"));
                        tests.add(DynamicTest.dynamicTest(dir.getFileName() + "/" + name,
                                () -> sameResults(report, twin)));
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no trace-cmd report under " + REAL);
        return tests.stream();
    }

    private static void sameResults(Path report, Path twin) throws IOException {
        assertTrue(Files.exists(twin), "no recorder's text of the run beside " + report);
        // the report has no header: the release (and stable update) the recorder's header names
        String kernel;
        try (Stream<String> lines = Files.lines(twin, StandardCharsets.ISO_8859_1)) {
            kernel = lines.limit(3).map(RecordingHeader::releaseOf).filter(r -> r != null).findFirst().orElseThrow();
        }
        Run r = Run.of("", "replay", report.toString(), "--kernel", kernel, "--format", "jsonl");
        Run t = Run.of("", "replay", twin.toString(), "--kernel", kernel, "--format", "jsonl");
        assertTrue(r.code() < 2, r.err());
        List<String> fromReport = judged(r.out(), 0);
        List<String> fromTwin = judged(t.out(), firstEvent(report) - 0.0001);
        assertTrue(fromReport.stream().anyMatch(l -> l.contains("\"observed\"")), "no recorded result in " + report);
        assertEquals(String.join("\n", fromTwin), String.join("\n", fromReport), report + " against " + twin);
    }

    /**
     * Every event the recorder's text of the run decodes, the report decodes too: libtraceevent prints the same
     * tracepoints from their print fmt, probes with bare addresses and syscalls with their own names, so no event
     * of the report is unknown unless the recorder's text has it unknown as well.
     */
    @TestFactory
    Stream<DynamicTest> reportDecodesWhatTheRecordersTextDecodes() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> releases = Files.list(REAL)) {
            for (Path dir : releases.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> traces = Files.list(dir)) {
                    for (Path report : traces.filter(p -> p.toString().matches(".*-tracecmd(-[lt])?\\.txt")).sorted().toList()) {
                        String name = report.getFileName().toString();
                        Path twin = dir.resolve(name.replaceAll("-tracecmd(-[lt])?\\.txt$", "-tracecmd-ftrace.txt"));
                        tests.add(DynamicTest.dynamicTest(dir.getFileName() + "/" + name, () -> {
                            SortedMap<String, Long> unknown = new TreeMap<>(unknown(report));
                            unknown.keySet().removeAll(unknown(twin).keySet());
                            assertEquals(new TreeMap<>(), unknown, "unknown in " + report + ", decoded in " + twin);
                        }));
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no trace-cmd report under " + REAL);
        return tests.stream();
    }

    /** The events a trace holds that the parser does not decode, by name. */
    private static SortedMap<String, Long> unknown(Path trace) throws IOException {
        try (var in = Files.newByteChannel(trace, StandardOpenOption.READ)) {
            ParseStats stats = new TraceParser(trace.toString(), new EventWriter((b, n) -> { }), false).parse(in);
            return stats.unknownEvents();
        }
    }

    /** The report's first event's timestamp. */
    private static double firstEvent(Path report) throws IOException {
        try (Stream<String> lines = Files.lines(report, StandardCharsets.ISO_8859_1)) {
            return lines.map(EVENT_TS::matcher).filter(Matcher::find).mapToDouble(m -> Double.parseDouble(m.group(1)))
                    .findFirst().orElseThrow();
        }
    }

    /** The replay's lines from timestamp {@code from} on, without line numbers, times, handles and details. */
    private static List<String> judged(String jsonl, double from) {
        return jsonl.lines().filter(l -> {
            Matcher m = TS.matcher(l);
            return !m.find() || Double.parseDouble(m.group(1)) >= from;
        }).map(l -> l.replaceAll("\"(line|ts|latency_us|measured_us)\":[^,]*,", "")
                .replaceAll(",\"(handle|detail)\":\"[^\"]*\"", "")).toList();
    }
}
