package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * The device users' own return conventions (docs/trace-format.md section 3): ioctls return 0 or -errno, never a count;
 * a short pin is an error for them; and each passes FOLL_WRITE only for what the device may write.
 */
class PinUserConventionsTest {
    private static String run(String kernel, long line, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE).result(line);
    }

    private static final String HALF = "mmap: addr=0x10000000 len=0x4000 prot=rw flags=private";

    /** A range running into a hole: io_uring's "pret < 0 ? pret : -EFAULT", ib_umem_get()'s loop, vfio's unwind. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "io_uring_register_buffers: handle=b addr=0x10000000 len=0x8000, 6.4",
        "io_uring_register_buffers: handle=b addr=0x10000000 len=0x8000, 6.15",
        "rdma_reg_mr: handle=m addr=0x10000000 len=0x8000 access=write, 6.15",
        "rdma_reg_mr: handle=m addr=0x10000000 len=0x8000 access=write, 4.19",
        "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x0 size=0x8000 prot=rw, 6.15",
        "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x0 size=0x8000 prot=rw, 4.19",
    })
    void aShortPinFailsTheRegistrationWithEfault(String event, String kernel) {
        assertEquals("-EFAULT", run(kernel, 2, HALF, event));
    }

    /** Only a device that may write pins FOLL_WRITE, so only it meets the 6.5 dirty-tracking refusal. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({
        "rdma_reg_mr: handle=m addr=0x10000000 len=0x4000 access=read, 6.5, 0",
        "rdma_reg_mr: handle=m addr=0x10000000 len=0x4000 access=write, 6.5, -EFAULT",
        "rdma_reg_mr: handle=m addr=0x10000000 len=0x4000 access=write, 6.4, 0",
        "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x0 size=0x4000 prot=r, 6.5, 0",
        "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x0 size=0x4000 prot=rw, 6.5, -EFAULT",
        "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x0 size=0x4000 prot=rw, 6.4, 0",
    })
    void onlyWritableLongtermPinsOfASharedExt4FileAreRefused(String event, String kernel, String expected) {
        assertEquals(expected, run(kernel, 3, "file: ino=3 fs=ext4 size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=3", event));
    }

    /** O_DIRECT pins are short-term: a read into a shared ext4 mapping is allowed on 6.5 too. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1", "6.5", "6.15"})
    void directIoIntoASharedExt4MappingIsNotLongterm(String kernel) {
        assertEquals("0", run(kernel, 4, "file: ino=3 fs=ext4 size=0x10000", "file: ino=4 fs=ext4 size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared ino=3",
                "dio_submit: handle=d ino=4 offset=0 len=0x4000 buf=0x10000000 rw=read"));
    }

    /** RLIMIT_MEMLOCK: vfio_lock_acct(), ib_umem_get()'s pinned_vm check and io_uring's __io_account_mem(). */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x0 size=0x8000 prot=rw, 16K, -ENOMEM",
        "vfio_dma_map: handle=v vaddr=0x10000000 iova=0x0 size=0x4000 prot=rw, 16K, 0",
        "rdma_reg_mr: handle=m addr=0x10000000 len=0x8000 access=write, 16K, -ENOMEM",
        "rdma_reg_mr: handle=m addr=0x10000000 len=0x4000 access=write, 16K, 0",
        "io_uring_register_buffers: handle=b addr=0x10000000 len=0x8000, 16K, -ENOMEM",
        "io_uring_register_buffers: handle=b addr=0x10000000 len=0x8000, unlimited, 0",
    })
    void pinsOverTheMemlockLimitFailWithEnomem(String event, String limit, String expected) {
        assertEquals(expected, Replays.text(Replays.lines("mmap: addr=0x10000000 len=0x10000 prot=rw flags=private", event),
                "6.15", FaultPoints.NONE, "memlock=" + limit).result(2));
    }

    /** MAP_SHARED|MAP_ANONYMOUS has a shmem vm_file: io_uring refused it like any file until 5.14. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.13, -EOPNOTSUPP", "5.14, 0", "6.15, 0"})
    void ioUringOnSharedAnonymousMemoryFollowsTheShmemException(String kernel, String expected) {
        assertEquals(expected, run(kernel, 2, "mmap: addr=0x10000000 len=0x10000 prot=rw flags=shared",
                "io_uring_register_buffers: handle=b addr=0x10000000 len=0x4000"));
    }

    /** ib_umem_get() pinned read-only MRs FOLL_WRITE|FOLL_FORCE until 6.2: no COW to break in a shared mapping. */
    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource({
        "shared, access=read, 6.1, -EFAULT", "shared, access=read, 6.2, 0", "shared, access=read, 4.14, -EFAULT",
        "private, access=read, 6.1, 0", "private, access=read, 6.2, 0", "shared, access=write, 6.2, -EFAULT",
    })
    void aReadOnlyMrOnAReadOnlyMappingNeedsNoWriteFrom62(String sharing, String access, String kernel,
            String expected) {
        assertEquals(expected, run(kernel, 3, "file: ino=3 fs=tmpfs size=0x10000",
                "mmap: addr=0x10000000 len=0x10000 prot=r flags=" + sharing + " ino=3",
                "rdma_reg_mr: handle=m addr=0x10000000 len=0x4000 " + access));
    }
}
