package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import pinreplay.format.bench.MixedTrace;

/** parse -> FtracePrinter -> parse gives byte-identical blocks, for every sample and all of them together. */
class RoundTripTest {
    static final List<String> SAMPLES = List.of("a01-mmap-lock-function.txt", "a02-filemap-new.txt",
            "a03-filemap-old-tgid.txt", "a04-writeback-4x.txt", "a05-kprobe-kretprobe.txt", "a06-modern-header.txt",
            "a07-trace-pipe-bh.txt", "a08-tgid-header.txt", "a09-trace-cmd-report.txt", "a10-latency-format.txt",
            "a11-function-tracer.txt", "a12-function-graph.txt", "a13-fprobe-wprobe.txt", "a14-preempt-rt.txt", "native.txt",
            "layouts.txt", "probes.txt");

    private static void assertRoundTrip(String text) {
        Parsed first = Parsed.of(text);
        Parsed second = Parsed.of(first.ftrace());
        assertEquals(first.blockSizes, second.blockSizes);
        assertArrayEquals(first.blocks, second.blocks);
        assertEquals(first.ftrace(), second.ftrace(), "printing is stable");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void eachSampleRoundTripsToIdenticalBlocks(String sample) {
        assertRoundTrip(Parsed.sample(sample));
    }

    static List<String> samples() {
        return SAMPLES;
    }

    @Test
    void allSamplesConcatenatedRoundTrip() {
        StringBuilder all = new StringBuilder();
        for (String s : SAMPLES) {
            all.append(Parsed.sample(s));
        }
        assertRoundTrip(all.toString());
    }

    @Test
    void aTraceSpanningSeveralBlocksRoundTrips() {
        String text = new String(MixedTrace.lines(8_000), java.nio.charset.StandardCharsets.US_ASCII);
        Parsed p = Parsed.of(text);
        assertTrue(p.blockSizes.size() > 1, "more than one 256 KiB block");
        assertRoundTrip(text);
    }

    @Test
    void kernelLayoutPrintsBackByteForByte() {
        for (String s : List.of("native.txt", "a06-modern-header.txt", "a02-filemap-new.txt", "probes.txt")) {
            String text = Parsed.sample(s);
            assertEquals(text, Parsed.of(text).ftrace(), s);
        }
        String a1 = Parsed.sample("a01-mmap-lock-function.txt");
        assertEquals(a1.substring(0, a1.length() - 1), Parsed.of(a1).ftrace(),
                "identical but for the trailing blank line, which no record carries");
    }

    @Test
    void lineNumbersSurviveThroughBlankLines() {
        Parsed p = Parsed.of("\n\n  a-1 [000] .... 1.000001: put_page: handle=h\n\n\n# c\n");
        assertEquals("\n\n               a-1       [000] ....     1.000001: put_page: handle=h\n\n\n# c\n", p.ftrace());
    }
}
