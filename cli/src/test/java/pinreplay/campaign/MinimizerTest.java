package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.campaign.spec.Expectation;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.TraceSpec;
import pinreplay.format.parse.TraceParser;

class MinimizerTest {
    @TempDir
    Path tmp;

    @Test
    void ddminFindsTheThreeItemsAFailureNeeds() {
        List<Integer> input = IntStream.range(0, 1000).boxed().toList();
        Ddmin.Result<Integer> r = Ddmin.minimize(input, c -> c.contains(17) && c.contains(500) && c.contains(999), 10_000);
        assertEquals(List.of(17, 500, 999), r.kept());
        assertTrue(r.minimal());
        assertEquals(r, Ddmin.minimize(input, c -> c.contains(17) && c.contains(500) && c.contains(999), 10_000),
                "deterministic: same input, same tests, same result");
    }

    @Test
    void ddminStopsAtItsBudgetWithWhatItHas() {
        List<Integer> input = IntStream.range(0, 1000).boxed().toList();
        Ddmin.Result<Integer> r = Ddmin.minimize(input, c -> c.contains(3) && c.contains(700), 12);
        assertEquals(12, r.tests());
        assertFalse(r.minimal());
        assertTrue(r.kept().contains(3) && r.kept().contains(700) && r.kept().size() < 1000);
    }

    @Test
    void minimizerShrinksAKnownFailingTraceToItsThreeEvents() throws Exception {
        List<String> lines = new ArrayList<>(TestCampaigns.fsdaxTrace(500));
        Path trace = tmp.resolve("fsdax.trace");
        Files.write(trace, lines);
        TraceSpec t = new TraceSpec("fsdax", trace, null, Map.of(), 0, 0);
        Cell cell = new Cell(0, "fsdax.4.14.default.none.s1", t, "4.14", new PolicySet("default", Map.of()),
                new InjectorSet("none", List.of()), 1, Expectation.NONE);
        FakeCellRunner runner = new FakeCellRunner("4.14");

        Repro r = new TraceMinimizer(runner, tmp, 2000).minimize(cell, new PreparedTrace(t, trace),
                "dma-into-reallocated-block");

        assertEquals(500, r.eventsBefore());
        assertEquals(3, r.eventsAfter());
        assertTrue(r.minimal());
        List<String> events = r.text().stream().filter(TraceParser::isEventLine).toList();
        assertTrue(events.get(0).endsWith("vfio_dma_map: handle=ram vaddr=0x7f0000000000 iova=0x0 size=0x200000"));
        assertTrue(events.get(1).endsWith("ftruncate: ino=12 size=0"));
        assertTrue(events.get(2).endsWith("dma_write: handle=ram iova=0x1000 len=4096"));
        assertTrue(r.text().containsAll(List.of("# tracer: nop", "#")), "header lines are kept");
        assertEquals("# reproduce: ./pinreplay replay repro/fsdax.4.14.default.none.s1.trace --kernel 4.14",
                r.text().get(2));
        assertTrue(r.tests() < 200, "ddmin spent " + r.tests() + " replays");
    }

    @Test
    void aModelBugDuringMinimizationSurfacesInsteadOfCountingAsNotReproducing() throws Exception {
        Path trace = tmp.resolve("fsdax.trace");
        Files.write(trace, TestCampaigns.fsdaxTrace(50));
        TraceSpec t = new TraceSpec("fsdax", trace, null, Map.of(), 0, 0);
        Cell cell = new Cell(0, "fsdax.4.14.default.none.s1", t, "4.14", new PolicySet("default", Map.of()),
                new InjectorSet("none", List.of()), 1, Expectation.NONE);
        FakeCellRunner fake = new FakeCellRunner("4.14");
        CellRunner buggy = new CellRunner() {
            @Override
            public PreparedTrace prepare(TraceSpec trace, Path workDir) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CellResult run(Cell c, PreparedTrace p) {
                CellResult r = fake.run(c, p);
                if (r.outcomes().calls() < 50) {
                    throw new IllegalStateException("a bug in the model");
                }
                return r;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TraceMinimizer(buggy, tmp, 100)
                .minimize(cell, new PreparedTrace(t, trace), "dma-into-reallocated-block"));
        assertEquals("a bug in the model", e.getMessage());
    }
}
