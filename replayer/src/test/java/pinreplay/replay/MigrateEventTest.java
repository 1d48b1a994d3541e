package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A {@code migrate} event as mm/migrate.c migrate_pages() of the 5.10.262 to 7.2.13 trees serves it: try_to_migrate()
 * unmaps every mapping first, so only references beyond the mappings' and the owner's keep a folio where it is, and
 * the folios not migrated are counted once each, a pinned THP as one.
 */
class MigrateEventTest {
    private static Replays run(String kernel, String events) {
        return Replays.text(events, kernel, FaultPoints.NONE);
    }

    /** Anonymous pages a fork() child shares with its parent migrate; the pinned one stays. */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void pagesSharedAfterForkMigrateButAPinnedOneStays(String kernel) {
        String t = "# tracer: nop\n"
                + "  app-100 [000] .....  1.000001: tracing_mark_write: mmap: addr=0x10000000 len=0x4000 prot=rw flags=private\n"
                + "  app-100 [000] .....  1.000002: tracing_mark_write: fault: addr=0x10000000 len=0x4000 write=1\n"
                + "  app-100 [000] .....  1.000003: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n"
                + "  app-100 [000] .....  1.000004: tracing_mark_write: migrate: addr=0x10000000 len=0x4000\n"
                + "  app-100 [000] .....  1.000005: tracing_mark_write: pin_user_pages: start=0x10000000 nr_pages=1 "
                + "gup_flags=FOLL_WRITE\n"
                + "  app-100 [000] .....  1.000006: tracing_mark_write: migrate: addr=0x10000000 len=0x4000\n";
        Replays r = run(kernel, t);
        assertEquals("0", r.result(5), r.jsonl());
        assertEquals("1", r.result(7), r.jsonl());
    }
}
