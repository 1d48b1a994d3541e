package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.format.Record;

/** Every line layout of the contract, from the real samples (src/test/resources/samples/) where there is one. */
class LayoutsTest {

    @Test
    void modernHeaderIsCommentsAndItsCountsReachTheStats() {
        Parsed p = Parsed.of(Parsed.sample("a06-modern-header.txt"));
        assertEquals(12, p.stats.comments());
        assertEquals("nop", p.stats.tracer());
        assertEquals(12, p.stats.cpus().getAsInt());
        assertEquals(13, p.stats.entriesInBuffer().getAsLong());
        assertEquals(13, p.stats.entriesWritten().getAsLong());
        assertEquals("#                                _-----=> irqs-off/BH-disabled", p.atLine(5).raw());
        Parsed.Ev e = p.atLine(13);
        assertEquals(EventType.UNKNOWN, e.type());
        assertEquals("pwm_get", e.name());
        assertEquals("modprobe", e.comm());
        assertEquals(203, e.pid());
        assertEquals(0, e.cpu());
        assertEquals(".....", e.flags());
        assertEquals(938_668_000L, e.ts());
        assertEquals("pwmchip0.0: period=1066407 duty_cycle=533334 polarity=0 enabled=1 err=0", e.raw());
        assertEquals(Map.of("pwm_apply", 1L, "pwm_get", 1L), p.stats.unknownEvents());
    }

    @Test
    void fourFlagColumnsAndSevenWidePidWithBlankLinesFromTheTrailingNewline() {
        Parsed p = Parsed.of(Parsed.sample("a01-mmap-lock-function.txt"));
        assertEquals(18, p.stats.lines());
        assertEquals(12, p.events.size(), "blank lines produce no record");
        Parsed.Ev e = p.atLine(2);
        assertEquals(EventType.MMAP_LOCK_START_LOCKING, e.type());
        assertEquals("trace-cmd", e.comm());
        assertEquals(1840, e.pid());
        assertEquals(6, e.cpu());
        assertEquals("...1", e.flags());
        assertEquals(194_576_805_000L, e.ts());
        assertEquals(List.of(2L, 5L, 8L, 11L, 14L, 17L), p.events.stream()
                .filter(x -> x.type() != EventType.OTHER).map(Parsed.Ev::line).collect(Collectors.toList()));
    }

    @Test
    void tgidColumnInEveryFormIncludingTrimmedPadding() {
        Parsed p = Parsed.of(Parsed.sample("a03-filemap-old-tgid.txt"));
        assertEquals("MediaStoreImpor", p.atLine(1).comm());
        assertEquals(27212, p.atLine(1).pid());
        assertEquals(27176, p.atLine(1).tgid());
        assertEquals("<...>", p.atLine(2).comm());
        assertEquals(27197, p.atLine(2).pid());
        assertEquals(-1, p.atLine(2).tgid(), "(-----) is an unknown TGID");
        assertEquals(1396, p.atLine(3).pid());
        assertEquals(" NonUserFacing6".trim(), p.atLine(4).comm());
        assertEquals(1322, p.atLine(4).tgid(), "( 1322): padded TGID");
        assertTrue(p.atLine(4).bit(Record.B_TGID));

        Parsed modern = Parsed.of("           <...>-42      (-------) [001] .....   300.000100: put_page: handle=h\n");
        assertEquals(-1, modern.events.get(0).tgid());
        Parsed a8 = Parsed.of(Parsed.sample("a08-tgid-header.txt"));
        assertEquals(27891, a8.atLine(13).tgid());
        assertEquals("kworker/3:2", a8.atLine(13).comm());
        assertEquals(8, a8.stats.cpus().getAsInt());
    }

    @Test
    void taskNamesWithSpacesDashesSlashesAndColons() {
        Parsed p = Parsed.of(String.join("\n",
                "     GC Thread#0-3001    [002] .....   300.000001: put_page: handle=a",
                "   jbd2/sda16-8-587   [000] d..4  6889.082769: put_page: handle=b",
                "   Binder:1234_5-1240    [003] .....   300.000002: put_page: handle=c",
                "  test-open-writ-10076 [000] ...1 23353.359860: put_page: handle=d",
                "          <idle>-0     [002] 30213.960195: put_page: handle=e"));
        assertEquals("GC Thread#0", p.atLine(1).comm());
        assertEquals(3001, p.atLine(1).pid());
        assertEquals("jbd2/sda16-8", p.atLine(2).comm());
        assertEquals(587, p.atLine(2).pid());
        assertEquals("Binder:1234_5", p.atLine(3).comm());
        assertEquals("test-open-writ", p.atLine(4).comm());
        assertEquals(10076, p.atLine(4).pid(), "a pid wider than its column pushes the columns right");
        assertEquals("<idle>", p.atLine(5).comm());
        assertEquals(0, p.atLine(5).pid());
    }

    @Test
    void timestampsWithSixOrNineDecimalsOrARawCounter() {
        Parsed p = Parsed.of(String.join("\n",
                "  a-1 [000] .... 12.000001: put_page: handle=h",
                "  a-1 [000] .... 12.000000001: put_page: handle=h",
                "  a-1 [000] .... 1234567890123: put_page: handle=h",
                "  a-1 [001] .... 12.000001: put_page: handle=h"));
        assertEquals(12_000_001_000L, p.atLine(1).ts());
        assertEquals(0, p.atLine(1).bits() & (Record.B_TS_NANOS | Record.B_TS_RAW));
        assertEquals(12_000_000_001L, p.atLine(2).ts());
        assertTrue(p.atLine(2).bit(Record.B_TS_NANOS));
        assertEquals(1_234_567_890_123L, p.atLine(3).ts());
        assertTrue(p.atLine(3).bit(Record.B_TS_RAW));
        assertEquals(p.atLine(1).ts(), p.atLine(4).ts(), "the same timestamp on two CPUs is fine");
    }

    @Test
    void traceCmdReportPreambleAndNoFlagsColumn() {
        Parsed p = Parsed.of(Parsed.sample("a09-trace-cmd-report.txt"));
        assertEquals(EventType.COMMENT, p.atLine(1).type());
        assertEquals("CPU 0 is empty", p.atLine(1).raw());
        assertEquals("cpus=4", p.atLine(4).raw());
        assertEquals("version = 6", p.atLine(9).raw());
        assertEquals(4, p.stats.cpus().getAsInt(), "the first cpus= line");
        Parsed.Ev e = p.atLine(5);
        assertEquals("", e.flags());
        assertEquals("funcgraph_entry", e.name());
        assertEquals("                  |  switch_mm_irqs_off() {", e.raw(), "payload padding kept verbatim");
        assertEquals(18954, p.atLine(8).pid());
        assertEquals("            net_rx_action", p.atLine(12).raw());
        assertEquals(Map.of("funcgraph_entry", 3L, "funcgraph_exit", 1L, "function", 2L), p.stats.unknownEvents());
    }

    @Test
    void tracePipeLineWithBhFlagAndAnUnresolvedIp() {
        Parsed.Ev e = Parsed.of(Parsed.sample("a07-trace-pipe-bh.txt")).events.get(0);
        assertEquals("vmalloc_test/0", e.comm());
        assertEquals(62, e.cpu());
        assertEquals("b....", e.flags());
        assertEquals("0xffffffffc044e5dc", e.name());
        assertEquals("-> in the local_bh_disable()", e.raw());
    }

    @Test
    void otherTracersLinesAreKeptVerbatim() {
        Parsed fn = Parsed.of(Parsed.sample("a11-function-tracer.txt"));
        Parsed.Ev f = fn.atLine(12);
        assertEquals(EventType.OTHER, f.type());
        assertEquals("            bash-1977  [000] .... 17284.993652: sys_close <-system_call_fastpath", f.raw());
        assertEquals("bash", f.comm(), "the function tracer's context columns are decoded too");
        assertEquals(17_284_993_652_000L, f.ts());
        assertEquals("function", fn.stats.tracer());
        assertEquals(250280, fn.stats.entriesWritten().getAsLong());

        Parsed graph = Parsed.of(Parsed.sample("a12-function-graph.txt")
                + " ------------------------------------------\n"
                + " 1)   bash-1234    =>  sshd-567   \n"
                + " 3383.541213 |   1)               |  hwsim_del() {\n");
        assertEquals(10, graph.of(EventType.OTHER).size());
        assertEquals(" 1) * 52999.05 us |    }", graph.atLine(10).raw());
        assertNull(graph.atLine(10).comm());
        assertEquals("function_graph", graph.stats.tracer());

        Parsed lat = Parsed.of(Parsed.sample("a10-latency-format.txt"));
        assertEquals(4, lat.of(EventType.OTHER).size());
        assertEquals("      dd-805       0d.... 279560us+: try_to_claim_block <-__rmqueue_pcplist", lat.atLine(4).raw());
    }

    @Test
    void syscallLinesWithoutAnEventColonAreSyscallEvents() {
        Parsed p = Parsed.of(Parsed.sample("a08-tgid-header.txt"));
        assertEquals("sys_exit", p.atLine(12).name());
        assertEquals("NR 1 = 1", p.atLine(12).raw());
        assertEquals(EventType.SYSCALL_EXIT, p.atLine(14).type(), "ftrace's print_syscall_exit(): sys_write -> 0x1");
        assertEquals("write", p.atLine(14).sym("syscall"));
        assertEquals(28284, p.atLine(14).tgid());
    }

    @Test
    void consoleLineInsideTheHeaderLostEventsAndBufferStartedAreKept() {
        Parsed p = Parsed.of(Parsed.sample("layouts.txt"));
        assertEquals("#    [    7.026136] sh (113) used greatest stack depth: 12912 bytes left", p.atLine(5).raw());
        assertEquals("##### CPU 2 buffer started ####", p.atLine(8).raw());
        Parsed.Ev lost = p.atLine(20);
        assertEquals(EventType.LOST_EVENTS, lost.type());
        assertEquals(2, lost.cpu());
        assertEquals(123, lost.num("lost"));
        assertEquals("CPU:2 [LOST 123 EVENTS]", lost.raw());
        assertEquals(20, p.stats.entriesWritten().getAsLong());
    }

    @Test
    void crlfLineEndsAndLinesSplitAcrossEveryRefill() {
        String text = Parsed.sample("native.txt") + Parsed.sample("layouts.txt") + Parsed.sample("probes.txt");
        Parsed whole = Parsed.of(text);
        for (int chunk : new int[] {1, 7, 64, 4093}) {
            Parsed split = Parsed.of(Parsed.bytes(text), false, chunk);
            assertEquals(whole.events, split.events, "chunk " + chunk);
        }
        Parsed crlf = Parsed.of(text.replace("\n", "\r\n"));
        assertEquals(whole.events, crlf.events);
        org.junit.jupiter.api.Assertions.assertArrayEquals(whole.blocks, crlf.blocks);
    }

    @Test
    void lastLineWithoutNewlineAndBlankOnlyInputs() {
        Parsed p = Parsed.of("\n\n   \n  a-1 [000] .... 1.000001: put_page: handle=h");
        assertEquals(4, p.stats.lines());
        assertEquals(1, p.events.size());
        assertEquals(4, p.events.get(0).line());
        assertEquals(0, Parsed.of("").events.size());
    }
}
