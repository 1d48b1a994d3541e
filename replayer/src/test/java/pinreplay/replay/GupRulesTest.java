package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/** Entry-point conventions, check_vma_flags() precedence, release pairing and numeric flags. */
class GupRulesTest {
    private static final String ANON = "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private";

    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource({
        // is_valid_gup_args() (6.3+): pin_user_pages and _remote return 0, _fast and get_* -EINVAL.
        "pin_user_pages, FOLL_GET, 6.15, 0",
        "pin_user_pages_remote, FOLL_PIN, 6.15, 0",
        "pin_user_pages_fast, FOLL_GET, 6.15, -EINVAL",
        "get_user_pages, FOLL_LONGTERM, 6.15, -EINVAL",
        // Before: pin_user_pages*() refuse FOLL_GET with -EINVAL; get_user_pages*() refuse FOLL_PIN (5.6) and,
        // from is_valid_gup_flags() (5.10), FOLL_LONGTERM.
        "pin_user_pages, FOLL_GET, 6.1, -EINVAL",
        "get_user_pages, FOLL_LONGTERM, 6.1, -EINVAL",
        "get_user_pages_fast, FOLL_LONGTERM, 5.10, -EINVAL",
        "get_user_pages_remote, FOLL_LONGTERM, 5.10, -EINVAL",
        "get_user_pages, FOLL_LONGTERM, 5.9, 4",
        "get_user_pages_fast, FOLL_LONGTERM, 5.4, 4",
        "get_user_pages, FOLL_PIN, 5.6, -EINVAL",
        "get_user_pages_fast, FOLL_PIN, 6.1, -EINVAL",
        // The API did not exist yet.
        "pin_user_pages, FOLL_WRITE, 5.4, -ENOSYS",
        "get_user_pages_longterm, FOLL_WRITE, 5.4, -ENOSYS",
        "get_user_pages_longterm, FOLL_WRITE, 4.19, 4",
    })
    void invalidArgumentsFollowEachEntryPointsConvention(String fn, String flags, String kernel, String expected) {
        Replays r = Replays.text(Replays.lines(ANON, fn + ": start=0x10000000 nr_pages=4 gup_flags=" + flags + " handle=h"),
                kernel, FaultPoints.NONE);
        assertEquals(expected, r.result(2));
    }

    @Test
    void pfnmapEfaultTakesPrecedenceAndAPartialCountIsASuccess() {
        Replays r = Replays.text(Replays.lines(ANON,
                "mmap: addr=0x10010000 len=0x10000 prot=rw flags=shared ino=5 pfnmap=1 populate=1",
                "pin_user_pages: start=0x1000c000 nr_pages=8 gup_flags=FOLL_WRITE handle=h",
                "pin_user_pages: start=0x10010000 nr_pages=8 gup_flags=FOLL_WRITE handle=g"), "6.15", FaultPoints.NONE);
        assertEquals("4", r.result(3));
        assertEquals("-EFAULT", r.result(4));
    }

    @Test
    void writeToAReadOnlyMappingNeedsForceAndACowMapping() {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x10000000 len=0x10000 prot=r flags=private",
                "get_user_pages: start=0x10000000 nr_pages=1 gup_flags=FOLL_WRITE handle=a",
                "get_user_pages: start=0x10000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_FORCE handle=b",
                "mmap: addr=0x20000000 len=0x10000 prot=r flags=shared",
                "get_user_pages: start=0x20000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_FORCE handle=c"),
                "6.15", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(2));
        assertEquals("1", r.result(3));
        assertEquals("-EFAULT", r.result(5));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({
        // memfd_secret() (v5.14): check_vma_flags() vma_is_secretmem() and GUP-fast page_is_secretmem() refuse
        "get_user_pages_fast, 6.15, -EFAULT",
        "get_user_pages, 6.15, -EFAULT",
        "get_user_pages_fast, 5.14, -EFAULT",
        "get_user_pages, 5.14, -EFAULT",
        // before, vma_is_secretmem() and page_is_secretmem() are stubs answering false: the pages are pinned
        "get_user_pages_fast, 5.13, 1",
        "get_user_pages, 5.10, 1"})
    void secretmemIsRefusedFromItsRelease(String call, String release, String result) {
        Replays r = Replays.text(Replays.lines("file: ino=3 fs=secretmem size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=3",
                call + ": start=0x10000000 nr_pages=1 gup_flags=0 handle=a"), release, FaultPoints.NONE);
        assertEquals(result, r.result(3));
    }

    @Test
    void releasingWithTheWrongVerbIsUnbalanced() {
        Replays r = Replays.text(Replays.lines(ANON,
                "pin_user_pages_fast: start=0x10000000 nr_pages=2 gup_flags=FOLL_WRITE handle=p",
                "put_page: handle=p",
                "get_user_pages_fast: start=0x10000000 nr_pages=2 gup_flags=FOLL_WRITE handle=g",
                "unpin_user_pages: handle=g",
                "unpin_user_pages: handle=g",
                "unpin_user_pages: handle=never"), "6.15", FaultPoints.NONE);
        assertEquals(List.of("unbalanced-unpin", "unbalanced-unpin", "unbalanced-unpin", "unbalanced-unpin"),
                r.violationKinds());
    }

    @Test
    void releasingAPinThisReleaseRefusedIsNotUnbalanced() {
        Replays r = Replays.text(Replays.lines(
                "file: ino=3 fs=ext4 size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=3",
                "pin_user_pages_fast: start=0x10000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=a",
                "unpin_user_pages: handle=a dirty=1"), "6.5", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(3));
        assertEquals("-EINVAL", r.result(4));
        assertEquals(List.of(), r.violationKinds());
    }

    @ParameterizedTest(name = "gup_flags={0} on {1} -> {2}")
    @CsvSource({
        // 6.1 layout: 0x10001 is FOLL_WRITE|FOLL_LONGTERM (include/linux/mm.h of 6.1); on 6.3+ it is FOLL_WRITE and bit 16 (TOUCH).
        "0x10001, 6.1, 4",
        "0x10001, 6.15, 0",
        "0x101, 6.15, 4",
    })
    void numericFlagsAreDecodedWithTheReleasesValues(String flags, String kernel, String expected) {
        Replays r = Replays.text(Replays.lines(ANON, "pin_user_pages: start=0x10000000 nr_pages=4 gup_flags=" + flags
                + " handle=h"), kernel, FaultPoints.NONE);
        assertEquals(expected, r.result(2));
    }

    @Test
    void aKretprobeSuppliesTheObservedResult() {
        String t = "      io_uring-2000    [001] .....  10.000001: mmap: addr=0x10000000 len=0x4000 prot=rw flags=private\n"
                + "      io_uring-2000    [001] .....  10.000002: p_pin_user_pages_0: (pin_user_pages+0x0/0x90)"
                + " start=0x10000000 nr_pages=0x4 gup_flags=0x10001\n"
                + "      io_uring-2000    [001] .....  10.000003: r_pin_user_pages_0: (io_pin_pages+0x7b/0x130 <-"
                + " pin_user_pages) ret=0x3\n";
        Replays r = Replays.text(t, "6.1", FaultPoints.NONE);
        Outcome c = r.call(2);
        assertTrue(c.hasObserved, r.jsonl());
        assertEquals(3, c.observed);
        assertFalse(c.agrees());
        assertEquals(1, r.summary.divergences);
    }

    @Test
    void retOnTheEventIsComparedDirectly() {
        Replays r = Replays.text(Replays.lines(ANON,
                "vfio_dma_map: handle=m vaddr=0x10000000 iova=0x0 size=0x10000 ret=0"), "6.15", FaultPoints.NONE);
        assertTrue(r.call(2).hasObserved);
        assertTrue(r.call(2).agrees());
        assertEquals(0, r.summary.divergences);
    }

    /** get_user_pages_longterm() (4.15) and check_dax_vmas() (5.2-5.10) test the VMA, so COW copies do not help. */
    @ParameterizedTest
    @CsvSource({"4.14,0", "4.15,-EOPNOTSUPP", "5.4,-EOPNOTSUPP", "5.10,-EOPNOTSUPP",
        "5.11,-EOPNOTSUPP", "6.15,-EOPNOTSUPP"})
    void longtermWritePinOfAPrivateFsdaxMappingIsRefusedByItsVma(String kernel, String expected) {
        String trace = String.join("\n",
                "# tracer: nop",
                "        rdma-app-7100    [003] .....   300.000000: file: ino=40 fs=xfs dax=1 size=0x100000",
                "        rdma-app-7100    [003] .....   300.000010: mmap: addr=0x7f2000000000 len=0x100000 prot=rw flags=private ino=40 pgoff=0",
                "        rdma-app-7100    [003] .....   300.000100: rdma_reg_mr: handle=mr0 addr=0x7f2000000000 len=0x100000 access=write",
                "");
        Replays r = Replays.text(trace, kernel, FaultPoints.NONE);
        assertEquals(expected, r.result(4), r.jsonl());
    }
}
