package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import pinreplay.campaign.Json;

/**
 * The outcome records (docs/replay.md) through {@code replay --format jsonl}, each line read with a JSON parser: the fields of
 * every record kind, their units, the order (a waiting call is reported when it completes, with the
 * line where it started) and the exit codes.
 */
class OutcomeRecordsCliTest {
    private static String trace(String name) throws IOException {
        return Files.readString(Path.of("../traces", name));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> records(Run run) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            Map<String, Object> rec = (Map<String, Object>) Json.parse(line);
            assertTrue(rec.get("line") instanceof Long && rec.get("pid") instanceof Long, line);
            assertTrue(rec.get("ts") instanceof BigDecimal, "ts is seconds with decimals: " + line);
            out.add(rec);
        }
        return out;
    }

    private static Map<String, Object> at(List<Map<String, Object>> recs, long line) {
        return recs.stream().filter(r -> r.get("line").equals(line)).findFirst().orElseThrow();
    }

    @Test
    void aWaitingTruncateIsReportedWhenItCompletesWithItsStartingLine() throws IOException {
        // dax-truncate=wait (xfs 4.18, ext4 4.19): the truncate on line 15 waits for the O_DIRECT read's pins (on
        // 6.1.y the completion would not wake it: see aTruncateTheCompletionNeverWakesIsAStallWithItsCause)
        Run run = Run.of(trace("dio-dax-truncate.txt"), "replay", "-", "--kernel", "5.10", "--format", "jsonl");
        assertEquals(ExitCodes.OK, run.code(), run.out() + run.err());
        List<Long> lines = new ArrayList<>();
        List<Map<String, Object>> recs = records(run);
        recs.forEach(r -> lines.add((Long) r.get("line")));
        assertEquals(List.of(9L, 10L, 11L, 12L, 13L, 17L, 15L, 19L), lines, run.out());
        Map<String, Object> truncate = at(recs, 15);
        assertEquals("ftruncate", truncate.get("event"));
        assertEquals(0L, truncate.get("result"));
        assertEquals(new BigDecimal("200.000200"), truncate.get("ts"), "the call's own timestamp");
        double waited = ((BigDecimal) truncate.get("latency_us")).doubleValue();
        assertTrue(waited >= 4000 && waited < 4100, "microseconds from 200.000200 to 200.004200: " + waited);
        assertEquals(65536L, at(recs, 19).get("result"), "dio_complete returns the bytes");
    }

    @Test
    void aTruncateNeverReleasedIsAStallThatIsAFindingWhenFailOnNamesIt() throws IOException {
        String[] args = {"replay", "-", "--kernel", "4.19", "--policy", "longterm-fsdax=allow", "--format", "jsonl",
            "--fail-on", "violation,divergence,stall"};
        Run run = Run.of(trace("dax-truncate-longterm-stall.txt"), args);
        assertEquals(ExitCodes.FINDINGS, run.code(), "a stall is a finding when named: " + run.out());
        List<Map<String, Object>> recs = records(run);
        Map<String, Object> stall = recs.get(recs.size() - 1);
        assertEquals(Map.of("line", 11L, "ts", new BigDecimal("300.100000"), "pid", 7200L, "stall", "ftruncate",
                "waiting_on", List.of("mr0"), "blocked_us", new BigDecimal("2000000.000"), "cause", "pins-held"), stall);
        Run byDefault = Run.of(trace("dax-truncate-longterm-stall.txt"), "replay", "-", "--kernel", "4.19",
                "--policy", "longterm-fsdax=allow");
        assertEquals(ExitCodes.OK, byDefault.code(), "the contract's exit 1 is for violations and divergences");
    }

    @Test
    void aTruncateTheCompletionNeverWakesIsAStallWithItsCause() throws IOException {
        Run run = Run.of(trace("dio-dax-truncate.txt"), "replay", "-", "--kernel", "6.1", "--format", "jsonl",
                "--fail-on", "stall");
        assertEquals(ExitCodes.FINDINGS, run.code(), run.out() + run.err());
        Map<String, Object> stall = records(run).stream().filter(r -> r.containsKey("stall")).findFirst().orElseThrow();
        assertEquals(15L, stall.get("line"));
        assertEquals("dax-wakeup-missed", stall.get("cause"));
        assertTrue(((String) stall.get("detail")).contains("__bio_release_pages()"), stall.toString());
        Run ideal = Run.of(trace("dio-dax-truncate.txt"), "replay", "-", "--kernel", "6.1", "--policy",
                "dax-truncate-wakeup=ideal", "--format", "jsonl", "--fail-on", "stall");
        assertEquals(ExitCodes.OK, ideal.code(), ideal.out());
    }

    @Test
    void aViolationNamesItsKindHandleAndDetailAndExitsOne() throws IOException {
        Run run = Run.of(trace("vfio-pfnmap-bar.txt"), "replay", "-", "--format", "jsonl");
        assertEquals(ExitCodes.FINDINGS, run.code(), run.out());
        Map<String, Object> v = records(run).stream().filter(r -> r.containsKey("violation")).findFirst().orElseThrow();
        assertEquals("iommu-outlives-mapping", v.get("violation"));
        assertEquals("bar0", v.get("handle"));
        assertEquals("munmap", v.get("event"));
        assertTrue(((String) v.get("detail")).contains("bar0"), v.toString());
        Run onlyDivergence = Run.of(trace("vfio-pfnmap-bar.txt"), "replay", "-", "--fail-on", "divergence");
        assertEquals(ExitCodes.OK, onlyDivergence.code(), onlyDivergence.out());
    }

    @Test
    void usageErrorsExitTwoAndBadInputThreeWithFileAndLine() {
        assertEquals(ExitCodes.USAGE, Run.of("", "replay", "-", "--kernel", "banana").code());
        Run malformed = Run.of("  a-1 [000] .... 1.000001: mmap: addr=zz len=0x1000 prot=rw flags=private\n",
                "replay", "-");
        assertEquals(ExitCodes.BAD_INPUT, malformed.code());
        assertTrue(malformed.err().contains("<stdin>:1: expected"), malformed.err());
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "replay", "/nonexistent/trace.txt").code());
    }
}
