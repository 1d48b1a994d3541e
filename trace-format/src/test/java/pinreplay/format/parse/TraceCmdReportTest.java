package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.format.Record;

/**
 * {@code trace-cmd report} pads each event name to 20 columns (libtraceevent print_event_name()) and
 * shows a trace_marker write as ftrace's {@code print} event: {@code print:  tracing_mark_write: TEXT}.
 */
class TraceCmdReportTest {
    private final Parsed p = Parsed.of(String.join("\n",
            "version = 6",
            "cpus=2",
            "           a.out-512   [000]    50.000000: print:                tracing_mark_write: mmap: addr=0x7f0000000000 len=0x1000 prot=rw flags=private",
            "           a.out-512   [000]    50.000001: tracing_mark_write:   munmap: addr=0x7f0000000000 len=0x1000",
            "           a.out-512   [000]    50.000002: vfio_dma_map:         handle=v1 vaddr=0x7f0000000000 iova=0x0 size=0x1000",
            "           a.out-512   [000]    50.000003: p_pin_user_pages_0:   (pin_user_pages+0x0/0xa0) start=0x7f0000000000 nr_pages=0x1 gup_flags=0x10001",
            "           a.out-512   [000]    50.000004: r_pin_user_pages_0:   (io_sqe_buffers_register+0x1a5/0x5d0 <- pin_user_pages) arg1=0x1",
            "           a.out-512   [000]    50.000005: sched_process_fork:   comm=a.out pid=512 child_comm=a.out child_pid=513",
            "           a.out-512   [000]    50.000006: print:                tracing_mark_write: phase two",
            "           a.out-512   [000]    50.000007: funcgraph_entry:        1.199 us   |    load_new_mm_cr3();",
            ""));

    @Test
    void printEventCarryingATraceMarkerIsTheNativeEvent() {
        Parsed.Ev e = p.atLine(3);
        assertEquals(EventType.MMAP, e.type());
        assertTrue(e.bit(Record.B_MARKER));
        assertEquals(0x7f0000000000L, e.num("addr"));
        Parsed.Ev text = p.atLine(9);
        assertEquals(EventType.UNKNOWN, text.type());
        assertEquals("tracing_mark_write", text.name());
        assertEquals("phase two", text.raw());
    }

    @Test
    void paddedEventNamesDecodeAsUnpadded() {
        assertEquals(EventType.MUNMAP, p.atLine(4).type());
        assertEquals(EventType.VFIO_DMA_MAP, p.atLine(5).type());
        assertEquals(EventType.PIN_USER_PAGES, p.atLine(6).type());
        assertEquals(0x10001, p.atLine(6).num("gup_flags"));
        assertEquals(EventType.KRETPROBE, p.atLine(7).type());
        assertEquals(1, p.atLine(7).num("ret"));
        assertEquals(EventType.SCHED_PROCESS_FORK, p.atLine(8).type());
        assertEquals(513, p.atLine(8).num("child_pid"));
    }

    @Test
    void probesShownAsBareAddressesAreKnownByTheirDefaultNames() {
        Parsed q = Parsed.of(String.join("\n",
                "           a.out-512   [000]    50.000003: p_pin_user_pages_fast_0: (ffffffff8123abc0) start=0x7f0000000000 nr_pages=0x1 gup_flags=0x10001",
                "           a.out-512   [000]    50.000004: r_pin_user_pages_fast_0: (ffffffff81aa0f35 <- ffffffff8123abc0) arg1=0x1",
                "           a.out-512   [000]    50.000005: r___gup_longterm_locked_0: (ffffffff81aa0f35 <- ffffffff8123abc0) arg1=0x1",
                ""));
        assertEquals(EventType.PIN_USER_PAGES_FAST, q.atLine(1).type());
        assertEquals("p_pin_user_pages_fast_0", q.atLine(1).sym("event_name"));
        assertEquals(EventType.KRETPROBE, q.atLine(2).type());
        assertEquals("pin_user_pages_fast", q.atLine(2).sym("func"));
        assertEquals(EventType.UNKNOWN, q.atLine(3).type());
    }

    @Test
    void paddingOfKeptPayloadsPrintsBack() {
        String[] lines = p.ftrace().split("\n");
        assertTrue(lines[7].endsWith("sched_process_fork:   comm=a.out pid=512 child_comm=a.out child_pid=513"), lines[7]);
        assertTrue(lines[9].endsWith("funcgraph_entry:        1.199 us   |    load_new_mm_cr3();"), lines[9]);
    }
}
