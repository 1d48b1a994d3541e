package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.bench.MixedTrace;

/** The steady state of parsing allocates nothing per line (measured, not timed). */
class ParserAllocationTest {
    private static final int LINES = 10_000;
    private static final int PASSES = 20;

    @Test
    void parsingAllocatesNothingPerLineAfterWarmUp() throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] text = MixedTrace.lines(LINES);
        for (int i = 0; i < 3; i++) {
            parser().parse(MixedTrace.repeat(text, PASSES));
        }
        TraceParser parser = parser();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        ParseStats stats = parser.parse(MixedTrace.repeat(text, PASSES));
        long allocated = mx.getThreadAllocatedBytes(tid) - before;

        long lines = (long) LINES * PASSES;
        assertEquals(lines, stats.lines());
        assertEquals(0, stats.malformed());
        assertTrue(stats.records(EventType.VFIO_DMA_MAP) > 0 && stats.records(EventType.UNKNOWN) > 0);
        assertTrue(allocated < lines / 20,
                allocated + " bytes allocated for " + lines + " lines: the per-line path allocates");
    }

    private static TraceParser parser() {
        return new TraceParser("alloc", new EventWriter((block, length) -> { }), false);
    }
}
