package pinreplay.replay.explore;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Who touched what along the schedule being searched, by depth, with a vector clock per depth: the bookkeeping of
 * dynamic partial-order reduction (Flanagan and Godefroid, POPL 2005) over the static dependence of
 * {@link Footprints}. For a task's pending step it finds the last step on the current path that conflicts with it
 * and does not already happen before the task (through a chain of conflicting steps): the race whose other order
 * must also be tried, from the node before that step.
 */
final class Races {
    /** Entries (depth, task) of one resource, and for page ranges their (first, end) pages. */
    private static final class Stack {
        int[] depth = new int[8];
        int[] task = new int[8];
        long[] lo;
        long[] hi;
        int n;

        Stack(boolean ranges) {
            if (ranges) {
                lo = new long[8];
                hi = new long[8];
            }
        }

        void push(int d, int t, long from, long to) {
            if (n == depth.length) {
                depth = Arrays.copyOf(depth, n * 2);
                task = Arrays.copyOf(task, n * 2);
                if (lo != null) {
                    lo = Arrays.copyOf(lo, n * 2);
                    hi = Arrays.copyOf(hi, n * 2);
                }
            }
            depth[n] = d;
            task[n] = t;
            if (lo != null) {
                lo[n] = from;
                hi[n] = to;
            }
            n++;
        }

        /**
         * The deepest entry of another task than {@code t} (overlapping {@code [from, to)} for ranges) that does not
         * happen before {@code clock} (null: nothing does), or -1.
         */
        int last(int t, long from, long to, int[] clock) {
            for (int i = n - 1; i >= 0; i--) {
                if (task[i] != t && (lo == null || lo[i] < to && from < hi[i])
                        && (clock == null || clock[task[i]] < depth[i])) {
                    return depth[i];
                }
            }
            return -1;
        }
    }

    private final Footprints fp;
    private final Map<Long, Stack> keys = new HashMap<>();
    private final Map<Long, Stack> ranges = new HashMap<>();
    private final Stack global = new Stack(false);
    private final Stack all = new Stack(false);
    /** Per depth: for each task, the deepest of its steps that happens before (or is) the step there; -1 none. */
    private final int[][] clocks;
    /** Per depth: the element-wise maximum of the clocks up to it (what a global step comes after). */
    private final int[][] maxClocks;
    private final int[] stepsAt;

    Races(Footprints fp) {
        this.fp = fp;
        clocks = new int[fp.stepCount() + 1][];
        maxClocks = new int[fp.stepCount() + 1][];
        stepsAt = new int[fp.stepCount() + 1];
    }

    /** The clock of the step at {@code depth}. */
    int[] clock(int depth) {
        return clocks[depth];
    }

    /** Step {@code step} ran at {@code depth}; its task's previous step ran at {@code previous} (-1: none). */
    void push(int step, int depth, int previous) {
        int task = fp.stepTask[step];
        int nt = fp.taskCount();
        if (clocks[depth] == null) {
            clocks[depth] = new int[nt];
            maxClocks[depth] = new int[nt];
        }
        int[] c = clocks[depth];
        if (stepsAt[depth]++ == 0) {
            java.util.Arrays.fill(c, -1);
        }
        merge(c, previous >= 0 ? clocks[previous] : null);
        if (fp.stepGlobal(step)) {
            merge(c, depth > 0 ? maxClocks[depth - 1] : null);
        } else {
            merge(c, global.n > 0 ? clocks[global.depth[global.n - 1]] : null);
            for (int e : fp.steps[step]) {
                for (long k : fp.keys(e)) {
                    Stack s = keys.get(k);
                    merge(c, s != null && s.n > 0 ? clocks[s.depth[s.n - 1]] : null);
                }
                long[] r = fp.ranges(e);
                for (int i = 0; r != null && i < r.length; i += 3) {
                    Stack s = ranges.get(r[i]);
                    for (int j = s == null ? -1 : s.n - 1; j >= 0; j--) {
                        // an entry some later step of its task already covers adds nothing (clocks grow along a task)
                        if (c[s.task[j]] < s.depth[j] && s.lo[j] < r[i + 2] && r[i + 1] < s.hi[j]) {
                            merge(c, clocks[s.depth[j]]);
                        }
                    }
                }
            }
        }
        c[task] = depth;
        int[] m = maxClocks[depth];
        for (int t = 0; t < nt; t++) {
            m[t] = Math.max(c[t], depth > 0 ? maxClocks[depth - 1][t] : -1);
        }
        all.push(depth, task, 0, 0);
        if (fp.stepGlobal(step)) {
            global.push(depth, task, 0, 0);
        }
        for (int e : fp.steps[step]) {
            for (long k : fp.keys(e)) {
                keys.computeIfAbsent(k, x -> new Stack(false)).push(depth, task, 0, 0);
            }
            long[] r = fp.ranges(e);
            for (int i = 0; r != null && i < r.length; i += 3) {
                ranges.computeIfAbsent(r[i], x -> new Stack(true)).push(depth, task, r[i + 1], r[i + 2]);
            }
        }
    }

    private static void merge(int[] into, int[] from) {
        if (from != null) {
            for (int t = 0; t < into.length; t++) {
                into[t] = Math.max(into[t], from[t]);
            }
        }
    }

    /** Undoes {@link #push} of {@code step} at {@code depth}. */
    void pop(int step, int depth) {
        stepsAt[depth]--;
        all.n--;
        if (fp.stepGlobal(step)) {
            global.n--;
        }
        for (int e : fp.steps[step]) {
            for (long k : fp.keys(e)) {
                keys.get(k).n--;
            }
            long[] r = fp.ranges(e);
            for (int i = 0; r != null && i < r.length; i += 3) {
                ranges.get(r[i]).n--;
            }
        }
    }

    /**
     * The depth of the last step of another task than {@code step}'s that conflicts with it and does not happen
     * before {@code clock} (its task's clock; null when it ran nothing yet), or -1.
     */
    int lastConflict(int step, int[] clock) {
        int task = fp.stepTask[step];
        if (fp.stepGlobal(step)) {
            return all.last(task, 0, 0, clock);
        }
        int best = global.last(task, 0, 0, clock);
        for (int e : fp.steps[step]) {
            for (long k : fp.keys(e)) {
                Stack s = keys.get(k);
                if (s != null) {
                    best = Math.max(best, s.last(task, 0, 0, clock));
                }
            }
            long[] r = fp.ranges(e);
            for (int i = 0; r != null && i < r.length; i += 3) {
                Stack s = ranges.get(r[i]);
                if (s != null) {
                    best = Math.max(best, s.last(task, r[i + 1], r[i + 2], clock));
                }
            }
        }
        return best;
    }
}
