package pinreplay.inject;

import java.util.SplittableRandom;

/**
 * The debugfs attributes of one fault-injection capability (lib/fault-inject.c, struct fault_attr),
 * decided in should_fail_ex()'s order. Only calls that passed the injector's call filter (its task and
 * event, see {@link CallFilter}) reach {@link #shouldFail}, so {@code fail-nth}, {@code interval} and the
 * random draw count those calls only, as /proc/PID/fail-nth counts only its own task's calls.
 */
public final class FaultAttr {
    public final int probability;
    public final long interval;
    public long times;
    /** {@link #times} as the last failure found it, before it counted that failure (what fail_dump() prints). */
    long timesAtFailure;
    public long space;
    /** The N-th eligible call fails, overriding the rest (/proc/PID/fail-nth); 0 = unset or spent. */
    public long failNth;
    private final boolean nthOnly;
    private final SplittableRandom random;
    private long count;

    public FaultAttr(int probability, long interval, long times, long space, long failNth, SplittableRandom random) {
        this.probability = probability;
        this.interval = interval;
        this.times = times;
        this.space = space;
        this.failNth = failNth;
        this.nthOnly = failNth > 0;
        this.random = random;
    }

    /** Whether any later call could still fail: false once fail-nth is spent, times is 0 or probability is 0. */
    public boolean mayFail() {
        return nthOnly ? failNth > 0 : probability > 0 && times != 0;
    }

    /** Whether only fail-nth decides (its countdown is exact arithmetic, with no draw or other knob). */
    boolean nthOnly() {
        return nthOnly;
    }

    /**
     * {@code calls} eligible calls that do not fail, counted at once: as many {@link #shouldFail} calls
     * returning false. Only under fail-nth, for fewer calls than are left to the N-th.
     */
    void passed(long calls) {
        if (!nthOnly || calls >= failNth) {
            throw new IllegalStateException("fail-nth " + failNth + " cannot pass " + calls + " calls");
        }
        failNth -= calls;
    }

    /** should_fail_ex(attr, size, 0) (lib/fault-inject.c, 6.x) for an eligible call of {@code size}. */
    public boolean shouldFail(long size) {
        // fail-nth overrides every other knob; once spent, this attr stays silent (one site per sweep run)
        if (nthOnly) {
            timesAtFailure = times;
            return failNth > 0 && --failNth == 0;
        }
        if (probability == 0) {
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
        timesAtFailure = times; // fail_dump() prints it before atomic_dec_not_zero()
        if (times != -1) {
            times--;
        }
        return true;
    }
}
