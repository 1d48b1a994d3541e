package pinreplay.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import pinreplay.format.BlockSink;
import pinreplay.format.EventReader;
import pinreplay.format.print.FtracePrinter;
import pinreplay.format.print.JsonlPrinter;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueEnd;
import pinreplay.format.queue.QueueReader;
import pinreplay.replay.run.QueueSource;

/**
 * {@code pinreplay cat --queue DIR}: prints a queue's events back, as ftrace text (which ingests to
 * the same queue) or JSON lines. {@code --follow} tails a queue that is still being written, waiting
 * for it to be created if need be. A queue that is not complete prints its exact prefix, then says
 * how far it goes and exits 3 (0 with {@code --allow-incomplete}).
 */
@Command(name = "cat",
        description = {"Print the events of a queue as ftrace text or JSON lines.",
                "--follow waits for events still being ingested, like tail -f, until the ingest ends."})
final class CatCommand extends Subcommand {
    /** Output formats. */
    enum Format {
        ftrace, jsonl
    }

    @Option(names = "--queue", required = true, paramLabel = "DIR", description = "Queue directory to read.")
    Path queueDir;

    @Option(names = "--format", defaultValue = "ftrace", paramLabel = "ftrace|jsonl",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--follow", description = {"Wait for the queue to be created, then for new events until the"
            + " writer's end marker; give up (exit 3) if the writer is gone without finishing."})
    boolean follow;

    @Option(names = "--allow-incomplete", description = {"Exit 0 after printing a queue that is incomplete or"
            + " stopped early (its prefix; stderr still says how far it goes)."})
    boolean allowIncomplete;

    @Override
    public Integer call() {
        PipeGuard out = new PipeGuard(main.stdout());
        EventQueue queue = open();
        if (queue == null) {
            return ExitCodes.INTERRUPTED;
        }
        try (queue; QueueReader reader = queue.reader()) {
            QueueEnd end;
            if (format == Format.jsonl) {
                JsonlPrinter printer = new JsonlPrinter(out);
                end = read(reader, new EventReader(printer), printer::flush);
            } else {
                FtracePrinter printer = new FtracePrinter(out);
                end = read(reader, new EventReader(printer), printer::flush);
            }
            if (end.state() == QueueEnd.State.INTERRUPTED) {
                return ExitCodes.INTERRUPTED;
            }
            QueueSource.checked(end, allowIncomplete, spec.commandLine().getErr());
        } catch (UncheckedIOException e) {
            PipeGuard.writeFailed(out, e);
        }
        return ExitCodes.OK;
    }

    /** The queue; when following, once an ingest has created it (null if interrupted first). */
    private EventQueue open() {
        if (!follow) {
            return EventQueue.open(queueDir);
        }
        if (!Files.isDirectory(queueDir) && Terminal.stderrIsTty()) {
            spec.commandLine().getErr().println("pinreplay: waiting for " + queueDir + " to be created");
            spec.commandLine().getErr().flush();
        }
        return EventQueue.openWhenCreated(queueDir);
    }

    /** Reads to the end marker, or what is there now; following, until the writer ends or is gone. */
    private QueueEnd read(QueueReader reader, BlockSink events, Runnable flush) {
        return follow ? reader.follow(events, flush) : reader.readTo(events);
    }
}
