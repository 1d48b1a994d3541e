package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.outcome.Outcome;

/** The model reacts to each fault point the way its release did; a test-only FaultPoints decides when. */
class FaultPointReactionsTest {
    private static List<Outcome> injections(Replays r) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.INJECTION).toList();
    }

    @Test
    void gupFastRetriesWithFollTriedWhenTheFaultDropsTheLock() {
        FaultPoints once = new FaultPoints() {
            int fired;

            @Override
            public boolean faultinPageMayRetry() {
                return true;
            }

            @Override
            public boolean faultinPageRetry(Mm mm, long addr, boolean tried) {
                return !tried && fired++ == 0;
            }
        };
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "pin_user_pages_fast: start=0x10000000 nr_pages=16 gup_flags=FOLL_WRITE handle=p"), "6.15", once);
        Outcome c = r.call(2);
        assertEquals(16, c.result);
        assertEquals(1, c.retries);
        assertEquals("faultin_page", injections(r).get(0).point);
        assertEquals("VM_FAULT_RETRY", injections(r).get(0).effect);
    }

    @Test
    void pinUserPagesHoldingTheLockIsNeverAskedToRetry() {
        FaultPoints always = new FaultPoints() {
            @Override
            public boolean faultinPageMayRetry() {
                return true;
            }

            @Override
            public boolean faultinPageRetry(Mm mm, long addr, boolean tried) {
                return true;
            }
        };
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "pin_user_pages: start=0x10000000 nr_pages=16 gup_flags=FOLL_WRITE handle=p"), "6.15", always);
        assertEquals(16, r.call(2).result);
        assertTrue(injections(r).isEmpty());
    }

    /** fixup_user_fault() drops the lock once, and meanwhile another thread replaces the BAR by anonymous memory. */
    private static FaultPoints barReplacedWhileUnlocked() {
        return new FaultPoints() {
            int fired;

            @Override
            public boolean fixupUserFaultUnlocked(Mm mm, long addr) {
                return fired++ == 0;
            }

            @Override
            public void whileUnlocked(Mm mm, long addr, MmEditor editor) {
                editor.munmap(mm, 0x20000000L, 0x10000);
                editor.mmapAnonymous(mm, 0x20000000L, 0x10000);
            }
        };
    }

    private static final String BAR = Replays.lines(
            "mmap: addr=0x20000000 len=0x10000 prot=rw flags=shared ino=9 pfnmap=1",
            "vfio_dma_map: handle=bar vaddr=0x20000000 iova=0x0 size=0x10000 prot=rw");

    @Test
    void vfioFaultRetryLooksTheVmaUpAgainAndFindsItGone() {
        Replays r = Replays.text(BAR, "6.15", barReplacedWhileUnlocked());
        Outcome c = r.call(2);
        assertEquals("-EFAULT", r.result(2));
        assertEquals(1, c.retries);
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertEquals("fixup_user_fault", injections(r).get(0).point);
    }

    @Test
    void vfioFaultNoRetryUsesTheStaleVma() {
        Replays r = Replays.text(BAR, "6.15", barReplacedWhileUnlocked(), "vfio-pfnmap=fault-no-retry");
        assertEquals("0", r.result(2));
        assertEquals(List.of("stale-vma"), r.violationKinds());
        assertEquals("bar", r.violations().get(0).handle);
    }

    private static final String MOVABLE = Replays.lines(
            "mmap: addr=0x30000000 len=0x8000 prot=rw flags=private zone=movable",
            "fault: addr=0x30000000 len=0x8000 write=1",
            "pin_user_pages: start=0x30000000 nr_pages=8 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=lt");

    @Test
    void longtermPinMigratesMovablePagesAndPinsAgain() {
        Replays r = Replays.text(MOVABLE, "6.15", FaultPoints.NONE);
        Outcome c = r.call(3);
        assertEquals(8, c.result);
        assertEquals(1, c.retries);
    }

    private static final String CMA = MOVABLE.replace("zone=movable", "zone=cma");

    /** migrate_pages() fails every time. */
    private static final FaultPoints MIGRATION_FAILS = new FaultPoints() {
        @Override
        public boolean migratePagesFails(Mm mm, long addr, long nrPages) {
            return true;
        }
    };

    @Test
    void failedLongtermMigrationIsEnomemFrom513() {
        Replays r = Replays.text(MOVABLE, "6.15", MIGRATION_FAILS);
        assertEquals("-ENOMEM", r.result(3));
        assertEquals("migrate_pages", injections(r).get(0).point);
        // Before 5.13 movable pages were not migrated at all: nothing to fail.
        assertEquals("8", Replays.text(MOVABLE, "5.10", MIGRATION_FAILS).result(3));
    }

    @Test
    void failedCmaMigrationPinsInPlaceBefore513() {
        Replays r = Replays.text(CMA, "5.10.37", MIGRATION_FAILS);
        assertEquals("8", r.result(3));
        assertEquals("8", Replays.text(CMA, "5.12", MIGRATION_FAILS).result(3));
    }

    /** 'mm/gup: return an error on migration failure' reached 5.10.y in 5.10.38; CMA pages alone migrate there. */
    @Test
    void failedCmaMigrationIsEnomemFrom51038() {
        assertEquals("-ENOMEM", Replays.text(CMA, "5.10.38", MIGRATION_FAILS).result(3));
        assertEquals("-ENOMEM", Replays.text(CMA, "5.10", MIGRATION_FAILS).result(3));
        assertEquals("8", Replays.text(MOVABLE, "5.10", MIGRATION_FAILS).result(3), "ZONE_MOVABLE is not migrated before 5.13");
    }

    @Test
    void memlockAccountingFailureFailsTheVfioMapWithEnomem() {
        FaultPoints fail = new FaultPoints() {
            @Override
            public boolean accountLockedVmFails(Mm mm, long nrPages, String function) {
                return true;
            }
        };
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "vfio_dma_map: handle=m vaddr=0x10000000 iova=0x0 size=0x10000"), "6.15", fail);
        assertEquals("-ENOMEM", r.result(2));
        assertEquals("vfio_lock_acct", injections(r).get(0).point);
    }

    @Test
    void memlockPolicyLimitsVfio() {
        String t = Replays.lines("mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "vfio_dma_map: handle=m vaddr=0x10000000 iova=0x0 size=0x10000");
        assertEquals("-ENOMEM", Replays.text(t, "6.15", FaultPoints.NONE, "memlock=32k").result(2));
        assertEquals("0", Replays.text(t, "6.15", FaultPoints.NONE, "memlock=64k").result(2));
    }

    @Test
    void compactionSkipsPinnedPagesUnlessAFaultPointForcesItThenTheDmaHitsFreedFrames() {
        String t = Replays.lines("mmap: addr=0x10000000 len=0x4000 prot=rw flags=private",
                "pin_user_pages_fast: start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE handle=p",
                "migrate: addr=0x10000000 len=0x4000",
                "dma_write: handle=p offset=0 len=0x1000");
        Replays clean = Replays.text(t, "6.15", FaultPoints.NONE);
        assertEquals("4", clean.result(3));
        assertTrue(clean.violations().isEmpty());
        FaultPoints broken = new FaultPoints() {
            @Override
            public boolean migratePinnedPage(Mm mm, long addr) {
                return true;
            }
        };
        Replays r = Replays.text(t, "6.15", broken);
        assertEquals(List.of("pinned-page-migrated", "dma-after-free"), r.violationKinds(), r.jsonl());
    }
}
