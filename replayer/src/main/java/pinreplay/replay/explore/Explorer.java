package pinreplay.replay.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import pinreplay.format.EventView;
import pinreplay.format.Record;
import pinreplay.replay.Replayer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.Profile;

/**
 * Bounded exploration of the interleavings of a trace's tasks (docs/explore.md). A depth-first search over
 * schedules of {@link Footprints steps}: each task's steps in program order, a step enabled once the steps that
 * created what it uses ran, and a pin or {@code vfio_dma_map} that may drop {@code mmap_lock} optionally run with
 * another task's munmap/mmap/mprotect of its pages racing inside the window (then right after it). DPOR
 * backtracking ({@link Races}) and sleep sets over the static dependence prune every schedule that only swaps
 * commuting steps of one already explored, so each explored order is a distinct Mazurkiewicz trace. Each complete order is replayed into a fresh {@link Replayer} and classified by its
 * violations, stalls and the results that differ from the recorded order's; each class keeps the order that moves
 * the fewest events.
 */
public final class Explorer {
    /** Limits and choices of one exploration. */
    public record Bounds(long maxOrders, long maxNanos, long seed, boolean prune) {
    }

    /** Called every few orders with the totals so far (for a progress line). */
    @FunctionalInterface
    public interface Progress {
        void update(long orders, long pruned, int classes);
    }

    /** What an exploration found. */
    public static final class Result {
        public final List<OutcomeClass> classes = new ArrayList<>();
        /** Orders replayed, the recorded one included. */
        public long orders;
        /** Branches the sleep sets skipped (each an order or a whole subtree of equivalent ones). */
        public long pruned;
        /** Whether every order within the constraints was explored (no bound cut the search). */
        public boolean exhausted;
        public long nanos;
        public int tasks;
        public int events;
        public int steps;
        public int windows;
    }

    private final TraceEvents trace;
    private final Profile profile;
    private final Supplier<FaultPoints> faults;
    private final EventView view;
    private final OrderOutcome outcome;
    private final byte[] scratch = new byte[Record.MAX_SIZE + 1];
    private Footprints fp;
    private final Map<String, OutcomeClass> classes = new LinkedHashMap<>();
    private Result result;
    // the order being replayed, and what ran
    private int[] order;
    private int[] orderRace;
    private int orderLength;
    private int[] replayed;
    private int[] replayedWindow;
    private String[] replayedPoint;
    private int replayedLength;
    private int[] tails;

    /** @param faults a fresh set of the user's fault points (injectors) per order: they keep counts */
    public Explorer(TraceEvents trace, Profile profile, Supplier<FaultPoints> faults) {
        this.trace = trace;
        this.profile = profile;
        this.faults = faults;
        this.view = trace.view();
        this.outcome = new OrderOutcome(trace);
        int n = trace.size();
        order = new int[n];
        orderRace = new int[n];
        replayed = new int[n];
        replayedWindow = new int[n];
        replayedPoint = new String[n];
        tails = new int[n + 1];
    }

    public Result run(Bounds bounds, Progress progress) {
        long start = System.nanoTime();
        result = new Result();
        fp = Footprints.of(trace);
        result.events = trace.size();
        result.tasks = fp.taskCount();
        result.steps = fp.stepCount();
        result.windows = fp.windowCount();
        // the recorded order first: the baseline of results
        for (int i = 0; i < trace.size(); i++) {
            order[i] = i;
            orderRace[i] = -1;
        }
        orderLength = trace.size();
        replayOrder(true);
        result.exhausted = search(bounds, progress, start);
        result.classes.addAll(classes.values());
        result.nanos = System.nanoTime() - start;
        return result;
    }

    /**
     * The depth-first search; false when a bound cut it. With pruning, a node tries its first transition and those
     * that races found later ask for (DPOR backtracking), skipping any asleep; without, every enabled transition.
     */
    private boolean search(Bounds b, Progress progress, long start) {
        int ns = fp.stepCount();
        int nt = fp.taskCount();
        int width = nt + fp.windowCount();
        int[] pos = new int[nt];
        boolean[] done = new boolean[ns];
        int[] stepDepth = new int[ns];
        int[] seq = new int[ns + 1];
        Races races = new Races(fp);
        // per depth, sized to what it holds: the enabled transitions, which to try, which were tried, the sleep set
        int[] buf = new int[width];
        int[][] cands = new int[ns + 1][];
        boolean[][] wanted = new boolean[ns + 1][];
        boolean[][] tried = new boolean[ns + 1][];
        int[] candCount = new int[ns + 1];
        int[][] sleep = new int[ns + 1][];
        int[] sleepCount = new int[ns + 1];
        SplittableRandom random = b.seed() == 0 ? null : new SplittableRandom(b.seed());
        int depth = 0;
        int doneCount = 0;
        long nodes = 0;
        sleep[0] = new int[4];
        enter(0, pos, done, buf, random, cands, wanted, tried, candCount, b.prune(), sleep[0], 0);
        while (depth >= 0) {
            if ((++nodes & 1023) == 0 && System.nanoTime() - start > b.maxNanos()) {
                return false;
            }
            int c = -1;
            if (doneCount < ns) {
                for (int k = 0; k < candCount[depth] && c < 0; k++) {
                    if (!wanted[depth][k] || tried[depth][k]) {
                        continue;
                    }
                    tried[depth][k] = true;
                    if (b.prune() && contains(sleep[depth], sleepCount[depth], cands[depth][k])) {
                        result.pruned++;
                    } else {
                        c = cands[depth][k];
                    }
                }
            } else if (!leaf(seq, depth)) {
                // the recorded order again (replayed first)
            } else if (result.orders >= b.maxOrders() || System.nanoTime() - start > b.maxNanos()) {
                return false;
            } else if (progress != null && (result.orders & 63) == 0) {
                progress.update(result.orders, result.pruned, classes.size());
            }
            if (c < 0) {
                for (int k = 0; k < candCount[depth]; k++) {
                    result.pruned += tried[depth][k] ? 0 : 1; // no race asked for it
                }
                depth--;
                if (depth >= 0) {
                    doneCount -= run(seq[depth], depth, pos, done, stepDepth, races, false);
                    if (b.prune()) {
                        if (sleepCount[depth] == sleep[depth].length) {
                            sleep[depth] = Arrays.copyOf(sleep[depth], sleepCount[depth] * 2);
                        }
                        sleep[depth][sleepCount[depth]++] = seq[depth];
                    }
                }
                continue;
            }
            seq[depth] = c;
            doneCount += run(c, depth, pos, done, stepDepth, races, true);
            int d = depth + 1;
            sleep[d] = ensure(sleep[d], sleepCount[depth]);
            sleepCount[d] = 0;
            for (int i = 0; i < sleepCount[depth]; i++) {
                int u = sleep[depth][i];
                if (!dependent(u, c)) {
                    sleep[d][sleepCount[d]++] = u;
                }
            }
            depth = d;
            if (doneCount < ns) {
                enter(depth, pos, done, buf, random, cands, wanted, tried, candCount, b.prune(), sleep[depth],
                        sleepCount[depth]);
                if (b.prune()) {
                    backtrack(depth, pos, stepDepth, races, cands, wanted, candCount);
                }
            } else {
                candCount[depth] = 0;
            }
        }
        return true;
    }

    /**
     * A node's enabled transitions; with pruning only the first that is not asleep (and the windows) are wanted to
     * begin with.
     */
    private void enter(int depth, int[] pos, boolean[] done, int[] buf, SplittableRandom random, int[][] cands,
            boolean[][] wanted, boolean[][] tried, int[] candCount, boolean prune, int[] asleep, int asleepCount) {
        int n = candidates(pos, done, buf, random);
        candCount[depth] = n;
        cands[depth] = ensure(cands[depth], n);
        System.arraycopy(buf, 0, cands[depth], 0, n);
        if (wanted[depth] == null || wanted[depth].length < n) {
            wanted[depth] = new boolean[Math.max(4, n)];
            tried[depth] = new boolean[Math.max(4, n)];
        }
        boolean first = true;
        for (int k = 0; k < n; k++) {
            int t = cands[depth][k];
            boolean awake = !contains(asleep, asleepCount, t);
            wanted[depth][k] = !prune || t >= fp.stepCount() || first && awake;
            first &= !awake;
            tried[depth][k] = false;
        }
    }

    /**
     * For each task's pending step, the last step of another task on the path that conflicts with it and does not
     * happen before the task: from the node before that one, the task's step then must be tried too (all of that
     * node's transitions if it was not enabled there).
     */
    private void backtrack(int depth, int[] pos, int[] stepDepth, Races races, int[][] cands, boolean[][] wanted,
            int[] candCount) {
        for (int t = 0; t < pos.length; t++) {
            int[] mine = fp.taskSteps[t];
            if (pos[t] == mine.length) {
                continue;
            }
            int i = races.lastConflict(mine[pos[t]], pos[t] > 0 ? races.clock(stepDepth[mine[pos[t] - 1]]) : null);
            if (i < 0) {
                continue;
            }
            int k = pos[t];
            while (k > 0 && stepDepth[mine[k - 1]] >= i) {
                k--;
            }
            int then = mine[k];
            boolean found = false;
            for (int j = 0; j < candCount[i]; j++) {
                if (cands[i][j] == then) {
                    wanted[i][j] = true;
                    found = true;
                }
            }
            if (!found) {
                Arrays.fill(wanted[i], 0, candCount[i], true);
            }
        }
    }

    /** {@code a} when it holds {@code n}, else a larger empty array. */
    private static int[] ensure(int[] a, int n) {
        return a != null && a.length >= n ? a : new int[Math.max(4, Math.max(n, a == null ? 0 : a.length * 2))];
    }

    /** Enabled transitions: each task's next step once its creators ran, then the windows; recorded order first. */
    private int candidates(int[] pos, boolean[] done, int[] out, SplittableRandom random) {
        int n = 0;
        int ns = fp.stepCount();
        for (int t = 0; t < pos.length; t++) {
            if (pos[t] < fp.taskSteps[t].length && enabled(fp.taskSteps[t][pos[t]], done)) {
                out[n++] = fp.taskSteps[t][pos[t]];
            }
        }
        Arrays.sort(out, 0, n);
        int plain = n;
        for (int w = 0; w < fp.windowCount(); w++) {
            int e = fp.windowE[w];
            int f = fp.windowF[w];
            if (contains(out, plain, e) && contains(out, plain, f)) {
                out[n++] = ns + w;
            }
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int x = out[i];
                out[i] = out[j];
                out[j] = x;
            }
        }
        return n;
    }

    private boolean enabled(int step, boolean[] done) {
        for (int p : fp.preds[step]) {
            if (!done[p]) {
                return false;
            }
        }
        return true;
    }

    /** Runs or undoes transition {@code t} at {@code depth} in the search state; returns the steps it covers. */
    private int run(int t, int depth, int[] pos, boolean[] done, int[] stepDepth, Races races, boolean run) {
        int ns = fp.stepCount();
        if (t < ns) {
            mark(t, depth, pos, done, stepDepth, races, run);
            return 1;
        }
        mark(fp.windowE[t - ns], depth, pos, done, stepDepth, races, run);
        mark(fp.windowF[t - ns], depth, pos, done, stepDepth, races, run);
        return 2;
    }

    private void mark(int step, int depth, int[] pos, boolean[] done, int[] stepDepth, Races races, boolean run) {
        done[step] = run;
        pos[fp.stepTask[step]] += run ? 1 : -1;
        if (run) {
            int[] mine = fp.taskSteps[fp.stepTask[step]];
            int k = pos[fp.stepTask[step]] - 1; // this step's index in its task, pos already advanced
            races.push(step, depth, k > 0 ? stepDepth[mine[k - 1]] : -1);
            stepDepth[step] = depth;
        } else {
            races.pop(step, depth);
        }
    }

    private boolean dependent(int a, int b) {
        int ns = fp.stepCount();
        if (a >= ns) {
            return dependent(fp.windowE[a - ns], b) || dependent(fp.windowF[a - ns], b);
        }
        if (b >= ns) {
            return dependent(a, fp.windowE[b - ns]) || dependent(a, fp.windowF[b - ns]);
        }
        return fp.dependent(a, b);
    }

    /** Whether {@code x} is among the first {@code n} of {@code set}. */
    static boolean contains(int[] set, int n, int x) {
        for (int i = 0; i < n; i++) {
            if (set[i] == x) {
                return true;
            }
        }
        return false;
    }

    /** Replays the complete schedule {@code seq[0, depth)}; false when it is the recorded order without windows. */
    private boolean leaf(int[] seq, int depth) {
        int ns = fp.stepCount();
        orderLength = 0;
        boolean recorded = true;
        for (int d = 0; d < depth; d++) {
            int t = seq[d];
            if (t < ns) {
                for (int e : fp.steps[t]) {
                    recorded &= e == orderLength;
                    order[orderLength] = e;
                    orderRace[orderLength++] = -1;
                }
            } else {
                recorded = false;
                order[orderLength] = fp.steps[fp.windowE[t - ns]][0];
                orderRace[orderLength++] = fp.steps[fp.windowF[t - ns]][0];
            }
        }
        if (recorded) {
            return false;
        }
        replayOrder(false);
        return true;
    }

    /** Replays {@link #order} into a fresh replayer and files its outcome under its class. */
    private void replayOrder(boolean baseline) {
        WindowFaults wf = new WindowFaults(faults.get());
        outcome.reset();
        Replayer r = new Replayer(profile, wf, outcome);
        r.keepLatencies(false);
        long ts = Long.MIN_VALUE;
        replayedLength = 0;
        for (int k = 0; k < orderLength; k++) {
            int e = order[k];
            int f = orderRace[k];
            if (f >= 0) {
                wf.arm(fp.race[f]);
            }
            ts = feed(r, e, ts);
            wf.disarm();
            boolean window = f >= 0 && wf.consumed();
            replayed(e, window ? f : -1, window ? wf.openedAt : null);
            if (f >= 0) {
                // the racing event itself runs right after (the window, when it opened, took its first page)
                ts = feed(r, f, ts);
                replayed(f, -1, null);
            }
        }
        r.onEnd();
        result.orders++;
        if (baseline) {
            outcome.keepAsBaseline();
        }
        List<String> results = new ArrayList<>();
        String key = outcome.key(results);
        int moved = moved();
        OutcomeClass c = classes.get(key);
        if (c == null) {
            c = new OutcomeClass(outcome.violations(), outcome.stalls(), results, baseline, result.orders);
            classes.put(key, c);
            keepOrder(c, moved);
        } else if (moved < c.moved) {
            c.detail(outcome.violations(), outcome.stalls(), results);
            keepOrder(c, moved);
        }
        c.orders++;
    }

    /** Event {@code e} ran, with {@code window} racing inside its window opened at {@code point} (-1, null: none). */
    private void replayed(int e, int window, String point) {
        replayedWindow[replayedLength] = window;
        replayedPoint[replayedLength] = point;
        replayed[replayedLength++] = e;
    }

    /** Replays event {@code e} with its timestamp raised to {@code ts} at least (timestamps stay monotonic). */
    private long feed(Replayer r, int e, long ts) {
        int size = trace.recordSize(e);
        System.arraycopy(trace.data(), trace.offset(e), scratch, 0, size);
        long t = Math.max(ts, trace.ts(e));
        Record.putI64(scratch, Record.TS, t);
        r.onEvent(view.wrap(scratch, 0));
        return t;
    }

    private void keepOrder(OutcomeClass c, int moved) {
        c.moved = moved;
        c.events = Arrays.copyOf(replayed, replayedLength);
        c.windows = Arrays.copyOf(replayedWindow, replayedLength);
        c.windowPoints = Arrays.copyOf(replayedPoint, replayedLength);
    }

    /** Events moved: those outside a longest run kept in recorded order (n minus the longest increasing subsequence). */
    private int moved() {
        int len = 0;
        for (int k = 0; k < replayedLength; k++) {
            // tails is strictly increasing and x occurs once: the insertion point is the first tail >= x
            int lo = -Arrays.binarySearch(tails, 0, len, replayed[k]) - 1;
            tails[lo] = replayed[k];
            len = Math.max(len, lo + 1);
        }
        return trace.size() - len;
    }
}
