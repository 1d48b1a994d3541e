package pinreplay.replay;

import pinreplay.format.EventType;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;

/**
 * The event being replayed (line, timestamp, pid) and what the model learns while replaying it: the
 * simulated cost, the retries, and the violations and injections, which go straight to the sink.
 */
public final class EventContext {
    private final OutcomeSink sink;
    private final Outcome scratch = new Outcome();
    private final Outcome completion = new Outcome();
    private CallListener calls;

    public long line;
    public long ts;
    public int tsBits;
    public int pid;
    public EventType event;
    /** Simulated latency of the current call, nanoseconds. */
    public long costNs;
    public int retries;
    public long violations;
    public long injections;

    public EventContext(OutcomeSink sink) {
        this.sink = sink;
    }

    public void begin(long atLine, long atTs, int bits, int atPid, EventType type) {
        line = atLine;
        ts = atTs;
        tsBits = bits;
        pid = atPid;
        event = type;
        costNs = 0;
        retries = 0;
    }

    public void cost(long ns) {
        costNs += ns;
    }

    /** A violation with no victim inode. */
    public void violation(String kind, String handle, String detail) {
        violation(kind, handle, detail, -1, 0);
    }

    public void violation(String kind, String handle, String detail, long victimIno, long victimOffset) {
        Outcome o = stamp(scratch.reset(Outcome.Kind.VIOLATION));
        o.violation = kind;
        o.handle = handle;
        o.detail = detail;
        o.victimIno = victimIno;
        o.victimOffset = victimOffset;
        violations++;
        sink.accept(o);
    }

    /** A fault point fired: {@code name} is the kernel function, {@code effect} what it returned. */
    public void injection(String name, String effect) {
        Outcome o = stamp(scratch.reset(Outcome.Kind.INJECTION));
        o.injected = name;
        o.effect = effect;
        injections++;
        sink.accept(o);
    }

    public Outcome stamp(Outcome o) {
        o.line = line;
        o.ts = ts;
        o.tsBits = tsBits;
        o.pid = pid;
        o.event = event;
        return o;
    }

    public OutcomeSink sink() {
        return sink;
    }

    /** Where completed calls go (the replayer records their latency and divergence, then the sink). */
    public void calls(CallListener listener) {
        calls = listener;
    }

    /**
     * A call that waited completes now: reported with the line, timestamp and pid where it started and
     * its latency from then until the current event.
     */
    public void completeWaitingCall(EventType type, long atLine, long atTs, int atTsBits, int atPid, long result) {
        Outcome o = completion.reset(Outcome.Kind.CALL);
        o.line = atLine;
        o.ts = atTs;
        o.tsBits = atTsBits;
        o.pid = atPid;
        o.event = type;
        o.result = result;
        o.latencyNs = Math.max(0, ts - atTs) + costNs;
        calls.onCall(o);
    }

    /** Receives call outcomes. */
    public interface CallListener {
        void onCall(Outcome o);
    }
}
