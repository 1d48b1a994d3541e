package pinreplay.replay.run;

import java.io.PrintWriter;

import pinreplay.format.TraceFormatException;
import pinreplay.replay.Replayer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.PriorMemory;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ReplaySummary;

/**
 * One way through the core: replays a {@link TraceSource} into the pinning core of one {@link Profile}, with
 * fault points, into an outcome sink, and returns the typed {@link ReplayResult}. The CLI's replay, the shell,
 * campaigns, sweeps and the minimizer all run this; the options are {@code pinreplay replay}'s. Input the
 * replay refuses is a {@link TraceFormatException} (exit 3), which the caller reports as it reports bad input;
 * anything else escaping is a bug of the model and must surface as one.
 */
public final class Replay {
    private final Profile profile;
    private boolean strictState;
    private boolean lenient;
    private boolean allowIncomplete;
    private boolean requireEvents;
    private PrintWriter warnings = new PrintWriter(System.err, true);

    public Replay(Profile profile) {
        this.profile = profile;
    }

    /** A call on memory no snapshot, syscall or native event described is an error, not an assumption. */
    public Replay strictState(boolean on) {
        strictState = on;
        return this;
    }

    /** Skip malformed text lines, naming the first ten on the warnings, as {@code ingest --lenient}. */
    public Replay lenient(boolean on) {
        lenient = on;
        return this;
    }

    /** Replay the readable prefix of an incomplete queue (the warnings say how far it goes). */
    public Replay allowIncomplete(boolean on) {
        allowIncomplete = on;
        return this;
    }

    /**
     * A trace with no event the model replays is {@link ReplayResult#refusal()}; by default it is a result (events
     * the model does not use are passed through, never an error), said on the warnings.
     */
    public Replay requireEvents(boolean on) {
        requireEvents = on;
        return this;
    }

    /** Where skipped lines and an incomplete queue are said (default: standard error). */
    public Replay warnings(PrintWriter w) {
        warnings = w;
        return this;
    }

    /** Replays {@code source} with {@code faults} ({@link FaultPoints#NONE} for none) into {@code sink}. */
    public ReplayResult run(TraceSource source, FaultPoints faults, OutcomeSink sink) {
        Replayer replayer = new Replayer(profile, faults, sink);
        replayer.strictState(strictState);
        try {
            source.readTo(replayer, lenient, allowIncomplete, warnings);
        } catch (PriorMemory.UndescribedMemory e) {
            throw new TraceFormatException(source.name() + ": --strict-state: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            long line = replayer.kernel().ctx.line;
            replayer = null; // let the model go before saying so
            throw new TraceFormatException(source.name() + ": out of memory at line " + line + " (the model of this "
                    + "trace needs a larger heap: PINREPLAY_JAVA_OPTS=-Xmx8g, say)");
        }
        ReplaySummary s = replayer.summary();
        if (s.lossNotices > 0) {
            warnings.println("pinreplay: warning: " + source.name() + " lost " + s.lostEvents + " events (" + s.lossNotices
                    + " ring-buffer overflow notices, the first at line " + s.firstLossLine + "): results after it rest on"
                    + " what the recording still holds");
        }
        if (s.withoutKprobes != null) {
            warnings.println("pinreplay: warning: " + source.name() + " was recorded without kprobes"
                    + (s.withoutKprobes.isEmpty() ? "" : " (" + s.withoutKprobes + ")") + ": the pinning calls themselves"
                    + " (GUP, io_uring's and RDMA's pins, vfio, udmabuf) are not in it; what is judged is its syscalls'"
                    + " results (madvise(), io_uring_register(), F_ADD_SEALS, hugetlb mmap()) and its markers'");
        }
        String empty = s.eventsReplayed == 0 ? source.name() + ": no event to replay (" + s.eventsPassedThrough
                + " unknown or unmodelled)" : null;
        if (empty != null && !requireEvents) {
            warnings.println("pinreplay: warning: " + empty);
        }
        return new ReplayResult(s, requireEvents ? empty : null);
    }
}
