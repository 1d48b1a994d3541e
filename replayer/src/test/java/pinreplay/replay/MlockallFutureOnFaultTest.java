package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * VM_LOCKED that no mlock() of the range gave: a mapping made after mlockall(MCL_FUTURE | MCL_ONFAULT) (do_mmap() ORs
 * in mm->def_flags, VM_LOCKED | VM_LOCKONFAULT), and a memfd_secret() mapping where secretmem_mmap() sets it. Both
 * refuse MADV_DONTNEED with -EINVAL (madvise_dontneed_free_valid_vma(): "if (vma->vm_flags & VM_LOCKED)" is not
 * dontneed_locked's; fuzz-deeper-601, -605, -606 on the host's 6.18).
 */
class MlockallFutureOnFaultTest {
    private static final String HEAD = "# tracer: nop\n";
    /** memfd_secret() and the ftruncate() that sizes it: lines 2 to 5. */
    private static final String SECRETMEM_SIZED = HEAD
            + " t-9 [000] .....  1.000000: sys_memfd_secret(flags: 0)\n"
            + " t-9 [000] .....  1.000001: sys_memfd_secret -> 0x3\n"
            + " t-9 [000] .....  1.000002: sys_ftruncate(fd: 3, length: 4000)\n"
            + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n";

    /**
     * mlockall(MCL_CURRENT) populates a shared btrfs mapping the program had written with read faults only where no
     * PTE is present (populate_vma_page_range() → __get_user_pages(): follow_page_mask() first): the written page's
     * PTE stays writable, and a later FOLL_WRITE | FOLL_NOFAULT pin of it gets it (fuzz-deeper-603-markers on 7.2.13).
     */
    @Test
    void mlockallCurrentLeavesAWrittenSharedPageWritable() {
        Replays r = Replays.text(HEAD + Replays.lines(
                "file: ino=258 fs=btrfs dax=0 size=65536 dev=0:25",
                "mmap: addr=0x30000000 len=0x4000 prot=rw flags=shared ino=258 pgoff=0",
                "fault: addr=0x30000000 len=0x1000 write=1",
                "sys_mlockall(flags: 1)",
                "sys_mlockall -> 0x0",
                "file: ino=259 fs=btrfs dax=0 size=65536 dev=0:25",
                "dio_submit: handle=d ino=259 dev=0:25 offset=0 len=0x1000 buf=0x30000000 rw=read",
                "p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x30000000 nr_pages=1 gup_flags=0x21",
                "r_pin_user_pages_fast_0: (iov_iter_extract_pages+0x128/0xce0 <- pin_user_pages_fast) ret=1",
                "dio_complete: handle=d ret=4096"),
                "7.2", FaultPoints.NONE);
        assertEquals("1", r.result(9), r.jsonl());
        assertEquals("4096", r.result(11), r.jsonl());
    }

    @Test
    void aMappingAfterMlockallFutureOnFaultIsLocked() {
        Replays r = Replays.text(HEAD
                + " t-9 [000] .....  1.000000: sys_mlockall(flags: 6)\n"
                + " t-9 [000] .....  1.000001: sys_mlockall -> 0x0\n"
                + " t-9 [000] .....  1.000002: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 22, fd: ffffffffffffffff, off: 0)\n"
                + " t-9 [000] .....  1.000003: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000004: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)\n"
                + " t-9 [000] .....  1.000005: sys_madvise -> 0xffffffffffffffea\n", "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(7), r.jsonl());
    }

    @Test
    void aMarkedMappingAfterMlockallFutureIsLockedToo() {
        Replays r = Replays.text(HEAD
                + " t-9 [000] .....  1.000000: sys_mlockall(flags: 6)\n"
                + " t-9 [000] .....  1.000001: sys_mlockall -> 0x0\n"
                + " t-9 [000] .....  1.000002: tracing_mark_write: mmap: addr=0x7f0000000000 len=0x4000 prot=rw "
                + "flags=private\n"
                + " t-9 [000] .....  1.000004: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)\n"
                + " t-9 [000] .....  1.000005: sys_madvise -> 0xffffffffffffffea\n", "7.2", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(6), r.jsonl());
    }

    @ParameterizedTest
    @CsvSource({"6.1, -EINVAL", "6.12, 0", "6.18, -EINVAL", "7.2, 0"})
    void aSecretmemMappingIsLockedWhereSecretmemMmapSaysSo(String release, String expected) {
        // munlockall() first: def_flags known to hold no VM_LOCKED, which munlock() could not take from secretmem
        Replays r = Replays.text(SECRETMEM_SIZED
                + " t-9 [000] .....  1.000003: sys_munlockall()\n"
                + " t-9 [000] .....  1.000003: sys_munlockall -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000005: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000006: sys_munlock(start: 7f0000000000, len: 4000)\n"
                + " t-9 [000] .....  1.000007: sys_munlock -> 0x0\n"
                + " t-9 [000] .....  1.000008: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)\n"
                + " t-9 [000] .....  1.000009: sys_madvise -> 0xffffffffffffffea\n", release, FaultPoints.NONE);
        assertEquals(expected, r.result(13), r.jsonl());
    }

    @ParameterizedTest
    @CsvSource({"6.12", "7.2"})
    void madvRemoveOfAnUnlockedSecretmemMappingIsNotSupported(String release) {
        Replays r = Replays.text(SECRETMEM_SIZED
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000005: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000008: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 9)\n"
                + " t-9 [000] .....  1.000009: sys_madvise -> 0xffffffffffffffa1\n", release, FaultPoints.NONE);
        assertEquals("-EOPNOTSUPP", r.result(9), r.jsonl());
    }

    @ParameterizedTest
    @CsvSource({"6.1", "7.2"})
    void aSecretmemFileIsSizedOnce(String release) {
        Replays r = Replays.text(SECRETMEM_SIZED
                + " t-9 [000] .....  1.000004: tracing_mark_write: file: ino=17 fs=secretmem dax=0 size=16384\n"
                + " t-9 [000] .....  1.000005: tracing_mark_write: ftruncate: ino=17 size=8192 ret=-22\n", release,
                FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(7), r.jsonl());
    }
}
