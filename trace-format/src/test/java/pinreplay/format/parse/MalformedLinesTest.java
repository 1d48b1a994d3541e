package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import pinreplay.format.EventReader;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;

/** Bad input: exact {@code FILE:LINE: expected ..., got ...} messages, strict and lenient behaviour. */
class MalformedLinesTest {
    private static final String CTX = "  a-1 [000] .... 1.000001: ";

    private static String strictError(String text) {
        return assertThrows(TraceFormatException.class, () -> Parsed.of(text)).getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "hello world|expected an event line TASK-PID [CPU] TIMESTAMP: EVENT: PAYLOAD, got \"hello world\"",
        "  a-1 [x] 1.000001: put_page: handle=h|expected [CPU], got \"[x]\"",
        "  a-1 (abc) [000] 1.000001: put_page: handle=h|expected (TGID), got \"(abc)\"",
        "  a-1 [000] ........ 1.000001: put_page: handle=h|expected irq flags (4 or 5 characters, 6 or 7 of PREEMPT_RT's) or TIMESTAMP:, got \"........\"",
        "  a-1 [000] .... 1.001: put_page: handle=h|expected TIMESTAMP: with 6 or 9 decimals or a raw counter, got \"1.001:\"",
        "  a-1 [000] .... 1.000001:|expected EVENT: after the timestamp, got \"\"",
        "  a-1234567890 [000] .... 1.000001: put_page: handle=h|expected a pid of at most 9 digits, got \"1234567890\"",
        "CPU:2 [LOST many EVENTS]|expected CPU:N [LOST M EVENTS], got \"CPU:2 [LOST many EVENTS]\"",
    })
    void malformedContextGivesTheExactMessage(String line, String expected) {
        assertEquals("t.txt:1: " + expected, strictError(line + "\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "put_page: dirty=1|expected handle= in a put_page event, got \"dirty=1\"",
        "put_page: handle=|expected a word for handle, got \"\"",
        "munmap: addr=0x1000 len=big|expected a number for len, got \"big\"",
        "munmap: addr=0x1000 4096|expected KEY=VALUE, got \"4096\"",
        "munmap: addr=0x1000 len=1 len=2|expected one len= per event, got \"len=2\"",
        "munmap: addr=0x1000 len=0x12345678901234567|expected a number for len, got \"0x12345678901234567\"",
        "'pin_user_pages: start=0x1000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_BOGUS'"
            + "|'expected FOLL_* names joined by | or a number for gup_flags, got \"FOLL_WRITE|FOLL_BOGUS\"'",
        "ftruncate: ino=1 size=0 ret=-EWHAT|expected a count or -ERRNO for ret, got \"-EWHAT\"",
        "dma_write: handle=h len=4096|expected iova= or offset= in a dma_write event, got \"handle=h len=4096\"",
        "tracing_mark_write: munmap: addr=0x1000|expected len= in a munmap event, got \"addr=0x1000\"",
        "madvise: addr=0x1000 len=0x1000|expected advice= in a madvise event, got \"addr=0x1000 len=0x1000\"",
        "madvise: addr=0x1000 len=0x1000 advice=dontneed locked=yes|expected a number for locked, got \"yes\"",
        "mmap: addr=0x40000000 len=0x1000 hugetlb=1 pagesize=1G|expected a number for pagesize, got \"1G\"",
        "madvise: addr=0x1000 len=0x1000 advice=dontneeed|expected a MADV_* name in lower case (dontneed, "
            + "populate_write, ...) or a number for advice, got \"dontneeed\"",
        "file: ino=1 fs=ext4 size=0123456789abcdef0123456789abcdef0123456789"
            + "|expected a number for size, got \"0123456789abcdef0123456789abcdef01234567...\"",
    })
    void malformedNativePayloadGivesTheExactMessage(String payload, String expected) {
        assertEquals("t.txt:1: " + expected, strictError(CTX + payload + "\n"));
    }

    /**
     * A line cut inside a native event's name (an interrupted copy of trace_pipe) is malformed, not a function tracer's
     * line passed through: the call it held would be lost without a word.
     */
    @Test
    void aLineCutInsideAnEventNameIsMalformed() {
        assertEquals("t.txt:2: expected EVENT: PAYLOAD (the line looks cut short), got \"vfio_dma_\"",
                strictError(CTX + "munmap: addr=0x1000 len=1\n" + CTX + "vfio_dma_\n"));
        assertEquals("t.txt:1: expected EVENT: PAYLOAD (the line looks cut short), got \"unpin_user_page\"",
                strictError(CTX + "unpin_user_page"));
        assertEquals(0, Parsed.of(CTX + "do_sys_open\n", false).stats.malformed(),
                "a function tracer's line without its parent (noprint-parent) is no event's name");
    }

    @Test
    void errorNamesTheLineNumber() {
        assertEquals("t.txt:3: expected a number for addr, got \"here\"",
                strictError("# c\n\n" + CTX + "munmap: addr=here len=1\n"));
    }

    @Test
    void lineLongerThanARecordIsMalformed() {
        String big = CTX + "unknown_event: " + "x".repeat(70_000);
        assertEquals("t.txt:1: expected a line of at most 65495 bytes, got 70042 bytes", strictError(big + "\n"));
        String huge = "#" + "y".repeat(3_000_000) + "\n" + CTX + "put_page: handle=h\n";
        Parsed p = Parsed.of(huge, true);
        assertEquals("t.txt:1: expected a line of at most 65495 bytes, got 3000001 bytes",
                p.stats.firstMalformed().get(0).message(), "a line longer than the read buffer");
        assertEquals(2, p.events.get(0).line());
    }

    @Test
    void tooManyFieldsIsMalformedNotACrash() {
        StringBuilder sb = new StringBuilder(CTX + "put_page: handle=h");
        for (int i = 0; i < 300; i++) {
            sb.append(" k").append(i).append('=').append(i);
        }
        assertEquals("t.txt:1: expected at most 256 fields, got \"k255=255 k256=256 k257=257 k258=258 k259...\"",
                strictError(sb + "\n"));
    }

    @Test
    void strictParseDeliversEveryEarlierEventBeforeFailing() throws IOException {
        List<Long> lines = new ArrayList<>();
        EventWriter w = new EventWriter(new EventReader(e -> lines.add(e.line())));
        TraceParser parser = new TraceParser("t.txt", w, false);
        String text = "# header\n" + CTX + "put_page: handle=a\n" + CTX + "put_page: handle=b bad\n"
                + CTX + "put_page: handle=c\n";
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> parser.parse(Parsed.chunked(Parsed.bytes(text), 1 << 20)));
        assertEquals("t.txt:3: expected KEY=VALUE, got \"bad\"", e.getMessage());
        assertEquals("t.txt", e.source());
        assertEquals(3, e.line());
        assertEquals(List.of(1L, 2L), lines);
    }

    @Test
    void lenientParseSkipsCountsAndKeepsTheFirstTenMessages() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append(CTX).append("munmap: addr=").append(i).append('\n');
            sb.append(CTX).append("put_page: handle=ok").append(i).append('\n');
        }
        Parsed p = Parsed.of(sb.toString(), true);
        assertEquals(12, p.stats.malformed());
        assertEquals(12, p.stats.records(EventType.PUT_PAGE));
        assertEquals(10, p.stats.firstMalformed().size());
        assertEquals(new ParseStats.Problem(3, "t.txt:3: expected len= in a munmap event, got \"addr=1\""),
                p.stats.firstMalformed().get(1));
        assertEquals(24, p.stats.lines());
    }

    @Test
    void aMalformedLineLeavesNoSymbolsBehind() {
        Parsed p = Parsed.of(CTX + "put_page: handle=ghost dirty=x\n"
                + "  b-2 [000] .... 1.000002: put_page: handle=kept\n", true);
        assertEquals(1, p.events.size());
        assertEquals("kept", p.events.get(0).sym("handle"));
        assertFalse(new String(p.blocks, java.nio.charset.StandardCharsets.ISO_8859_1).contains("ghost"));
    }
}
