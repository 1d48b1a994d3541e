package pinreplay.replay.outcome;

import pinreplay.format.Errno;
import pinreplay.format.EventType;

/**
 * One outcome record (docs/replay.md, Outcome records). A single instance is filled and handed to the
 * {@link OutcomeSink} for each outcome; sinks must copy what they keep. Strings come from the symbol
 * table's cache or are constants, so a call outcome allocates nothing.
 */
public final class Outcome {
    /** The result of a call the model still has asleep (a truncate of a DAX file waiting for pins to drop). */
    public static final long WAITING = Long.MIN_VALUE + 1;

    /** A result as the reports name it: an errno, a count, or {@link #WAITING}. */
    public static String describe(long result) {
        return result == WAITING ? "still waiting for pins to drop" : Errno.describe(result);
    }

    public enum Kind {
        CALL, VIOLATION, STALL, INJECTION
    }

    public Kind kind;
    /** 1-based source line, 0 when unknown. */
    public long line;
    /** Trace timestamp in nanoseconds (or a raw counter, see {@link #tsBits}). */
    public long ts;
    /** {@code Record.B_TS_*} bits: how the timestamp was printed. */
    public int tsBits;
    public int pid;
    /** CALL and STALL: the event; VIOLATION and INJECTION: the event during which it happened. */
    public EventType event;
    /** The registration handle, or null. */
    public String handle;

    // CALL
    public long result;
    public long latencyNs;
    public int retries;
    public boolean hasObserved;
    public long observed;
    /** What the model assumed of what existed before the recording ({@code anonymous}, ...), or null. */
    public String assumed;
    /** The recording's own latency (kprobe to kretprobe), when the call has both. */
    public boolean hasMeasured;
    public long measuredNs;

    // VIOLATION
    /** The {@link ViolationKind#id()}. */
    public String violation;
    /** VIOLATION: what happened; STALL: why nothing ended the wait, when the cause needs saying. */
    public String detail;
    /** Victim inode of {@code dma-into-reallocated-block}, -1 when none. */
    public long victimIno = -1;
    public long victimOffset;

    // STALL
    public String[] waitingOn;
    public long blockedNs;
    /** {@code pins-held}, or a kernel bug that kept it asleep ({@code dax-wakeup-missed}). */
    public String cause;

    // INJECTION
    /** The injector that fired ({@code mmap-unlock}, {@code truncate}...), or null for a test's fault points. */
    public String injected;
    /** The kernel function where it fired ({@code faultin_page}, {@code fixup_user_fault}...). */
    public String point;
    public String effect;

    /** Stamps the outcome with the event it concerns: where it stands in the trace, and its type. */
    public Outcome at(long atLine, long atTs, int atTsBits, int atPid, EventType type) {
        line = atLine;
        ts = atTs;
        tsBits = atTsBits;
        pid = atPid;
        event = type;
        return this;
    }

    public boolean agrees() {
        return observed == result;
    }

    public Outcome reset(Kind k) {
        kind = k;
        handle = null;
        result = 0;
        latencyNs = 0;
        retries = 0;
        hasObserved = false;
        observed = 0;
        assumed = null;
        hasMeasured = false;
        measuredNs = 0;
        violation = null;
        detail = null;
        victimIno = -1;
        victimOffset = 0;
        waitingOn = null;
        blockedNs = 0;
        cause = null;
        injected = null;
        point = null;
        effect = null;
        return this;
    }

    public void copyFrom(Outcome o) {
        kind = o.kind;
        at(o.line, o.ts, o.tsBits, o.pid, o.event);
        handle = o.handle;
        result = o.result;
        latencyNs = o.latencyNs;
        retries = o.retries;
        hasObserved = o.hasObserved;
        observed = o.observed;
        assumed = o.assumed;
        hasMeasured = o.hasMeasured;
        measuredNs = o.measuredNs;
        violation = o.violation;
        detail = o.detail;
        victimIno = o.victimIno;
        victimOffset = o.victimOffset;
        waitingOn = o.waitingOn;
        blockedNs = o.blockedNs;
        cause = o.cause;
        injected = o.injected;
        point = o.point;
        effect = o.effect;
    }
}
