package pinreplay.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Objects;
import java.util.zip.CRC32C;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import pinreplay.format.EventHandler;
import pinreplay.format.EventReader;
import pinreplay.format.EventView;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueEnd;
import pinreplay.format.queue.QueueException;
import pinreplay.format.queue.QueueReader;
import pinreplay.format.queue.RecordedRelease;
import pinreplay.replay.Replayer;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.LiveReport;
import pinreplay.replay.run.QueueSource;

/**
 * {@code pinreplay watch QUEUE}: follows a queue being written (as {@code cat --follow}) and replays each event as
 * it arrives, printing violations, stalls and divergences the moment the model finds them. When the writer dies
 * without finishing, it waits for the queue to be written again ({@code ingest --resume}, or a new ingest with
 * {@code --force}): a queue that begins with the events already replayed goes on from there with the same model,
 * another one is a new recording, replayed with a fresh model. Exit 1 at the first finding {@code --exit-on}
 * names; else, when the queue is complete, 1 if anything was found; 3 when its ingest stopped early (the findings up
 * to there printed), unless {@code --allow-incomplete}.
 */
@Command(name = "watch",
        description = {"Follow a queue being ingested live and report violations, stalls and divergences as they "
                + "happen.", "Feed it with: pinreplay record -o FILE --queue Q ..., or any live text through"
                + " pinreplay ingest - --queue Q (docs/replay.md, Watching a live kernel)."})
final class WatchCommand extends Subcommand {
    /** Output formats. */
    enum Format {
        text, jsonl
    }

    @Parameters(paramLabel = "QUEUE", description = "Queue directory an ingest writes (waited for if not there yet).")
    Path queueDir;

    @Mixin
    RunOptions run;

    @Option(names = "--exit-on", split = ",", paramLabel = "KINDS",
            description = "Exit 1 at the first of these: violation, stall, divergence.")
    EnumSet<LiveReport.Kind> exitOn = EnumSet.noneOf(LiveReport.Kind.class);

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|jsonl",
            description = "One line per finding: text or the outcome record as JSON (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--allow-incomplete", description = {"When the queue's ingest stopped early (a malformed line, a"
            + " read error, a full disk), exit by the findings (0 or 1) instead of 3; stderr still says how far it goes."})
    boolean allowIncomplete;

    /** The watch ends here: a finding --exit-on names. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /** Another writer's queue took the directory's place while it was being read. */
    private static final class Replaced extends RuntimeException {
        Replaced() {
            super(null, null, false, false);
        }
    }

    /** The queue now being read is another recording than the events replayed so far. */
    private static final class NewRecording extends RuntimeException {
        NewRecording() {
            super(null, null, false, false);
        }
    }

    private Profile profile;
    private LiveReport report;
    private Replayer replayer;
    /** Events replayed so far, and the CRC32C of their records: the prefix a resumed queue must repeat. */
    private long replayed;
    private final CRC32C replayedCrc = new CRC32C();
    private boolean stopped;

    @Override
    public Integer call() {
        profile = run.profile((String) null);
        run.faults(); // the --inject specs checked before waiting for the queue
        PrintWriter err = spec.commandLine().getErr();
        PipeGuard stdout = new PipeGuard(main.stdout());
        PrintStream out = new PrintStream(new BufferedOutputStream(stdout, 1 << 16), false, StandardCharsets.UTF_8);
        report = new LiveReport(out, format == Format.jsonl, kind -> {
            if (exitOn.contains(kind)) {
                stopped = true;
                throw new Stop();
            }
        });
        if (!Files.isDirectory(queueDir) && Terminal.stderrIsTty()) {
            err.println("pinreplay: waiting for " + queueDir + " to be created");
            err.flush();
        }
        try {
            while (true) {
                Object written = directoryKey();
                EventQueue queue = EventQueue.openWhenCreated(queueDir);
                if (queue == null) {
                    return ExitCodes.INTERRUPTED;
                }
                if (written == null || !Objects.equals(directoryKey(), written)) {
                    queue.close(); // created or replaced while it was opened: which one was opened is unknown
                    continue;
                }
                if (replayer == null) {
                    replayer = new Replayer(recordedProfile(queue), run.faults(), report);
                }
                QueueEnd end;
                try (queue; QueueReader reader = queue.reader()) {
                    end = reader.follow(new EventReader(new Follower()), () -> {
                        out.flush();
                        if (!Objects.equals(directoryKey(), written)) {
                            throw new Replaced();
                        }
                    });
                } catch (Replaced | QueueException e) {
                    if (e instanceof QueueException && Objects.equals(directoryKey(), written)) {
                        throw e;
                    }
                    // the next writer (ingest --resume, or a new ingest) committed its queue over the one being read
                    err.println("pinreplay: " + queueDir + ": another writer's queue replaced it after " + replayed
                            + " event(s); going on with it");
                    err.flush();
                    continue;
                } catch (NewRecording e) {
                    err.println("pinreplay: " + queueDir + " now holds another recording: replaying it with a fresh model");
                    err.flush();
                    replayer = null;
                    replayed = 0;
                    replayedCrc.reset();
                    continue;
                }
                switch (end.state()) {
                    case INTERRUPTED -> {
                        return ExitCodes.INTERRUPTED;
                    }
                    case ABANDONED -> {
                        err.println("pinreplay: " + queueDir + ": the writer is gone after " + replayed + " event(s); "
                                + "waiting for a new one (ingest --resume, or a new ingest)");
                        err.flush();
                        if (!awaitNewQueue(written)) {
                            return ExitCodes.INTERRUPTED;
                        }
                    }
                    default -> {
                        replayer.onEnd(); // stalls are known at the end
                        flushed(out, stdout);
                        QueueSource.checked(end, allowIncomplete, err); // a stopped ingest: exit 3 unless allowed
                        return report.findings() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
                    }
                }
            }
        } catch (Stop e) {
            flushed(out, stdout);
            return ExitCodes.FINDINGS;
        }
    }

    /** Flushes the findings; a write that failed (a full disk, not a reader gone) is exit 4, said. */
    private static void flushed(PrintStream out, PipeGuard stdout) {
        out.flush();
        if (out.checkError() && !stdout.closedByReader()) {
            throw new OutputException("cannot write the output");
        }
    }

    /**
     * {@code --kernel}'s profile, else the release the recording's header names (read as the writer appends it,
     * up to the first event), else the newest: a watched queue replays under the release a replay of it would.
     */
    private Profile recordedProfile(EventQueue queue) {
        if (run.kernel != null) {
            return profile;
        }
        try (QueueReader header = queue.reader()) {
            return run.profile(RecordedRelease.of(header, true));
        }
    }

    /** Replays the events beyond those already replayed; checks that a re-read queue repeats them first. */
    private final class Follower implements EventHandler {
        private long index;
        private final CRC32C crc = new CRC32C();

        @Override
        public void onEvent(EventView v) {
            if (stopped) {
                return;
            }
            if (index < replayed) {
                crc.update(v.buffer(), v.offset(), v.size());
                if (++index == replayed && crc.getValue() != replayedCrc.getValue()) {
                    throw new NewRecording();
                }
                return;
            }
            index++;
            replayed++;
            replayedCrc.update(v.buffer(), v.offset(), v.size());
            replayer.onEvent(v);
        }
    }

    /** Waits until another queue takes the directory's place (a resumed or new ingest commits); false if interrupted. */
    private boolean awaitNewQueue(Object written) {
        try {
            while (Objects.equals(directoryKey(), written)) {
                Thread.sleep(20);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Object directoryKey() {
        try {
            return Files.readAttributes(queueDir, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // between the renames of a replacement
        }
    }
}
