package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;

/**
 * __gup_longterm_locked() migration eras at their boundaries: CMA pages from 5.1 (check_and_migrate_cma_pages(),
 * failure pins in place), ZONE_MOVABLE too from 5.13 (check_and_migrate_movable_pages(), failure is -ENOMEM).
 */
class MigrationBoundaryTest {
    private static String trace(String zone, String fn, String flags) {
        return String.join("",
                "         app-100     [000] .....   1.000001: mmap: addr=0x30000000 len=0x8000 prot=rw flags=private zone="
                        + zone + "\n",
                "         app-100     [000] .....   1.000002: fault: addr=0x30000000 len=0x8000 write=1\n",
                "         app-100     [000] .....   1.000003: " + fn + ": start=0x30000000 nr_pages=8 gup_flags=" + flags
                        + " handle=lt\n");
    }

    private static final FaultPoints MIGRATION_FAILS = new FaultPoints() {
        @Override
        public boolean migratePagesFails(Mm mm, long addr, long nrPages) {
            return true;
        }
    };

    /**
     * GUP-fast leaves pages that are not long-term pinnable to the slow path from 5.13 (try_grab_compound_head()'s
     * is_pinnable_page()); before, it pins present CMA pages where they are, and only the slow path migrates.
     */
    @ParameterizedTest(name = "{0} on {1} by {2}: {3} retries")
    @CsvSource({"cma, 5.12, pin_user_pages, 1", "cma, 5.12, pin_user_pages_fast, 0", "movable, 5.12, pin_user_pages, 0",
        "movable, 5.13, pin_user_pages_fast, 1", "cma, 5.13, pin_user_pages_fast, 1", "cma, 6.15, pin_user_pages_fast, 1"})
    void aLongtermPinMigratesAndPinsAgainOnlyWhereTheReleaseDoes(String zone, String kernel, String fn, int retries) {
        Replays r = Replays.text(trace(zone, fn, "FOLL_WRITE|FOLL_LONGTERM"), kernel, FaultPoints.NONE);
        assertEquals(8, r.call(3).result);
        assertEquals(retries, r.call(3).retries);
    }

    /** 5.1: get_user_pages_longterm() gained the CMA migration; 5.0 pinned CMA pages where they were. */
    @ParameterizedTest(name = "{0}: {1} retries")
    @CsvSource({"5.0, 0", "5.1, 1"})
    void cmaMigrationStartsIn51(String kernel, int retries) {
        Replays r = Replays.text(trace("cma", "get_user_pages_longterm", "FOLL_WRITE"), kernel, FaultPoints.NONE);
        assertEquals(8, r.call(3).result);
        assertEquals(retries, r.call(3).retries);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({"cma, 5.12, 8", "cma, 5.13, -ENOMEM", "movable, 5.12, 8", "movable, 5.13, -ENOMEM"})
    void aFailedMigrationPinsInPlaceBefore513AndIsEnomemFrom(String zone, String kernel, String expected) {
        assertEquals(expected, Replays.text(trace(zone, "pin_user_pages", "FOLL_WRITE|FOLL_LONGTERM"), kernel,
                MIGRATION_FAILS).result(3));
    }
}
