package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The campaign's reports say each pattern once: the HTML groups violations by trace and kind and the other
 * failures by trace and reasons, each group with its count and one reproducer; JUnit reports an expected
 * failure as skipped, with what was expected.
 */
class ReportGroupsTest {
    private static final String VFIO_REPRO = "<code>./pinreplay replay repro/vfio-synth.4.14.default.none.s1.trace "
            + "--kernel 4.14</code>";

    @TempDir
    Path tmp;

    private Path run() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(1, TestCampaigns.campaign(TestCampaigns.runner(), TestCampaigns.write(tmp.resolve("spec")).toString(),
                "--out", out.toString()));
        return out;
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @Test
    void eightCellsWithOneViolationOnOneTraceAreOneRowWithOneReproducer() throws Exception {
        String html = Files.readString(run().resolve("report.html"));
        assertEquals(1, count(html, "<tr><td>vfio-synth</td><td>dma-into-reallocated-block</td><td>8 "
                + "<span class=\"badge fail\">8 fail</span><details>"), html);
        assertEquals(1, count(html, VFIO_REPRO), "one reproducer for the eight cells");
        assertTrue(html.contains("<td>kernels 4.14; policies default, wait; injectors none, migrate</td><td>8 findings; "
                + "line 48 [ram]: DMA write into a DAX block freed by ftruncate and reallocated</td>"), html);
        assertEquals(1, count(html, "<a href=\"#vfio-synth.4.14.wait.migrate.s2\">"), "each cell listed in its group");
        assertTrue(html.contains("<tr id=\"vfio-synth.4.14.wait.migrate.s2\">"), "and found in the table of all cells");
    }

    @Test
    void expectedViolationsAreFoldedAndFailuresNotExplainedByViolationsAreGroupedByReason() throws Exception {
        String html = Files.readString(run().resolve("report.html"));
        int folded = html.indexOf("<details><summary><b>Expected violations</b> (1 row, every cell xfail)</summary>");
        assertTrue(folded > 0, html);
        assertTrue(html.indexOf("<tr><td>qemu-fsdax</td><td>dma-into-reallocated-block</td><td>8 "
                + "<span class=\"badge xfail\">8 xfail</span>") > folded, html);
        String other = html.substring(html.indexOf("<h2>Other failures</h2>"), html.indexOf("<h2>All cells</h2>"));
        assertEquals(1, count(other, "<tr><td>"), other);
        assertTrue(other.contains("<td>flaky: unexpected violation unbalanced-unpin</td><td>1 <span class=\"badge flaky\">"
                + "1 flaky</span>"), other);
        assertTrue(other.contains("qemu-fsdax.6.1.default.none.s1: unexpected violation unbalanced-unpin (1x, first at "
                + "line 1, handle ram: scripted flake)"), "the failed run's reasons: " + other);
    }

    @Test
    void junitReportsAnExpectedFailureAsSkippedWithWhatWasExpected() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(run().resolve("junit.xml").toFile());
        assertEquals("8", doc.getDocumentElement().getAttribute("skipped"));
        NodeList skipped = doc.getElementsByTagName("skipped");
        assertEquals(8, skipped.getLength());
        for (int i = 0; i < skipped.getLength(); i++) {
            Element s = (Element) skipped.item(i);
            assertEquals("expected dma-into-reallocated-block", s.getAttribute("message"));
            assertTrue(((Element) s.getParentNode()).getAttribute("name").startsWith("qemu-fsdax.4.14."));
        }
    }
}
