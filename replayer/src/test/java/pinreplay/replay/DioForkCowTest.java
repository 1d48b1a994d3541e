package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * fork() while an O_DIRECT read into private anonymous memory is in flight (the lab's dio-fork): through 6.1 the
 * read holds FOLL_GET references, which page_needs_cow_for_dma() does not see, so fork() shares the page and the
 * parent's write copies it away from the read (do_wp_page(): page_count() != 1 on 5.10, not exclusive on 6.1); from
 * 6.2 the read pins and fork() copies the page for the child. A write by the child takes the child's own copy.
 */
class DioForkCowTest {
    private static List<String> lost(String kernel, int writer) {
        String trace = "# tracer: nop\n"
                + "         app-100     [000] .....   1.000001: tracing_mark_write: file: ino=20 fs=ext4 dax=0 size=65536\n"
                + "         app-100     [000] .....   1.000002: tracing_mark_write: mmap: addr=0x30000000 len=0x10000 prot=rw flags=private\n"
                + "         app-100     [000] .....   1.000003: tracing_mark_write: fault: addr=0x30000000 len=0x10000 write=1\n"
                + "         app-100     [000] .....   1.000004: tracing_mark_write: dio_submit: handle=r ino=20 offset=0 len=0x10000 buf=0x30000000 rw=read\n"
                + "         app-100     [000] .....   1.000005: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n"
                + String.format("         app-%d     [000] .....   1.000006: tracing_mark_write: fault: addr=0x30000000 len=0x1 write=1%n",
                        writer)
                + "         app-100     [000] .....   1.000007: tracing_mark_write: dio_complete: handle=r\n";
        Replays r = Replays.text(trace, kernel, FaultPoints.NONE);
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.VIOLATION).map(o -> o.violation + " " + o.handle)
                .toList();
    }

    @ParameterizedTest(name = "{0}: the parent writes")
    @CsvSource({"5.10, 1", "6.1, 1", "6.12, 0", "7.2, 0"})
    void theParentsWriteLosesAReadHeldByReferences(String kernel, int violations) {
        List<String> v = lost(kernel, 100);
        assertEquals(violations, v.size(), v.toString());
        if (violations > 0) {
            assertEquals("pin-lost-to-cow r", v.get(0));
        }
    }

    @ParameterizedTest(name = "{0}: the child writes")
    @CsvSource({"5.10", "6.1", "6.12"})
    void theChildsWriteTakesItsOwnCopy(String kernel) {
        assertEquals(List.of(), lost(kernel, 101));
    }
}
