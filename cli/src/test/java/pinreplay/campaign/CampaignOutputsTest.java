package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.campaign.spec.TraceSpec;

/** What a campaign keeps, how it writes it, what it says on a non-terminal, and a cell that never ends. */
class CampaignOutputsTest {
    @TempDir
    Path tmp;

    private static long count(Path cells, String file) throws Exception {
        try (Stream<Path> dirs = Files.list(cells)) {
            return dirs.filter(d -> Files.exists(d.resolve(file))).count();
        }
    }

    @Test
    void recordsAreKeptGzippedForCellsThatDidNotPassAndForAllOnlyWithKeepAll() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        TestCampaigns.campaign(TestCampaigns.runner(), err, spec.toString(), "--out", out.toString());
        @SuppressWarnings("unchecked")
        Map<String, Long> totals = (Map<String, Long>) ((Map<String, Object>) Json.parse(
                Files.readString(out.resolve("summary.json")))).get("totals");
        long notPassing = 32 - totals.get("pass");
        Path cells = out.resolve("cells");
        assertEquals(32, count(cells, "latency.hlog"), "every cell keeps its latency log");
        assertEquals(notPassing, count(cells, "records.jsonl.gz"), "records only for cells that did not pass");
        assertEquals(0, count(cells, "records.jsonl"));
        try (Stream<Path> all = Files.walk(out)) {
            assertFalse(all.anyMatch(p -> p.toString().endsWith(".tmp") || p.toString().contains(".pinreplay-writing")
                    || p.toString().endsWith(".old")), "nothing half-written is left");
        }
        // stderr is no terminal here: a line per cell that did not pass, none for the passing ones
        long progress = err.toString().lines().filter(l -> l.startsWith("[")).count();
        assertEquals(totals.get("fail") + totals.get("error") + totals.get("flaky"), progress, err.toString());

        Path all = tmp.resolve("all");
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", all.toString(), "--keep", "all");
        assertEquals(32, count(all.resolve("cells"), "records.jsonl.gz"));
        List<String> records = TestCampaigns.lines(all.resolve("cells").resolve("qemu-fsdax.6.1.default.none.s2")
                .resolve("records.jsonl.gz"));
        assertEquals(200, records.size(), "the passing cell's 200 call records, gunzipped");
    }

    @Test
    void aRunIntoAnEarlierOutputReplacesItWhole() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path out = tmp.resolve("out");
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", out.toString(), "--keep", "all");
        Files.writeString(out.resolve("notes.txt"), "mine");
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", out.toString(), "--shard", "1/4");
        assertEquals(8, count(out.resolve("cells"), "latency.hlog"), "no stale cell of the first run");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "other files stay");
    }

    /** A runner whose cells of one kernel never return until the test ends. */
    static final class HangingRunner implements CellRunner {
        final FakeCellRunner fake = new FakeCellRunner("4.14");
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public PreparedTrace prepare(TraceSpec trace, Path workDir) throws java.io.IOException {
            return fake.prepare(trace, workDir);
        }

        @Override
        public CellResult run(Cell cell, PreparedTrace trace) {
            if (cell.id().equals("qemu-fsdax.6.1.wait.none.s1")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return fake.run(cell, trace);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a safety net against the hang it checks, not a speed check
    void aCellThatNeverEndsIsAnErrorAndTheCampaignGoesOn() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path out = tmp.resolve("out");
        HangingRunner runner = new HangingRunner();
        StringWriter err = new StringWriter();
        int code = TestCampaigns.campaign(runner, err, spec.toString(), "--out", out.toString(), "--cell-timeout", "1",
                "--jobs", "2");
        runner.release.countDown();
        assertEquals(1, code, err.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cells = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(
                Files.readString(out.resolve("summary.json")))).get("cells");
        assertEquals(32, cells.size(), "every other cell ran");
        Map<String, Object> hung = cells.stream().filter(c -> c.get("id").equals("qemu-fsdax.6.1.wait.none.s1"))
                .findFirst().orElseThrow();
        assertEquals("error", hung.get("status"));
        assertTrue(hung.get("diagnostics").toString().contains("did not end within 1 s"), hung.toString());
        assertTrue(err.toString().contains("qemu-fsdax.6.1.wait.none.s1: error"), err.toString());
    }
}
