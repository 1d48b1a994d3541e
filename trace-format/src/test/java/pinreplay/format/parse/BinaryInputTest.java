package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;

/**
 * A compressed file, trace-cmd's trace.dat or other binary input is refused at line 1 with what the file is and
 * how to get its text, lenient or not (no line of it is text: a lenient parse would skip it all and say nothing).
 */
class BinaryInputTest {
    private static final String TRACE = "# tracer: nop\n  a-1 [000] .... 1.000001: put_page: handle=h\n";
    private static final String EXPECTED = "t.txt:1: expected trace text (ftrace's trace or trace_pipe, trace-cmd"
            + " report), got ";

    private static long records(byte[] input, int threads, boolean lenient) throws IOException {
        EventWriter w = new EventWriter((b, n) -> { });
        var in = Channels.newChannel(new ByteArrayInputStream(input));
        if (threads == 0) {
            new TraceParser("t.txt", w, lenient).parse(in);
        } else {
            new ParallelParser("t.txt", w, lenient, threads, 64).parse(in);
        }
        return w.records();
    }

    private static String refusal(byte[] input, int threads, boolean lenient) {
        return assertThrows(TraceFormatException.class, () -> records(input, threads, lenient)).getMessage();
    }

    @ParameterizedTest
    @CsvSource({"0, false", "0, true", "2, false", "2, true"})
    void aGzippedTraceIsNamedWithHowToReadIt(int threads, boolean lenient) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(TRACE.repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(EXPECTED + "a gzip-compressed file: decompress it first (zcat FILE | pinreplay replay -)",
                refusal(gz.toByteArray(), threads, lenient));
    }

    @Test
    void traceCmdsTraceDatIsToldToBeReportedFirst() {
        byte[] dat = "\027\010\104tracing6\0\0\0\0\n\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(EXPECTED + "trace-cmd's binary trace.dat: print it as text first (trace-cmd report -i FILE >"
                + " FILE.txt)", refusal(dat, 0, true));
    }

    @Test
    void otherCompressorsAndBinariesAreNamed() {
        assertEquals(EXPECTED + "an xz-compressed file: decompress it first (xzcat FILE | pinreplay replay -)",
                refusal(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2}, 0, false));
        assertEquals(EXPECTED + "a zstd-compressed file: decompress it first (zstdcat FILE | pinreplay replay -)",
                refusal(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 4, '\n'}, 0, false));
        assertEquals(EXPECTED + "a bzip2-compressed file: decompress it first (bzcat FILE | pinreplay replay -)",
                refusal("BZh91AY&SY\n".getBytes(StandardCharsets.ISO_8859_1), 0, false));
        assertEquals(EXPECTED + "a perf.data file: pinreplay reads ftrace text (pinreplay record, or trace-cmd"
                + " record and report)", refusal("PERFILE2\0\0\0\n".getBytes(StandardCharsets.ISO_8859_1), 0, true));
        assertEquals(EXPECTED + "an ELF binary", refusal("\177ELF\2\1\1\0".getBytes(StandardCharsets.ISO_8859_1), 2,
                false));
    }

    @Test
    void aFirstLineLongerThanTheBufferIsCheckedToo() {
        byte[] zeros = new byte[3 << 20]; // no newline in the parser's 1 MiB buffer
        assertEquals(EXPECTED + "binary data (a NUL byte at offset 0)", refusal(zeros, 0, true));
    }

    @Test
    void aNulByteInALaterLineIsThatLinesBusinessOnly() throws IOException {
        String later = TRACE + "  a-1 [000] .... 1.000002: put_page: handle=%s\n";
        assertEquals(records(later.formatted("x").getBytes(StandardCharsets.UTF_8), 0, false),
                records(later.formatted("\0").getBytes(StandardCharsets.UTF_8), 0, false));
    }
}
