package pinreplay.campaign.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a cell is expected to show. A violation kind listed here must occur and is then no failure;
 * any other kind is. Stalls and divergences are failures unless expected, and then must occur.
 *
 * @param violations expected violation kinds, sorted
 */
public record Expectation(Set<String> violations, boolean stalls, boolean divergences) {
    /** No findings expected: any violation, stall or divergence fails the cell. */
    public static final Expectation NONE = new Expectation(Set.of(), false, false);

    public Expectation {
        violations = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(violations));
    }

    /** {@code expected dma-into-reallocated-block, stall}: what an expected failure showed, as TAP and JUnit say it. */
    public String describe() {
        List<String> parts = new ArrayList<>(violations);
        if (stalls) {
            parts.add("stall");
        }
        if (divergences) {
            parts.add("divergence");
        }
        return "expected " + String.join(", ", parts);
    }

    /** Whether the cell is expected to show something (so a pass is an expected failure, TAP XFAIL). */
    public boolean expectsFindings() {
        return !violations.isEmpty() || stalls || divergences;
    }
}
