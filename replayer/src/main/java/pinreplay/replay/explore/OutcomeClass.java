package pinreplay.replay.explore;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One distinct outcome of the explored orders: the kinds of violation and stall it has (by event) and the kinds of
 * result change against the recorded order (by event), with the smallest reordering found that produces it. The
 * lists describe that reordering: its violations with their handles, its changed calls with their lines.
 */
public final class OutcomeClass {
    /** {@code KIND [handle] at EVENT}, sorted. */
    public List<String> violations;
    /** {@code EVENT [handle] (cause)}, sorted. */
    public List<String> stalls;
    /** {@code line L EVENT: recorded -> now}, in line order. */
    public List<String> results;
    /** Whether the recorded order falls in this class. */
    public final boolean recorded;
    /** Explored orders in this class. */
    public long orders;
    /** 1-based number of the explored order that first produced it. */
    public final long firstOrder;
    /** Events moved against the recorded order by {@link #events} (each event removed and reinserted once). */
    public int moved;
    /** The smallest reordering: events (recorded indices) in the order replayed. */
    public int[] events;
    /** Per position of {@link #events}: the event that ran inside its mmap_lock window, or -1. */
    public int[] windows;
    /** Per position: the kernel function where that window opened ({@code fixup_user_fault}, {@code faultin_page}). */
    public String[] windowPoints;

    OutcomeClass(List<String> violations, List<String> stalls, List<String> results, boolean recorded, long firstOrder) {
        detail(violations, stalls, results);
        this.recorded = recorded;
        this.firstOrder = firstOrder;
    }

    void detail(List<String> violations, List<String> stalls, List<String> results) {
        this.violations = violations;
        this.stalls = stalls;
        this.results = results;
    }

    public boolean hasViolation() {
        return !violations.isEmpty();
    }

    public boolean hasStall() {
        return !stalls.isEmpty();
    }

    public boolean hasDifferentResults() {
        return !results.isEmpty();
    }

    /** One line: {@code violation dma-after-free [dio0] at dio_complete; stall ...; result dio_submit: 0 -> -EFAULT}. */
    public String describe() {
        String d = Stream.of(violations.stream().map(v -> "violation " + v), stalls.stream().map(s -> "stall " + s),
                results.stream().map(r -> r.substring(r.indexOf(' ', "line ".length()) + 1)).distinct()
                        .map(r -> "result " + r)).flatMap(x -> x).collect(Collectors.joining("; "));
        return d.isEmpty() ? "nothing goes wrong" : d;
    }
}
