package pinreplay.inject;

import java.util.SplittableRandom;

/**
 * The debugfs attributes of one fault-injection capability (lib/fault-inject.c, struct fault_attr),
 * decided in should_fail_ex()'s order. Only eligible calls reach {@link #shouldFail}, so
 * {@code interval} and the random draw count eligible calls only.
 */
public final class FaultAttr {
    public final int probability;
    public final long interval;
    public long times;
    public long space;
    public final int verbose;
    /** The N-th eligible call fails, overriding the rest (/proc/PID/fail-nth); 0 = unset. */
    public long failNth;
    private final boolean nthOnly;
    /** Only this mm id fails (task-filter with make-it-fail); -1 = any. */
    public final long taskPid;
    private final SplittableRandom random;
    private long count;

    public FaultAttr(int probability, long interval, long times, long space, int verbose, long failNth,
                     long taskPid, SplittableRandom random) {
        this.probability = probability;
        this.interval = interval;
        this.times = times;
        this.space = space;
        this.verbose = verbose;
        this.failNth = failNth;
        this.nthOnly = failNth > 0;
        this.taskPid = taskPid;
        this.random = random;
    }

    /** should_fail_ex(attr, size, 0) (lib/fault-inject.c, 6.x) for a call by {@code pid}. */
    public boolean shouldFail(long pid, long size) {
        // fail-nth overrides every other knob; once spent, this attr stays silent (one site per sweep run)
        if (nthOnly) {
            return failNth > 0 && --failNth == 0;
        }
        if (probability == 0) {
            return false;
        }
        if (taskPid >= 0 && taskPid != pid) {
            return false;
        }
        if (times == 0) {
            return false;
        }
        if (space > size) {
            space -= size;
            return false;
        }
        if (interval > 1 && ++count % interval != 0) {
            return false;
        }
        if (probability <= random.nextInt(100)) {
            return false;
        }
        if (times != -1) {
            times--;
        }
        return true;
    }
}
