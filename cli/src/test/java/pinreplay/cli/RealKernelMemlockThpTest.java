package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lab's memlock-thp on real kernels: as uid 1000 with RLIMIT_MEMLOCK 64 pages, registering 16 pages of a
 * transparent huge page with io_uring was refused (-ENOMEM): io_buffer_account_pin() charges the compound page's
 * 512 pages. With THPs modelled (Debian's "always") every io_uring result follows from the charge; with
 * {@code thp=never} the refusals agree only by assuming a charge from before the recording.
 */
class RealKernelMemlockThpTest {
    private static List<String> registrations(String release, String trace, String... policy) {
        String[] args = Stream.concat(Stream.of("replay", Path.of("..", "traces", "real", release, trace).toString(),
                "--kernel", release, "--format", "jsonl"), Stream.of(policy).flatMap(p -> Stream.of("--policy", p)))
                .toArray(String[]::new);
        return Run.of("", args).out().lines().filter(l -> l.contains("\"event\":\"io_uring_register")).toList();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"5.10, memlock-thp.txt", "6.1, memlock-thp.txt", "6.12, memlock-thp.txt", "7.2, memlock-thp.txt",
        "5.10, memlock-thp-markers.txt", "7.2, memlock-thp-markers.txt"})
    void theThpChargeExplainsEveryRefusal(String release, String trace) {
        List<String> thp = registrations(release, trace);
        assertTrue(thp.stream().anyMatch(l -> l.contains("\"observed\":\"-ENOMEM\"")), String.join("\n", thp));
        assertEquals(List.of(), thp.stream().filter(l -> l.contains("\"agrees\":false") || l.contains("\"assumed\"")).toList());
        assertTrue(registrations(release, trace, "thp=never").stream().anyMatch(l -> l.contains("RLIMIT_MEMLOCK exceeded")));
    }
}
