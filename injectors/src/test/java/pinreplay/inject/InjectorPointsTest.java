package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.outcome.Outcome;

/** Each injector at its points on small traces: races, FOLL_NOWAIT, compaction, filters and verbose output. */
class InjectorPointsTest {
    private static String trace(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String[] taskAndEvent = lines[i].split(" ", 2);
            sb.append(String.format("%16s [000] .....   1.%06d: %s%n", taskAndEvent[0], i + 1, taskAndEvent[1]));
        }
        return sb.toString();
    }

    private static final String PIN_UNFAULTED = trace(
            "app-100 mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
            "app-100 pin_user_pages_fast: start=0x10000000 nr_pages=16 gup_flags=FOLL_WRITE handle=p");

    @Test
    void mprotectInsideTheWindowFailsTheWriteGupRetryWithEfault() {
        Injected r = Injected.replay(PIN_UNFAULTED, "6.15", 1, "mmap-unlock:fail-nth=1,race=mprotect");
        assertEquals("-EFAULT", r.result(2, "pin_user_pages_fast"), r.jsonl());
        assertEquals(List.of("2:mmap-unlock@faultin_page"), r.sites());
        Injected none = Injected.replay(PIN_UNFAULTED, "6.15", 1, "mmap-unlock:fail-nth=1");
        assertEquals("16", none.result(2, "pin_user_pages_fast"));
        assertEquals(1, none.call(2, "pin_user_pages_fast").retries);
    }

    @Test
    void eagainUnderFollNowaitIsAShortCount() {
        String t = trace(
                "app-100 mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "app-100 fault: addr=0x10000000 len=0x4000 write=1",
                "app-100 get_user_pages: start=0x10000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_NOWAIT handle=g");
        Injected r = Injected.replay(t, "6.15", 1, "eagain:fail-nth=1");
        assertEquals("4", r.result(3, "get_user_pages"), r.jsonl());
        assertEquals(List.of("3:eagain@faultin_page"), r.sites());
        assertEquals("16", Injected.replay(t, "6.15", 1).result(3, "get_user_pages"));
    }

    @Test
    void eagainInTheLongtermMigrationLoopOfIoUringRetriesBefore513AndIsEnomemAfter() {
        // 5.10.37: the last 5.10.y before 'mm/gup: return an error on migration failure' reached it (5.10.38)
        String t = trace(
                "app-100 mmap: addr=0x30000000 len=0x8000 prot=rw flags=private zone=cma",
                "app-100 fault: addr=0x30000000 len=0x8000 write=1",
                "app-100 io_uring_register_buffers: handle=ring addr=0x30000000 len=0x8000");
        Injected old = Injected.replay(t, "5.10.37", 1, "eagain:fail-nth=1");
        assertEquals("0", old.result(3, "io_uring_register_buffers"), old.jsonl());
        assertEquals(1, old.call(3, "io_uring_register_buffers").retries);
        assertEquals(List.of("3:eagain@migrate_pages"), old.sites());
        Injected now = Injected.replay(t, "6.15", 1, "eagain:fail-nth=1");
        assertEquals("-ENOMEM", now.result(3, "io_uring_register_buffers"), now.jsonl());
        assertEquals("-ENOMEM", Injected.replay(t, "5.10", 1, "eagain:fail-nth=1").result(3, "io_uring_register_buffers"));
    }

    private static final String PINNED = trace(
            "app-100 mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
            "app-100 fault: addr=0x10000000 len=0x10000 write=1",
            "app-100 pin_user_pages: start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE handle=p",
            "app-100 unpin_user_pages: handle=p");

    @Test
    void compactionBetweenEventsLeavesPinnedPagesInPlace() {
        Injected r = Injected.replay(PINNED, "6.15", 1, "migrate:at=unpin_user_pages");
        assertEquals(List.of("4:migrate@compact_zone"), r.sites());
        assertTrue(r.of(Outcome.Kind.INJECTION).get(0).effect.endsWith(": 4 page(s) not migrated"), r.jsonl());
        assertEquals(List.of(), r.violationKinds());
    }

    @Test
    void brokenMigrationIgnoringReferencesMovesThePinnedPages() {
        Injected r = Injected.replay(PINNED, "6.15", 1, "migrate:at=unpin_user_pages,ignore-refs=1");
        assertEquals(List.of("pinned-page-migrated"), r.violationKinds(), r.jsonl());
        // the broken migrate_pages() is reported as it moves the pages, then the compaction pass that ran it
        assertEquals(List.of("4:migrate@migrate_pages", "4:migrate@compact_zone"), r.sites());
    }

    private static final String TWO_TASKS = trace(
            "qemu-100 mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
            "qemu-100 pin_user_pages_fast: start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE handle=a",
            "fio-200 mmap: addr=0x20000000 len=0x10000 prot=rw flags=private",
            "fio-200 pin_user_pages_fast: start=0x20000000 nr_pages=4 gup_flags=FOLL_WRITE handle=b",
            "fio-200 pin_user_pages_fast: start=0x20004000 nr_pages=4 gup_flags=FOLL_WRITE handle=c");

    @Test
    void pointRestrictsTheInjectorToOneKernelFunction() {
        String t = trace(
                "app-100 mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "app-100 pin_user_pages_fast: start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE handle=a",
                "app-100 mmap: addr=0x20000000 len=0x10000 prot=rw flags=shared ino=9 pgoff=0 pfnmap=1",
                "app-100 vfio_dma_map: handle=bar vaddr=0x20000000 iova=0x0 size=0x1000 prot=rw");
        // faultin_page() per page: line 2's four unfaulted pages are four sites (__get_user_pages())
        assertEquals(List.of("2:mmap-unlock@faultin_page", "2:mmap-unlock@faultin_page", "2:mmap-unlock@faultin_page",
                "2:mmap-unlock@faultin_page", "4:mmap-unlock@fixup_user_fault"),
                Injected.replay(t, "6.15", 1, "mmap-unlock:times=5").sites());
        assertEquals(List.of("4:mmap-unlock@fixup_user_fault"),
                Injected.replay(t, "6.15", 1, "fixup_user_fault:times=1").sites());
        // two specs of one injector: each keeps its own point and knobs
        assertEquals(List.of("2:mmap-unlock@faultin_page", "4:mmap-unlock@fixup_user_fault"),
                Injected.replay(t, "6.15", 1, "faultin_page:times=1", "fixup_user_fault:fail-nth=1").sites());
    }

    @Test
    void taskFilterTakesACommOrAPid() {
        assertEquals(java.util.Collections.nCopies(4, "4:mmap-unlock@faultin_page"),
                Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:task=fio").sites().subList(0, 4));
        assertEquals(java.util.Collections.nCopies(4, "5:mmap-unlock@faultin_page"),
                Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:task=fio").sites().subList(4, 8));
        assertEquals(java.util.Collections.nCopies(4, "2:mmap-unlock@faultin_page"),
                Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:task=100").sites());
    }

    @Test
    void failNthCountsOnlyTheCallsTheFiltersLetThrough() {
        // fio's calls: line 4's four pages, then line 5's first
        assertEquals(List.of("5:mmap-unlock@faultin_page"),
                Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:task=fio,fail-nth=5").sites());
        assertEquals(List.of("4:mmap-unlock@faultin_page"),
                Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:at=line:4,times=1").sites());
        assertEquals(List.of("2:mmap-unlock@faultin_page"),
                Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:at=pin_user_pages_fast,fail-nth=1").sites());
    }

    @Test
    void verboseOnePrintsOneLinePerFailureAndTwoAddsTheModelCallChain() {
        Injected quiet = Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:fail-nth=1");
        assertEquals("", quiet.log.toString());
        Injected one = Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:fail-nth=1,verbose=1");
        assertEquals("FAULT_INJECTION: forcing a failure. name mmap-unlock, point faultin_page, line 2"
                + " pin_user_pages_fast pid 100, interval 1, probability 100, space 0, times -1"
                + System.lineSeparator(), one.log.toString());
        String two = Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:fail-nth=1,verbose=2").log.toString();
        assertTrue(two.contains("Call trace:" + System.lineSeparator() + "  Gup.lockDropAt"), two);
        assertTrue(two.contains("  Replayer.onEvent"), two);
        // fail_dump() comes before atomic_dec_not_zero(&attr->times): the first of three failures prints times 3
        String counted = Injected.replay(TWO_TASKS, "6.15", 1, "mmap-unlock:times=3,verbose=1").log.toString();
        assertTrue(counted.lines().findFirst().orElseThrow().endsWith(", times 3"), counted);
    }
}
