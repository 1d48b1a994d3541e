package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import pinreplay.format.parse.RecordingHeader;
import pinreplay.replay.fault.FaultPoints;

/**
 * A recording that begins in the middle of a program's life (a ring buffer that overwrote its start, tracing
 * switched on late) names files, registrations and memory it never showed made. A call that succeeded on them, as
 * recorded, says they existed: the model assumes so and says it, instead of reporting a divergence or an unbalanced
 * release; a later result that contradicts what it guessed of such memory revises the guess.
 */
class RecordingStartedLateTest {
    private static Replays replay(String... events) {
        return Replays.text(Replays.lines(events), "6.1", FaultPoints.NONE);
    }

    private static void agreesAndAssumes(Replays r, long line, String result) {
        assertEquals(result, r.result(line), r.jsonl());
        assertTrue(r.call(line).agrees(), r.jsonl());
        assertTrue(r.call(line).assumed != null && r.call(line).assumed.contains("made before the recording"), r.jsonl());
    }

    private static String pin(String call, long start, int nr, String flags) {
        return "p_" + call + "_0: (" + call + "+0x4/0x60) start=0x" + Long.toHexString(start) + " nr_pages=" + nr
                + " gup_flags=" + flags;
    }

    private static String pinned(String call, long ret) {
        return "r_" + call + "_0: (x+0x82/0xf0 <- " + call + ") ret=" + ret;
    }

    /**
     * A memfd declared before the recording, known by the number its mmap marker names: the mapping's end is only a
     * guess at its size (past i_size shmem_fault() is SIGBUS and the GUP -EFAULT, so a short pin ends it), and once a
     * long-term write pin revealed it shmem (writable_file_mapping_allowed(), 6.5+), markers naming that number mean
     * the revealed file: an ftruncate shrinks it (6.12 fuzz-deeper-603-markers cut at 80 %: the pins of process_vm_readv() stopped at the
     * end, which the model had put at the mapping's end, and after the truncate took pages past it).
     */
    @Test
    void aFileKnownByItsNumberIsSizedByTheRecordingAndTruncatedAsRevealed() {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x4000 prot=rw flags=shared ino=32 pgoff=1",
                pin("pin_user_pages_remote", 0x30002000L, 2, "0x0"), pinned("pin_user_pages_remote", 1),
                pin("pin_user_pages_fast", 0x30000000L, 2, "0x101"), pinned("pin_user_pages_fast", 2),
                "ftruncate: ino=32 size=8192 ret=0 dev=0:1",
                pin("pin_user_pages_remote", 0x30001000L, 1, "0x0"), pinned("pin_user_pages_remote", -14)), "6.12",
                FaultPoints.NONE);
        assertEquals("1", r.result(2), r.jsonl());
        assertEquals("end-of-file", r.call(2).assumed, r.jsonl());
        assertEquals("file-is-shmem", r.call(4).assumed, r.jsonl());
        assertEquals("-EFAULT", r.result(7), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void aDirectIoSubmittedBeforeTheRecordingCompletesWithoutAnUnbalancedRelease() {
        Replays r = replay("dio_complete: handle=d ret=65536");
        agreesAndAssumes(r, 1, "65536");
        assertEquals(List.of(), r.violationKinds());
        assertEquals(0, r.summary.divergences);
    }

    @Test
    void aDirectIoIntoMemoryNobodyDescribedCompletesAsRecorded() {
        Replays r = replay("dio_submit: handle=d ino=5 offset=0 buf=0x7f0000000000 len=65536 rw=read", "dio_complete: handle=d ret=65536",
                "dio_submit: handle=e ino=5 offset=0 buf=0x7f0000000000 len=65536 rw=read", "dio_complete: handle=e");
        assertEquals("65536", r.result(2), r.jsonl());
        assertTrue(r.call(2).assumed.contains("the mapping of d's buffer made before the recording"), r.jsonl());
        assertEquals("-EFAULT", r.result(4), "no recorded result: memory nobody mapped");
        assertEquals(List.of(), r.violationKinds());
    }

    /**
     * An O_DIRECT read into memory only a pin's result described (assumed anonymous and writable): the kernel's GUP
     * inside found it read-only, so the request failed; the guess cannot give that, the recording decides.
     */
    @Test
    void aDirectIoIntoAssumedMemoryTakesTheRecordedFailure() {
        Replays r = replay("pin_user_pages: start=0x30000000 nr_pages=16 gup_flags=0 handle=p ret=16",
                "dio_submit: handle=d ino=77 offset=0 len=0x10000 buf=0x30000000 rw=read", "dio_complete: handle=d ret=-14",
                "mmap: addr=0x40000000 len=0x10000 prot=r flags=private",
                "dio_submit: handle=e ino=77 offset=0 len=0x10000 buf=0x40000000 rw=read",
                "dio_complete: handle=e ret=65536");
        assertEquals("anonymous", r.call(1).assumed, r.jsonl());
        assertEquals("-EFAULT", r.result(3), r.jsonl());
        assertTrue(r.call(3).agrees() && r.call(3).assumed.contains("is not what was assumed (the model gave 65536)"),
                r.jsonl());
        assertEquals("-EFAULT", r.result(6), "memory the recording mapped: the model's own result");
        assertEquals(1, r.summary.divergences, r.jsonl());
    }

    /**
     * Every ext4 numbers its first files 12, 13, ...: a marker naming inode 13 alone, where the recording declared only
     * an fs-DAX file 13, may mean a disk file 13 declared before it. The DAX copy would have written the page it could;
     * the kernel's -EFAULT says the request pinned its buffer, on the other file: the number names two files from then on.
     */
    @Test
    void aDirectIoNamingItsFileByNumberAloneMayMeanAnotherFileOfThatNumber() {
        Replays r = replay("file: ino=13 fs=ext4 dax=1 size=12288 dev=259:0",
                "mmap: addr=0x30000000 len=0x1000 prot=rw flags=private", "fault: addr=0x30000000 len=0x1000 write=1",
                "dio_submit: handle=d ino=13 offset=0 len=0x3000 buf=0x30000000 rw=write", "dio_complete: handle=d ret=-14",
                "dio_submit: handle=e ino=13 offset=0 len=0x3000 buf=0x30000000 rw=write",
                "dio_complete: handle=e ret=-14");
        assertEquals("-EFAULT", r.result(5), r.jsonl());
        assertTrue(r.call(5).agrees() && r.call(5).assumed.contains("inode 13 of d is another file of that number")
                && r.call(5).assumed.contains("the model gave 4096"), r.jsonl());
        assertEquals("-EFAULT", r.result(7));
        assertNull(r.call(7).assumed, "the number is ambiguous now: the model's own -EFAULT");
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * btrfs's O_DIRECT read first pins with FOLL_NOFAULT (btrfs_direct_read(), 5.16+): on a file the recording never
     * declared, that attempt found the buffer as it was before the marker's request faulted it in (memory from before
     * the recording whose pages were never touched), not as the model's own GUP for the marker left it.
     */
    @Test
    void theNofaultAttemptOfAnUndeclaredFilesDirectIoSeesThePagesBeforeTheRequest() {
        String probe = "p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f1000000000 nr_pages=5 gup_flags=";
        String ret = "r_pin_user_pages_fast_0: (iov_iter_extract_pages+0xf7/0x890 <- pin_user_pages_fast) ret=";
        Replays r = Replays.text(Replays.lines("mprotect: addr=0x7f1000000000 len=0x5000 prot=rw ret=0",
                "dio_submit: handle=d ino=259 offset=0 len=0x5000 buf=0x7f1000000000 rw=read dev=0:24",
                probe + "0x21", ret + "4294967282", probe + "0x1", ret + "5", "dio_complete: handle=d ret=20480"),
                "6.12", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(3), r.jsonl());
        assertNull(r.call(3).assumed, "the pages were absent: nothing to revise (the mapping is not read-only)");
        assertEquals("5", r.result(5), r.jsonl());
        assertNull(r.call(5).assumed, r.jsonl());
        assertEquals("20480", r.result(7), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * dax_iomap_rw() copies with the CPU and takes no page: a GUP of the buffer inside a request whose marker named inode
     * 13 alone, where the recording declared only an fs-DAX file 13, shows a disk file 13 declared before it. The DAX
     * file keeps its one page (a later pin past it fails), though the model had written the request into it.
     */
    @Test
    void aGupInsideADirectIoNamingItsFileByNumberShowsAnotherFileOfThatNumber() {
        Replays r = undeclared("5.10", "file: ino=13 fs=ext4 dax=1 size=4096 dev=259:0",
                "mmap: addr=0x30000000 len=0x10000 prot=rw flags=private", "fault: addr=0x30000000 len=0x10000 write=1",
                "dio_submit: handle=d ino=13 offset=0 len=0x10000 buf=0x30000000 rw=write",
                "p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) start=0x30000000 nr_pages=16 gup_flags=0x0",
                "r_get_user_pages_fast_0: (iov_iter_get_pages+0xd4/0x350 <- get_user_pages_fast) ret=16",
                "dio_complete: handle=d ret=65536",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=shared ino=13 pgoff=0 dev=259:0",
                "pin_user_pages: start=0x40001000 nr_pages=1 gup_flags=0 handle=p ret=-14");
        assertTrue(r.call(5).assumed.contains("inode 13 of d is another file of that number"), r.jsonl());
        assertEquals("65536", r.result(7), r.jsonl());
        assertEquals("-EFAULT", r.result(9), "the DAX file still ends after its first page: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /** A failed O_DIRECT request whose submission came before the recording: its completion's errno as recorded. */
    @Test
    void aDirectIoThatFailedBeforeTheRecordingCompletesAsRecorded() {
        Replays r = replay("dio_complete: handle=d ret=-14");
        assertEquals("-EFAULT", r.result(1), r.jsonl());
        assertTrue(r.call(1).agrees() && r.call(1).assumed.contains("d submitted before the recording"), r.jsonl());
        assertEquals(List.of(), r.violationKinds());
    }

    /**
     * A request not aligned to a logical block, to a file the recording never declared: ext4 or xfs would refuse it
     * (iomap_dio_bio_iter()), btrfs would not; the recorded -EINVAL says which.
     */
    @Test
    void aMisalignedDirectIoToAnUndeclaredFileTakesTheRecordedEinval() {
        Replays r = replay("mmap: addr=0x30000000 len=0x10000 prot=rw flags=private",
                "fault: addr=0x30000000 len=0x10000 write=1",
                "dio_submit: handle=d ino=77 offset=1 len=0x4000 buf=0x30000000 rw=read", "dio_complete: handle=d ret=-22",
                "dio_submit: handle=e ino=77 offset=1 len=0x4000 buf=0x30000000 rw=read", "dio_complete: handle=e ret=16384");
        assertEquals("-EINVAL", r.result(4), r.jsonl());
        assertTrue(r.call(4).assumed.contains("ext4, xfs or alike"), r.jsonl());
        assertEquals("16384", r.result(6));
        assertNull(r.call(6).assumed);
    }

    @Test
    void withoutARecordedResultAReleaseOfAnUnknownHandleIsStillUnbalanced() {
        Replays r = replay("unpin_user_pages: handle=p dirty=0", "dio_complete: handle=d");
        assertEquals(List.of("unbalanced-unpin", "unbalanced-unpin"), r.violationKinds());
        assertNull(r.call(2).assumed);
    }

    @Test
    void aFileOpenedBeforeTheRecordingIsTruncatedAsRecorded() {
        Replays r = replay("ftruncate: ino=13 size=0 ret=0", "fallocate: ino=13 mode=punch_hole offset=0 len=4096 ret=0",
                "ftruncate: ino=14 size=0");
        agreesAndAssumes(r, 1, "0");
        assertEquals("0", r.result(2));
        assertNull(r.call(2).assumed, "the file is known from line 1 on");
        assertEquals("-EBADF", r.result(3), "no recorded result: a file nobody declared");
    }

    /**
     * A file from before the recording is of unknown kind and size: an INSERT_RANGE the model's empty ext4-like file
     * refuses, the kernel's longer file took; shmem refuses it first with -EOPNOTSUPP (shmem_fallocate()).
     */
    @Test
    void aFallocateOfAFileFromBeforeTheRecordingTheGuessCannotExplainTakesTheRecordedResult() {
        Replays r = replay("fallocate: ino=40 mode=punch_hole offset=0 len=0x2000 ret=0",
                "fallocate: ino=40 mode=insert_range offset=0x4000 len=0x1000 ret=0",
                "fallocate: ino=41 mode=punch_hole offset=0 len=0x1000 ret=0",
                "fallocate: ino=41 mode=insert_range offset=0x3000 len=0xa00 ret=-95",
                "fallocate: ino=40 mode=collapse_range offset=0x1000 len=0x800 ret=-22");
        agreesAndAssumes(r, 1, "0");
        assertEquals("0", r.result(2), r.jsonl());
        assertTrue(r.call(2).agrees() && r.call(2).assumed.contains("inode 40, a file from before the recording, is not"
                + " what was assumed (the model gave -EINVAL)"), r.jsonl());
        assertEquals("-EOPNOTSUPP", r.result(4), r.jsonl());
        assertTrue(r.call(4).assumed.contains("inode 41"), r.jsonl());
        assertEquals("-EINVAL", r.result(5));
        assertNull(r.call(5).assumed, "a misaligned COLLAPSE_RANGE: the model's own refusal");
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void deviceAccessesAndReleasesOfRegistrationsMadeBeforeTheRecordingAreTakenAsRecorded() {
        Replays r = replay("dma_write: handle=v iova=0x100000 len=2048 ret=2048", "rdma_dereg_mr: handle=m ret=0",
                "io_uring_unregister_buffers: handle=u ret=0");
        agreesAndAssumes(r, 1, "2048");
        agreesAndAssumes(r, 2, "0");
        agreesAndAssumes(r, 3, "0");
        assertEquals(List.of(), r.violationKinds());
    }

    /**
     * io_sqe_buffers_register() refuses a second table before any pin ("if (ctx->user_bufs) return -EBUSY;"): on a ring
     * older than the recording, a recorded -EBUSY shows the table registered before it, which the program's marker
     * takes and the unregistration then finds.
     */
    @Test
    void anIoUringRegistrationRefusedWithEbusyShowsATableRegisteredBeforeTheRecording() {
        Replays r = Replays.text(Replays.lines("sys_io_uring_register(fd: 4, opcode: 0, arg: 7ffd0000, nr_args: 1)",
                "sys_io_uring_register -> 0xfffffffffffffff0",
                "io_uring_register_buffers: handle=b addr=0x7f0000000000 len=0x6000 ret=-16",
                "sys_io_uring_register(fd: 4, opcode: 1, arg: 0, nr_args: 0)", "sys_io_uring_register -> 0x0"),
                "6.1", FaultPoints.NONE);
        assertEquals("-EBUSY", r.result(2), r.jsonl());
        assertTrue(r.call(2).assumed.contains("a buffer table of the ring registered before the recording"), r.jsonl());
        assertEquals("-EBUSY", r.result(3), "the marker takes the call's judgement: " + r.jsonl());
        assertEquals("0", r.result(5), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * A pin inside io_uring_register() that the guess of memory from before the recording could not give (a write pin of
     * memory a refused write made read-only: a write it did not need FOLL_WRITE for, or another mapping there since): the
     * registration went on with the kernel's pins, to io_uring's walk of their VMAs (-EOPNOTSUPP before 6.5), not with
     * the model's refused pin.
     */
    @Test
    void anIoUringRegistrationOverAPinTheGuessCouldNotGiveTakesTheRecordedResult() {
        Replays r = Replays.text(Replays.lines("pin_user_pages: start=0x7f0000000000 nr_pages=4 gup_flags=0 handle=p ret=4",
                "pin_user_pages: start=0x7f0000000000 nr_pages=4 gup_flags=FOLL_WRITE handle=q ret=-14",
                "sys_io_uring_register(fd: 4, opcode: 0, arg: 7ffd0000, nr_args: 1)",
                "p_pin_user_pages_0: (pin_user_pages+0x0/0x50) start=0x7f0000000000 nr_pages=4 gup_flags=0x10001",
                "r_pin_user_pages_0: (io_pin_pages+0xba/0x220 <- pin_user_pages) ret=4",
                "sys_io_uring_register -> 0xffffffffffffffa1"), "6.1", FaultPoints.NONE);
        assertEquals("read-only", r.call(2).assumed, r.jsonl());
        assertTrue(r.call(4).agrees() && r.call(4).assumed.contains("the model gave -EFAULT"), r.jsonl());
        assertEquals("-EOPNOTSUPP", r.result(6), r.jsonl());
        assertTrue(r.call(6).agrees() && r.call(6).assumed.contains("the model gave -EFAULT"), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void strictStateRefusesToAssumeARegistration() {
        assertThrows(PriorMemory.UndescribedMemory.class, () -> Replays.text(
                Replays.lines("dio_complete: handle=d ret=65536"), "6.1", FaultPoints.NONE, true));
    }

    @Test
    void afterTheRingBufferLostEventsAnUnknownReleaseIsAssumedAndTheLossIsCounted() {
        String lost = "CPU:0 [LOST 100 EVENTS]\n";
        Replays r = Replays.text(Replays.lines("unpin_user_pages: handle=a dirty=0") + lost
                + Replays.lines("unpin_user_pages: handle=b dirty=0").replace("1.000001", "1.000003"), "6.1", FaultPoints.NONE);
        assertEquals(List.of("unbalanced-unpin"), r.violationKinds(), "before the loss the trace is whole: " + r.jsonl());
        assertTrue(r.call(3).assumed.contains("registration b made in the events the ring buffer lost"), r.jsonl());
        assertEquals(100, r.summary.lostEvents);
        assertEquals(1, r.summary.lossNotices);
        assertEquals(2, r.summary.firstLossLine);
    }

    @Test
    void aTraceFileWhoseHeaderCountsOverwrittenEventsStartsAfterALoss() {
        Replays r = Replays.text("# tracer: nop\n#\n# entries-in-buffer/entries-written: 1/250   #P:2\n#\n"
                + Replays.lines("unpin_user_pages: handle=a dirty=0"), "6.1", FaultPoints.NONE);
        assertEquals(249, r.summary.lostEvents);
        assertEquals(3, r.summary.firstLossLine);
        assertEquals(List.of(), r.violationKinds(), "the pin was among the overwritten events: " + r.jsonl());
    }

    @Test
    void aRecordingsTrailingTraceFileHeaderDoesNotCountTheSameLossTwice() {
        // trace_pipe said it as it happened; the recorder's teardown then appends the trace file, whose header counts the
        // buffer's whole overrun
        Replays r = Replays.text(Replays.lines("unpin_user_pages: handle=a dirty=0") + "CPU:0 [LOST 100 EVENTS]\n"
                + "# entries-in-buffer/entries-written: 5/110   #P:2\n", "6.1", FaultPoints.NONE);
        assertEquals(105, r.summary.lostEvents);
        assertEquals(2, r.summary.lossNotices);
        assertEquals(2, r.summary.firstLossLine);
    }

    @Test
    void afterALossMemoryTheModelKnewIsRevisedByTheKernelsResults() {
        // the program munmap()ed the buffer in the lost events: the next pin's -EFAULT is the kernel's, not a divergence
        Replays r = Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000001: sys_mmap(addr: 0, len: 10000, prot: 3, flags: 22, fd: ffffffffffffffff, off: 0)\n"
                + " t-9 [000] .....  1.000002: sys_mmap -> 0x7f0000000000\n"
                + "CPU:0 [LOST 7 EVENTS]\n" + pin(4, 1, -14), "6.1", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(5), r.jsonl());
        assertTrue(r.call(5).agrees() && r.call(5).assumed != null, r.jsonl());
        assertEquals(0, r.summary.divergences);
    }

    @Test
    void aSnapshotsFilesAreKnownByDeviceAndInodeNumber() {
        // every ext4 filesystem numbers its first files 12, 13, ...: a DAX file and a disk file, both inode 15 (5.10 lab)
        String snap = "        snapshot-0       [000] .....     0.000000: ";
        Replays r = Replays.text("# tracer: nop\n"
                + snap + "file: ino=15 fs=ext4 dax=1 size=65536 dev=259:0\n"
                + snap + "vma: mm=9 start=0x7f0000000000 end=0x7f0000010000 prot=rw flags=shared ino=15 pgoff=0x0 dev=259:0\n"
                + snap + "file: ino=15 fs=ext4 dax=0 size=65536 dev=254:0\n"
                + snap + "vma: mm=9 start=0x7f0000010000 end=0x7f0000020000 prot=rw flags=shared ino=15 pgoff=0x0 dev=254:0\n"
                + snap + "vma: mm=9 start=0x7f0000020000 end=0x7f0000030000 prot=rw flags=shared ino=15 pgoff=0x0 dev=259:0\n"
                + pinAt(6, 0x7f0000000000L, -95) + pinAt(8, 0x7f0000010000L, 16) + pinAt(10, 0x7f0000020000L, -95),
                "6.1", FaultPoints.NONE);
        assertEquals(List.of("-EOPNOTSUPP", "16", "-EOPNOTSUPP"), List.of(r.result(7), r.result(9), r.result(11)), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /** A long-term write pin_user_pages_remote() of 16 pages at {@code start} by task 9, returning {@code ret}. */
    private static String pinAt(int at, long start, int ret) {
        return PIN.replace("start=0x7f0000000000", "start=0x" + Long.toHexString(start)).formatted(at, 0x10001, at + 1, ret);
    }

    private static final String PIN = " t-9 [000] .....  1.%06d: p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x30) "
            + "start=0x7f0000000000 nr_pages=16 gup_flags=0x%x\n"
            + " t-9 [000] .....  1.%06d: r_pin_user_pages_remote_0: (process_vm_rw_core+0x1da/0x4a0 <- "
            + "pin_user_pages_remote) ret=%d\n";

    private static String pin(int at, int foll, int ret) {
        return String.format(PIN, at, foll, at + 1, ret);
    }

    @Test
    void aWriteRefusedOnMemoryAssumedWritableMakesItReadOnly() {
        // process_vm_readv() then process_vm_writev() of a PROT_READ mapping older than the recording (pvm-vmsplice on 5.10)
        Replays r = Replays.text("# tracer: nop\n" + pin(1, 0, 16) + pin(3, 1, -14) + pin(5, 1, -14) + pin(7, 0, 16),
                "6.1", FaultPoints.NONE);
        assertEquals("anonymous", r.call(2).assumed, r.jsonl());
        assertEquals("read-only", r.call(4).assumed, r.jsonl());
        assertNull(r.call(6).assumed, "the revised mapping gives the kernel's -EFAULT itself");
        assertEquals("-EFAULT", r.result(6));
        assertEquals("16", r.result(8));
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void aReadRefusedOnMemoryAssumedAnonymousMakesItADevicesMapping() {
        // a vfio BAR mmap()ed before the recording: a marker's successful map made it look like memory
        Replays r = Replays.text("# tracer: nop\n" + pin(1, 0, 16) + pin(3, 0, -14) + pin(5, 1, -14), "6.1",
                FaultPoints.NONE);
        assertEquals("device", r.call(4).assumed, r.jsonl());
        assertEquals("-EFAULT", r.result(6));
        assertNull(r.call(6).assumed, r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void aMadviseTheGuessCannotExplainTakesTheRecordedResult() {
        // MADV_FREE (8) refused by a shared file mapping the recording never showed: the walk found a VMA
        Replays r = Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000001: sys_madvise(start: 7f0000000000, len_in: 10000, behavior: 8)\n"
                + " t-9 [000] .....  1.000002: sys_madvise -> 0xffffffffffffffea\n"
                + " t-9 [000] .....  1.000003: sys_madvise(start: 7f0000000000, len_in: 10000, behavior: 4)\n"
                + " t-9 [000] .....  1.000004: sys_madvise -> 0x0\n"
                + " t-9 [000] .....  1.000005: sys_madvise(start: 7f1000000000, len_in: 10000, behavior: 4)\n"
                + " t-9 [000] .....  1.000006: sys_madvise -> 0xfffffffffffffff4\n", "6.1", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(3));
        assertTrue(r.call(3).assumed.contains("anonymous") && r.call(3).assumed.contains("the model gave 0"), r.jsonl());
        assertNull(r.call(5).assumed, "MADV_DONTNEED of the assumed mapping: the model's own 0");
        assertEquals("-ENOMEM", r.result(7));
        assertNull(r.call(7).assumed, "-ENOMEM is a hole's answer: nothing assumed");
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * madvise_walk_vmas() returns a VMA's refusal at once and a hole's -ENOMEM only at the end: a MADV_WIPEONFORK refused
     * with -EINVAL over a page the recording unmapped and one it never described met a mapping there (a file's, as the
     * refusal says), where the model knew none.
     */
    @Test
    void aMadviseRefusedBeforeAHoleTheRecordingMadeFoundTheRestMapped() {
        Replays r = replay("munmap: addr=0x7f1000001000 len=0x1000",
                "madvise: addr=0x7f1000000000 len=0x2000 advice=wipeonfork ret=-22",
                "madvise: addr=0x7f1000000000 len=0x2000 advice=normal ret=0");
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertTrue(r.call(2).agrees() && r.call(2).assumed.contains("anonymous")
                && r.call(2).assumed.contains("the model gave -ENOMEM"), r.jsonl());
        assertEquals("-ENOMEM", r.result(3), "a success over the hole the recording made is the model's own -ENOMEM");
        assertEquals(1, r.summary.divergences, r.jsonl());
    }

    /** A file whose declaration came before the recording, named by its mappings' marker only: of unknown kind. */
    private static Replays undeclared(String release, String... events) {
        return Replays.text(Replays.lines(events), release, FaultPoints.NONE);
    }

    @Test
    void aLongtermWritePinOfAnUndeclaredSharedFileRevealsShmem() {
        // check_vma_flags() writable_file_mapping_allowed() (6.5+) refuses dirty-tracked files: this one is not
        Replays r = undeclared("6.12", "mmap: addr=0x30000000 len=0x8000 prot=rw flags=private",
                "mmap: addr=0x30008000 len=0x8000 prot=rw flags=shared ino=21 pgoff=0",
                "pin_user_pages: start=0x30000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p ret=16",
                "pin_user_pages: start=0x30008000 nr_pages=8 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=q ret=8");
        assertEquals("16", r.result(3), r.jsonl());
        assertEquals("file-is-shmem", r.call(3).assumed, "the file is the second mapping's, not the first page's");
        assertEquals("8", r.result(4));
        assertNull(r.call(4).assumed, "known from line 3 on");
        assertEquals(0, r.summary.divergences);
    }

    /**
     * A registration refused with -EFAULT over a mapping of a file of unknown kind and the hole past it may have failed
     * at the hole (io_pin_pages(): a partial pin): it does not make the file a device's, whose every GUP would fail.
     */
    @Test
    void aRegistrationRefusedPastAnUndeclaredFilesMappingRevealsNoDevice() {
        Replays r = undeclared("7.2", "mmap: addr=0x30000000 len=0x2000 prot=rw flags=private ino=14 pgoff=0",
                "munmap: addr=0x30001000 len=0x1000",
                "io_uring_register_buffers: handle=b addr=0x30000000 len=0x3000 ret=-14",
                "get_user_pages_fast: start=0x30000000 nr_pages=1 gup_flags=0 handle=g ret=1");
        assertEquals("-EFAULT", r.result(3), r.jsonl());
        assertEquals("1", r.result(4), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @Test
    void aMadviseRefusedOnAnUndeclaredFileIsTakenAsRecorded() {
        // madvise_cold(): can_madv_lru_vma() refuses VM_HUGETLB: a hugetlbfs file the model took for ext4-like
        Replays r = undeclared("6.1", "mmap: addr=0x40000000 len=0x200000 prot=rw flags=shared ino=28349 pgoff=0",
                "madvise: addr=0x40000000 len=0x200000 advice=cold ret=-22");
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertTrue(r.call(2).agrees() && r.call(2).assumed.contains("a file it never described"), r.jsonl());
    }

    @Test
    void anODirectReadOfAFileOfUnknownSizeEndsWhereTheRecordingSays() {
        Replays r = undeclared("6.1", "mmap: addr=0x30000000 len=0x10000 prot=rw flags=private",
                "fault: addr=0x30000000 len=0x10000 write=1",
                "dio_submit: handle=d ino=77 offset=57344 len=0x4000 buf=0x30000000 rw=read", "dio_complete: handle=d ret=8192",
                "dio_submit: handle=e ino=77 offset=0 len=0x4000 buf=0x30000000 rw=read", "dio_complete: handle=e ret=16384");
        assertEquals("8192", r.result(4), r.jsonl());
        assertTrue(r.call(4).assumed.contains("ends 8192 bytes into the read"), r.jsonl());
        assertEquals("16384", r.result(6));
        assertEquals(0, r.summary.divergences);
    }

    /**
     * A read of a file the recording never declared whose GUP stopped at a hole the recording made: ext4 and xfs fail the
     * request (iomap_dio_set_error()), btrfs (5.16+) keeps the bytes GUP got; the recorded count says btrfs, the
     * recorded -EFAULT of another file's read ext4 or xfs.
     */
    @Test
    void aPartialODirectReadOfAnUndeclaredFileThatEndsWhereGupStoppedWasBtrfss() {
        String[] events = {"mmap: addr=0x30000000 len=0x2000 prot=rw flags=private",
                "fault: addr=0x30000000 len=0x2000 write=1", "munmap: addr=0x30002000 len=0x1000",
                "dio_submit: handle=d ino=272 offset=0 len=0x1400 buf=0x30000e00 rw=read dev=0:23",
                "dio_complete: handle=d ret=4608",
                "dio_submit: handle=e ino=131 offset=0 len=0x1400 buf=0x30000e00 rw=read dev=254:48",
                "dio_complete: handle=e ret=-14"};
        Replays r = undeclared("6.1", events);
        assertEquals("4608", r.result(5), r.jsonl());
        assertTrue(r.call(5).assumed.contains("the file of d is btrfs"), r.jsonl());
        assertEquals("-EFAULT", r.result(7), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
        // the buffer is not aligned to btrfs's sectorsize: check_direct_IO() sends the request through the page cache,
        // which copies up to the hole on 5.10 too (5.10 fs/btrfs/inode.c:7986); an aligned one is the partial read's
        assertEquals(0, undeclared("5.10", events).summary.divergences, "btrfs's buffered copy before 5.16");
        String[] aligned = {events[0], events[1], events[2],
                "dio_submit: handle=d ino=272 offset=0 len=0x2000 buf=0x30001000 rw=read dev=0:23",
                "dio_complete: handle=d ret=4096"};
        assertEquals(0, undeclared("6.1", aligned).summary.divergences);
        assertEquals(1, undeclared("5.10", aligned).summary.divergences, "no partial O_DIRECT read before 5.16");
    }

    @Test
    void aMisalignedODirectReadThatCouldNotPinTakesTheRecordedEinval() {
        // iomap_dio_bio_iter() refuses before any GUP: where the buffer is, the model cannot say
        Replays r = undeclared("6.1", "dio_submit: handle=d ino=131 offset=0 len=0x64 buf=0x7f0000000000 rw=read",
                "dio_complete: handle=d ret=-22");
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertTrue(r.call(2).assumed.contains("ext4, xfs or alike"), r.jsonl());
    }

    @Test
    void aLongtermPinThatGotPagesOfAssumedFsdaxMemoryTookPrivateCopies() {
        // the refused MR makes the memory an fs-DAX file's; the later pin of it got pages: GUP-fast took anonymous
        // copies of a private mapping the CPU had written (do_cow_fault())
        Replays r = undeclared("5.10", "rdma_reg_mr: handle=a addr=0x30000000 len=0x10000 access=write ret=-95",
                "pin_user_pages_fast: start=0x30000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_FORCE|FOLL_LONGTERM handle=p ret=16",
                "unpin_user_pages: handle=p dirty=0",
                "pin_user_pages_fast: start=0x30000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_FORCE|FOLL_LONGTERM handle=q ret=16");
        assertEquals("fsdax", r.call(1).assumed, r.jsonl());
        assertEquals("16", r.result(2), r.jsonl());
        assertEquals("private-copies", r.call(2).assumed);
        assertEquals("16", r.result(4));
        assertNull(r.call(4).assumed, "the copies are there now");
        assertEquals(0, r.summary.divergences);
    }

    @Test
    void aBtrfsRefusalOfAnUndeclaredFilesWritebackIsTakenOn612Only() {
        // extent_writepage() (6.12, CONFIG_BTRFS_EXPERIMENTAL): folios a device dirtied behind btrfs's back
        String[] events = {"writeback: ino=258 offset=0 len=0x200000 ret=0", "writeback: ino=258 offset=0 len=0x200000 ret=-117"};
        Replays r = undeclared("6.12", events);
        assertEquals("-EUCLEAN", r.result(2), r.jsonl());
        assertTrue(r.call(2).agrees() && r.call(2).assumed.contains("btrfs"), r.jsonl());
        Replays old = undeclared("6.1", events);
        assertEquals("0", old.result(2), "no such refusal before 6.12");
        assertEquals(1, old.summary.divergences);
    }

    private static final String POOL_OF_TWO = "# tracer: nop\n"
            + "# pinreplay record: hugepages size=2048kB nr=2 free=2 resv=0 default=1 surplus=0 overcommit=0\n";

    private static final String ENOSPC = "sys_fallocate -> 0xffffffffffffffe4";

    private static String syscall(int n, String enter, String ret) {
        return String.format(" t-9 [000] .....  1.%06d: %s\n t-9 [000] .....  1.%06d: %s\n", 2 * n, enter, 2 * n + 1, ret);
    }

    /**
     * The header's pool counters are the lost start's: a hugetlbfs fallocate() refused with -ENOSPC where they had the
     * pages got none of them (hugetlbfs_fallocate() ends at the first folio alloc_hugetlb_folio() cannot give), so the
     * folios the model's own run allocated go back, and the next refusal is the model's own.
     */
    @Test
    void aHugetlbfsFallocateRefusedWhereTheCountersHadPagesAllocatesNothing() {
        Replays r = Replays.text(POOL_OF_TWO
                + syscall(1, "sys_memfd_create(uname: 47b142, flags: 4)", "sys_memfd_create -> 0x3")
                + syscall(2, "sys_fallocate(fd: 3, mode: 0, offset: 0, len: 400000)", ENOSPC)
                + syscall(3, "sys_fallocate(fd: 3, mode: 0, offset: 0, len: 400000)", ENOSPC),
                "6.1", FaultPoints.NONE);
        assertTrue(r.call(6).agrees() && r.call(6).assumed.contains("hugetlb pool held fewer"), r.jsonl());
        assertEquals("-ENOSPC", r.result(8), r.jsonl());
        assertNull(r.call(8).assumed, "the memfd holds no folio, the pool none to give: " + r.jsonl());
    }

    /**
     * A hugetlb mmap() that reserved where the header's counters could not (hugetlb_reserve_pages()): the pool held
     * more pages than counted, and the mapping's faults get them from its reservation.
     */
    @Test
    void aHugetlbMmapReservedWhereTheCountersHadNoPagesShowsThemThere() {
        Replays r = Replays.text(POOL_OF_TWO.replace("nr=2 free=2", "nr=1 free=1")
                + syscall(1, "sys_mmap(addr: 0, len: 400000, prot: 3, flags: 40022, fd: ffffffffffffffff, off: 0)",
                        "sys_mmap -> 0x7f0000000000")
                + syscall(2, "p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x30) start=0x7f0000000000 nr_pages=1024 "
                        + "gup_flags=0x1", "r_get_user_pages_fast_0: (x+0x9d/0x2f0 <- get_user_pages_fast) ret=1024"),
                "6.1", FaultPoints.NONE);
        assertTrue(r.call(4).agrees() && r.call(4).assumed.contains("hugetlb pool held more"), r.jsonl());
        assertEquals("1024", r.result(5), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    private static String marker(int n, int pid, String event) {
        return String.format("         app-%d     [000] .....   1.%06d: tracing_mark_write: %s\n", pid, n, event);
    }

    /**
     * A private MAP_HUGETLB page its owner wrote, shared with a child by fork(), where the header's counters (the lost
     * start's) leave one free page: the child's write pin was refused, so hugetlb_wp() found none for the child's copy
     * (the pool held fewer); the owner's copy then finds none either and takes the page from the child
     * (unmap_ref_private()), whose next write is a SIGBUS. A read pin, which needs no folio, that the kernel refused is
     * no pool's doing.
     */
    @Test
    void aForkChildsCopyRefusedWhereTheCountersHadAFreePageShowsThePoolHeldFewer() {
        String trace = POOL_OF_TWO
                + marker(1, 100, "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=private hugetlb=1")
                + marker(2, 100, "fault: addr=0x7f0000000000 len=0x200000 write=1")
                + "         app-100     [000] .....   1.000003: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n"
                + marker(4, 101, "get_user_pages_fast: start=0x7f0000000000 nr_pages=512 gup_flags=FOLL_WRITE ret=-EFAULT")
                + marker(5, 100, "get_user_pages_fast: start=0x7f0000000000 nr_pages=512 gup_flags=FOLL_WRITE ret=512")
                + marker(6, 101, "get_user_pages_fast: start=0x7f0000000000 nr_pages=512 gup_flags=FOLL_WRITE ret=-EFAULT")
                + marker(7, 100, "get_user_pages_fast: start=0x7f0000000000 nr_pages=512 gup_flags=0 ret=-EFAULT");
        for (String release : new String[] {"5.10", "6.1", "6.12", "7.2"}) {
            Replays r = Replays.text(trace, release, FaultPoints.NONE);
            assertEquals("-EFAULT", r.result(6), release + r.jsonl());
            assertTrue(r.call(6).agrees() && r.call(6).assumed.contains("hugetlb pool held fewer"), r.jsonl());
            assertEquals("512", r.result(7), r.jsonl());
            assertNull(r.call(7).assumed, "unmap_ref_private(): the counters have no page now");
            assertEquals("-EFAULT", r.result(8), r.jsonl());
            assertNull(r.call(8).assumed, "HPAGE_RESV_UNMAPPED: the model's own SIGBUS");
            assertEquals("512", r.result(9), "the owner's page is there: no pool explains the refusal");
            assertEquals(1, r.summary.divergences, r.jsonl());
        }
        Replays strict = Replays.text(trace, "6.1", FaultPoints.NONE, true);
        assertEquals("512", strict.result(6), "--strict-state: the counters stand");
    }

    /**
     * A MAP_NORESERVE mapping's write pin that got its page where the header's counters had none nobody reserved: the
     * pool held more, and the counters hold that page from then on (a second such mapping's pin is refused: the model's
     * own -EFAULT).
     */
    @Test
    void aNoreserveMappingsPagesGotWhereTheCountersHadNoneShowThePoolHeldMore() {
        Replays r = Replays.text(POOL_OF_TWO.replace("nr=2 free=2", "nr=1 free=1")
                + marker(1, 100, "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=shared hugetlb=1")
                + marker(2, 100, "mmap: addr=0x7f0000400000 len=0x200000 prot=rw flags=private hugetlb=1 noreserve=1")
                + marker(3, 100, "mmap: addr=0x7f0000800000 len=0x200000 prot=rw flags=private hugetlb=1 noreserve=1")
                + marker(4, 100, "pin_user_pages: start=0x7f0000400000 nr_pages=512 gup_flags=FOLL_WRITE handle=p ret=512")
                + marker(5, 100, "pin_user_pages: start=0x7f0000800000 nr_pages=512 gup_flags=FOLL_WRITE handle=q ret=-EFAULT"),
                "7.2", FaultPoints.NONE);
        assertEquals("512", r.result(6), r.jsonl());
        assertTrue(r.call(6).agrees() && r.call(6).assumed.contains("hugetlb pool held more"), r.jsonl());
        assertEquals("-EFAULT", r.result(7), r.jsonl());
        assertNull(r.call(7).assumed, r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * As above with the program's markers: the child's dio_submit marker comes before its pread(), whose GUP inside the
     * recording shows refused; the marker's request, whose GUP would take the child's copy on the counters' word, pins
     * when that GUP is replayed, its result known (on 6.1 btrfs's FOLL_NOFAULT attempt, which hugetlb faults in, too).
     */
    @Test
    void aForkChildsDirectIoMarkerPinsWhenTheKernelsGupInsideShowsThePool() {
        for (String release : new String[] {"6.1", "7.2"}) {
            String gup = release.equals("6.1") ? "get_user_pages_fast" : "pin_user_pages_fast";
            StringBuilder t = new StringBuilder(POOL_OF_TWO);
            t.append(marker(1, 100, "mmap: addr=0x7f0000000000 len=0x200000 prot=rw flags=private hugetlb=1"));
            t.append(marker(2, 100, "fault: addr=0x7f0000000000 len=0x200000 write=1"));
            t.append("         app-100     [000] .....   1.000003: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n");
            int n = 4;
            for (String[] read : new String[][] {{"101", "c", "-14"}, {"100", "o", "512"}, {"101", "d", "-14"}}) {
                int pid = Integer.parseInt(read[0]);
                boolean got = !read[2].startsWith("-");
                t.append(marker(n++, pid, "dio_submit: handle=" + read[1] + " ino=12 offset=0 len=0x200000 buf=0x7f0000000000 rw=read"));
                t.append(String.format("         app-%d     [000] .....   1.%06d: sys_pread64(fd: 6, buf: 7f0000000000, count: 200000, pos: 0)\n", pid, n++));
                t.append(String.format("         app-%d     [000] .....   1.%06d: p_%s_0: (%s+0x4/0x60) start=0x7f0000000000 nr_pages=512 gup_flags=0x1\n", pid, n++, gup, gup));
                t.append(String.format("         app-%d     [000] .....   1.%06d: r_%s_0: (iov_iter_extract_pages+0x128/0xce0 <- %s) ret=%s\n", pid, n++, gup, gup, read[2]));
                t.append(String.format("         app-%d     [000] .....   1.%06d: sys_pread64 -> %s\n", pid, n++, got ? "0x200000" : "0xfffffffffffffff2"));
                t.append(marker(n++, pid, "dio_complete: handle=" + read[1] + " ret=" + (got ? "2097152" : "-14")));
            }
            Replays r = Replays.text(t.toString(), release, FaultPoints.NONE);
            assertEquals("-EFAULT", r.result(8), release + r.jsonl());
            assertTrue(r.call(8).assumed.contains("hugetlb pool held fewer"), r.jsonl());
            assertEquals("-EFAULT", r.result(11), r.jsonl());
            assertEquals("512", r.result(14), "the owner's copy: unmap_ref_private() " + r.jsonl());
            assertEquals("2097152", r.result(17), r.jsonl());
            assertEquals("-EFAULT", r.result(23), "HPAGE_RESV_UNMAPPED " + r.jsonl());
            assertEquals(0, r.summary.divergences, r.jsonl());
        }
    }

    /**
     * Every real recording of the lab, its events cut at nine points from 3 % to 97 % (the header and the snapshot's
     * lines kept, as a recorder attached to running programs writes them): whatever the lost start held, every result
     * the rest recorded agrees with the model, or is explained by an assumption the outcome names.
     */
    @ParameterizedTest(name = "{0} from {1}%")
    @MethodSource("cutRecordings")
    void aRecordingCutAnywhereHasNoDivergence(String recording, int percent) throws IOException {
        Path p = Replays.trace("real/" + recording + ".txt");
        List<String> lines = Files.readAllLines(p);
        List<String> kept = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (String l : lines) {
            (l.startsWith("#") || l.contains(" snapshot-0 ") ? kept : events).add(l);
        }
        kept.addAll(events.subList(events.size() * percent / 100, events.size()));
        // the header's update= when it names one (5.10.223: older than 5.10.241's MADV_REMOVE), else the directory's
        String dir = recording.substring(0, recording.indexOf('/'));
        String release = lines.stream().limit(3).map(RecordingHeader::releaseOf)
                .filter(v -> v != null && v.startsWith(dir + ".")).findFirst().orElse(dir);
        Replays r = Replays.text(String.join("\n", kept) + "\n", release, FaultPoints.NONE);
        assertEquals(List.of(), r.outcomes.stream().filter(o -> o.hasObserved && !o.agrees()).map(
                pinreplay.replay.outcome.JsonlWriter::format).toList());
    }

    static Stream<Arguments> cutRecordings() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String release : List.of("5.10", "6.1", "6.12", "7.2")) {
            try (Stream<Path> files = Files.list(Replays.trace("real/" + release))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                    String name = f.getFileName().toString();
                    for (int percent : new int[] {3, 10, 20, 35, 50, 65, 80, 90, 97}) {
                        String recording = release + "/" + name.substring(0, name.length() - 4);
                        out.add(Arguments.of(recording, percent));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * A map's recorded -EEXIST where the container holds nothing the model knows is an overlap with a map made before
     * the recording (vfio_find_dma() in vfio_dma_do_map()): the marker's map takes it and makes no map of its own, so
     * an unmap of part of its range is not a bisection (lab, fuzz-dev-805-markers of 7.2 cut at 80 %).
     */
    @Test
    void aVfioMapRefusedAsOverlappingAnUnseenMapMakesNoMap() {
        Replays r = replay("mmap: addr=0x30000000 len=0x6000 prot=rw flags=private",
                "vfio_dma_map: handle=a vaddr=0x30000000 iova=0x12000000 size=0x6000 prot=rw ret=-17",
                "vfio_dma_unmap: handle=b iova=0x12000000 size=0x2000 ret=0");
        assertEquals("-EEXIST", r.result(2), r.jsonl());
        assertTrue(r.call(2).agrees() && r.call(2).assumed.contains("made before the recording (overlapped)"), r.jsonl());
        assertEquals("0", r.result(3), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * On 7.2 a ring whose creator had CAP_IPC_LOCK charges no mm->pinned_vm (io_buffer_account_pin()): a table a ring
     * of unknown creator registered may not be in the counter, so an MR's pin refusing with -EFAULT after it says
     * ib_umem_get()'s charge passed, though the counter the model knows is beyond RLIMIT_MEMLOCK (lab,
     * fuzz-dev-815-markers of 7.2 cut at 3, 10 and 20 %).
     */
    @Test
    void anMrRefusedByItsPinAfterAnUncertainRingChargeTakesTheChargeAsPassed() {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x30000000 len=0x100000 prot=rw flags=private",
                "io_uring_register_buffers: handle=u addr=0x30000000 len=0x100000 ret=0",
                "memlock: pid=100 rlimit=262144 cap_ipc_lock=0 uid=0 euid=1000 suid=0",
                "mmap: addr=0x40000000 len=0x1000 prot=none flags=private",
                "rdma_reg_mr: handle=m addr=0x40000000 len=0x1000 access=write ret=-14"), "7.2", FaultPoints.NONE);
        assertEquals("0", r.result(2), r.jsonl());
        assertEquals("-EFAULT", r.result(5), r.jsonl());
        assertTrue(r.call(5).agrees() && r.call(5).assumed.contains("pinned_vm given back unseen"), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /** A recorded success above TASK_SIZE cannot be memory made before the recording: the model's -EFAULT diverges. */
    @Test
    void aPinRecordedAboveTaskSizeIsADivergenceNotPriorMemory() {
        Replays r = replay("pin_user_pages: start=0xfffffffffffff000 nr_pages=1 gup_flags=FOLL_WRITE handle=p ret=1");
        assertEquals("-EFAULT", r.result(1), r.jsonl());
        assertTrue(!r.call(1).agrees(), r.jsonl());
        assertEquals(1, r.summary.divergences, r.jsonl());
    }

    /**
     * A FOLL_NOFAULT GUP's -EFAULT on memory from before the recording is faultin_page()'s "if (*flags & FOLL_NOFAULT)
     * return -EFAULT;" on an absent page: no sign of a device mapping, so a later pin of it is judged and its discard found.
     */
    @Test
    void aNofaultRefusalOfPriorMemoryRevisesNothing() {
        Replays r = replay("mprotect: addr=0x7f1000000000 len=0x10000 prot=rw ret=0",
                "get_user_pages_fast: start=0x7f1000000000 nr_pages=16 gup_flags=FOLL_NOFAULT ret=-EFAULT",
                "fault: addr=0x7f1000000000 len=0x10000 write=1",
                "pin_user_pages: start=0x7f1000000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=h ret=16",
                "madvise: addr=0x7f1000000000 len=0x10000 advice=dontneed ret=0");
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
    }
}
