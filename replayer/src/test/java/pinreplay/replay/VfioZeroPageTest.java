package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * vfio_pin_pages_remote(): a read-only map of private memory nobody touched pins the zero page until 6.2 (reliable
 * R/O long-term pinning then unshares it first); the zero page is a reserved pfn (is_invalid_reserved_pfn()), never
 * charged to locked_vm. From 6.2 the map gets fresh anonymous pages, charged like any.
 */
class VfioZeroPageTest {
    /** uid 1000 with RLIMIT_MEMLOCK 16 pages. */
    private static final String USER = "memlock: pid=100 rlimit=65536 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 "
            + "locked_vm=0 pinned_vm=0 user_locked_vm=0";

    private static Replays run(String kernel, String... events) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.10, 0", "5.10.100, 0", "6.1, 0", "6.2, -ENOMEM", "6.12, -ENOMEM", "7.2, -ENOMEM"})
    void aReadOnlyMapOfUntouchedMemoryIsNotChargedUntil62(String kernel, String expected) {
        Replays r = run(kernel, "mmap: addr=0x10000000 len=0x40000 prot=rw flags=private", USER,
                "vfio_dma_map: handle=ro vaddr=0x10000000 iova=0x0 size=0x20000 prot=r",        // 32 zero pages
                "vfio_dma_map: handle=rw vaddr=0x10020000 iova=0x100000 size=0x10000 prot=rw"); // 16 pages
        assertEquals(expected, r.result(3), r.jsonl());
        assertEquals("0", r.result(4), "16 pages fit: the zero pages charged nothing, a refused map nothing either");
    }

    /** Pages the CPU wrote are charged in every release. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "7.2"})
    void aReadOnlyMapOfWrittenMemoryIsCharged(String kernel) {
        Replays r = run(kernel, "mmap: addr=0x10000000 len=0x40000 prot=rw flags=private",
                "fault: addr=0x10000000 len=0x20000 write=1", USER,
                "vfio_dma_map: handle=ro vaddr=0x10000000 iova=0x0 size=0x20000 prot=r");
        assertEquals("-ENOMEM", r.result(4), r.jsonl());
    }

    /** The device keeps the zero page the task's first write replaces (wp_page_copy()): reported until 6.2. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.10, true", "6.1, true", "6.2, false", "7.2, false"})
    void aWriteAfterAReadOnlyMapOfUntouchedMemoryLeavesTheDeviceOnTheZeroPage(String kernel, boolean lost) {
        Replays r = run(kernel, "mmap: addr=0x10000000 len=0x4000 prot=rw flags=private",
                "vfio_dma_map: handle=ro vaddr=0x10000000 iova=0x0 size=0x4000 prot=r",
                "fault: addr=0x10001000 len=0x1000 write=1");
        assertEquals(lost, r.violationKinds().contains("pin-lost-to-cow"), r.jsonl());
    }
}
