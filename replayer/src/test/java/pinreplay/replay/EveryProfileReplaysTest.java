package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.kernel.Policies;

/**
 * Every modelled X.Y from 4.14 to 7.2 loads its profile and replays every committed scenario trace (traces/*.txt,
 * traces/inject/*.txt) to the end without an exception, reporting every native event it read.
 */
class EveryProfileReplaysTest {
    /** Linux releases: 4.14-4.20, 5.0-5.19, 6.0-6.19, 7.0 on. */
    private static final int[][] SERIES = {{4, 14, 20}, {5, 0, 19}, {6, 0, 19}, {7, 0, 99}};

    static List<KernelRelease> releases() {
        List<KernelRelease> out = new ArrayList<>();
        for (int[] s : SERIES) {
            for (int minor = s[1]; minor <= s[2]; minor++) {
                KernelRelease r = KernelRelease.of(s[0], minor);
                if (r.compareTo(KernelRelease.NEWEST) <= 0) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    static List<String> scenarioTraces() throws IOException {
        List<String> out = new ArrayList<>();
        for (String dir : new String[] {"", "inject/"}) {
            try (Stream<Path> s = Files.list(Replays.trace(dir.isEmpty() ? "." : dir))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted()
                        .forEach(n -> out.add(dir + n));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyProfileReplaysEveryScenarioTrace() throws IOException {
        List<KernelRelease> releases = releases();
        assertEquals(KernelRelease.OLDEST, releases.get(0));
        assertEquals(KernelRelease.NEWEST, releases.get(releases.size() - 1));
        List<String> traces = scenarioTraces();
        assertTrue(traces.size() >= 9, traces.toString());
        return releases.stream().map(r -> DynamicTest.dynamicTest(r.toString(), () -> {
            assertEquals(r, Profile.of(r, Policies.NONE).release);
            for (String t : traces) {
                Replays rep = Replays.file(t, r.toString());
                assertNotNull(rep.summary, t + " on " + r + " did not reach its end");
                assertTrue(rep.summary.eventsReplayed > 0, t + " on " + r);
                assertTrue(rep.outcomes.stream().anyMatch(o -> o.kind == pinreplay.replay.outcome.Outcome.Kind.CALL),
                        t + " on " + r + " reported no call");
            }
        }));
    }
}
