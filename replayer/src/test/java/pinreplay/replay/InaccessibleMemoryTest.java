package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Memory the CPU cannot use as it is, or only in part, as the lab's access-matrix recorded it on 5.10, 6.1, 6.12
 * and 7.2: GUP-fast follows PTEs (protnone ones go to the slow path, VM_READ is not its question), the slow path asks
 * check_vma_flags(), an O_DIRECT request whose buffer GUP got only in part fails whole, and a raw recording learns
 * where a file it never saw sized ends from the count the kernel stopped at.
 */
class InaccessibleMemoryTest {
    private static final String MAP = "mmap: addr=0x30000000 len=0x10000 prot=rw flags=private";
    private static final String TOUCH = "fault: addr=0x30000000 len=0x10000 write=1";

    /** gup_fast_pte_range(): pte_protnone() leaves the tail to the slow path, whose check_vma_flags() refuses it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void gupFastStopsAtAProtNoneTail(String kernel) {
        Replays r = Replays.text(Replays.lines(MAP, TOUCH, "mprotect: addr=0x30008000 len=0x8000 prot=none",
                "get_user_pages_fast: start=0x30000000 nr_pages=16 gup_flags=0",
                "get_user_pages_fast: start=0x30008000 nr_pages=8 gup_flags=0",
                "mprotect: addr=0x30008000 len=0x8000 prot=rw",
                "get_user_pages_fast: start=0x30000000 nr_pages=16 gup_flags=0"), kernel, FaultPoints.NONE);
        assertEquals("8", r.result(4), r.jsonl());
        assertEquals("-EFAULT", r.result(5));
        assertEquals("16", r.result(7), "PROT_READ|PROT_WRITE again: the PTEs are followed again");
    }

    /**
     * PROT_EXEC alone or PROT_WRITE alone keeps the PTEs accessible: GUP-fast takes written pages for a read, while
     * the slow path's check_vma_flags() refuses the VMA without VM_READ (vmsplice() 65536, process_vm_readv() -EFAULT).
     */
    @ParameterizedTest(name = "prot={0}")
    @CsvSource({"x", "w"})
    void withoutVmReadOnlyGupFastReadsWrittenPages(String prot) {
        Replays r = Replays.text(Replays.lines(MAP, TOUCH, "mprotect: addr=0x30000000 len=0x10000 prot=" + prot,
                "get_user_pages_fast: start=0x30000000 nr_pages=16 gup_flags=0",
                "get_user_pages: start=0x30000000 nr_pages=16 gup_flags=0",
                "get_user_pages: start=0x30000000 nr_pages=16 gup_flags=FOLL_FORCE"), "6.12", FaultPoints.NONE);
        assertEquals("16", r.result(4), r.jsonl());
        assertEquals("-EFAULT", r.result(5));
        assertEquals("16", r.result(6), "FOLL_FORCE reads what VM_MAYREAD allows");
    }

    /**
     * FOLL_NOFAULT (btrfs's O_DIRECT, 5.16+) cannot fault a page in: pages it got had been faulted in by the CPU,
     * which a recording does not show; the model takes them as present. Without a recorded result it refuses them.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "7.2"})
    void aNofaultGupThatGotPagesShowsThemPresent(String kernel) {
        Replays r = Replays.text(Replays.lines(MAP,
                "get_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_NOFAULT ret=4",
                "get_user_pages_fast: start=0x30008000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_NOFAULT"),
                kernel, FaultPoints.NONE);
        assertEquals("4", r.result(2), r.jsonl());
        assertEquals("present", r.call(2).assumed, r.jsonl());
        assertEquals("-EFAULT", r.result(3), "no recorded result: pages nobody faulted in");
    }

    /**
     * iomap_dio_bio_iter(): the bios whose pages were got are submitted, the next bio_iov_iter_get_pages() error
     * fails the request (iomap_dio_set_error()): a hole after 8 pages is -EFAULT, not a short count.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "7.2"})
    void anODirectBufferGotInPartFailsTheRequest(String kernel) {
        Replays r = Replays.text(Replays.lines("file: ino=20 fs=ext4 dax=0 size=65536", MAP, TOUCH,
                "munmap: addr=0x30008000 len=0x4000",
                "dio_submit: handle=d ino=20 offset=0 len=0x10000 buf=0x30000000 rw=read",
                "dio_complete: handle=d",
                "dio_submit: handle=e ino=20 offset=0 len=0x8000 buf=0x30000000 rw=read",
                "dio_complete: handle=e"), kernel, FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(6), r.jsonl());
        assertEquals("32768", r.result(8), "the pages before the hole alone");
    }

    /**
     * openat() of a file written by pwrite() (4 pages: a size no traced call states), mapped shared over 16 pages; with
     * {@code hook} ext4's mmap hook names its filesystem.
     */
    private static String shortFile(boolean hook, String calls) {
        return "# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 242, mode: 1a4)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_pwrite64(fd: 3, buf: 7ffc1000, count: 4000, pos: 0)\n"
                + " t-9 [000] .....  1.000003: sys_pwrite64 -> 0x4000\n"
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 10000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + (hook ? " t-9 [000] .....  1.000004: p_ext4_file_mmap_0: (ext4_file_mmap+0x0/0xea [ext4]) "
                        + "i_mode=0x81a4 i_flags=0x0\n" : "\n")
                + " t-9 [000] .....  1.000005: sys_mmap -> 0x7f0000000000\n"
                + calls;
    }

    private static String gupFast(int line, long start, int nrPages, String ret) {
        return String.format(" t-9 [000] .....  1.%06d: p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) "
                + "start=0x%x nr_pages=%d gup_flags=0x0\n", line, start, nrPages)
                + String.format(" t-9 [000] .....  1.%06d: r_get_user_pages_fast_0: (x+0x9d/0x2f0 <- get_user_pages_fast) "
                + "ret=%s\n", line + 1, ret);
    }

    /**
     * filemap_fault(): VM_FAULT_SIGBUS past i_size; the count the kernel stopped at says where the file ends (with or
     * without the hook: a device's mapping would have pinned nothing).
     */
    @ParameterizedTest(name = "hook {0}")
    @CsvSource({"true", "false"})
    void aShortCountInsideAFileMappingTellsWhereTheFileEnds(boolean hook) {
        Replays r = Replays.text(shortFile(hook, gupFast(6, 0x7f0000000000L, 16, "4")
                + gupFast(8, 0x7f0000004000L, 12, "-14") + gupFast(10, 0x7f0000000000L, 4, "4")),
                "6.1", FaultPoints.NONE);
        assertEquals("4", r.result(9), r.jsonl());
        assertEquals(PriorMemory.FILE_END, r.call(9).assumed);
        assertEquals("-EFAULT", r.result(11));
        assertNull(r.call(11).assumed, "the end is known now");
        assertEquals("4", r.result(13));
    }

    /**
     * A FOLL_LONGTERM pin of a private fs-DAX mapping stops at the first page that is still the file's (not a COWed
     * copy): check_vma_flags() refuses the VMA in the slow path (5.10-7.2). That says nothing of where the file ends
     * (fuzz-racing-993 on 6.12.117 and 7.2.13: an io_uring registration, then O_DIRECT from the mapping's later pages).
     */
    @Test
    void aLongtermPinStoppedByAPrivateDaxMappingDoesNotEndTheFile() {
        String trace = "# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_openat(dfd: ffffff9c, filename: 7ffc0000, flags: 242, mode: 1a4)\n"
                + " t-9 [000] .....  1.000001: sys_openat -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 2, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000003: p_ext4_file_mmap_0: (ext4_file_mmap+0x0/0xea [ext4]) i_mode=0x81a4"
                + " i_flags=0x2000\n"
                + " t-9 [000] .....  1.000004: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] d....  1.000005: page_fault_user: address=0x7f0000000000 ip=0x402be0 error_code=0x7\n"
                + " t-9 [000] .....  1.000006: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60)"
                + " start=0x7f0000000000 nr_pages=4 gup_flags=0x101\n"
                + " t-9 [000] .....  1.000007: r_pin_user_pages_fast_0: (io_pin_pages+0x82/0xf0 <- pin_user_pages_fast)"
                + " ret=1\n"
                + gupFast(10, 0x7f0000000000L, 4, "4");
        Replays r = Replays.text(trace, "6.12", FaultPoints.NONE);
        assertEquals("1", r.result(8), r.jsonl());
        assertEquals("4", r.result(10), "the file still covers its mapping: " + r.jsonl());
    }

    /** Refused at its first page: the end of the file, or a kind of file the trace did not show; the recording decides. */
    @Test
    void aRefusalAtTheFirstPageOfAnUnsizedFileIsTheRecordings() {
        Replays r = Replays.text(shortFile(true, gupFast(6, 0x7f000000c000L, 1, "-14")
                + gupFast(8, 0x7f0000000000L, 16, "16")), "6.1", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(9), r.jsonl());
        assertTrue(r.call(9).assumed.contains("size"), r.call(9).assumed);
        assertEquals("16", r.result(11), "nothing was learned: the file still covers its mapping");
    }

    /**
     * A raw recording keeps only write faults on present pages: GUP-fast pinning a PROT_WRITE-only mapping for a read
     * shows the CPU had written them, and the model faults them in as it did.
     */
    @Test
    void writtenPagesOfAWriteOnlyMappingAreTakenAsPresent() {
        Replays r = Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_mmap(addr: 0, len: 10000, prot: 2, flags: 22, fd: ffffffff, off: 0)\n"
                + " t-9 [000] .....  1.000001: sys_mmap -> 0x7f0000000000\n"
                + gupFast(2, 0x7f0000000000L, 16, "16") + gupFast(4, 0x7f0000000000L, 16, "16"), "6.12", FaultPoints.NONE);
        assertEquals("16", r.result(4), r.jsonl());
        assertEquals(PriorMemory.PRESENT, r.call(4).assumed);
        assertEquals("16", r.result(6));
        assertNull(r.call(6).assumed);
    }

    /** x86 access_error(): a read fault needs an accessible VMA, not VM_READ; a write fault needs VM_WRITE. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "7.2"})
    void theCpuReadsAWriteOnlyMapping(String kernel) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x2000 prot=w flags=private",
                "fault: addr=0x30000000 len=0x2000 write=0",
                "mmap: addr=0x40000000 len=0x2000 prot=r flags=private",
                "fault: addr=0x40000000 len=0x2000 write=1"), kernel, FaultPoints.NONE);
        assertEquals("0", r.result(2), r.jsonl());
        assertEquals("-EFAULT", r.result(4), r.jsonl());
    }

    /**
     * A FOLL_LONGTERM pin of a private fs-DAX mapping (io_uring's registration) that got its page: check_vma_flags()
     * refuses the VMA (-EOPNOTSUPP), so GUP-fast took the anonymous copy a CPU write fault had made, which the markers
     * show and a raw recording does not (only as an fs_dax:dax_pte_fault event): the model takes the page as written.
     * Without a recorded result it refuses it (fuzz-long-446 on 7.2: the page had moved with MREMAP_DONTUNMAP).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.12", "7.2"})
    void aLongtermPinOfAPrivateFsdaxMappingGotTheCpusCopy(String kernel) {
        Replays r = Replays.text(Replays.lines("file: ino=20 fs=ext4 dax=1 size=0x3000",
                "mmap: addr=0x30000000 len=0x3000 prot=rw flags=private ino=20 pgoff=0",
                "pin_user_pages_fast: start=0x30002000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=1",
                "pin_user_pages_fast: start=0x30001000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM"),
                kernel, FaultPoints.NONE);
        assertEquals("1", r.result(3), r.jsonl());
        assertEquals(PriorMemory.PRESENT, r.call(3).assumed, r.jsonl());
        assertEquals("-EOPNOTSUPP", r.result(4), "no recorded result: a page nobody wrote");
    }

    /**
     * A FOLL_NOFAULT GUP that got pages past one the recording shows faulted in: the CPU wrote the others, which a raw
     * recording does not show (a write fault on an absent page); the model takes every page it got as present, not
     * only a first one absent (fuzz-long-404 on 6.1: btrfs's O_DIRECT write from a private tmpfs mapping moved by
     * mremap()).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "7.2"})
    void aNofaultGupTakesEveryPageItGotAsPresent(String kernel) {
        Replays r = Replays.text(Replays.lines(MAP, "fault: addr=0x30000000 len=0x2000 write=1",
                "get_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_NOFAULT ret=3"),
                kernel, FaultPoints.NONE);
        assertEquals("3", r.result(3), r.jsonl());
        assertEquals(PriorMemory.PRESENT, r.call(3).assumed, r.jsonl());
    }

    /**
     * The pages a FOLL_NOFAULT GUP got across two mappings: the CPU had faulted in those of both (fuzz-long-466 on 6.1:
     * btrfs's O_DIRECT write from two VMAs of a shared tmpfs mapping split by MADV_NOHUGEPAGE).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "7.2"})
    void aNofaultGupTakesThePagesOfEveryMappingItCrossedAsPresent(String kernel) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x2000 prot=rw flags=private",
                "mmap: addr=0x30002000 len=0x2000 prot=rw flags=shared",
                "fault: addr=0x30000000 len=0x1000 write=1",
                "get_user_pages_fast: start=0x30000000 nr_pages=4 gup_flags=FOLL_NOFAULT ret=4"),
                kernel, FaultPoints.NONE);
        assertEquals("4", r.result(4), r.jsonl());
        assertEquals(PriorMemory.PRESENT, r.call(4).assumed, r.jsonl());
    }

    /**
     * A FOLL_WRITE|FOLL_NOFAULT GUP that got a page the model holds read-only (a read fault mapped it): the CPU had
     * written it, a fault a raw recording shows only as an fs_dax:dax_pte_fault event for fs-DAX (fuzz-long-407 on
     * 6.1.176 and 7.2.13: btrfs's O_DIRECT read into a shared xfs fs-DAX mapping the program had written).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "7.2"})
    void aNofaultWriteGupTakesAReadOnlyPageItGotAsWritten(String kernel) {
        Replays r = Replays.text(Replays.lines(MAP, "fault: addr=0x30000000 len=0x1000 write=0",
                "get_user_pages_fast: start=0x30000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_NOFAULT ret=1"),
                kernel, FaultPoints.NONE);
        assertEquals("1", r.result(3), r.jsonl());
        assertEquals(PriorMemory.PRESENT, r.call(3).assumed, r.jsonl());
    }
}
