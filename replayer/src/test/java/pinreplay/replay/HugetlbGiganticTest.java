package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;

/**
 * 1 GiB huge pages (x86-64's PUD hstate, hugetlb_add_hstate(PUD_SHIFT - PAGE_SHIFT) with X86_FEATURE_GBPAGES), as the
 * 5.10.262 to 7.2.13 trees have them: MAP_HUGETLB|MAP_HUGE_1GB and MFD_HUGETLB|MFD_HUGE_1GB choose the hstate
 * (hstate_sizelog() of bits 26-31), whose huge_page_order() is the folios' (18), the alignment hugetlb_vm_op_split() and
 * madvise_dontneed_free_valid_vma() ask (huge_page_mask(hstate_vma())) and the size io_buffer_account_pin() charges.
 */
class HugetlbGiganticTest {
    /** MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB (30 << 26). */
    static final String MAP_1G = "78040022";
    static final long BASE = 0x7f0040000000L;

    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    private static String mmap1g(String flags, String len, String fd) {
        return "sys_mmap(addr: 0, len: " + len + ", prot: 3, flags: " + flags + ", fd: " + fd + ", off: 0)";
    }

    private static long pfnAt(Replays r, long addr) {
        Mm mm = r.replayer.kernel().tasks.mmOf(100);
        return mm.pageTable.pfnOf(addr >>> MemMap.PAGE_SHIFT);
    }

    /** follow_hugetlb_page() / hugetlb_follow_page_mask() and gup_huge_pud(): every subpage's pin lands on one folio. */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void pinsOfTwoSubpagesLandOnOneGigabyteFolio(String kernel) {
        Replays r = run(kernel, mmap1g(MAP_1G, "40000000", "ffffffffffffffff"), "sys_mmap -> 0x7f0040000000",
                "pin_user_pages: handle=a start=0x7f0040400000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM",
                "pin_user_pages: handle=b start=0x7f0040000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM");
        assertEquals("1", r.result(3), r.jsonl());
        assertEquals("1", r.result(4), r.jsonl());
        MemMap mem = r.replayer.kernel().memMap;
        long a = pfnAt(r, BASE + 0x400000);
        long b = pfnAt(r, BASE);
        assertEquals(18, mem.order(a), "a folio of huge_page_order(PUD hstate)");
        assertEquals(a - 1024, b, "the subpages of one folio");
        assertEquals(2, mem.pincount(b), "_pincount of the large folio counts both pins");
    }

    /** hugetlb_fault(): a 2 MiB page faulted for its second subpage is whole, so a later pin of its first joins it. */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void pinsOfTwoSubpagesLandOnOneTwoMegabyteFolio(String kernel) {
        Replays r = run(kernel, "mmap: addr=0x7f0040000000 len=0x200000 prot=rw flags=private hugetlb=1",
                "pin_user_pages: handle=a start=0x7f0040001000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM",
                "pin_user_pages: handle=b start=0x7f0040000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM");
        long a = pfnAt(r, BASE + 0x1000);
        assertEquals(9, r.replayer.kernel().memMap.order(a));
        assertEquals(a - 1, pfnAt(r, BASE), "the subpages of one folio");
        assertEquals(2, r.replayer.kernel().memMap.pincount(a));
    }

    /** memfd_create(MFD_HUGETLB|MFD_HUGE_1GB): hugetlb_file_setup() on the 1 GiB hstate's mount; its folios are 1 GiB. */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void anMfdHuge1gbMemfdHasGigabyteFolios(String kernel) {
        Replays r = run(kernel, "sys_memfd_create(uname: 47b142, flags: 78000004)", "sys_memfd_create -> 0x3",
                "sys_ftruncate(fd: 3, length: 40000000)", "sys_ftruncate -> 0x0",
                "sys_mmap(addr: 0, len: 40000000, prot: 3, flags: 1, fd: 3, off: 0)", "sys_mmap -> 0x7f0040000000",
                "pin_user_pages: handle=a start=0x7f0060000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM",
                "pin_user_pages: handle=b start=0x7f0040000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM");
        assertEquals("1", r.result(8), r.jsonl());
        long a = pfnAt(r, BASE + 0x20000000);
        long b = pfnAt(r, BASE);
        assertEquals(18, r.replayer.kernel().memMap.order(a));
        assertEquals(a - 0x20000, b, "one page-cache folio for the whole file");
    }

    /** hugetlb_vm_op_split() (5.10-7.2): a 2 MiB-aligned address inside a 1 GiB page does not split the VMA. */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void munmapAndMprotectInsideAGigabytePageAreInvalid(String kernel) {
        Replays r = run(kernel, mmap1g(MAP_1G, "40000000", "ffffffffffffffff"), "sys_mmap -> 0x7f0040000000",
                "munmap: addr=0x7f0040200000 len=0x200000",
                "mprotect: addr=0x7f0040000000 len=0x200000 prot=r",
                "munmap: addr=0x7f0040000000 len=0x40000000");
        assertEquals("-EINVAL", r.result(3), r.jsonl());
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertEquals("0", r.result(5), r.jsonl());
    }

    /** ksys_mmap_pgoff(): "len = ALIGN(len, huge_page_size(hs))": a 4 KiB MAP_HUGE_1GB mapping is 1 GiB long. */
    @ParameterizedTest
    @CsvSource({"5.10", "7.2"})
    void theLengthIsRoundedToAGigabyte(String kernel) {
        Replays r = run(kernel, mmap1g(MAP_1G, "1000", "ffffffffffffffff"), "sys_mmap -> 0x7f0040000000",
                "pin_user_pages: handle=a start=0x7f0070000000 nr_pages=1 gup_flags=FOLL_WRITE");
        assertEquals("1", r.result(3), r.jsonl());
    }

    /** madvise_dontneed_free_valid_vma() (5.18+): "start & ~huge_page_mask(hstate_vma(vma))" is -EINVAL. */
    @ParameterizedTest
    @CsvSource({"6.1", "6.12", "7.2"})
    void dontneedNeedsAGigabyteAlignedStart(String kernel) {
        Replays r = run(kernel, mmap1g(MAP_1G, "40000000", "ffffffffffffffff"), "sys_mmap -> 0x7f0040000000",
                "sys_madvise(start: 7f0040200000, len_in: 200000, behavior: 4)", "sys_madvise -> 0xffffffffffffffea",
                "sys_madvise(start: 7f0040000000, len_in: 40000000, behavior: 4)", "sys_madvise -> 0x0");
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertEquals("0", r.result(6), r.jsonl());
    }

    /**
     * io_buffer_account_pin() (io_uring/rsrc.c, 5.10 to 7.2): "imu->acct_pages += page_size(hpage) >> PAGE_SHIFT" once
     * per compound head and ring (headpage_already_acct()): a page of a 1 GiB folio charges 262144 pages.
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void ioUringChargesTheGigabytePageWholeOnce(String kernel) {
        String user = "memlock: pid=100 cap_ipc_lock=0 uid=1000 euid=1000 suid=0 user_locked_vm=0 rlimit=";
        Replays r = run(kernel, mmap1g(MAP_1G, "40000000", "ffffffffffffffff"), "sys_mmap -> 0x7f0040000000",
                user + 0x3ffff000L,
                "io_uring_register_buffers: handle=A addr=0x7f0040000000 len=0x1000",
                user + 0x40000000L,
                "io_uring_register_buffers: handle=B addr=0x7f0040000000 len=0x1000",
                "io_uring_register_buffers: handle=C addr=0x7f0050000000 len=0x1000");
        assertEquals("-ENOMEM", r.result(4), "262144 pages over a limit of 262143: " + r.jsonl());
        assertEquals("0", r.result(6), r.jsonl());
        assertEquals("-ENOMEM", r.result(7), "another ring charges the folio again: " + r.jsonl());
    }

    /**
     * A native mmap's pagesize= names the hstate as MAP_HUGE_* does: MAP_FIXED inside a 1 GiB page is -EINVAL
     * (hugetlb_get_unmapped_area()), a size no hstate has is -EINVAL (ksys_mmap_pgoff(): hstate_sizelog() NULL).
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aNativeMmapNamesItsPageSize(String kernel) {
        Replays r = run(kernel, "mmap: addr=0x7f0040200000 len=0x200000 prot=rw flags=private hugetlb=1 pagesize=0x40000000",
                "mmap: addr=0x7f0040000000 len=0x200000 prot=rw flags=private hugetlb=1 pagesize=0x10000",
                "mmap: addr=0x7f0040000000 len=0x200000 prot=rw flags=private hugetlb=1 pagesize=0x40000000",
                "munmap: addr=0x7f0040200000 len=0x200000",
                "pin_user_pages: handle=a start=0x7f007ffff000 nr_pages=1 gup_flags=FOLL_WRITE",
                "mmap: addr=0x7f0080200000 len=0x200000 prot=rw flags=private hugetlb=1 pagesize=0x200000");
        assertEquals("-EINVAL", r.result(1), r.jsonl());
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertEquals("0", r.result(3), r.jsonl());
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertEquals("1", r.result(5), "the mapping is 1 GiB long: " + r.jsonl());
        assertEquals("0", r.result(6), r.jsonl());
    }

    /**
     * A hugetlbfs file of a pagesize=1G mount (its file line's pagesize=): hugetlbfs_setattr() refuses a size that is
     * not a 1 GiB multiple, hugetlbfs_punch_hole() frees whole 1 GiB pages only, hugetlb_get_unmapped_area() refuses a
     * MAP_FIXED address inside one.
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aGigabyteHugetlbfsFileWorksInGigabytePages(String kernel) {
        Replays r = run(kernel, "file: ino=1001 fs=hugetlbfs size=0x80000000 pagesize=0x40000000",
                "mmap: addr=0x7f0040200000 len=0x40000000 prot=rw flags=shared ino=1001 pgoff=0",
                "mmap: addr=0x7f0040000000 len=0x80000000 prot=rw flags=shared ino=1001 pgoff=0",
                "pin_user_pages: handle=a start=0x7f0040200000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM",
                "madvise: addr=0x7f0040200000 len=0x3fe00000 advice=remove",
                "madvise: addr=0x7f0040000000 len=0x40000000 advice=remove",
                "ftruncate: ino=1001 size=0x200000",
                "ftruncate: ino=1001 size=0x40000000");
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertEquals("0", r.result(3), r.jsonl());
        assertEquals("1", r.result(4), r.jsonl());
        long pfn = r.replayer.kernel().registrations.live().get(0).extents.pfn(0);
        assertEquals(18, r.replayer.kernel().memMap.order(pfn), "hstate_inode(): the mount's 1 GiB pages");
        assertEquals(java.util.List.of("pinned-page-discarded"), r.violationKinds(),
                "the first punch holds no whole 1 GiB page, the second frees the pinned one: " + r.jsonl());
        assertEquals(6, r.violations().get(0).line);
        assertEquals("-EINVAL", r.result(7), r.jsonl());
        assertEquals("0", r.result(8), r.jsonl());
    }

    /**
     * The recorded machine's hstates ({@code # pinreplay record: hugepages} lines): a size it did not register is
     * -EINVAL (size_to_hstate() NULL); its default (default_hugepagesz=1G) is what MAP_HUGETLB without MAP_HUGE_* and a
     * hugetlb=1 line without pagesize= get (hstate_sizelog(0)).
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void theRecordingNamesTheHstatesAndTheDefault(String kernel) {
        String two = "# pinreplay record: hugepages size=2048kB nr=64 free=64 resv=0 default=";
        String one = "# pinreplay record: hugepages size=1048576kB nr=2 free=2 resv=0 default=";
        Replays r = Replays.text(two + "1\n" + Replays.lines(
                "mmap: addr=0x7f0040000000 len=0x200000 prot=rw flags=private hugetlb=1 pagesize=0x40000000"),
                kernel, FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(2), "no 1 GiB hstate: " + r.jsonl());
        r = Replays.text(two + "0\n" + one + "1\n" + Replays.lines(
                "mmap: addr=0x7f0080200000 len=0x200000 prot=rw flags=private hugetlb=1",
                mmap1g("40022", "1000", "ffffffffffffffff"), "sys_mmap -> 0x7f0040000000",
                "pin_user_pages: handle=a start=0x7f0070000000 nr_pages=1 gup_flags=FOLL_WRITE"), kernel, FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(3), "a 1 GiB default hstate: " + r.jsonl());
        assertEquals("1", r.result(6), "MAP_HUGETLB of the default hstate is 1 GiB long: " + r.jsonl());
        assertEquals(18, r.replayer.kernel().memMap.order(pfnAt(r, 0x7f0070000000L)));
    }
}
