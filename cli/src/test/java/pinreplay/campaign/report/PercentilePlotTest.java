package pinreplay.campaign.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PercentilePlotTest {
    @Test
    void quarterTicksArePrintedExactly() {
        assertEquals("0.25", PercentilePlot.number(0.25));
        assertEquals("0.75", PercentilePlot.number(0.75));
        assertEquals("375", PercentilePlot.number(375));
        assertEquals("1.25", PercentilePlot.number(1.25));
        assertEquals("0", PercentilePlot.number(0));
    }

    @Test
    void releasesWithTheSameLatenciesStayVisibleAsNestedLines() {
        Map<String, Histogram> series = new LinkedHashMap<>();
        for (String k : new String[] {"4.14", "6.1", "6.15"}) {
            Histogram h = new Histogram(3);
            h.recordValue(350); // 0.35 us
            series.put(k, h);
        }
        String svg = PercentilePlot.svg("dma_read", series);
        assertTrue(svg.contains("stroke-width=\"5.1\""), svg);
        assertTrue(svg.contains("stroke-width=\"3.3\""));
        assertTrue(svg.contains("stroke-width=\"1.5\""), "the last release is drawn thinnest, on top");
        assertTrue(svg.contains(">0.25</text>"), "y ticks of a 1 us axis");
    }

    @Test
    void coincidingLinesAreLabelledWithEveryReleaseTheyStandFor() {
        Map<String, Histogram> series = new LinkedHashMap<>();
        for (String k : new String[] {"4.14", "5.10", "6.1", "6.15"}) {
            Histogram h = new Histogram(3);
            h.recordValue(k.equals("6.15") ? 900 : 350);
            series.put(k, h);
        }
        assertEquals(java.util.List.of(java.util.List.of("4.14", "5.10", "6.1")), PercentilePlot.coinciding(series));
        String svg = PercentilePlot.svg("dma_read", series);
        assertTrue(svg.contains("text-anchor=\"end\">4.14 = 5.10 = 6.1</text>"), svg);
        assertTrue(!svg.contains("= 6.15"), "a line of its own needs no label");
    }
}
