package pinreplay.campaign;

import java.util.List;
import java.util.SortedMap;

import org.HdrHistogram.Histogram;

/**
 * What replaying one cell gave.
 *
 * @param records     the outcome records, one JSON object per line (docs/replay.md, Outcome records)
 * @param outcomes    what they add up to
 * @param latency     simulated latency per event kind ({@code pin_user_pages}), in nanoseconds, by name
 * @param exitStatus  the replay's exit code: 0 clean, 1 findings, 2 usage, 3 bad input
 * @param diagnostics what the replay said on stderr (empty when nothing); shown for errors
 */
public record CellResult(List<String> records, Outcomes outcomes, SortedMap<String, Histogram> latency, int exitStatus,
        String diagnostics) {
    /** A cell that could not run: {@code exitStatus} and why. */
    public static CellResult error(int exitStatus, String diagnostics) {
        return new CellResult(List.of(), Outcomes.none(), new java.util.TreeMap<>(), exitStatus, diagnostics);
    }
}
