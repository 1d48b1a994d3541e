package pinreplay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;
import pinreplay.format.parse.ParallelParser;
import pinreplay.format.parse.ParseStats;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.queue.AsyncBlockSink;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueBlockSink;
import pinreplay.format.queue.QueueMetadata;

/**
 * {@code pinreplay ingest FILE|- --queue DIR}: parses a trace into a new event queue, streaming in
 * constant memory. Strict by default: a malformed line stops it with exit 3, and the queue keeps
 * every event before that line, ends with its end marker and stays readable.
 */
@Command(name = "ingest",
        description = {"Parse an ftrace text trace into a new event queue.",
                "Strict by default: a malformed line stops the ingest (exit 3); the queue keeps the events before it."},
        mixinStandardHelpOptions = true)
final class IngestCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|-", description = "The trace; - reads standard input.")
    String input;

    @Option(names = "--queue", required = true, paramLabel = "DIR", description = "Queue directory to create.")
    Path queueDir;

    @Option(names = "--lenient", description = "Skip malformed lines, count them and report the first few.")
    boolean lenient;

    @Option(names = "--force", description = "Replace an existing queue in DIR.")
    boolean force;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads parsing a file (default: one per CPU but one, at most 4). The queue is the same for any N.")
    Integer threads;

    @Option(names = {"-v", "--verbose"}, description = "Print a summary line on stderr (always shown on a terminal).")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads: expected at least 1, got " + threads);
        }
        long started = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        boolean tty = Terminal.stderrIsTty();
        String source = "-".equals(input) ? "<stdin>" : input;
        QueueMetadata meta = new QueueMetadata().source(source).createdBy(VersionProvider.creator());
        ParseStats stats;
        try (ReadableByteChannel in = openInput(); EventQueue queue = EventQueue.create(queueDir, meta, force)) {
            ProgressChannel progress = tty ? new ProgressChannel(in, size(in), err, "ingest", ProgressChannel.LARGE_INPUT) : null;
            try {
                stats = parseInto(queue, source, progress != null ? progress : in, parsingThreads(in));
            } finally {
                if (progress != null) {
                    progress.clear();
                }
            }
        }
        reportMalformed(err, stats);
        if (tty || verbose) {
            long events = stats.records() - stats.comments();
            err.printf(Locale.ROOT, "pinreplay: ingested %d events (%d unknown, %d skipped) from %s into %s in %.2f s%n",
                    events, stats.records(EventType.UNKNOWN), stats.malformed(), source, queueDir,
                    (System.nanoTime() - started) / 1e9);
        }
        err.flush();
        return ExitCodes.OK;
    }

    /**
     * Parses {@code text} into the queue, appending on a writer thread, then saves the metadata: complete,
     * or stopped at the malformed line (or read error), which is then rethrown.
     */
    private ParseStats parseInto(EventQueue queue, String source, ReadableByteChannel text, int parsers) {
        QueueBlockSink sink = queue.appender();
        EventWriter writer;
        ParseStats stats;
        try (AsyncBlockSink async = new AsyncBlockSink(sink, "pinreplay-queue-writer")) {
            writer = new EventWriter(async);
            if ("-".equals(input)) {
                text = new IdleFlushChannel(text, main.stdin(), writer::flush);
            }
            try {
                stats = parsers > 1
                        ? new ParallelParser(source, writer, lenient, parsers, ParallelParser.DEFAULT_CHUNK).parse(text)
                        : new TraceParser(source, writer, lenient).parse(text);
            } catch (TraceFormatException e) {
                stop(queue, writer, sink, e.line(), e.getMessage());
                throw e;
            } catch (IOException e) {
                String msg = source + ": cannot read: " + e.getMessage();
                stop(queue, writer, sink, writer.lastLine(), msg);
                throw new InputException(msg);
            }
            writer.finish();
        }
        queue.metadata().countsFrom(writer).lines(stats.lines()).malformed(stats.malformed())
                .blocks(sink.blocks()).complete();
        queue.saveMetadata();
        return stats;
    }

    /** Ends the queue after the last good line: the end marker, then metadata saying why it stopped. */
    private static void stop(EventQueue queue, EventWriter writer, QueueBlockSink sink, long lines, String why) {
        writer.finish();
        queue.metadata().countsFrom(writer).lines(lines).blocks(sink.blocks()).stopped(why);
        queue.saveMetadata();
    }

    static void reportMalformed(PrintWriter err, ParseStats stats) {
        for (ParseStats.Problem p : stats.firstMalformed()) {
            err.println("pinreplay: skipped " + p.message());
        }
        long more = stats.malformed() - stats.firstMalformed().size();
        if (more > 0) {
            err.println("pinreplay: skipped " + more + " more malformed lines");
        }
    }

    private ReadableByteChannel openInput() {
        return TraceInput.open(main, input);
    }

    /**
     * Parsing threads: 1 (on this thread) for standard input, which flushes whenever the pipe is idle
     * for live readers; {@code --threads} for a file; by default, for a file of more than a few chunks,
     * one per CPU but one (at most 4): the queue writer thread needs a core of its own to fill the page
     * cache, and parsing on two threads costs about a third more CPU than on one (docs/PERFORMANCE.md).
     */
    private int parsingThreads(ReadableByteChannel in) throws IOException {
        if ("-".equals(input)) {
            return 1;
        }
        if (threads != null) {
            return threads;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        return size(in) < 4L * ParallelParser.DEFAULT_CHUNK ? 1 : Math.max(1, Math.min(4, cpus - 1));
    }

    /** The input's length when it is a regular file, else -1 (a pipe). */
    private static long size(ReadableByteChannel in) throws IOException {
        return in instanceof FileChannel f && f.size() > 0 ? f.size() : -1;
    }
}
