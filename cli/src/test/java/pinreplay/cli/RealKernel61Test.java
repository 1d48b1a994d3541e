package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import pinreplay.campaign.Json;

/** What a real 6.1 kernel (Debian 6.1.192 under qemu) did replays under {@code --kernel 6.1} with no divergence. */
class RealKernel61Test {
    @Test
    void debian61ObservationsReplayWithoutDivergence() throws IOException {
        String trace = Files.readString(Path.of("src/test/resources/traces/debian-6.1.192.txt"));
        Run run = Run.of(trace, "replay", "-", "--kernel", "6.1", "--format", "jsonl");
        assertEquals(ExitCodes.OK, run.code(), run.out() + run.err());
        int observed = 0;
        for (String line : run.out().split("\n")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rec = (Map<String, Object>) Json.parse(line);
            assertFalse(rec.containsKey("violation") || rec.containsKey("stall"), line);
            if (rec.containsKey("observed")) {
                observed++;
                assertEquals(rec.get("observed"), rec.get("result"), line);
                assertEquals(Boolean.TRUE, rec.get("agrees"), line);
            }
        }
        assertEquals(12, observed, run.out());
    }
}
