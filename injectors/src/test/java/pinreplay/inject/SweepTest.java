package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;
import pinreplay.replay.Replayer;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;

class SweepTest {
    private static Sweep.Replay replay(String trace, String kernel, String... policies) {
        Profile p = Profile.of(KernelRelease.parse(kernel), Policies.parse(List.of(policies)));
        return (faults, sink) -> {
            EventWriter w = new EventWriter(new EventReader(new Replayer(p, faults, sink)));
            try {
                new TraceParser("test", w, false).parse(Channels.newChannel(
                        new ByteArrayInputStream(trace.getBytes(StandardCharsets.UTF_8))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            w.finish();
        };
    }

    @Test
    void sweepVisitsEachSiteOnceAndStopsWhenARunInjectsNothing() throws Exception {
        Sweep.Result r = Sweep.run(replay(Injected.file("inject/dio-dax-inflight.txt"), "5.10", "dax-truncate=fail"),
                InjectSpec.parse("truncate"), List.of(), 3, 100);
        assertFalse(r.capped());
        assertEquals(List.of(1L, 2L), r.sites().stream().map(Sweep.Site::failNth).toList());
        assertEquals(List.of(13L, 15L), r.sites().stream().map(Sweep.Site::line).toList());
        // -EBUSY leaves the data alone: the truncate changes nothing the device sees
        assertEquals(0, r.withViolations());
    }

    @Test
    void aSiteThatChangesAResultSaysWhichCallAndHow() throws Exception {
        Sweep.Result r = Sweep.run(replay(Injected.file("vfio-pfnmap-bar.txt"), "6.15"),
                InjectSpec.parse("mmap-unlock:race=munmap"), List.of(), 1, 100);
        assertEquals(1, r.sites().size());
        Sweep.Site s = r.sites().get(0);
        assertTrue(s.changesOutcome());
        assertEquals("line 8 vfio_dma_map: 0 -> -EFAULT", s.firstChange());
        assertEquals("bar0", s.handle());
    }

    @Test
    void theCapStopsTheSweep() throws Exception {
        Sweep.Result r = Sweep.run(replay(Injected.file("gup-longterm-matrix.txt"), "6.15"),
                InjectSpec.parse("migrate"), List.of(), 1, 3);
        assertTrue(r.capped());
        assertEquals(3, r.sites().size());
        assertEquals(0, r.changed(), "compaction leaves pinned pages alone");
    }
}
