package pinreplay.cli.shell;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import pinreplay.format.BlockSink;
import pinreplay.format.EventHandler;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;
import pinreplay.format.parse.TraceParser;
import pinreplay.replay.Kernel;
import pinreplay.replay.Replayer;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.run.TraceSource;

/**
 * One shell session: a loaded trace, the events applied so far and the replayer they were applied to.
 *
 * <p>Every event of a session, read from the trace or typed, is written by one {@link EventWriter}, so a
 * single symbol table resolves them all. The trace is parsed once into {@link #source}, typed events
 * go to {@link #typedLog}, and {@link #order} lists the records the session applied, in order, as
 * references into those two logs. That list is the session's only snapshot: going back, or changing the kernel, policies, seed or injectors,
 * builds a fresh {@link Replayer} and replays the log up to the wanted position, which is exactly the
 * state stepping forward reached (the model is deterministic, injectors re-seeded).
 */
final class Session implements OutcomeSink {

    private final Capture capture = new Capture();
    private final EventWriter writer = new EventWriter(capture);
    private final EventView view = new EventView(writer.symbols(), writer.keys());
    private EventLog source = new EventLog();
    private String sourceName;
    /** The events typed in this session, as applied. */
    private final EventLog typedLog = new EventLog();
    /** The applied records: an index in {@link #source}, or {@code -1 - i} for record i of {@link #typedLog}. */
    private int[] order = new int[1024];
    private int applied;
    /** The next record of {@link #source} to apply. */
    private int cursor;

    private final SessionConfig config = new SessionConfig();
    final Breakpoints breakpoints = new Breakpoints();

    private Replayer replayer;
    private ShellOut out;
    private volatile boolean interrupted;
    /** Replaying the log to rebuild: print nothing. */
    private boolean rebuilding;
    /** Print every outcome (step), or only notable ones with their event (run). */
    private boolean verbose;
    private boolean headerPrinted;
    private int current;

    // Position: events applied (meta records excluded) and the last one's context.
    private long events;
    private long lastLine;
    private long lastTs;
    private int lastPid = 1;
    private int lastCpu;
    private String lastComm = "shell";

    Session(ShellOut out) {
        this.out = out;
        replayer = newReplayer();
    }

    ShellOut out() {
        return out;
    }

    // ---- configuration ----

    /** Kernel, policies, seed and injectors as given at start; the session starts over at its position. */
    void configure(String kernel, List<String> policyItems, long seedValue, List<String> injectSpecs) {
        config.configure(kernel, policyItems, seedValue, injectSpecs);
        rebuild(applied);
    }

    /** Changes the kernel, a policy, the seed or the injectors ({@code set}, {@code inject add}) and re-applies. */
    void reconfigure(Consumer<SessionConfig> change) {
        change.accept(config);
        reapply();
    }

    /** Removes every injector of that name; false when none was configured. */
    boolean removeInject(String name) {
        boolean removed = config.removeInject(name);
        if (removed) {
            reapply();
        }
        return removed;
    }

    SessionConfig config() {
        return config;
    }

    private Replayer newReplayer() {
        return new Replayer(config.profile(), config.faults(), this);
    }

    private void reapply() {
        rebuild(applied);
        out.println("re-applied " + events + " events under " + replayer.summary().profile + ": "
                + kernel().ctx.violations + " violations, " + replayer.summary().divergences + " divergences");
    }

    // ---- loading ----

    /** Loads a trace (text or a queue): a fresh session over it (kernel, policies, injectors and breakpoints are kept). */
    void load(TraceSource trace) {
        if (TraceSource.STDIN.equals(trace.name())) {
            throw new ShellException("expected a trace file, got '-' (standard input carries the commands)");
        }
        KernelRelease release = config.forLoad(trace.recordedRelease());
        EventLog log = new EventLog();
        capture.target = log;
        try {
            trace.readTo(new Reencoder(writer), false, false, new PrintWriter(Writer.nullWriter()));
        } finally {
            writer.flush();
            capture.target = null;
        }
        config.loaded(release);
        source = log;
        sourceName = trace.name();
        rebuild(0);
    }

    boolean loaded() {
        return sourceName != null;
    }

    /** The trace's records, as loaded. */
    EventLog source() {
        return source;
    }

    /** The next record of the trace to apply. */
    int cursor() {
        return cursor;
    }

    /** The last event applied (from the trace or typed) as {@code step} prints it, or null at the start. */
    String lastEventText() {
        for (int i = applied - 1; i >= 0; i--) {
            if (logOf(order[i]).type(indexOf(order[i])).kind() != EventType.Kind.META) {
                return eventText(logOf(order[i]), indexOf(order[i]));
            }
        }
        return null;
    }

    // ---- stepping ----

    /** Stops the {@code run} or {@code step} in progress (Ctrl-C). */
    void interrupt() {
        interrupted = true;
    }

    /**
     * Applies at most {@code max} trace events, printing each with its outcomes when {@code verboseSteps},
     * else only notable outcomes (violations, stalls, injections, errors, divergences) under their event.
     * Stops early at the end of the trace, on Ctrl-C, at a breakpoint or at {@code until}; before-conditions
     * are not checked for the first event, so a run always moves.
     *
     * @return why it stopped early, or null when it applied {@code max} events
     */
    String advance(long max, Condition until, boolean verboseSteps) {
        requireLoaded();
        interrupted = false;
        verbose = verboseSteps;
        armWatches();
        long done = 0;
        try {
            while (true) {
                if (done == max) {
                    return null;
                }
                passMeta();
                if (cursor >= source.count()) {
                    return "end of trace after " + events + " events";
                }
                if (interrupted) {
                    return "interrupted before line " + source.line(cursor);
                }
                if (done > 0) {
                    String why = reasonBefore(until, source, cursor);
                    if (why != null) {
                        return "stopped before line " + source.line(cursor) + " (" + why + "); next: "
                                + eventText(source, cursor);
                    }
                }
                long violations = kernel().ctx.violations;
                int waiting = kernel().truncate.waiting();
                appendApplied(cursor++);
                done++;
                String why = reasonAfter(until, violations, waiting);
                if (why != null) {
                    return "stopped after line " + lastLine + " (" + why + ")";
                }
            }
        } finally {
            verbose = false;
        }
    }

    void requireLoaded() {
        if (!loaded()) {
            throw new ShellException("no trace loaded (load TRACE or load --queue DIR)");
        }
    }

    /** Samples every watchpoint: later events are compared with the state as it is now. */
    private void armWatches() {
        for (Watch w : breakpoints.watches()) {
            w.arm(kernel());
        }
    }

    /** Why to stop before record {@code idx} of {@code log}: {@code until COND}, {@code breakpoint N: COND}, or null. */
    private String reasonBefore(Condition until, EventLog log, int idx) {
        if (until != null && until.before() && matchesBefore(until, log, idx)) {
            return "until " + until;
        }
        for (Condition c : breakpoints.conditions()) {
            if (c.before() && matchesBefore(c, log, idx)) {
                return "breakpoint " + breakpoints.numberOf(c) + ": " + c;
            }
        }
        return null;
    }

    private boolean matchesBefore(Condition c, EventLog log, int idx) {
        if (c.kind() == Condition.Kind.LINE) {
            long line = log.line(idx);
            return line > 0 && lastLine < c.line() && line >= c.line();
        }
        view.wrap(log.data(), log.offset(idx));
        return c.matchesEvent(view);
    }

    /**
     * Why to stop after the event just applied: it found a violation or started a stall that {@code until} or a
     * breakpoint asks for, or changed watched objects (each is named). Every watchpoint samples the new state.
     */
    private String reasonAfter(Condition until, long violationsBefore, int waitingBefore) {
        boolean violation = kernel().ctx.violations > violationsBefore;
        boolean stall = kernel().truncate.waiting() > waitingBefore;
        String why = null;
        if (until != null && !until.before() && (until.kind() == Condition.Kind.VIOLATION ? violation : stall)) {
            why = "until " + until;
        }
        for (Condition c : breakpoints.conditions()) {
            if (why == null && !c.before() && (c.kind() == Condition.Kind.VIOLATION ? violation : stall)) {
                why = "breakpoint " + breakpoints.numberOf(c) + ": " + c;
            }
        }
        String watched = watchChanges("; ");
        return watched == null ? why : why == null ? watched : why + "; " + watched;
    }

    /** The watchpoints whose objects the event just applied changed, joined by {@code sep}, or null; each samples anew. */
    private String watchChanges(String sep) {
        String why = null;
        for (Watch w : breakpoints.watches()) {
            String change = w.changed(kernel());
            if (change != null) {
                why = (why == null ? "" : why + sep) + "watchpoint " + breakpoints.numberOf(w) + ": " + w + ": " + change;
            }
        }
        return why;
    }

    /** Applies the comments and other unmodelled records before the next event, printing comments. */
    private void passMeta() {
        while (cursor < source.count() && source.type(cursor).kind() == EventType.Kind.META) {
            if (verbose && source.type(cursor) == EventType.COMMENT) {
                view.wrap(source.data(), source.offset(cursor));
                String comment = view.rawString();
                if (!TraceText.isFtraceHeader(comment)) {
                    out.println(comment);
                }
            }
            appendApplied(cursor++);
        }
    }

    /** Appends {@code ref} (see {@link #order}) and applies it. */
    private void appendApplied(int ref) {
        if (applied == order.length) {
            order = Arrays.copyOf(order, applied * 2);
        }
        order[applied++] = ref;
        apply(applied - 1);
    }

    private EventLog logOf(int ref) {
        return ref >= 0 ? source : typedLog;
    }

    private static int indexOf(int ref) {
        return ref >= 0 ? ref : -1 - ref;
    }

    /** Applies applied record {@code i} to the replayer. */
    private void apply(int i) {
        current = i;
        headerPrinted = false;
        int ref = order[i];
        view.wrap(logOf(ref).data(), logOf(ref).offset(indexOf(ref)));
        EventType t = view.type();
        if (t.kind() == EventType.Kind.META) {
            return;
        }
        if (verbose && !rebuilding) {
            printHeader();
        }
        events++;
        if (view.line() > 0) {
            lastLine = view.line();
        }
        lastTs = view.ts();
        lastPid = view.pid();
        lastCpu = view.cpu();
        if (view.comm() != 0) {
            lastComm = writer.symbols().string(view.comm());
        }
        int waiting = kernel().truncate.waiting();
        replayer.onEvent(view);
        if (!rebuilding && kernel().truncate.waiting() > waiting) {
            printHeader();
            out.alert("  !! stall: " + t.eventName() + " waits for the pins on the file to drop ("
                    + kernel().truncate.waiting() + " waiting)");
        }
    }

    @Override
    public void accept(Outcome o) {
        if (rebuilding) {
            return;
        }
        if (verbose) {
            print(o);
        } else if (OutcomeText.notable(o)) {
            printHeader();
            print(o);
        }
    }

    private void print(Outcome o) {
        String s = OutcomeText.format(o);
        if (OutcomeText.alarming(o)) {
            out.alert(s);
        } else {
            out.println(s);
        }
    }

    private void printHeader() {
        if (!headerPrinted) {
            headerPrinted = true;
            out.println(eventText(logOf(order[current]), indexOf(order[current])));
        }
    }

    /** Goes back {@code n} events: replays the log from the start up to there. */
    void back(long n) {
        long target = Math.max(0, events - n);
        int keep = 0;
        long seen = 0;
        while (seen < target) {
            if (logOf(order[keep]).type(indexOf(order[keep])).kind() != EventType.Kind.META) {
                seen++;
            }
            keep++;
        }
        rebuild(keep);
    }

    /**
     * Goes back to just before the last event, before the current position, that {@code until} or a breakpoint or
     * watchpoint stops at (for a violation, a stall or a watched change: the event that caused it), so that
     * {@code step} shows it again; to the start when none does. The applied events are replayed once to find it,
     * once more to get there.
     *
     * @return where it stopped and why
     */
    String backUntil(Condition until) {
        int end = applied;
        replayer = newReplayer();
        resetPosition();
        armWatches();
        int found = -1;
        String foundWhy = null;
        rebuilding = true;
        try {
            for (int i = 0; i < end; i++) {
                EventLog log = logOf(order[i]);
                int idx = indexOf(order[i]);
                boolean event = log.type(idx).kind() != EventType.Kind.META;
                String why = event ? reasonBefore(until, log, idx) : null;
                long violations = kernel().ctx.violations;
                int waiting = kernel().truncate.waiting();
                apply(i);
                String after = event ? reasonAfter(until, violations, waiting) : null;
                if (why != null || after != null) {
                    found = i;
                    foundWhy = why != null ? why : after;
                }
            }
        } catch (RuntimeException e) {
            rebuilding = false;
            rebuild(end);
            throw e;
        } finally {
            rebuilding = false;
        }
        if (found < 0) {
            rebuild(0);
            return "at the start of the trace: nothing earlier stops there";
        }
        int ref = order[found];
        long line = logOf(ref).line(indexOf(ref));
        String next = eventText(logOf(ref), indexOf(ref));
        rebuild(found);
        return "stopped before " + (line > 0 ? "line " + line : TraceText.TYPED + " event") + " (" + foundWhy
                + "); next: " + next;
    }

    /** A fresh replayer with the first {@code keep} applied records replayed into it. */
    private void rebuild(int keep) {
        applied = keep;
        int typed = 0;
        for (int i = 0; i < keep; i++) {
            if (order[i] < 0) {
                typed = indexOf(order[i]) + 1;
            }
        }
        typedLog.truncate(typed);
        replayer = newReplayer();
        resetPosition();
        rebuilding = true;
        try {
            for (int i = 0; i < keep; i++) {
                apply(i);
            }
        } finally {
            rebuilding = false;
        }
        cursor = 0;
        for (int i = keep - 1; i >= 0; i--) {
            if (order[i] >= 0) {
                cursor = order[i] + 1;
                break;
            }
        }
    }

    private void resetPosition() {
        events = 0;
        lastLine = 0;
        lastTs = 0;
        lastPid = 1;
        lastCpu = 0;
        lastComm = "shell";
    }

    // ---- typed events ----

    /**
     * Parses {@code line} with the trace parser and applies it at once; a malformed event is a
     * {@link TraceFormatException} (bad input, exit code 3), as in a trace. A bare event gets the context of
     * the last event applied (task, pid, CPU, timestamp; {@code shell-1} before any), so it acts for
     * the same process unless it names another with {@code mm=PID}.
     */
    void typed(String line) {
        String text = TraceParser.hasContext(line) ? line.strip()
                : TraceText.context(lastComm, lastPid, lastCpu, lastTs) + line.strip();
        EventLog scratch = new EventLog();
        capture.target = scratch;
        try {
            new TraceParser(TraceText.TYPED, writer, false).parse(Channels.newChannel(
                    new ByteArrayInputStream((text + "\n").getBytes(StandardCharsets.UTF_8))));
        } catch (TraceFormatException e) {
            throw TraceText.typedError(e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.flush();
            capture.target = null;
        }
        boolean wasVerbose = verbose;
        verbose = true;
        armWatches();
        try {
            for (int r = 0; r < scratch.count(); r++) {
                scratch.setLine(r, 0);
                typedLog.appendFrom(scratch, r);
                appendApplied(-typedLog.count());
                String watched = watchChanges("\n");
                if (watched != null) {
                    out.stop(watched); // a typed event stops nothing, but says what it changed, as run would
                }
            }
        } finally {
            verbose = wasVerbose;
        }
    }

    /**
     * Hands {@code h} the session's events, those applied so far and then the rest of the trace, and ends it: the
     * whole session as {@code diff} replays it under two profiles.
     */
    void replayAll(EventHandler h) {
        EventView v = new EventView(writer.symbols(), writer.keys());
        for (int i = 0; i < applied; i++) {
            v.wrap(logOf(order[i]).data(), logOf(order[i]).offset(indexOf(order[i])));
            h.onEvent(v);
        }
        for (int i = cursor; i < source.count(); i++) {
            v.wrap(source.data(), source.offset(i));
            h.onEvent(v);
        }
        h.onEnd();
    }

    /** Writes the applied events as a trace (see {@link TraceText#save}). */
    void save(Path file) {
        EventLog log = new EventLog();
        for (int i = 0; i < applied; i++) {
            log.appendFrom(logOf(order[i]), indexOf(order[i]));
        }
        TraceText.save(log, writer.symbols(), writer.keys(), file);
    }

    String eventText(EventLog log, int i) {
        return TraceText.eventLine(log, i, writer.symbols(), writer.keys());
    }

    // ---- state ----

    Replayer replayer() {
        return replayer;
    }

    Kernel kernel() {
        return replayer.kernel();
    }

    long events() {
        return events;
    }

    long lastLine() {
        return lastLine;
    }

    long lastTs() {
        return lastTs;
    }

    int lastPid() {
        return lastPid;
    }

    String sourceName() {
        return sourceName;
    }

    /**
     * Whether the session found what makes {@code replay} exit 1 by default: violations or divergences (a call
     * still waiting is a stall, reported, not a failure).
     */
    boolean foundProblems() {
        return kernel().ctx.violations > 0 || replayer.summary().divergences > 0; // replay's default --fail-on
    }

    /** Handle names in use so far (symbols of the session), for completion. */
    List<String> liveHandles() {
        List<String> names = new ArrayList<>();
        for (var r : kernel().registrations.live()) {
            if (r.handle != 0 && !names.contains(r.name)) {
                names.add(r.name);
            }
        }
        return names;
    }

    String prompt() {
        StringBuilder sb = new StringBuilder("pinreplay[").append(config.release());
        int policies = config.policies().size();
        if (policies > 0) {
            sb.append(" +").append(policies).append(policies == 1 ? " policy" : " policies");
        }
        sb.append(']');
        if (events > 0) {
            sb.append(" line ").append(lastLine).append(' ').append(TraceText.seconds(lastTs));
        }
        return sb.append("> ").toString();
    }

    /** Routes the writer's blocks into whichever log is being filled. */
    private static final class Capture implements BlockSink {
        EventLog target;

        @Override
        public void onBlock(byte[] buf, int length) {
            if (target != null) {
                target.onBlock(buf, length);
            }
        }
    }
}
