package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Each release-dependent rule (pinreplay profiles) on both sides of its boundary (X-1 and X), on small
 * traces whose expected results are written from the kernel source, not from the model.
 */
class ReleaseBoundaryTest {
    private static String run(String kernel, long line, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE).result(line);
    }

    private static final String EXT4 = "file: ino=3 fs=ext4 size=0x10000";
    private static final String SHARED_EXT4 = "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=3";
    private static final String PRIVATE_EXT4 = "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private ino=3";
    private static final String TOUCH = "fault: addr=0x10000000 len=0x4000 write=1";

    /** v6.5 writable_file_mapping_allowed(); GUP-fast (gup_fast_folio_allowed()) falls back and fails the same. */
    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource({
        "pin_user_pages, FOLL_WRITE|FOLL_LONGTERM, 6.4, 4",
        "pin_user_pages, FOLL_WRITE|FOLL_LONGTERM, 6.5, -EFAULT",
        "pin_user_pages_fast, FOLL_WRITE|FOLL_LONGTERM, 6.4, 4",
        "pin_user_pages_fast, FOLL_WRITE|FOLL_LONGTERM, 6.5, -EFAULT",
        "pin_user_pages_remote, FOLL_WRITE|FOLL_LONGTERM, 6.5, -EFAULT",
        // Only FOLL_PIN|FOLL_LONGTERM with FOLL_WRITE is refused: R/O long-term and short-term write pins work.
        "pin_user_pages, FOLL_LONGTERM, 6.5, 4",
        "pin_user_pages_fast, FOLL_WRITE, 6.5, 4",
        "get_user_pages_fast, FOLL_WRITE, 6.5, 4",
    })
    void writableLongtermPinOfASharedExt4MappingFailsWithEfaultFrom65(String fn, String flags, String kernel,
            String expected) {
        assertEquals(expected, run(kernel, 4, EXT4, SHARED_EXT4, TOUCH,
                fn + ": start=0x10000000 nr_pages=4 gup_flags=" + flags + " handle=h"));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({
        "pin_user_pages, 6.4, 4", "pin_user_pages, 6.5, 4", "pin_user_pages_fast, 6.5, 4",
    })
    void writableLongtermPinOfAPrivateExt4MappingIsAllowedInEveryRelease(String fn, String kernel, String expected) {
        assertEquals(expected, run(kernel, 4, EXT4, PRIVATE_EXT4, TOUCH,
                fn + ": start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=h"));
    }

    /** check_vma_flags() tests vma_is_fsdax() before the dirty-tracking check: -EOPNOTSUPP wins. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"pin_user_pages, 6.4", "pin_user_pages, 6.5", "pin_user_pages_fast, 6.15"})
    void writableLongtermPinOfASharedFsdaxMappingIsEopnotsuppNotEfault(String fn, String kernel) {
        assertEquals("-EOPNOTSUPP", run(kernel, 4, "file: ino=3 fs=xfs dax=1 size=0x10000", SHARED_EXT4, TOUCH,
                fn + ": start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=h"));
    }

    /** io_uring's own file-backed check until 6.4; from 6.5 GUP decides (io_uring: rsrc: delegate VMA file-backed check to GUP). */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({
        "shared, 6.4, -EOPNOTSUPP", "shared, 6.5, -EFAULT",
        "private, 6.4, -EOPNOTSUPP", "private, 6.5, 0",
    })
    void ioUringFixedBufferOnAnExt4FileAtThe65Boundary(String sharing, String kernel, String expected) {
        assertEquals(expected, run(kernel, 3, EXT4,
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=" + sharing + " ino=3",
                "io_uring_register_buffers: handle=b addr=0x10000000 len=0x4000"));
    }

    /** 2c2241081f7d renumbered FOLL_* for 6.3: 0x10001 is WRITE|LONGTERM before, WRITE|TOUCH (internal) after. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({"0x10001, 6.2, 4", "0x10001, 6.3, 0", "0x101, 6.3, 4"})
    void numericFlagsChangeMeaningAt63(String flags, String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "pin_user_pages: start=0x10000000 nr_pages=4 gup_flags=" + flags + " handle=h"));
    }

    /**
     * is_valid_gup_args() (6.3): pin_user_pages() and _remote return 0 where 6.2 returned -EINVAL; so did
     * pin_user_pages_fast() until 9883c7f84053 'mm/gup: do not return 0 from pin_user_pages_fast() for bad args'
     * (6.5, 6.4.10).
     */
    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource({
        "pin_user_pages, FOLL_GET, 6.2, -EINVAL", "pin_user_pages, FOLL_GET, 6.3, 0",
        "pin_user_pages_remote, FOLL_GET, 6.2, -EINVAL", "pin_user_pages_remote, FOLL_GET, 6.3, 0",
        "pin_user_pages_fast, FOLL_GET, 6.2, -EINVAL", "pin_user_pages_fast, FOLL_GET, 6.3, 0",
        "pin_user_pages_fast, FOLL_GET, 6.4.9, 0", "pin_user_pages_fast, FOLL_GET, 6.4.10, -EINVAL",
        "pin_user_pages_fast, FOLL_GET, 6.4, -EINVAL", "pin_user_pages_fast, FOLL_GET, 6.5, -EINVAL",
        // Internal flags from a caller, and LONGTERM with PCI_P2PDMA, trip a WARN from 6.3.
        "pin_user_pages_fast, FOLL_WRITE|FOLL_TOUCH, 6.3, 0",
        "pin_user_pages_fast, FOLL_WRITE|FOLL_TOUCH, 6.5, -EINVAL",
        "pin_user_pages, FOLL_PIN, 6.15, 0",
        "get_user_pages_fast, FOLL_LONGTERM, 6.3, -EINVAL",
        "pin_user_pages_fast, FOLL_LONGTERM|FOLL_PCI_P2PDMA, 6.5, -EINVAL",
    })
    void isValidGupArgsAtThe63Boundary(String fn, String flags, String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                fn + ": start=0x10000000 nr_pages=4 gup_flags=" + flags + " handle=h"));
    }

    /**
     * 5.2-5.10 check_dax_vmas() after pinning releases every page and fails; 5.11 check_vma_flags() stops at
     * the fsdax VMA, so the anonymous pages before it are a partial count (a success).
     */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({"pin_user_pages, 5.10, -EOPNOTSUPP", "pin_user_pages, 5.11, 4",
        "get_user_pages_longterm, 4.15, -EOPNOTSUPP"})
    void longtermPinRunningIntoAnFsdaxVma(String fn, String kernel, String expected) {
        assertEquals(expected, run(kernel, 4, "file: ino=3 fs=xfs dax=1 size=0x10000",
                "mmap: addr=0x10000000 len=0x4000 prot=rw flags=private",
                "mmap: addr=0x10004000 len=0x4000 prot=rw flags=shared ino=3",
                fn + ": start=0x10000000 nr_pages=8 gup_flags=FOLL_WRITE" + (fn.startsWith("pin") ? "|FOLL_LONGTERM" : "")
                        + " handle=h"));
    }

    /** get_user_pages_longterm() exists 4.15-5.1; pin_user_pages*() from 5.6. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({
        "get_user_pages_longterm, 5.1, 4", "get_user_pages_longterm, 5.2, -ENOSYS",
        "pin_user_pages, 5.5, -ENOSYS", "pin_user_pages, 5.6, 4",
        "pin_user_pages_fast, 5.5, -ENOSYS", "pin_user_pages_fast, 5.6, 4",
    })
    void apiExistsOnlyInItsReleases(String fn, String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                fn + ": start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE handle=h"));
    }

    /** vfio type1 94db151dc892 (4.16): fsdax guest memory is refused; 4.15 still pinned it. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"4.15, 0", "4.16, -EOPNOTSUPP"})
    void vfioMapOfFsdaxMemoryAtThe416Boundary(String kernel, String expected) {
        assertEquals(expected, run(kernel, 3, "file: ino=3 fs=xfs dax=1 size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=3",
                "vfio_dma_map: handle=m vaddr=0x10000000 iova=0x0 size=0x10000 prot=rw"));
    }

    /** __get_user_pages(): nr_pages == 0 is 0 for every entry point, before any VMA is looked up. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"get_user_pages", "get_user_pages_fast", "get_user_pages_remote", "pin_user_pages",
        "pin_user_pages_fast", "pin_user_pages_remote"})
    void zeroPagesIsZero(String fn) {
        assertEquals("0", run("6.15", 1, fn + ": start=0x50000000 nr_pages=0 gup_flags=FOLL_WRITE handle=h"));
    }

    /** check_vma_flags(): a read of a PROT_NONE VMA needs FOLL_FORCE and VM_MAYREAD; FOLL_ANON refuses files. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, -EFAULT", "FOLL_FORCE, 2"})
    void readOfAProtNoneMappingNeedsForce(String flags, String expected) {
        assertEquals(expected, run("6.15", 2, "mmap: addr=0x10000000 len=0x10000 prot=none flags=private",
                "get_user_pages: start=0x10000000 nr_pages=2 gup_flags=" + flags + " handle=h"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"FOLL_ANON, -EFAULT", "0, 2"})
    void follAnonRefusesAFileMapping(String flags, String expected) {
        assertEquals(expected, run("6.15", 3, "file: ino=3 fs=tmpfs size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=3",
                "get_user_pages: start=0x10000000 nr_pages=2 gup_flags=" + flags + " handle=h"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"FOLL_SPLIT_PMD, -EOPNOTSUPP", "0, 2"})
    void splitPmdRefusesHugetlb(String flags, String expected) {
        assertEquals(expected, run("6.15", 2, "mmap: addr=0x40000000 len=0x400000 prot=rw flags=private hugetlb=1",
                "get_user_pages: start=0x40000000 nr_pages=2 gup_flags=" + flags + " handle=h"));
    }

    /** A hole after the first VMA: the slow path and GUP-fast both return the pages done (partial success). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"get_user_pages", "get_user_pages_fast", "pin_user_pages", "pin_user_pages_fast",
        "pin_user_pages_remote", "get_user_pages_remote"})
    void aHoleAfterSomePagesIsAPartialCount(String fn) {
        assertEquals("4", run("6.15", 2, "mmap: addr=0x10000000 len=0x4000 prot=rw flags=private",
                fn + ": start=0x10000000 nr_pages=8 gup_flags=FOLL_WRITE handle=h"));
        assertEquals("-EFAULT", run("6.15", 2, "mmap: addr=0x10000000 len=0x4000 prot=rw flags=private",
                fn + ": start=0x20000000 nr_pages=8 gup_flags=FOLL_WRITE handle=h"));
    }

    /** gup_fast_fallback(): a range ending above TASK_SIZE_MAX fails whole, where the slow path would pin a prefix. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({"pin_user_pages_fast, 6.15, -EFAULT", "get_user_pages_fast, 6.1, -EFAULT",
        "pin_user_pages, 6.15, 1"})
    void aFastRangeEndingAboveTaskSizeMaxIsEfault(String fn, String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x7fffffffe000 len=0x1000 prot=rw flags=private",
                fn + ": start=0x7fffffffe000 nr_pages=2 gup_flags=FOLL_WRITE handle=h"));
    }

    /** gup_fast_fallback(): start + len wrapping is -EOVERFLOW (stored gup.c, ~6.14); 6.1 returned 0. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"6.15, -EOVERFLOW", "6.1, 0"})
    void aWrappingFastRangeOverflows(String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x10000000 len=0x1000 prot=rw flags=private",
                "get_user_pages_fast: start=0x10000000 nr_pages=0xfffffffffffff gup_flags=FOLL_WRITE handle=h"));
    }

    /** GUP-fast accepts only its mask of flags (WARN_ON_ONCE, -EINVAL); the slow path takes them. */
    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource({
        "get_user_pages_fast, FOLL_WRITE|FOLL_NOWAIT, 6.15, -EINVAL",
        "get_user_pages_fast, FOLL_WRITE|FOLL_NOWAIT, 6.1, -EINVAL",
        "pin_user_pages_fast, FOLL_WRITE|FOLL_HWPOISON, 6.15, -EINVAL",
        "pin_user_pages_fast, FOLL_WRITE|FOLL_ANON, 5.10, -EINVAL",
        "get_user_pages_fast, FOLL_WRITE|FOLL_FORCE, 5.5, -EINVAL",
        "get_user_pages_fast, FOLL_WRITE|FOLL_FORCE, 5.6, 4",
        "get_user_pages_fast, FOLL_WRITE|FOLL_LONGTERM, 5.2, 4",
        "get_user_pages, FOLL_WRITE|FOLL_HWPOISON, 6.15, 4",
        "pin_user_pages, FOLL_WRITE|FOLL_ANON, 6.15, 4",
    })
    void gupFastRefusesFlagsOutsideItsMask(String fn, String flags, String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                fn + ": start=0x10000000 nr_pages=4 gup_flags=" + flags + " handle=h"));
    }

    /** gup_fast_fallback(): pages GUP-fast pinned are returned even when the slow path then fails. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"pin_user_pages_fast", "get_user_pages_fast"})
    void theFastCountSurvivesASlowPathError(String fn) {
        assertEquals("4", run("6.15", 4, "mmap: addr=0x10000000 len=0x4000 prot=rw flags=private",
                "mmap: addr=0x10004000 len=0x4000 prot=rw flags=shared ino=5 pfnmap=1 populate=1",
                "fault: addr=0x10000000 len=0x4000 write=1",
                fn + ": start=0x10000000 nr_pages=8 gup_flags=FOLL_WRITE handle=h"));
    }

    /** faultin_page() with FOLL_NOFAULT (5.16): what needs a fault is -EFAULT, after a prefix a short count. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({"get_user_pages, 6.15, 2", "pin_user_pages_fast, 6.15, 2", "get_user_pages, 5.16, 2",
        "get_user_pages, 5.15, 4"})
    void follNofaultStopsWherePagesAreMissing(String fn, String kernel, String expected) {
        assertEquals(expected, run(kernel, 3, "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "fault: addr=0x10000000 len=0x2000 write=1",
                fn + ": start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_NOFAULT handle=h"));
        assertEquals("-EFAULT", run("6.15", 2, "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                fn + ": start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_NOFAULT handle=h"));
    }
}
