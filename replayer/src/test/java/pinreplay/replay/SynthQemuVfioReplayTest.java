package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pinreplay.format.EventType.DMA_WRITE;
import static pinreplay.format.EventType.VFIO_DMA_MAP;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code synth qemu-vfio} replayed: the outcome classes its parameters imply (mm/gup.c check_vma_flags(), vfio vaddr_get_pfn(),
 * seeds 000, 002, 004), over releases and seeds. Guest RAM is small so each run is a few thousand events.
 */
class SynthQemuVfioReplayTest {
    private static final String SMALL = "size=64M,";

    @ParameterizedTest
    @CsvSource({"ext4,6.5,1", "ext4,6.10,2", "xfs,6.15,3", "btrfs,6.5,4"})
    void sharedFileRamOnWritebackFsIsRefusedWithEfaultFromV65(String fs, String kernel, long seed) {
        Replays r = Replays.synth("qemu-vfio", SMALL + "share=on,writeback-rate=20,fs=" + fs, seed, 3000, kernel);
        assertEquals(Set.of("-EFAULT"), r.results(VFIO_DMA_MAP), r.jsonl());
        assertEquals(Set.of("-EFAULT"), r.results(DMA_WRITE), "the device has no IOMMU mapping to write through");
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"ext4,6.1,1", "ext4,5.10,2", "xfs,6.4,3", "btrfs,6.1,4"})
    void sharedFileRamBeforeV65IsPinnedAndTheDeviceWritesIntoCleanedFolios(String fs, String kernel, long seed) {
        Replays r = Replays.synth("qemu-vfio", SMALL + "share=on,writeback-rate=20,fs=" + fs, seed, 3000, kernel);
        assertEquals(Set.of("0"), r.results(VFIO_DMA_MAP));
        assertEquals(Set.of("write-to-clean-folio"), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"ext4,6.1,1", "ext4,6.5,2", "xfs,6.15,3", "btrfs,5.10,4"})
    void privateFileRamIsFineBeforeAndAfterV65(String fs, String kernel, long seed) {
        Replays r = Replays.synth("qemu-vfio", SMALL + "share=off,writeback-rate=20,fs=" + fs, seed, 3000, kernel);
        assertEquals(Set.of("0"), r.results(VFIO_DMA_MAP));
        assertEquals(Set.of(">0"), r.results(DMA_WRITE));
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"xfs,on,4.16,1", "ext4,on,5.4,2", "xfs,off,5.10,3", "ext4,off,6.1,4", "xfs,on,6.15,5"})
    void fsdaxRamIsRefusedWithEopnotsuppFromTheVfioFix(String fs, String share, String kernel, long seed) {
        Replays r = Replays.synth("qemu-vfio", SMALL + "dax=1,truncate-rate=50,fs=" + fs + ",share=" + share, seed,
                3000, kernel);
        assertEquals(Set.of("-EOPNOTSUPP"), r.results(VFIO_DMA_MAP), r.jsonl());
        assertEquals(Set.of(), r.kinds());
        assertTrue(r.stalls().isEmpty(), "nothing pinned, so truncate never waits");
    }

    @ParameterizedTest
    @CsvSource({"xfs,truncate-rate,4.14,1", "ext4,truncate-rate,4.15,2", "ext4,punch-hole-rate,4.14,3"})
    void fsdaxRamBeforeTheVfioFixHasItsBlocksReallocatedUnderDma(String fs, String housekeeping, String kernel,
            long seed) {
        Replays r = Replays.synth("qemu-vfio", SMALL + "share=on,dax=1,fs=" + fs + "," + housekeeping + "=50", seed, 3000,
                kernel);
        assertEquals(Set.of("0"), r.results(VFIO_DMA_MAP));
        assertTrue(r.kinds().contains("dma-into-reallocated-block"), r.kinds().toString());
        assertTrue(Set.of("dma-into-reallocated-block", "dma-after-free").containsAll(r.kinds()), r.kinds().toString());
    }

    @ParameterizedTest
    @CsvSource({"devdax,4.14,1", "devdax,6.15,2", "hugetlbfs,6.5,3", "tmpfs,6.5,4", "tmpfs,4.14,5"})
    void devdaxHugetlbfsAndTmpfsRamIsFineInEveryRelease(String fs, String kernel, long seed) {
        Replays r = Replays.synth("qemu-vfio", SMALL + "share=on,writeback-rate=20,truncate-rate=20,fs=" + fs, seed,
                3000, kernel);
        assertEquals(Set.of("0"), r.results(VFIO_DMA_MAP));
        assertEquals(Set.of(), r.kinds());
        assertTrue(r.stalls().isEmpty());
    }
}
