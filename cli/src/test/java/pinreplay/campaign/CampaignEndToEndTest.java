package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import pinreplay.format.parse.TraceParser;

class CampaignEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void smallCampaignWritesEveryOutputWithTheRightCounts() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path out = tmp.resolve("out");
        FakeCellRunner runner = TestCampaigns.runner();
        StringWriter err = new StringWriter();
        int code = TestCampaigns.campaign(runner, err, spec.toString(), "--out", out.toString(), "--jobs", "2");

        assertEquals(1, code, "failing cells make exit code 1: " + err);
        assertEquals(2, runner.prepared(), "each trace is prepared once, not once per cell");

        // JUnit XML, read back with the JDK's parser.
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        Element suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("32", suite.getAttribute("tests"));
        assertEquals("8", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        assertEquals(32, doc.getElementsByTagName("testcase").getLength());
        assertEquals(8, doc.getElementsByTagName("failure").getLength());
        NodeList flaky = doc.getElementsByTagName("flakyFailure");
        assertEquals(1, flaky.getLength());
        assertEquals(TestCampaigns.FLAKY, ((Element) flaky.item(0).getParentNode()).getAttribute("name"));
        assertEquals(8, doc.getElementsByTagName("rerunFailure").getLength(), "each failing cell was rerun once");

        // TAP 13 as kselftest prints it.
        List<String> tap = TestCampaigns.lines(out.resolve("results.tap"));
        assertEquals("TAP version 13", tap.get(0));
        assertEquals("1..32", tap.get(1));
        assertEquals(8, tap.stream().filter(l -> l.startsWith("not ok ")).count());
        assertEquals(24, tap.stream().filter(l -> l.startsWith("ok ")).count());
        assertEquals(8, tap.stream().filter(l -> l.contains(" # XFAIL expected dma-into-reallocated-block")).count());
        assertEquals("# Totals: pass:16 fail:8 xfail:8 xpass:0 skip:0 error:0", tap.get(tap.size() - 1));
        assertTrue(tap.contains("  ---") && tap.contains("  ..."), "failures carry YAML diagnostics");

        // JSON summary.
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        assertEquals(Map.of("pass", 15L, "xfail", 8L, "flaky", 1L, "fail", 8L, "error", 0L), summary.get("totals"));
        assertEquals(32L, summary.get("cells_total"));
        assertEquals(1L, summary.get("exit_code"));

        // Per-cell records, interval log and percentile distributions.
        String failing = "vfio-synth.4.14.wait.migrate.s2";
        Path cell = out.resolve("cells").resolve(failing);
        List<String> records = TestCampaigns.lines(cell.resolve("records.jsonl.gz"));
        assertEquals(61, records.size(), "60 calls and one violation");
        assertTrue(records.stream().anyMatch(r -> r.contains("\"violation\":\"dma-into-reallocated-block\"")));
        HistogramLogReader hlog = new HistogramLogReader(cell.resolve("latency.hlog").toFile());
        long total = 0;
        int intervals = 0;
        for (EncodableHistogram h; (h = hlog.nextIntervalHistogram()) != null; ) {
            intervals++;
            total += ((org.HdrHistogram.Histogram) h).getTotalCount();
        }
        hlog.close();
        assertEquals(4, intervals, "one interval per event kind: fault, vfio_dma_map, ftruncate, dma_write");
        assertEquals(60, total);
        assertTrue(Files.readString(cell.resolve("fault.hgrm")).contains("Value     Percentile TotalCount 1/(1-Percentile)"));

        // The minimized reproducer: 3 of 60 events.
        List<String> repro = TestCampaigns.lines(out.resolve("repro").resolve(failing + ".trace"));
        assertEquals(3, repro.stream().filter(TraceParser::isEventLine).count());
        assertTrue(repro.get(2).startsWith("# reproduce: ./pinreplay replay repro/" + failing + ".trace --kernel 4.14 "
                + "--policy dax-truncate=wait --inject migrate:probability=100,times=1 --seed 2"));

        // The HTML report: self-contained, with the matrix, the plots and the reproduce commands.
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<table class=\"matrix\">"));
        assertTrue(html.contains("<td class=\"fail\"><b>0/8</b> ok"), "vfio-synth on 4.14: 8 failing cells");
        assertTrue(html.contains("<td class=\"flaky\"><b>8/8</b> ok"), "qemu-fsdax on 6.1 holds the flaky cell");
        assertEquals(4, html.split("<svg ", -1).length - 1, "one plot per event kind");
        assertTrue(html.contains("<polyline"));
        assertTrue(html.contains("./pinreplay synth qemu-vfio --param fs=ext4 --param share=on --seed 7 --events 60 | "
                + "./pinreplay replay - --kernel 4.14"));
        assertTrue(html.contains("freed by truncate or punch-hole"), "violations come with their explanation");
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains(" src="), "nothing external");
    }

    @Test
    void twoRunsWriteIdenticalBytesWhateverTheJobCount() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", tmp.resolve("a").toString(), "--jobs", "1");
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", tmp.resolve("b").toString(), "--jobs", "4");
        assertEquals(TestCampaigns.files(tmp.resolve("a")), TestCampaigns.files(tmp.resolve("b")));
    }

    @Test
    void badSpecIsExitCodeTwoWithTheLineAndKeyPath() throws Exception {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, "kernels: [\"6.1\"]\ntraces: []\n");
        StringWriter err = new StringWriter();
        assertEquals(2, TestCampaigns.campaign(new FakeCellRunner(), err, spec.toString()));
        assertTrue(err.toString().contains("bad.yaml:2: traces: expected at least one trace, got an empty list"), err.toString());
    }
}
