package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;

/**
 * Line ends: LF and CRLF are lines; a file whose lines end in CR alone (old Mac text) is refused at its
 * first line instead of being read as one long comment.
 */
class LineEndsTest {
    private static final String TRACE = "# tracer: nop\n#\n  a-1 [000] .... 1.000001: put_page: handle=h\n"
            + "  a-1 [000] .... 1.000002: put_page: handle=g\n";
    private static final String EXPECTED = "t.txt:1: expected lines ending in \\n or \\r\\n (this file ends them with a"
            + " carriage return alone: convert it with tr '\\r' '\\n'), got \"# tracer: nop?\"";

    private static long records(String text, int threads) throws IOException {
        EventWriter w = new EventWriter((b, n) -> { });
        var in = Channels.newChannel(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        if (threads == 0) {
            new TraceParser("t.txt", w, false).parse(in);
        } else {
            new ParallelParser("t.txt", w, false, threads, 64).parse(in);
        }
        return w.records();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void lfAndCrlfAreLines(int threads) throws IOException {
        assertEquals(4, records(TRACE, threads));
        assertEquals(4, records(TRACE.replace("\n", "\r\n"), threads));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void crOnlyLineEndsAreRefusedAtLineOne(int threads) {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> records(TRACE.replace("\n", "\r"), threads));
        assertEquals(EXPECTED, e.getMessage());
    }

    @Test
    void aCrOnlyFileLargerThanTheBufferIsRefusedTheSameWay() {
        String big = TRACE.replace("\n", "\r").repeat(40_000); // 4 MB without one LF
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> records(big, 0));
        assertEquals(EXPECTED, e.getMessage());
    }

    @Test
    void aCarriageReturnInsideALaterLineIsKept() throws IOException {
        assertEquals(5, records(TRACE + "# a comment with a \r inside\n", 0));
        assertEquals(5, records(TRACE + "# a comment with a \r inside\n", 2));
    }
}
