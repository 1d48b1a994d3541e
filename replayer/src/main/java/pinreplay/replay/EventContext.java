package pinreplay.replay;

import java.util.function.Consumer;

import pinreplay.format.EventType;
import pinreplay.format.SymbolTable;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ViolationKind;

/**
 * The event being replayed (line, timestamp, pid) and what the model learns while replaying it: the
 * simulated cost, the retries, and the violations and injections, which go straight to the sink.
 */
public final class EventContext {
    private final OutcomeSink sink;
    private final Outcome scratch = new Outcome();
    private final Outcome completion = new Outcome();
    private Consumer<Outcome> calls;

    public long line;
    public long ts;
    public int tsBits;
    public int pid;
    public EventType event;
    /** The handle of the event being replayed (its symbol's cached String), or null. */
    public String handle;
    /** The symbols of the stream being replayed (handles, words); set from each event's view. */
    public SymbolTable symbols = new SymbolTable();
    /** Who decides the fault points; names the injector in {@code injected} records. */
    private final FaultPoints faults;
    /** Simulated latency of the current call, nanoseconds. */
    public long costNs;
    public int retries;
    public long violations;
    public long injections;
    /** The result the trace recorded for the call being replayed, when it did ({@link #observed}). */
    public boolean hasObserved;
    public long observed;
    /** What the model assumed to explain the recorded result of the call being replayed, or null. */
    public String assumed;
    /** The call being replayed reached memory mapped before the recording ({@link PriorMemory}): its kind is a guess. */
    public boolean onPriorMemory;
    /** The call being replayed reached a file whose size the recording does not show, and may have met its end. */
    public boolean onUnsizedFile;
    /** The ring buffer lost events before the one being replayed ({@code CPU:N [LOST M EVENTS]}). */
    public boolean eventsLost;
    /** Anything the recording did not describe is an error ({@link PriorMemory.UndescribedMemory}), not an assumption. */
    public boolean strictState;

    public EventContext(OutcomeSink sink, FaultPoints faults) {
        this.sink = sink;
        this.faults = faults;
    }

    public void begin(long atLine, long atTs, int bits, int atPid, EventType type) {
        line = atLine;
        ts = atTs;
        tsBits = bits;
        pid = atPid;
        event = type;
        handle = null;
        costNs = 0;
        retries = 0;
        hasObserved = false;
        assumed = null;
        onPriorMemory = false;
        onUnsizedFile = false;
    }

    /** The call being replayed carries its recorded result, and it is {@code r}. */
    public boolean observedIs(long r) {
        return hasObserved && observed == r;
    }

    /** The model took the recorded result on an input the trace does not show: {@code what} it assumed. */
    public void assume(String what) {
        assumed = assumed == null ? what : assumed + "; " + what;
    }

    /**
     * The call being replayed succeeded, as recorded, on {@code what} (a file, a registration) that the recording never
     * showed made: it was made before the recording. Says so and returns true; false without a successful recorded
     * result; with strict state, an error.
     */
    public boolean assumeMadeBefore(String what) {
        if (!hasObserved || observed < 0) {
            return false;
        }
        if (strictState) {
            throw new PriorMemory.UndescribedMemory(what + " was never described by a snapshot, a syscall or a native event");
        }
        assume(what + " made before the recording");
        return true;
    }

    /**
     * As {@link #assumeMadeBefore}, and also without a recorded result once the ring buffer lost events: {@code what}
     * may have been made in them.
     */
    public boolean assumeUnseen(String what) {
        if (hasObserved || !eventsLost) {
            return assumeMadeBefore(what);
        }
        if (strictState) {
            throw new PriorMemory.UndescribedMemory(what + " was never described by a snapshot, a syscall or a native event");
        }
        assume(what + " made in the events the ring buffer lost");
        return true;
    }

    /** The recorded result of the call being replayed, or {@code otherwise} without one. */
    public long observedOr(long otherwise) {
        return hasObserved ? observed : otherwise;
    }

    /** The handle's name for outcomes (the symbol's cached String). */
    public String handleName(int symbol) {
        return symbol == 0 ? null : symbols.string(symbol);
    }

    public void cost(long ns) {
        costNs += ns;
    }

    /** A violation with no victim inode. */
    public void violation(ViolationKind kind, String handle, String detail) {
        violation(kind, handle, detail, -1, 0);
    }

    public void violation(ViolationKind kind, String handle, String detail, long victimIno, long victimOffset) {
        Outcome o = stamp(scratch.reset(Outcome.Kind.VIOLATION));
        o.violation = kind.id();
        o.handle = handle;
        o.detail = detail;
        o.victimIno = victimIno;
        o.victimOffset = victimOffset;
        violations++;
        sink.accept(o);
    }

    /**
     * A fault point fired during the current event: {@code point} is the kernel function, {@code effect}
     * what it returned or did; the injector is the one {@link FaultPoints#firing()} names.
     */
    public void injection(String point, String effect) {
        Outcome o = stamp(scratch.reset(Outcome.Kind.INJECTION));
        o.handle = handle;
        o.injected = faults.firing();
        o.point = point;
        o.effect = effect;
        injections++;
        sink.accept(o);
    }

    public Outcome stamp(Outcome o) {
        return o.at(line, ts, tsBits, pid, event);
    }

    public OutcomeSink sink() {
        return sink;
    }

    /** Where completed calls go (the replayer records their latency and divergence, then the sink). */
    public void calls(Consumer<Outcome> listener) {
        calls = listener;
    }

    /**
     * A call that waited completes now: reported with the line, timestamp and pid where it started and
     * its latency from then until the current event.
     */
    public void completeWaitingCall(EventType type, long atLine, long atTs, int atTsBits, int atPid, long result) {
        Outcome o = completion.reset(Outcome.Kind.CALL).at(atLine, atTs, atTsBits, atPid, type);
        o.result = result;
        o.latencyNs = Math.max(0, ts - atTs) + costNs;
        calls.accept(o);
    }
}
