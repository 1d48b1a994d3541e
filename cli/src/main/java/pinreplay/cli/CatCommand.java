package pinreplay.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import pinreplay.format.EventReader;
import pinreplay.format.print.FtracePrinter;
import pinreplay.format.print.JsonlPrinter;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueMetadata;
import pinreplay.format.queue.QueueReader;

/**
 * {@code pinreplay cat --queue DIR}: prints a queue's events back, as ftrace text (which ingests to
 * the same queue) or JSON lines. {@code --follow} tails a queue that is still being written.
 */
@Command(name = "cat",
        description = {"Print the events of a queue as ftrace text or JSON lines.",
                "--follow waits for events still being ingested, like tail -f, until the ingest ends."},
        mixinStandardHelpOptions = true)
final class CatCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        ftrace, jsonl
    }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--queue", required = true, paramLabel = "DIR", description = "Queue directory to read.")
    Path queueDir;

    @Option(names = "--format", defaultValue = "ftrace", paramLabel = "ftrace|jsonl",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--follow", description = "Keep waiting for new events until the writer's end marker (or Ctrl-C).")
    boolean follow;

    @Override
    public Integer call() {
        PipeGuard out = new PipeGuard(main.stdout());
        try (EventQueue queue = EventQueue.open(queueDir); QueueReader reader = queue.reader()) {
            boolean ended;
            if (format == Format.jsonl) {
                JsonlPrinter printer = new JsonlPrinter(out);
                ended = read(reader, new EventReader(printer), printer::flush);
            } else {
                FtracePrinter printer = new FtracePrinter(out);
                ended = read(reader, new EventReader(printer), printer::flush);
            }
            if (!ended) {
                return ExitCodes.INTERRUPTED;
            }
            QueueMetadata m = queue.reloadMetadata();
            if (m.state() == QueueMetadata.State.STOPPED) {
                spec.commandLine().getErr().println("pinreplay: " + queueDir + ": the ingest stopped early at "
                        + m.stoppedAt() + "; the queue holds the events before that line");
            }
        } catch (UncheckedIOException e) {
            if (out.closedByReader()) {
                return ExitCodes.OK; // | head: the reader has what it wanted
            }
            throw new OutputException("cannot write the output: " + e.getCause().getMessage());
        }
        return ExitCodes.OK;
    }

    /** Reads to the end marker; false when interrupted while following. */
    private boolean read(QueueReader reader, EventReader events, Runnable flush) {
        if (follow) {
            return reader.follow(events, flush);
        }
        reader.readTo(events);
        return true;
    }
}
