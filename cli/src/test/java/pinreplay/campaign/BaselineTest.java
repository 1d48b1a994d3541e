package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {
    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> baselineSection(Path out) throws Exception {
        Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        return (Map<String, Object>) s.get("baseline");
    }

    @Test
    void baselineSaysWhatIsNewFixedAndStillFailingAndWhichPercentilesMoved() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path before = tmp.resolve("before");
        Path now = tmp.resolve("now");
        // Before: only 6.1 corrupts, so qemu-fsdax misses its expected violation on 4.14 and both traces fail on 6.1.
        TestCampaigns.campaign(new FakeCellRunner("6.1"), spec.toString(), "--out", before.toString());
        // Now: both corrupt, and every call is twice as slow.
        int code = TestCampaigns.campaign(new FakeCellRunner("4.14", "6.1").latencyScale(2), spec.toString(),
                "--out", now.toString(), "--baseline", before.toString());

        assertEquals(1, code, "new failures fail the run");
        Map<String, Object> b = baselineSection(now);
        assertEquals(8, ((List<?>) b.get("new_failures")).size(), "vfio-synth on 4.14");
        assertEquals(8, ((List<?>) b.get("fixed")).size(), "qemu-fsdax on 4.14 shows its expected violation again");
        assertEquals(16, ((List<?>) b.get("still_failing")).size(), "both traces on 6.1");
        List<Map<String, Object>> moves = (List<Map<String, Object>>) b.get("latency_moves");
        assertTrue(moves.size() > 0);
        assertTrue(moves.stream().allMatch(m -> ((java.math.BigDecimal) m.get("change_percent")).doubleValue() > 90),
                "latency doubled: every move is about +100%");
        String html = Files.readString(now.resolve("report.html"));
        assertTrue(html.contains("<span class=\"new\">8 new failures</span>, 8 fixed, 16 still failing"));
    }

    @Test
    void onlyStillFailingCellsAgainstTheBaselineExitZero() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path before = tmp.resolve("before");
        Path now = tmp.resolve("now");
        assertEquals(1, TestCampaigns.campaign(new FakeCellRunner("4.14"), spec.toString(), "--out", before.toString()));
        assertEquals(0, TestCampaigns.campaign(new FakeCellRunner("4.14"), spec.toString(), "--out", now.toString(),
                "--baseline", before.toString()));
        Map<String, Object> b = baselineSection(now);
        assertEquals(List.of(), b.get("new_failures"));
        assertEquals(8, ((List<?>) b.get("still_failing")).size());
        assertEquals(List.of(), b.get("latency_moves"), "same runner, same latencies");
    }
}
