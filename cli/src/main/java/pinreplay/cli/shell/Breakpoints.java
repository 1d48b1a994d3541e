package pinreplay.cli.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The session's breakpoints and watchpoints, numbered together from 1 in the order they were set (as gdb numbers
 * them; numbers are not reused).
 */
final class Breakpoints {
    private final List<Condition> conditions = new ArrayList<>();
    private final List<Integer> numbers = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    private final List<Integer> watchNumbers = new ArrayList<>();
    private int next = 1;

    /** Adds {@code c} (once) and returns its number. */
    int add(Condition c) {
        int i = conditions.indexOf(c);
        if (i >= 0) {
            return numbers.get(i);
        }
        conditions.add(c);
        numbers.add(next);
        return next++;
    }

    /** Adds {@code w} (once) and returns its number. */
    int add(Watch w) {
        int i = watches.indexOf(w);
        if (i >= 0) {
            return watchNumbers.get(i);
        }
        watches.add(w);
        watchNumbers.add(next);
        return next++;
    }

    /** Removes the breakpoint or watchpoint numbered {@code n}, or the breakpoint equal to {@code c}; false when none. */
    boolean remove(int n, Condition c) {
        for (int i = 0; i < conditions.size(); i++) {
            if (numbers.get(i) == n || conditions.get(i).equals(c)) {
                conditions.remove(i);
                numbers.remove(i);
                return true;
            }
        }
        for (int i = 0; i < watches.size(); i++) {
            if (watchNumbers.get(i) == n) {
                watches.remove(i);
                watchNumbers.remove(i);
                return true;
            }
        }
        return false;
    }

    void clear() {
        conditions.clear();
        numbers.clear();
        watches.clear();
        watchNumbers.clear();
    }

    List<Condition> conditions() {
        return conditions;
    }

    List<Watch> watches() {
        return watches;
    }

    /** One line per breakpoint and watchpoint, by number: {@code 1  event ftruncate}, {@code 2  watch inode 12}. */
    List<String> describe() {
        Map<Integer, String> all = new TreeMap<>();
        for (int i = 0; i < conditions.size(); i++) {
            all.put(numbers.get(i), numbers.get(i) + "  " + conditions.get(i));
        }
        all.putAll(describeWatches());
        return new ArrayList<>(all.values());
    }

    /** One line per watchpoint, by number. */
    Map<Integer, String> describeWatches() {
        Map<Integer, String> all = new TreeMap<>();
        for (int i = 0; i < watches.size(); i++) {
            all.put(watchNumbers.get(i), watchNumbers.get(i) + "  watch " + watches.get(i));
        }
        return all;
    }

    /** The number of the breakpoint {@code c}, or 0. */
    int numberOf(Condition c) {
        int i = conditions.indexOf(c);
        return i < 0 ? 0 : numbers.get(i);
    }

    /** The number of the watchpoint {@code w}, or 0. */
    int numberOf(Watch w) {
        int i = watches.indexOf(w);
        return i < 0 ? 0 : watchNumbers.get(i);
    }
}
