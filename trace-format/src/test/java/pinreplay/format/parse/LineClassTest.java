package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;

class LineClassTest {
    private static final String EVENT = "qemu-4242 [001] ..... 100.000001: fault: addr=0x1000 write=1";

    @Test
    void eventLinesAreTheLinesTheParserRecordsAsMoreThanAComment() {
        for (String kept : List.of("", "   ", "# tracer: nop", "version = 6", "cpus=4", "CPU 3 is empty",
                "CPU:2 [EVENTS DROPPED]", "CPU:0 [SUBBUFFER START]")) {
            assertFalse(TraceParser.isEventLine(kept), kept);
            Parsed p = Parsed.of(kept + "\n");
            assertTrue(p.events.stream().allMatch(e -> e.type() == EventType.COMMENT), kept);
        }
        assertTrue(TraceParser.isEventLine(EVENT));
        assertTrue(TraceParser.isEventLine("CPU:1 [LOST 12 EVENTS]"));
        assertEquals(EventType.LOST_EVENTS, Parsed.of("CPU:1 [LOST 12 EVENTS]\n").events.get(0).type());
    }

    @Test
    void contextIsTaskPidAndCpuAsTheParserFindsThem() {
        assertTrue(TraceParser.hasContext(EVENT));
        assertTrue(TraceParser.hasContext("  jbd2/sda16-8-587 (  587) [003] 5.000000: fault: addr=0x1"));
        assertFalse(TraceParser.hasContext("fault: addr=0x1000 write=1"));
        assertFalse(TraceParser.hasContext("break violation dma-after-free"));
    }
}
