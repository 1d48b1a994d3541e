package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** traces/vfio-pfnmap-bar.txt: vfio mapping PFNMAP BARs before and after follow_fault_pfn() (seed 003). */
class VfioPfnmapScenarioTest {
    private static final String TRACE = "vfio-pfnmap-bar.txt";

    @ParameterizedTest(name = "{0}: unpopulated BAR {1}, populated BAR {2}")
    @CsvSource({
        "4.19, 0, 0",        // vm_pgoff arithmetic: no PTE needed
        "5.7, -EFAULT, 0",   // follow_pfn() only: the unfaulted BAR fails
        "5.8, 0, 0",         // follow_fault_pfn() faults it in
        "6.15, 0, 0",
    })
    void barMappingFollowsTheReleasesTranslation(String kernel, String unpopulated, String populated) {
        Replays r = Replays.file(TRACE, kernel);
        assertEquals(unpopulated, r.result(Lines.of(TRACE, "handle=bar0 vaddr")));
        assertEquals(populated, r.result(Lines.of(TRACE, "handle=bar1 vaddr")));
    }

    @ParameterizedTest
    @CsvSource({"4.19", "5.8", "6.15"})
    void unmappingTheBarWhileTheIommuMapsItIsReported(String kernel) {
        Replays r = Replays.file(TRACE, kernel);
        assertEquals(List.of("iommu-outlives-mapping"), r.violationKinds(), r.jsonl());
        assertEquals(Lines.of(TRACE, "munmap:"), r.violations().get(0).line);
        assertEquals("bar0", r.violations().get(0).handle);
    }

    @ParameterizedTest
    @CsvSource({"5.7"})
    void noIommuMappingNoViolation(String kernel) {
        Replays r = Replays.file(TRACE, kernel);
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    @ParameterizedTest
    @CsvSource({"pgoff, 0", "reject, -EFAULT", "fault-retry, 0", "fault-no-retry, 0"})
    void policyPicksTheTranslation(String policy, String expected) {
        Replays r = Replays.file(TRACE, "6.15", "vfio-pfnmap=" + policy);
        assertEquals(expected, r.result(Lines.of(TRACE, "handle=bar0 vaddr")));
    }
}
