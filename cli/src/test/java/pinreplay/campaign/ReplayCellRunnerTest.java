package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import pinreplay.campaign.spec.Expectation;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.TraceSpec;
import pinreplay.cli.InputException;
import pinreplay.cli.Main;

class ReplayCellRunnerTest {
    private static final Path STALL = Path.of("../traces/dax-truncate-longterm-stall.txt");

    @TempDir
    Path tmp;

    private static Cell cell(TraceSpec t, String kernel, Map<String, String> policies, List<String> injects) {
        return new Cell(0, "c", t, kernel, new PolicySet("p", policies), new InjectorSet("i", injects), 3,
                Expectation.NONE);
    }

    /** What {@code pinreplay ARGS} prints, run as the CLI runs it, then its exit code. */
    private static String replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cl = Main.commandLine(java.io.InputStream.nullInputStream(), out);
        cl.setErr(new PrintWriter(new StringWriter(), true));
        int code = cl.execute(args);
        return out.toString(StandardCharsets.UTF_8) + "exit " + code;
    }

    @Test
    void aCellGivesTheRecordsAndExitCodeOfItsReplayCommand() throws Exception {
        Path dio = Path.of("../traces/dio-dax-truncate.txt");
        TraceSpec t = new TraceSpec("dio", dio, null, Map.of(), 0, 0);
        ReplayCellRunner r = new ReplayCellRunner();
        PreparedTrace p = r.prepare(t, tmp);
        Cell c = cell(t, "6.1", Map.of("dax-truncate", "wait"), List.of("eagain:fail-nth=1"));
        CellResult res = r.run(c, p);

        assertEquals(replay("replay", dio.toString(), "--kernel", "6.1", "--policy", "dax-truncate=wait",
                "--inject", "eagain:fail-nth=1", "--seed", "3", "--format", "jsonl"),
                String.join("\n", res.records()) + "\nexit " + res.exitStatus());
        assertEquals(0, res.exitStatus(), "6.1's sleeping truncate is a stall, which replay's default --fail-on leaves out");
        assertEquals(1, res.outcomes().stalls().size());
        assertEquals(res.records().stream().filter(l -> l.contains("\"latency_us\"")).count(), res.outcomes().calls());
    }

    @Test
    void cellLatencyIsTheReplaysHistogramSoAFreeCallCountsAsOneNanosecondAsInHgrm() throws Exception {
        TraceSpec t = new TraceSpec("stall", STALL, null, Map.of(), 0, 0);
        ReplayCellRunner r = new ReplayCellRunner();
        CellResult res = r.run(cell(t, "4.14", Map.of(), List.of()), r.prepare(t, tmp));
        Histogram file = res.latency().get("file");
        assertEquals(1, file.getMinValue(), "the cost model charges nothing for the file event; --hgrm records 1 ns");
        Path hgrm = tmp.resolve("h.hgrm");
        replay("replay", STALL.toString(), "--kernel", "4.14", "--hgrm", hgrm.toString());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        file.outputPercentileDistribution(new java.io.PrintStream(expected, true, StandardCharsets.UTF_8), 5, 1000.0);
        assertTrue(Files.readString(hgrm).contains(expected.toString(StandardCharsets.UTF_8)),
                "the campaign's histogram is the one --hgrm writes");
    }

    @Test
    void aSynthesizedTraceIsWrittenOnceAsSynthWouldWriteIt() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("fs", "ext4");
        TraceSpec t = new TraceSpec("vfio", null, "qemu-vfio", params, 7, 500);
        PreparedTrace p = new ReplayCellRunner().prepare(t, tmp);
        assertEquals(replay("synth", "qemu-vfio", "--param", "fs=ext4", "--seed", "7", "--events", "500"),
                Files.readString(p.text()) + "exit 0");
    }

    @Test
    void aTraceThatDoesNotParseFailsToPrepareAndSaysWhere() throws Exception {
        Path bad = tmp.resolve("t.trace");
        Files.writeString(bad, "# tracer: nop\nnot an event\n");
        TraceSpec t = new TraceSpec("t", bad, null, Map.of(), 0, 0);
        RuntimeException e = assertThrows(RuntimeException.class, () -> new ReplayCellRunner().prepare(t, tmp));
        assertTrue(e.getMessage().startsWith(bad + ":2: expected an event line"), e.getMessage());
    }

    @Test
    void anUnknownScenarioIsAnInputError() {
        TraceSpec t = new TraceSpec("t", null, "no-such-scenario", Map.of(), 1, 0);
        InputException e = assertThrows(InputException.class, () -> new ReplayCellRunner().prepare(t, tmp));
        assertFalse(e.getMessage().isBlank());
    }
}
