package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * The rules that change in the releases after 6.12 (and the older ones their sources corrected), each on both
 * sides of its boundary, on small traces whose expected results are written from the kernel source.
 */
class LaterReleaseBoundaryTest {
    private static Replays replay(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    private static String run(String kernel, long line, String... events) {
        return replay(kernel, events).result(line);
    }

    private static final String HUGETLB_PRIVATE_RO =
            "mmap: addr=0x40000000 len=0x400000 prot=r flags=private hugetlb=1";

    /** check_vma_flags(): "mm/gup: reject FOLL_SPLIT_PMD with hugetlb VMAs" (6.15; 6.12.y from 6.12.23); ignored before. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"6.14, 2", "6.15, -EOPNOTSUPP", "7.2, -EOPNOTSUPP", "5.10, 2", "6.12.22, 2", "6.12.23, -EOPNOTSUPP",
        "6.12, -EOPNOTSUPP"})
    void splitPmdOnHugetlbIsRefusedFrom615(String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x40000000 len=0x400000 prot=rw flags=private hugetlb=1",
                "get_user_pages: start=0x40000000 nr_pages=2 gup_flags=FOLL_SPLIT_PMD handle=h"));
    }

    /**
     * check_vma_flags(): "hugetlb does not support FOLL_FORCE|FOLL_WRITE" (5535be309971, 6.0; 5.19.y from 5.19.6) until
     * the 6.15 rewrite; before and after, a forced write into a private mapping without VM_WRITE breaks COW and pins.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.18, 2", "5.19.5, 2", "5.19.6, -EFAULT", "5.19, -EFAULT", "6.0, -EFAULT", "6.1, -EFAULT", "6.14, -EFAULT", "6.15, 2", "7.2, 2"})
    void forcedWriteIntoReadOnlyHugetlbIsRefused60To614(String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, HUGETLB_PRIVATE_RO,
                "get_user_pages: start=0x40000000 nr_pages=2 gup_flags=FOLL_WRITE|FOLL_FORCE handle=h"));
    }

    /** Without FOLL_FORCE, or in a shared mapping, the write is -EFAULT in every release. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.19", "6.1", "6.15"})
    void unforcedOrSharedReadOnlyHugetlbWritesFailEverywhere(String kernel) {
        assertEquals("-EFAULT", run(kernel, 2, HUGETLB_PRIVATE_RO,
                "get_user_pages: start=0x40000000 nr_pages=2 gup_flags=FOLL_WRITE handle=h"));
        assertEquals("-EFAULT", run(kernel, 2, "mmap: addr=0x40000000 len=0x400000 prot=r flags=shared hugetlb=1",
                "get_user_pages: start=0x40000000 nr_pages=2 gup_flags=FOLL_WRITE|FOLL_FORCE handle=h"));
    }

    /**
     * gup_fast_fallback(): access_ok() went in 6.15, the explicit end > TASK_SIZE_MAX stayed; on x86-64 both are the
     * same bound, so a range ending above it is -EFAULT on both sides.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.14", "6.15", "7.2"})
    void aFastRangeAboveTaskSizeMaxIsEfaultAcrossTheAccessOkRemoval(String kernel) {
        assertEquals("-EFAULT", run(kernel, 2, "mmap: addr=0x7fffffffe000 len=0x1000 prot=rw flags=private",
                "pin_user_pages_fast: start=0x7fffffffe000 nr_pages=2 gup_flags=FOLL_WRITE handle=h"));
    }

    private static final String DEVDAX = "file: ino=7 fs=devdax size=0x10000";
    private static final String DEVDAX_MAP = "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=7";
    private static final String TOUCH = "fault: addr=0x10000000 len=0x10000 write=1";

    /**
     * gup_fast_pte_range(): until 6.17 a devmap PTE under FOLL_LONGTERM goes to the slow path; from 6.17 (devmap
     * removed) only folio_is_longterm_pinnable() decides, and a device-dax folio is pinnable: same pages, fast path.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.16", "6.17"})
    void aDevdaxLongtermFastPinTakesTheFastPathFrom617(String kernel) {
        Outcome before = replay("6.16", DEVDAX, DEVDAX_MAP, TOUCH,
                "pin_user_pages_fast: start=0x10000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=h").call(4);
        Outcome now = replay(kernel, DEVDAX, DEVDAX_MAP, TOUCH,
                "pin_user_pages_fast: start=0x10000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=h").call(4);
        assertEquals(16, now.result);
        assertEquals(kernel.equals("6.17"), now.latencyNs < before.latencyNs,
                "6.16 walks the slow path: " + before.latencyNs + " ns, " + kernel + ": " + now.latencyNs + " ns");
    }

    /** An fsdax folio is not long-term pinnable from 6.17, as the devmap PTE sent it to the slow path before. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({"6.16, shared, -EOPNOTSUPP", "6.17, shared, -EOPNOTSUPP", "7.2, shared, -EOPNOTSUPP",
        "6.16, private, 4", "6.17, private, 4"})
    void fsdaxLongtermFastPinsFallBackAndAreRefusedOnBothSidesOf617(String kernel, String sharing, String expected) {
        // private: the write fault COWs the DAX page into an anonymous one, which GUP-fast takes (it checks pages)
        assertEquals(expected, run(kernel, 4, "file: ino=3 fs=xfs dax=1 size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=" + sharing + " ino=3",
                "fault: addr=0x10000000 len=0x4000 write=1",
                "pin_user_pages_fast: start=0x10000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=h"));
    }

    /**
     * io_pin_pages(): pin_user_pages() under mmap_read_lock() until 6.5, pin_user_pages_fast() from 6.6. A private
     * fsdax mapping whose page a write COW'd: the slow path refuses the fsdax VMA, GUP-fast takes the anonymous page.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"6.5, -EOPNOTSUPP", "6.6, 0", "7.2, 0"})
    void ioUringPinsFastFrom66(String kernel, String expected) {
        assertEquals(expected, run(kernel, 4, "file: ino=3 fs=ext4 dax=1 size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=private ino=3",
                "fault: addr=0x10000000 len=0x1000 write=1",
                "io_uring_register_buffers: handle=b addr=0x10000000 len=0x1000"));
    }

    private static final String BAR_RO_POPULATED =
            "mmap: addr=0x20000000 len=0x4000 prot=r flags=shared ino=5 pfnmap=1 populate=1";

    /**
     * follow_fault_pfn(): follow_pte() (07956b6269d3, 5.12) refuses a write through a present read-only PFNMAP PTE;
     * follow_pfn() (5.8-5.11) took the pfn; follow_pfnmap_start() (6.12) keeps the check; 5.10.y has it from 5.10.20
     * (5.10 alone is the series as it ships, as Debian's 5.10.0-32-amd64 is 5.10.223).
     */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({"5.10.19, rw, 0", "5.10.20, rw, -EFAULT", "5.10, rw, -EFAULT", "5.10.0-32-amd64, rw, -EFAULT",
        "5.11, rw, 0", "5.12, rw, -EFAULT", "6.11, rw, -EFAULT", "6.12, rw, -EFAULT", "7.2, rw, -EFAULT",
        "5.12, r, 0", "7.2, r, 0"})
    void aWritableMapOfAPresentReadOnlyBarIsRefusedFrom512(String kernel, String prot, String expected) {
        assertEquals(expected, run(kernel, 2, BAR_RO_POPULATED,
                "vfio_dma_map: handle=m vaddr=0x20000000 iova=0x0 size=0x4000 prot=" + prot));
    }

    /** fixup_user_fault(): vma_permits_fault() refuses a write fault on a VMA without VM_WRITE (5.8+). */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({"5.8, rw, -EFAULT", "6.1, rw, -EFAULT", "7.2, rw, -EFAULT", "6.1, r, 0"})
    void aWritableMapOfAReadOnlyBarNotYetFaultedIsRefused(String kernel, String prot, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x20000000 len=0x4000 prot=r flags=shared ino=5 pfnmap=1",
                "vfio_dma_map: handle=m vaddr=0x20000000 iova=0x0 size=0x4000 prot=" + prot));
    }

    /** A writable BAR maps writable in every release of follow_fault_pfn(). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.8", "6.1", "7.2"})
    void aWritableBarMapsWritable(String kernel) {
        assertEquals("0", run(kernel, 2, "mmap: addr=0x20000000 len=0x4000 prot=rw flags=shared ino=5 pfnmap=1",
                "vfio_dma_map: handle=m vaddr=0x20000000 iova=0x0 size=0x4000 prot=rw"));
        assertEquals("0", run(kernel, 2, "mmap: addr=0x20000000 len=0x4000 prot=rw flags=shared ino=5 pfnmap=1 populate=1",
                "vfio_dma_map: handle=m vaddr=0x20000000 iova=0x0 size=0x4000 prot=rw"));
    }

    /** The default profile is the newest, 7.2, and it has every rule that holds from 6.15 on. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"check-vma-flags-split-pmd-hugetlb", "longterm-pinnable-fsdax", "dax-idle-refcount-zero",
        "io-uring-pin-user-pages-fast", "vfio-large-folio-batch", "io-uring-pin-overflow"})
    void theNewestProfileHasTheLatestRules(String name) {
        var rule = pinreplay.replay.kernel.Rules.ALL.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow();
        assertEquals("7.2", pinreplay.replay.kernel.KernelRelease.NEWEST.toString());
        assertTrue(rule.activeIn(pinreplay.replay.kernel.KernelRelease.NEWEST), name);
    }
}
