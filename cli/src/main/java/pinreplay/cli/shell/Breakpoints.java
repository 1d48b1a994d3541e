package pinreplay.cli.shell;

import java.util.ArrayList;
import java.util.List;

/** The session's breakpoints, numbered from 1 in the order they were set (numbers are not reused). */
final class Breakpoints {
    private final List<Condition> conditions = new ArrayList<>();
    private final List<Integer> numbers = new ArrayList<>();
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

    /** Removes the breakpoint numbered {@code n} or equal to {@code c}; false when there is none. */
    boolean remove(int n, Condition c) {
        for (int i = 0; i < conditions.size(); i++) {
            if (numbers.get(i) == n || conditions.get(i).equals(c)) {
                conditions.remove(i);
                numbers.remove(i);
                return true;
            }
        }
        return false;
    }

    void clear() {
        conditions.clear();
        numbers.clear();
    }

    List<Condition> conditions() {
        return conditions;
    }

    /** One line per breakpoint: {@code 1  event ftruncate}. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            out.add(numbers.get(i) + "  " + conditions.get(i));
        }
        return out;
    }

    /** The number of the breakpoint {@code c}, or 0. */
    int numberOf(Condition c) {
        int i = conditions.indexOf(c);
        return i < 0 ? 0 : numbers.get(i);
    }
}
