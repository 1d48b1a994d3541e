package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import pinreplay.campaign.Json;

/**
 * A recording without any native marker (kprobes on GUP's entry points, syscalls, a snapshot) drives the model:
 * the profile comes from its {@code uname -r}, files opened by fd and memory mapped before the recording are
 * assumed from the kernel's results, and every recorded result agrees.
 */
class RawRecordingReplayTest {
    private static final String TRACE = "src/test/resources/traces/raw/io-uring-6.1.txt";

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> records(String jsonl) {
        List<Map<String, Object>> r = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            if (!line.isEmpty()) {
                r.add((Map<String, Object>) Json.parse(line));
            }
        }
        return r;
    }

    @Test
    void everyRecordedResultAgreesUnderTheRecordedRelease() {
        Run run = Run.of("", "replay", TRACE, "--format", "jsonl");
        assertEquals(ExitCodes.OK, run.code(), run.out() + run.err());
        List<Map<String, Object>> calls = records(run.out());
        assertEquals(4, calls.size(), run.out());
        for (Map<String, Object> c : calls) {
            assertEquals(Boolean.TRUE, c.get("agrees"), c.toString());
            assertEquals(100.0, ((Number) c.get("measured_us")).doubleValue(), 0.001, "kprobe to kretprobe");
        }
        assertEquals("file-is-fsdax", calls.get(0).get("assumed"),
                "a long-term pin of an opened file refused with -EOPNOTSUPP reveals an fs-DAX file");
        assertEquals(null, calls.get(1).get("assumed"), "the snapshot described the stack");
        assertEquals("anonymous", calls.get(2).get("assumed"), "memory mapped before the recording");
        assertEquals(null, calls.get(3).get("assumed"), "the same file, already revealed");
    }

    @Test
    void theRecordedReleaseIsTheProfileUnlessKernelIsGiven() {
        assertTrue(Run.of("", "replay", TRACE).out().startsWith("pinreplay replay: kernel 6.1\n"));
        Run r = Run.of("", "replay", TRACE, "--kernel", "5.10");
        assertTrue(r.out().startsWith("pinreplay replay: kernel 5.10\n"), r.out());
    }

    @Test
    void debiansUnameWithAPlusSuffixNamesTheRelease() throws IOException {
        String text = Files.readString(Path.of(TRACE)).replace("release=6.1.0-27-amd64", "release=6.12.117+deb13-amd64");
        Run r = Run.of(text, "replay", "-");
        assertTrue(r.out().startsWith("pinreplay replay: kernel 6.12.117\n"), r.out() + r.err());
    }

    /**
     * Debian's uname -r hides the stable update (6.1.0-N-amd64 is the series, as it ships now); the recorder adds
     * /proc/version's "Debian 6.1.40-1" as update=, which the profile then follows (its backports pinned to updates).
     */
    @Test
    void theRecordedUpdateOfADistributionKernelIsTheProfile() throws IOException {
        String text = Files.readString(Path.of(TRACE)).replace("release=6.1.0-27-amd64 machine=x86_64",
                "release=6.1.0-27-amd64 machine=x86_64 update=6.1.40");
        Run r = Run.of(text, "replay", "-");
        assertTrue(r.out().startsWith("pinreplay replay: kernel 6.1.40\n"), r.out() + r.err());
        String other = text.replace("update=6.1.40", "update=6.2.1");
        assertTrue(Run.of(other, "replay", "-").out().startsWith("pinreplay replay: kernel 6.1\n"),
                "an update of another series is not this kernel's");
    }

    @Test
    void aRecordingFromAnUnmodelledReleaseIsRefusedWithTheRange() throws IOException {
        String text = Files.readString(Path.of(TRACE)).replace("release=6.1.0-27-amd64", "release=3.10.0-1160.el7.x86_64");
        Run r = Run.of(text, "replay", "-");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("the recording is from kernel 3.10.0-1160.el7.x86_64, outside the modelled releases 4.14 to"),
                r.err());
    }

    @Test
    void strictStateRefusesToAssume() {
        Run r = Run.of("", "replay", TRACE, "--strict-state");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--strict-state") && r.err().contains("never described"), r.err());
    }

    @Test
    void decimalReturnValuesAreNotReadAsHex() {
        String text = "# tracer: nop\n"
                + "  t-7 [000] .....  1.000000: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) start=0x7f0000000000 nr_pages=64 gup_flags=0x1\n"
                + "  t-7 [000] .....  1.000001: r_pin_user_pages_fast_0: (f+0x1/0x2 <- pin_user_pages_fast) ret=64\n";
        Run r = Run.of(text, "replay", "-", "--kernel", "6.1", "--format", "jsonl");
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\"result\":64,") && r.out().contains("\"observed\":64,\"agrees\":true"), r.out());
    }
}
