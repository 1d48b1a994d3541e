package pinreplay.replay;

import pinreplay.format.EventHandler;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.Latencies;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ReplaySummary;
import pinreplay.replay.range.LongObjectMap;

/**
 * Replays events into the {@link Kernel} of one profile and reports a call outcome per native event,
 * plus the violations, injections and stalls the model finds. Nothing is allocated per event in the
 * steady state: one reused outcome, primitive maps, the flyweight view.
 */
public final class Replayer implements EventHandler {
    private final Kernel k;
    private final EventContext ctx;
    private final OutcomeSink sink;
    private final EventDispatch dispatch;
    private final ConcurrentOps ops;
    private final Outcome call = new Outcome();
    private final Outcome scratch = new Outcome();
    private final Latencies latencies = new Latencies();
    private final ReplaySummary summary = new ReplaySummary();
    /** A kprobe'd call waiting for its kretprobe, per pid. */
    private final LongObjectMap<Outcome> pendingReturn = new LongObjectMap<>();
    /** mmap_lock_start_locking timestamp per pid, and the wait to charge to its next call. */
    private final LongObjectMap<long[]> lockWaits = new LongObjectMap<>();
    private long lastTs;
    private boolean ended;

    public Replayer(Profile profile, FaultPoints faults, OutcomeSink sink) {
        this.sink = sink;
        this.ctx = new EventContext(sink, faults);
        this.k = new Kernel(profile, faults, ctx, new SymbolTable());
        this.dispatch = new EventDispatch(k);
        this.ops = new ConcurrentOps(k);
        ctx.calls(this::emitCall);
        summary.profile = profile.describe();
        summary.latencies = latencies;
    }

    public Kernel kernel() {
        return k;
    }

    public ReplaySummary summary() {
        return summary;
    }

    /** When {@code pid} started waiting for its mmap_lock and has not acquired it yet, else 0 (for inspection). */
    public long mmapLockWaitingSince(int pid) {
        long[] w = lockWaits.get(pid);
        return w == null ? 0 : w[0];
    }

    @Override
    public void onEvent(EventView v) {
        k.symbols = v.symbols();
        EventType type = v.type();
        if (type.kind() != EventType.Kind.META) {
            joinThreadGroup(v);
            ops.before(v);
            k.faults.betweenEvents(v, ops);
        }
        lastTs = Math.max(lastTs, v.ts());
        if (!type.isNative()) {
            onTracepoint(v, type);
            return;
        }
        summary.eventsReplayed++;
        ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
        ctx.handle = k.handleName(v.symbol(Field.HANDLE));
        long[] wait = lockWaits.get(v.pid());
        if (wait != null && wait[1] > 0) {
            ctx.cost(wait[1]);
            wait[1] = 0;
        }
        long result = dispatch.dispatch(v);
        if (result == Truncate.WAITING) {
            return;
        }
        Outcome o = ctx.stamp(call.reset(Outcome.Kind.CALL));
        o.handle = ctx.handle;
        o.result = result;
        o.latencyNs = ctx.costNs;
        o.retries = ctx.retries;
        if (v.has(Field.RET)) {
            o.hasObserved = true;
            o.observed = normalizeReturn(v.get(Field.RET));
            if (type == EventType.MMAP && result == 0 && o.observed == v.get(Field.ADDR, 0)) {
                o.result = o.observed; // mmap(2) returns the mapping's start (do_mmap()): a recorded address agrees
            }
        } else if (type.isPinCall() && v.bit(Record.B_PROBE)) {
            deferUntilReturn(o);
            return;
        }
        emitCall(o);
    }

    private void onTracepoint(EventView v, EventType type) {
        switch (type) {
            case TASK_NEWTASK, SCHED_PROCESS_FORK, SCHED_PROCESS_EXIT, PAGE_FAULT_USER -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                dispatch.tracepoint(v);
            }
            case MMAP_LOCK_START_LOCKING -> lockWait(v.pid())[0] = v.ts();
            case MMAP_LOCK_ACQUIRE_RETURNED -> {
                long[] w = lockWait(v.pid());
                if (w[0] != 0) {
                    w[1] += Math.max(0, v.ts() - w[0]);
                    w[0] = 0;
                }
            }
            case KRETPROBE -> onReturn(v);
            case COMMENT, LOST_EVENTS -> {
            }
            default -> summary.eventsPassedThrough++;
        }
    }

    /** A kretprobe supplies the return value of the pending kprobe'd call of that task. */
    private void onReturn(EventView v) {
        Outcome pending = pendingReturn.get(v.pid());
        // a kretprobe reports the return of its own function only: another one's passes through
        if (pending == null || pending.kind == null || !v.symbols().is(v.symbol(Field.FUNC), pending.event.eventName())) {
            summary.eventsPassedThrough++;
            return;
        }
        long ret = v.has(Field.RET) ? v.get(Field.RET) : v.get(Field.RETVAL, 0);
        pending.hasObserved = true;
        pending.observed = normalizeReturn(ret);
        emitCall(pending);
        pending.kind = null;
    }

    /**
     * A task first seen on a line whose TGID column (options/record-tgid) names another task is a thread
     * of that group: CLONE_THREAD requires CLONE_VM (copy_process()), so it shares the group's mm.
     */
    private void joinThreadGroup(EventView v) {
        if (v.hasTgid() && v.tgid() > 0 && v.tgid() != v.pid() && !k.tasks.known(v.pid())) {
            k.tasks.addThread(v.tgid(), v.pid());
        }
    }

    private void deferUntilReturn(Outcome o) {
        Outcome slot = pendingReturn.get(o.pid);
        if (slot == null) {
            slot = new Outcome();
            pendingReturn.put(o.pid, slot);
        } else if (slot.kind != null) {
            emitCall(slot);
        }
        slot.copyFrom(o);
    }

    private void emitCall(Outcome o) {
        summary.calls++;
        latencies.record(o.event, o.latencyNs);
        if (o.hasObserved && !o.agrees()) {
            summary.divergences++;
        }
        sink.accept(o);
    }

    @Override
    public void onEnd() {
        if (ended) {
            return;
        }
        ended = true;
        for (long pid : pendingReturn.sortedKeys()) {
            Outcome p = pendingReturn.get(pid);
            if (p.kind != null) {
                emitCall(p);
                p.kind = null;
            }
        }
        summary.stalls = k.truncate.waiting();
        k.truncate.reportStalls(lastTs, scratch);
        summary.violations = ctx.violations;
        summary.injections = ctx.injections;
        sink.end(summary);
    }

    private long[] lockWait(int pid) {
        long[] w = lockWaits.get(pid);
        if (w == null) {
            w = new long[2];
            lockWaits.put(pid, w);
        }
        return w;
    }

    static int tsBits(EventView v) {
        return v.bits() & (Record.B_TS_NANOS | Record.B_TS_RAW);
    }

    /** A return value printed as an unsigned 32-bit number ({@code 0xffffffea}) is the negative int it was. */
    static long normalizeReturn(long ret) {
        if (ret >= 0xfffff001L && ret <= 0xffffffffL) {
            return ret - (1L << 32);
        }
        return ret;
    }
}
