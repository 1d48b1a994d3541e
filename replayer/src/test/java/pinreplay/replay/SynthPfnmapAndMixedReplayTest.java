package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pinreplay.format.EventType.DMA_WRITE;
import static pinreplay.format.EventType.VFIO_DMA_MAP;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.outcome.Outcome;

/**
 * {@code synth vfio-pfnmap} in each vfio era (vfio_iommu_type1.c vaddr_get_pfn(), seed 003), and {@code synth mixed}: no
 * crash, no divergence, and the same outcomes for the same seed.
 */
class SynthPfnmapAndMixedReplayTest {
    private static List<String> maps(Replays r) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.event == VFIO_DMA_MAP)
                .map(o -> o.result == 0 ? "0" : pinreplay.format.Errno.describe(o.result)).toList();
    }

    @ParameterizedTest
    @CsvSource({"0,4.14,1", "1,4.14,2", "0,5.4,3", "1,5.7,4", "0,5.8,5", "0,6.15,6", "1,6.15,7"})
    void peerBarMapsInEveryEraExceptUnpopulatedOnFollowPfn(String populate, String kernel, long seed) {
        Replays r = Replays.synth("vfio-pfnmap", "ram=16M,populate=" + populate, seed, 2000, kernel);
        assertEquals(List.of("0", "0"), maps(r), "vm_pgoff arithmetic before 5.7, follow_fault_pfn() from 5.8");
        assertEquals(Set.of(">0"), r.results(DMA_WRITE));
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"5.7,1", "5.7,2"})
    void unpopulatedBarFailsWithEfaultWhereFollowPfnCannotFault(String kernel, long seed) {
        Replays r = Replays.synth("vfio-pfnmap", "ram=16M,populate=0", seed, 2000, kernel);
        assertEquals(List.of("0", "-EFAULT"), maps(r));
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"4.14,1", "5.8,2", "6.15,3"})
    void unmappingTheBarLeavesTheIommuMappingLiveInEveryEra(String kernel, long seed) {
        Replays r = Replays.synth("vfio-pfnmap", "ram=16M,populate=1,unmap-bar=1,unmap-after=0.1", seed, 2000, kernel);
        assertEquals(List.of("0", "0"), maps(r));
        assertEquals(Set.of("iommu-outlives-mapping"), r.kinds());
        assertEquals(1, r.violations().size(), "reported once, at the munmap");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.14", "5.10", "6.1", "6.5", "6.15"})
    void mixedReplaysWithoutDivergenceAndDeterministically(String kernel) {
        for (long seed = 1; seed <= 3; seed++) {
            Replays a = Replays.synth("mixed", "processes=6", seed, 4000, kernel);
            Replays b = Replays.synth("mixed", "processes=6", seed, 4000, kernel);
            assertEquals(a.jsonl(), b.jsonl(), "same seed, same outcomes");
            assertEquals(0, a.summary.divergences, "synthesized lines carry no ret to disagree with");
            assertTrue(a.summary.eventsReplayed > 3000);
            assertTrue(Set.of("write-to-clean-folio", "dma-into-reallocated-block", "dma-after-free",
                    "iommu-outlives-mapping").containsAll(a.kinds()), a.kinds().toString());
        }
    }
}
