package pinreplay.cli.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The session's breakpoints and watchpoints, numbered together from 1 in the order they were set (as gdb numbers
 * them; numbers are not reused).
 */
final class Breakpoints {
    /** Each breakpoint and watchpoint, in the order set, to its number. */
    private final Map<Condition, Integer> conditions = new LinkedHashMap<>();
    private final Map<Watch, Integer> watches = new LinkedHashMap<>();
    private int next = 1;

    /** Adds {@code c} (once) and returns its number. */
    int add(Condition c) {
        return conditions.computeIfAbsent(c, k -> next++);
    }

    /** Adds {@code w} (once) and returns its number. */
    int add(Watch w) {
        return watches.computeIfAbsent(w, k -> next++);
    }

    /** Removes the breakpoint or watchpoint numbered {@code n}, or the breakpoint equal to {@code c}; false when none. */
    boolean remove(int n, Condition c) {
        return conditions.entrySet().removeIf(e -> e.getValue() == n || e.getKey().equals(c))
                || watches.values().remove(n);
    }

    void clear() {
        conditions.clear();
        watches.clear();
    }

    Set<Condition> conditions() {
        return conditions.keySet();
    }

    Set<Watch> watches() {
        return watches.keySet();
    }

    /** One line per breakpoint and watchpoint, by number: {@code 1  event ftruncate}, {@code 2  watch inode 12}. */
    List<String> describe() {
        Map<Integer, String> all = new TreeMap<>();
        conditions.forEach((c, n) -> all.put(n, n + "  " + c));
        all.putAll(describeWatches());
        return new ArrayList<>(all.values());
    }

    /** One line per watchpoint, by number. */
    Map<Integer, String> describeWatches() {
        Map<Integer, String> all = new TreeMap<>();
        watches.forEach((w, n) -> all.put(n, n + "  watch " + w));
        return all;
    }

    /** The number of the breakpoint {@code c}, or 0. */
    int numberOf(Condition c) {
        return conditions.getOrDefault(c, 0);
    }

    /** The number of the watchpoint {@code w}, or 0. */
    int numberOf(Watch w) {
        return watches.getOrDefault(w, 0);
    }
}
