package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.run.Replay;
import pinreplay.replay.run.TraceSource;

class SweepTest {
    private static Sweep.Result sweep(String trace, String kernel, String policy, InjectSpec swept, long seed,
            long max) {
        Profile p = Profile.of(KernelRelease.parse(kernel), Policies.parse(policy == null ? List.of() : List.of(policy)));
        TraceSource source = TraceSource.text("-", new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8)));
        return Sweep.run(new Replay(p), source.rereadable(), swept, List.of(), seed, max,
                new PrintWriter(System.err, true));
    }

    @Test
    void sweepVisitsEachSiteOnceAndStopsWhenARunInjectsNothing() throws Exception {
        Sweep.Result r = sweep(Injected.file("inject/dio-dax-inflight.txt"), "5.10", "dax-truncate=fail",
                InjectSpec.parse("truncate"), 3, 100);
        assertFalse(r.capped());
        assertEquals(List.of(1L, 2L), r.sites().stream().map(Sweep.Site::failNth).toList());
        assertEquals(List.of(13L, 15L), r.sites().stream().map(Sweep.Site::line).toList());
        // -EBUSY leaves the data alone: the truncate changes nothing the device sees
        assertEquals(0, r.withViolations());
    }

    @Test
    void aSiteThatChangesAResultSaysWhichCallAndHow() throws Exception {
        Sweep.Result r = sweep(Injected.file("vfio-pfnmap-bar.txt"), "6.15", null,
                InjectSpec.parse("mmap-unlock:race=munmap"), 1, 100);
        assertEquals(1, r.sites().size());
        Sweep.Site s = r.sites().get(0);
        assertTrue(s.changesOutcome());
        assertEquals("line 8 vfio_dma_map: 0 -> -EFAULT", s.firstChange());
        assertEquals("bar0", s.handle());
    }

    @Test
    void theCapStopsTheSweep() throws Exception {
        Sweep.Result r = sweep(Injected.file("gup-longterm-matrix.txt"), "6.15", null,
                InjectSpec.parse("migrate"), 1, 3);
        assertTrue(r.capped());
        assertEquals(3, r.sites().size());
        assertEquals(0, r.changed(), "compaction leaves pinned pages alone");
    }
}
