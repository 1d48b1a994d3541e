package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pinreplay.format.EventType.DIO_SUBMIT;
import static pinreplay.format.EventType.FTRUNCATE;
import static pinreplay.format.EventType.VFIO_DMA_MAP;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.outcome.Outcome;

/**
 * {@code synth qemu-virtual-pmem} replayed (seed 002): emulated devices take short pins on the NVDIMM,
 * which truncate waits for from xfs 4.18 / ext4 4.19; a passthrough device pins it long-term, refused on
 * fs-DAX from the vfio fix (4.16) on, and a truncate waits for it forever when the refusal is turned off.
 */
class SynthVirtualPmemReplayTest {
    private static final String SMALL = "ram=32M,pmem-size=4M,emulated-rate=4000,iodepth=8,";

    @ParameterizedTest
    @CsvSource({"xfs,4.18,1,", "xfs,6.15,2,", "ext4,4.19,3,", "ext4,5.15,4,", "ext4,6.1,4,dax-truncate-wakeup=ideal",
        "ext4,7.2,5,"})
    void emulatedDiskShortPinsAreWaitedForByTruncate(String fs, String kernel, long seed, String policy) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "truncate-rate=100,fs=" + fs, seed, 4000, kernel,
                policy == null ? new String[0] : new String[] {policy});
        assertEquals(Set.of("0"), r.results(FTRUNCATE), "every wait ends when the I/O completes");
        assertEquals(Set.of(), r.kinds(), r.jsonl());
        assertTrue(r.stalls().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"xfs,4.14,1", "xfs,4.17,2", "ext4,4.18,3"})
    void emulatedDiskBeforeBreakLayoutsWritesIntoFreedBlocks(String fs, String kernel, long seed) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "truncate-rate=100,fs=" + fs, seed, 4000, kernel);
        assertTrue(r.kinds().contains("dma-into-reallocated-block") || r.kinds().contains("dma-after-free"),
                r.kinds().toString());
        assertTrue(Set.of("dma-into-reallocated-block", "dma-after-free").containsAll(r.kinds()), r.kinds().toString());
    }

    @ParameterizedTest
    @CsvSource({"fail,1", "fail,2"})
    void failPolicyRefusesSomeTruncatesWithEbusyAndLosesNothing(String policy, long seed) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "truncate-rate=100", seed, 4000, "6.15",
                "dax-truncate=" + policy);
        assertEquals(Set.of("-EBUSY", "0"), r.results(FTRUNCATE));
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"remap,1", "nodax,2", "wait,3"})
    void remapNodaxAndWaitPoliciesLoseNothing(String policy, long seed) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "truncate-rate=100", seed, 4000, "4.14",
                "dax-truncate=" + policy);
        assertEquals(Set.of("0"), r.results(FTRUNCATE));
        assertEquals(Set.of(), r.kinds());
        assertTrue(r.stalls().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"4.16,1", "5.10,2", "6.15,3"})
    void passthroughOfFsdaxNvdimmIsRefusedFromTheVfioFix(String kernel, long seed) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "passthrough=1", seed, 3000, kernel);
        List<String> maps = r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.event == VFIO_DMA_MAP)
                .map(o -> o.result == 0 ? "0" : pinreplay.format.Errno.describe(o.result)).toList();
        assertEquals(List.of("0", "-EOPNOTSUPP"), maps, "anonymous RAM maps, the fs-DAX NVDIMM does not");
        assertEquals(Set.of("0"), r.results(DIO_SUBMIT), "emulated devices' short pins are still allowed");
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"4.14,1", "4.15,2"})
    void passthroughBeforeTheVfioFixLosesBlocksToTruncate(String kernel, long seed) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "passthrough=1,truncate-rate=50", seed, 3000, kernel);
        assertEquals(Set.of("0"), r.results(VFIO_DMA_MAP));
        assertTrue(r.kinds().contains("dma-into-reallocated-block"), r.kinds().toString());
    }

    @ParameterizedTest
    @CsvSource({"6.1,1", "5.10,2"})
    void passthroughWithTheFsdaxRefusalOffBlocksTruncateForever(String kernel, long seed) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "passthrough=1,truncate-rate=50", seed, 3000, kernel,
                "longterm-fsdax=allow");
        assertEquals(Set.of("0"), r.results(VFIO_DMA_MAP));
        assertTrue(!r.stalls().isEmpty(), r.jsonl());
        assertTrue(r.stalls().stream().allMatch(s -> List.of(s.waitingOn).stream().anyMatch(h -> h.startsWith("vfio"))),
                "every stalled call waits on the NVDIMM's vfio mapping");
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"6.15,1", "4.14,2"})
    void devdaxNvdimmPassesThroughInEveryRelease(String kernel, long seed) {
        Replays r = Replays.synth("qemu-virtual-pmem", SMALL + "passthrough=1,fs=devdax,truncate-rate=50", seed, 3000,
                kernel);
        assertEquals(Set.of("0"), r.results(VFIO_DMA_MAP));
        assertEquals(Set.of(), r.kinds());
        assertTrue(r.stalls().isEmpty());
    }
}
