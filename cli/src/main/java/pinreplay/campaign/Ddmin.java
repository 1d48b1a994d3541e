package pinreplay.campaign;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", IEEE TSE
 * 28(2), 2002): shrinks a failing input to a 1-minimal one, where removing any single item makes the
 * failure go away. Subsets first, then complements, then finer granularity; every choice is in list
 * order, so the same input and predicate give the same result. A test budget bounds the cost: the
 * worst case is quadratic in the input's size.
 */
public final class Ddmin {
    /**
     * @param kept    the smallest failing input found, in input order
     * @param tests   how many times the predicate ran
     * @param minimal whether {@code kept} is 1-minimal (false when the budget ran out first)
     */
    public record Result<T>(List<T> kept, int tests, boolean minimal) {
    }

    private Ddmin() {
    }

    /**
     * @param input     a failing input ({@code fails.test(input)} is assumed, not tested)
     * @param fails     whether a candidate still fails the same way
     * @param maxTests  the most predicate runs to spend
     */
    public static <T> Result<T> minimize(List<T> input, Predicate<List<T>> fails, int maxTests) {
        List<T> c = List.copyOf(input);
        int n = 2;
        int tests = 0;
        Set<List<T>> passed = new HashSet<>(); // candidates known not to fail: never run twice
        while (c.size() >= 2) {
            List<List<T>> parts = split(c, n);
            boolean reduced = false;
            // Reduce to a subset, then to a complement (granularity n - 1).
            for (int pass = 0; pass < 2 && !reduced; pass++) {
                for (int k = 0; k < parts.size(); k++) {
                    List<T> candidate = pass == 0 ? parts.get(k) : complement(parts, k);
                    if (pass == 1 && parts.size() == 2) {
                        break; // with two parts the complements are the subsets just tried
                    }
                    if (passed.contains(candidate)) {
                        continue;
                    }
                    if (tests == maxTests) {
                        return new Result<>(c, tests, false);
                    }
                    tests++;
                    if (fails.test(candidate)) {
                        c = candidate;
                        n = pass == 0 ? 2 : Math.max(n - 1, 2);
                        reduced = true;
                        break;
                    }
                    passed.add(candidate);
                }
            }
            if (!reduced) {
                if (n >= c.size()) {
                    break; // every single item was removed once: 1-minimal
                }
                n = Math.min(2 * n, c.size());
            }
        }
        return new Result<>(c, tests, true);
    }

    private static <T> List<List<T>> split(List<T> c, int n) {
        List<List<T>> parts = new ArrayList<>(n);
        int start = 0;
        for (int k = 0; k < n; k++) {
            int end = start + (c.size() - start) / (n - k);
            parts.add(List.copyOf(c.subList(start, end)));
            start = end;
        }
        return parts;
    }

    private static <T> List<T> complement(List<List<T>> parts, int skip) {
        List<T> out = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            if (k != skip) {
                out.addAll(parts.get(k));
            }
        }
        return List.copyOf(out);
    }
}
