package pinreplay.campaign.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecParserTest {
    @TempDir
    Path dir;

    private CampaignSpec parse(String yaml) {
        return SpecParser.parse("c.yaml", yaml, dir, "digest");
    }

    private String error(String yaml) {
        return assertThrows(SpecException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void scalarsStayAsWrittenSoKernelSixTenIsNotSixOne() {
        CampaignSpec s = parse("traces: [{synth: {scenario: rdma-mr}}]\nkernels: [6.1, 6.10]\n"
                + "policies: {on: {dax-truncate: none}}\nseeds: {from: 5, count: 3}\n");
        assertEquals(List.of("6.1", "6.10"), s.kernels());
        assertEquals(Map.of("dax-truncate", "none"), s.policies().get(0).settings());
        assertEquals("on", s.policies().get(0).name());
        assertEquals(List.of(5L, 6L, 7L), s.seeds());
        assertEquals("c", s.name());
    }

    @Test
    void jsonSpecsParseToo() throws Exception {
        Files.writeString(dir.resolve("t.trace"), "# tracer: nop\n");
        CampaignSpec s = parse("{\"campaign\": \"j\", \"traces\": [{\"file\": \"t.trace\"}], \"kernels\": [\"6.5\"],"
                + " \"injectors\": {\"pin-fails\": \"enomem:probability=100\"}}");
        assertEquals("t", s.traces().get(0).name());
        assertEquals(dir.resolve("t.trace"), s.traces().get(0).file());
        assertEquals(List.of("enomem:probability=100"), s.injectors().get(0).specs());
        assertEquals(List.of(1L), s.seeds());
    }

    @Test
    void laterExpectRulesOverrideEarlierOnes() {
        CampaignSpec s = parse(String.join("\n",
                "traces:",
                "  - synth: {scenario: dax-truncate}",
                "    expect: {violations: [dma-into-reallocated-block]}",
                "kernels: [\"4.14\", \"6.1\"]",
                "expect:",
                "  - when: {kernel: \"6.1\"}",
                "    violations: []",
                "    stalls: true"));
        assertEquals(Set.of("dma-into-reallocated-block"), s.expectationFor("dax-truncate", "4.14", "default", "none", 1).violations());
        Expectation e = s.expectationFor("dax-truncate", "6.1", "default", "none", 1);
        assertEquals(Set.of(), e.violations());
        assertTrue(e.stalls());
    }

    @Test
    void errorsNameTheLineAndKeyPath() {
        assertEquals("c.yaml:4: traces[1].synth.params: expected a mapping of parameter to value, got a list",
                error("kernels: [\"6.1\"]\ntraces:\n  - synth: {scenario: odirect}\n  - synth: {scenario: mixed, params: [x]}\n"));
        assertEquals("c.yaml:1: kernel: expected one of the keys campaign, traces, kernels, policies, injectors, seeds, "
                + "expect, reruns, minimize, latency, got 'kernel'", error("kernel: [\"6.1\"]\n"));
        assertTrue(error("kernels: [\"6.1\"]\ntraces: [{synth: {scenario: odirect}}]\nexpect:\n  - violations: [dma-after-fre]\n")
                .startsWith("c.yaml:4: expect[0].violations: expected violation kinds among dma-after-free,"));
        assertEquals("c.yaml:3: expect[0].when.kernel: expected one of 6.1, got '6.2'",
                error("kernels: [\"6.1\"]\ntraces: [{synth: {scenario: odirect}}]\nexpect: [{when: {kernel: \"6.2\"}, stalls: true}]\n"));
        assertTrue(error("kernels: [\"6.1\"]\ntraces: [{file: missing.trace}]\n")
                .startsWith("c.yaml:2: traces[0].file: expected a readable trace file, got '"));
        assertEquals("c.yaml:2: traces[1]: expected a unique trace name, got 'odirect' again (also traces[0]; give one a 'name')",
                error("kernels: [\"6.1\"]\ntraces: [{synth: {scenario: odirect}}, {synth: {scenario: odirect}}]\n"));
        assertEquals("c.yaml:1: expected a 'traces' key, got none", error("kernels: [\"6.1\"]\n"));
        assertEquals("c.yaml:1: reruns: expected a rerun count 0..10, got 'many'",
                error("reruns: many\nkernels: [\"6.1\"]\ntraces: [{synth: {scenario: odirect}}]\n"));
        assertTrue(error("traces: [\n").startsWith("c.yaml:2: expected YAML or JSON, got "));
    }

    @Test
    void aFilePatternAddsEveryMatchingTraceInNameOrder() throws Exception {
        Files.createDirectories(dir.resolve("traces"));
        for (String f : List.of("vfio-pfnmap.trace", "fsdax.trace", "notes.md")) {
            Files.writeString(dir.resolve("traces").resolve(f), "# tracer: nop\n");
        }
        CampaignSpec s = parse("traces: [{file: \"traces/*.trace\"}, {synth: {scenario: mixed}}]\nkernels: [\"6.1\"]\n");
        assertEquals(List.of("fsdax", "vfio-pfnmap", "mixed"), s.traces().stream().map(TraceSpec::name).toList());
        assertEquals("c.yaml:1: traces[0].file: expected at least one file matching '" + dir.resolve("traces/*.txt")
                + "', got none", error("traces: [{file: \"traces/*.txt\"}]\nkernels: [\"6.1\"]\n"));
    }

    @Test
    void anInjectorSpecReplayWouldRejectIsASpecErrorWithItsLine() {
        String e = error("traces: [{synth: {scenario: rdma-mr}}]\nkernels: [\"6.1\"]\n"
                + "injectors:\n  guessed: [\"no_such_function:probability=10\"]\n");
        assertTrue(e.startsWith("c.yaml:4: injectors.guessed: expected injector specs as replay --inject takes them "
                + "(pinreplay faults), got 'no_such_function:probability=10': expected an injector among mmap-unlock"), e);
        String keys = error("traces: [{synth: {scenario: rdma-mr}}]\nkernels: [\"6.1\"]\n"
                + "injectors: {bad: \"eagain:probability=200\"}\n");
        assertTrue(keys.contains("got 'eagain:probability=200'"), keys);
    }

    @Test
    void theBundledNightlySpecIsValidAndNamesTheBundledTraces() throws Exception {
        Path spec = Path.of("..", "traces", "nightly.yaml");
        CampaignSpec s = SpecParser.parse(Files.exists(spec) ? spec : Path.of("traces", "nightly.yaml"));
        assertEquals("nightly", s.name());
        assertEquals(List.of("dax-truncate-longterm-stall", "dio-dax-truncate", "gup-longterm-matrix", "qemu-memfile-ext4",
                "qemu-vfio-fsdax", "vfio-pfnmap-bar", "vfio-ext4-shared", "gup-writeback-private", "dax-truncate", "mixed"),
                s.traces().stream().map(TraceSpec::name).toList());
        assertEquals(Set.of(), s.expectationFor("vfio-ext4-shared", "6.5", "default", "none", 1).violations());
        assertEquals(Set.of("write-to-clean-folio"), s.expectationFor("vfio-ext4-shared", "6.1", "default", "none", 1).violations());
        assertEquals(Set.of("iommu-outlives-mapping"), s.expectationFor("vfio-pfnmap-bar", "6.15", "default", "none", 1)
                .violations());
        assertTrue(s.expectationFor("dax-truncate-longterm-stall", "6.1", "fsdax-longterm-allowed", "none", 1).stalls());
    }
}
