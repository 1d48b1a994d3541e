package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * mm/memfd.c memfd_add_seals(): F_SEAL_WRITE is refused while the file is mapped shared and writable
 * (mapping_deny_writable()) or its pages are pinned (memfd_wait_for_pins()): a udmabuf, io_uring fixed buffers.
 */
class MemfdSealsTest {
    private static final String HEADER = "# tracer: nop\n";

    private static Replays replay(String release, String... events) {
        return Replays.text(HEADER + Replays.lines(events), release, FaultPoints.NONE);
    }

    @Test
    void aSharedWritableMappingAndThePinsBlockTheWriteSeal() {
        Replays r = replay("6.12", "file: ino=70 fs=tmpfs size=0x100000",
                "mmap: addr=0x7f4000000000 len=0x100000 prot=rw flags=shared ino=70 pgoff=0",
                "add_seals: ino=70 seals=0x8",
                "fault: addr=0x7f4000000000 len=0x10000 write=1",
                "io_uring_register_buffers: handle=ring addr=0x7f4000000000 len=0x10000",
                "munmap: addr=0x7f4000000000 len=0x100000",
                "add_seals: ino=70 seals=0x8",
                "io_uring_unregister_buffers: handle=ring",
                "add_seals: ino=70 seals=0x8",
                "add_seals: ino=70 seals=0x8");
        assertEquals("-EBUSY", r.result(4), "mapping_deny_writable(): the shared writable mapping");
        assertEquals("0", r.result(6));
        assertEquals("-EBUSY", r.result(8), "memfd_wait_for_pins(): the fixed buffer's pins outlive the mapping");
        assertEquals("0", r.result(10));
        assertEquals("0", r.result(11), "sealed already: nothing to wait for");
    }

    @Test
    void aUdmabufBlocksTheWriteSealUntilItsRelease() {
        Replays r = replay("7.2", "file: ino=70 fs=tmpfs size=0x100000",
                "udmabuf_create: handle=ub ino=70 offset=0x0 size=0x10000 seals=0x2",
                "add_seals: ino=70 seals=0x8",
                "udmabuf_release: handle=ub",
                "add_seals: ino=70 seals=0x8",
                "udmabuf_create: handle=ub2 ino=70 offset=0x0 size=0x10000");
        assertEquals("-EBUSY", r.result(4));
        assertEquals("0", r.result(6));
        assertEquals("-EINVAL", r.result(7), "check_memfd_seals(): the file is sealed F_SEAL_WRITE now");
    }

    @ParameterizedTest
    @CsvSource({"6.1, -EINVAL, 0", "6.12, 0, -EINVAL"})
    void theExecSealIsOneFrom63AndImpliesTheWriteSeals(String release, String exec, String create) {
        Replays r = replay(release, "file: ino=70 fs=tmpfs size=0x100000",
                "add_seals: ino=70 seals=0x20",
                "add_seals: ino=70 seals=0x2",
                "udmabuf_create: handle=ub ino=70 offset=0x0 size=0x10000");
        assertEquals(exec, r.result(3));
        assertEquals("0", r.result(4));
        if (release.equals("6.12")) {
            assertEquals(create, r.result(5), "F_SEAL_EXEC on an executable file added F_SEAL_WRITE");
        }
    }

    @Test
    void theSealSealRefusesEveryOther() {
        Replays r = replay("6.12", "file: ino=70 fs=tmpfs size=0x100000",
                "add_seals: ino=70 seals=0x1", "add_seals: ino=70 seals=0x2", "file: ino=71 fs=ext4 size=0x1000",
                "add_seals: ino=71 seals=0x2");
        assertEquals("0", r.result(3));
        assertEquals("-EPERM", r.result(4));
        assertEquals("-EINVAL", r.result(6), "only shmem and hugetlbfs files have seals");
    }

    /** The raw syscalls: memfd_create() with MFD_ALLOW_SEALING, fcntl(F_ADD_SEALS) judged at its return. */
    @Test
    void aRawFcntlIsJudgedOnAMemfdTheRecordingSawMade() {
        String trace = HEADER
                + " t-9 [000] .....  1.000000: sys_memfd_create(uname: 7ffd0000, flags: 2)\n"
                + " t-9 [000] .....  1.000001: sys_memfd_create -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_ftruncate(fd: 3, length: 100000)\n"
                + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 100000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000005: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000006: sys_fcntl(fd: 3, cmd: 409, arg: 8)\n"
                + " t-9 [000] .....  1.000007: sys_fcntl -> 0xfffffffffffffff0\n"
                + " t-9 [000] .....  1.000008: sys_fcntl(fd: 4, cmd: 409, arg: 8)\n"
                + " t-9 [000] .....  1.000009: sys_fcntl -> 0x0\n";
        Replays r = Replays.text(trace, "6.12", FaultPoints.NONE);
        assertEquals("-EBUSY", r.result(9), r.jsonl());
        assertNull(r.call(9).assumed);
        assertEquals(1, r.results(pinreplay.format.EventType.ADD_SEALS).size(), "fd 4: a file whose seals are unknown");
    }

    /** A dma-buf the model could not follow (a two-item list: the probe reads the first item) may pin any memfd. */
    @Test
    void pinsOfADmaBufTheModelCouldNotFollowAreTakenAsRecorded() {
        String t = " t-9 [000] .....  1.0000";
        String trace = HEADER
                + t + "00: sys_memfd_create(uname: 7ffd0000, flags: 2)\n"
                + t + "01: sys_memfd_create -> 0x3\n"
                + t + "02: sys_ftruncate(fd: 3, length: 100000)\n"
                + t + "03: sys_ftruncate -> 0x0\n"
                + t + "04: sys_fcntl(fd: 3, cmd: 409, arg: 2)\n"
                + t + "05: sys_fcntl -> 0x0\n"
                + t + "06: p_udmabuf_create_0: (udmabuf_create+0x0/0x4d0) flags=0x0 items=2 memfd=3 offset=0 size=65536\n"
                + t + "07: p_dma_buf_fd_0: (dma_buf_fd+0x0/0x60) dmabuf=0xffff888004aa0000\n"
                + t + "08: r_udmabuf_create_0: (udmabuf_ioctl+0x93/0x120 <- udmabuf_create) ret=5\n"
                + t + "09: sys_fcntl(fd: 3, cmd: 409, arg: 8)\n"
                + t + "10: sys_fcntl -> 0xfffffffffffffff0\n"
                + t + "11: p_release_udmabuf_0: (release_udmabuf+0x0/0x90) dmabuf=0xffff888004aa0000\n"
                + t + "12: sys_fcntl(fd: 3, cmd: 409, arg: 8)\n"
                + t + "13: sys_fcntl -> 0x0\n";
        Replays r = Replays.text(trace, "6.12", FaultPoints.NONE);
        assertEquals("-EBUSY", r.result(12), r.jsonl());
        assertEquals("the pins of a dma-buf whose memfd range the recording did not show", r.call(12).assumed);
        assertEquals("0", r.result(15));
        assertNull(r.call(15).assumed, "released: nothing the model cannot see holds the memfd");
    }

    /** Line prefix of {@link #RING_OVER_MEMFD}'s trace and of what the tests add to it (timestamps 1.000011 on). */
    private static final String T = " t-9 [000] .....  1.0000";
    /**
     * A memfd of 1 MiB mapped shared, and a ring whose io_uring_register() of buffers succeeded with no GUP shown (a
     * recording without kprobes): lines 1-12 of the trace.
     */
    private static final String RING_OVER_MEMFD = HEADER
            + T + "00: sched_process_exec: filename=/t pid=9 old_pid=9\n"
            + T + "01: sys_memfd_create(uname: 7ffd0000, flags: 2)\n"
            + T + "02: sys_memfd_create -> 0x3\n"
            + T + "03: sys_ftruncate(fd: 3, length: 100000)\n"
            + T + "04: sys_ftruncate -> 0x0\n"
            + T + "05: sys_mmap(addr: 0, len: 100000, prot: 3, flags: 1, fd: 3, off: 0)\n"
            + T + "06: sys_mmap -> 0x7f0000000000\n"
            + T + "07: sys_io_uring_setup(entries: 8, params: 7ffd0000)\n"
            + T + "08: sys_io_uring_setup -> 0x4\n"
            + T + "09: sys_io_uring_register(fd: 4, opcode: 0, arg: 7ffd0000, nr_args: 1)\n"
            + T + "10: sys_io_uring_register -> 0x0\n";

    /**
     * A recording without kprobes (no GUP inside io_uring_register()) does not show the pins of the buffers a ring
     * registered: memfd_wait_for_pins() may meet them, so an -EBUSY is taken as recorded until the table goes. Recorded
     * on a 6.18 host with memfd-seal-pins.
     */
    @Test
    void pinsOfFixedBuffersTheRecordingDidNotShowAreTakenAsRecorded() {
        String trace = RING_OVER_MEMFD
                + T + "11: sys_munmap(addr: 7f0000000000, len: 100000)\n"
                + T + "12: sys_munmap -> 0x0\n"
                + T + "13: sys_fcntl(fd: 3, cmd: 409, arg: 8)\n"
                + T + "14: sys_fcntl -> 0xfffffffffffffff0\n"
                + T + "15: sys_io_uring_register(fd: 4, opcode: 1, arg: 0, nr_args: 0)\n"
                + T + "16: sys_io_uring_register -> 0x0\n"
                + T + "17: sys_fcntl(fd: 3, cmd: 409, arg: 8)\n"
                + T + "18: sys_fcntl -> 0x0\n";
        Replays r = Replays.text(trace, "6.12", FaultPoints.NONE);
        assertEquals("-EBUSY", r.result(16), r.jsonl());
        assertEquals("the pins of io_uring fixed buffers whose pages the recording did not show (no kprobes)",
                r.call(16).assumed);
        assertEquals("0", r.result(20));
        assertNull(r.call(20).assumed, "unregistered: nothing the model cannot see holds the memfd");
    }

    /**
     * io_sqe_buffers_unregister() (io_uring/rsrc.c, 5.10-7.2) releases the ring's whole table: the pins a program's
     * register marker made after an io_uring_register() with no pins shown (no kprobes) go with the ring's unregister,
     * whatever handle its marker names. Recorded on the 6.18 host (fuzz-long-440-markers: handles fuzz17.., fuzz).
     */
    @Test
    void theRingsUnregisterReleasesTheTableAMarkerMade() {
        String trace = RING_OVER_MEMFD
                + T + "11: tracing_mark_write: io_uring_register_buffers: handle=fuzz1 addr=0x7f0000000000 len=0x10000"
                + " ret=0\n"
                + T + "12: sys_munmap(addr: 7f0000000000, len: 100000)\n"
                + T + "13: sys_munmap -> 0x0\n"
                + T + "14: sys_io_uring_register(fd: 4, opcode: 1, arg: 0, nr_args: 0)\n"
                + T + "15: sys_io_uring_register -> 0x0\n"
                + T + "16: tracing_mark_write: io_uring_unregister_buffers: handle=fuzz\n"
                + T + "17: sys_fcntl(fd: 3, cmd: 409, arg: 8)\n"
                + T + "18: sys_fcntl -> 0x0\n";
        Replays r = Replays.text(trace, "6.12", FaultPoints.NONE);
        assertEquals("0", r.result(20), r.jsonl());
        assertNull(r.call(20).assumed, "unregistered: no pin holds the memfd");
    }

    /**
     * The seals forbid what they name (5.10-7.2): shmem_setattr() F_SEAL_SHRINK / F_SEAL_GROW, shmem_fallocate() a
     * punch under F_SEAL_WRITE (MADV_REMOVE too) and an allocation past i_size under F_SEAL_GROW: -EPERM; a size the
     * seals allow still changes.
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void theSealsRefuseWhatTheyName(String release) {
        Replays r = replay(release, "file: ino=70 fs=tmpfs size=0x100000",
                "mmap: addr=0x7f4000000000 len=0x100000 prot=rw flags=shared ino=70 pgoff=0",
                "fault: addr=0x7f4000000000 len=0x10000 write=1",
                "pin_user_pages: start=0x7f4000000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM",
                "add_seals: ino=70 seals=0x6",
                "ftruncate: ino=70 size=0x10000",
                "ftruncate: ino=70 size=0x200000",
                "ftruncate: ino=70 size=0x100000",
                "fallocate: ino=70 mode=allocate offset=0xff000 len=0x2000",
                "fallocate: ino=70 mode=allocate offset=0 len=0x2000",
                "munmap: addr=0x7f4000000000 len=0x100000",
                "add_seals: ino=70 seals=0x10",
                "fallocate: ino=70 mode=punch_hole offset=0 len=0x10000",
                "mmap: addr=0x7f5000000000 len=0x100000 prot=r flags=shared ino=70 pgoff=0",
                "madvise: addr=0x7f5000000000 len=0x10000 advice=remove");
        assertEquals("0", r.result(6), r.jsonl());
        assertEquals("-EPERM", r.result(7), "F_SEAL_SHRINK: the pinned pages stay");
        assertEquals("-EPERM", r.result(8), "F_SEAL_GROW");
        assertEquals("0", r.result(9), "the same size");
        assertEquals("-EPERM", r.result(10), "past i_size under F_SEAL_GROW");
        assertEquals("0", r.result(11));
        assertEquals("0", r.result(13), r.jsonl());
        assertEquals("-EPERM", r.result(14), "a punch under F_SEAL_FUTURE_WRITE");
        assertEquals("0", r.result(15), "read-only shared: VM_MAYWRITE cleared");
        assertEquals("-EACCES", r.result(16), "MADV_REMOVE needs VM_MAYWRITE, gone with the seal");
        assertFalse(r.jsonl().contains("pinned-page-discarded"), r.jsonl());
    }

    /**
     * shmem_setattr(), hugetlbfs_setattr() (5.10-7.2): a memfd whose seals the recording did not all show (made before
     * it, a recording cut after its F_ADD_SEALS, seals added since to ones taken as none, a file of a kind never said)
     * may hold F_SEAL_SHRINK or F_SEAL_GROW from before: its recorded ftruncate() -EPERM is taken with that assumption.
     */
    @ParameterizedTest
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void aRefusedTruncateOfAMemfdFromBeforeTheRecordingAssumesItsSeals(String release) {
        Replays r = replay(release, "file: ino=70 fs=hugetlbfs size=0x200000",
                "ftruncate: ino=70 size=0x600000 ret=-1",
                "file: ino=71 fs=tmpfs size=0x100000",
                "add_seals: ino=71 seals=0xa",
                "ftruncate: ino=71 size=0x200000 ret=-1",
                "ftruncate: ino=72 size=0x1000 ret=0",
                "ftruncate: ino=72 size=0x200000 ret=-1");
        assertEquals("-EPERM", r.result(3), r.jsonl());
        assertTrue(r.call(3).agrees() && r.call(3).assumed.contains("F_SEAL_GROW"), r.jsonl());
        assertEquals("-EPERM", r.result(6), r.jsonl());
        assertTrue(r.call(6).assumed.contains("F_SEAL_GROW"), "F_SEAL_SHRINK|F_SEAL_WRITE on seals taken as none");
        assertTrue(r.call(8).assumed.contains("F_SEAL_GROW"), "a file whose kind the recording never said: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * A new mapping of a write-sealed memfd: shared writable is -EPERM everywhere; shared read-only under F_SEAL_WRITE
     * maps once mmap_region() tests vma_is_shared_maywrite() (5.10.241, 6.1.y, 6.7), and mprotect() cannot make it
     * writable (VM_MAYWRITE cleared: -EACCES).
     */
    @ParameterizedTest
    @CsvSource({"5.10.223, -EPERM", "5.10, 0", "6.1, 0", "7.2, 0"})
    void aWriteSealedMemfdMapsOnlyReadOnly(String release, String readOnly) {
        Replays r = replay(release, "file: ino=70 fs=tmpfs size=0x100000",
                "add_seals: ino=70 seals=0x8",
                "mmap: addr=0x7f4000000000 len=0x100000 prot=rw flags=shared ino=70 pgoff=0",
                "mmap: addr=0x7f4000000000 len=0x100000 prot=r flags=shared ino=70 pgoff=0",
                "mmap: addr=0x7f5000000000 len=0x100000 prot=rw flags=private ino=70 pgoff=0",
                "mprotect: addr=0x7f4000000000 len=0x1000 prot=rw");
        assertEquals("0", r.result(3));
        assertEquals("-EPERM", r.result(4), r.jsonl());
        assertEquals(readOnly, r.result(5), r.jsonl());
        assertEquals("0", r.result(6), "a private mapping may write its copies");
        if (readOnly.equals("0")) {
            assertEquals("-EACCES", r.result(7), r.jsonl());
        }
    }

    /**
     * A punch of a write-sealed MFD_HUGETLB memfd that holds no whole huge page (fuzz-long-404 on 5.10.223:
     * KEEP_SIZE|PUNCH_HOLE over 0x395000-0x3f9000): hugetlbfs_punch_hole() tests the seals inside "if (hole_end >
     * hole_start)" in 5.10 (0), before it from 6.0 (-EPERM, 6.1.176, 7.2.13); a whole huge page is -EPERM in both.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10.223, 0", "6.1, -EPERM", "7.2, -EPERM"})
    void aWriteSealedHugetlbPunchOfNoWholeHugePage(String release, String partial) {
        Replays r = replay(release, "file: ino=70 fs=hugetlbfs size=0x400000",
                "add_seals: ino=70 seals=0x8",
                "fallocate: ino=70 offset=0x395000 len=0x64000 mode=punch_hole",
                "fallocate: ino=70 offset=0x200000 len=0x200000 mode=punch_hole");
        assertEquals(partial, r.result(4), r.jsonl());
        assertEquals("-EPERM", r.result(5), r.jsonl());
    }
}
