package pinreplay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;
import pinreplay.format.parse.Checkpoint;
import pinreplay.format.parse.ParallelParser;
import pinreplay.format.parse.ParseStats;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueException;
import pinreplay.format.queue.QueueMetadata;
import pinreplay.format.queue.Resumption;
import pinreplay.replay.run.TraceSource;

/**
 * {@code pinreplay ingest FILE|- --queue DIR}: parses a trace into a new event queue, streaming in
 * constant memory. Strict by default: a malformed line stops it with exit 3, and the queue keeps
 * every event before that line, ends with its end marker and stays readable. {@code --force} builds
 * the new queue beside the old one and swaps it in only when the ingest succeeds; {@code --resume}
 * takes a killed or stopped ingest up again from its last checkpoint (docs/queues.md).
 */
@Command(name = "ingest",
        description = {"Parse an ftrace text trace into a new event queue.",
                "Strict by default: a malformed line stops the ingest (exit 3); the queue keeps the events before it."})
final class IngestCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "FILE|-", description = "The trace; - reads standard input.")
    String input;

    @Option(names = "--queue", required = true, paramLabel = "DIR", description = "Queue directory to create.")
    Path queueDir;

    @Option(names = "--lenient", description = "Skip malformed lines, count them and report the first few.")
    boolean lenient;

    @Option(names = "--force", description = "Replace an existing queue in DIR once the new one is complete.")
    boolean force;

    @Option(names = "--resume", description = {"Continue a killed or stopped ingest of FILE into DIR from its last"
            + " checkpoint; the queue ends as an uninterrupted ingest would have written it."})
    boolean resume;

    /** Parsing threads at most: each holds its chunks' buffers (several MiB), more than any machine has cores for. */
    private static final int MAX_THREADS = 256;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads parsing a file (default: one per CPU but one, at most 4). The queue is the same for any N.")
    Integer threads;

    @Option(names = {"-v", "--verbose"}, description = "Print a summary line on stderr (always shown on a terminal).")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        long started = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        boolean tty = Terminal.stderrIsTty();
        String source = TraceSource.name(input);
        if (resume && finished(err)) {
            return ExitCodes.OK;
        }
        QueueMetadata meta = new QueueMetadata().source(source).createdBy(VersionProvider.creator());
        ParseStats stats;
        try (ReadableByteChannel in = TraceSource.open(input, main.stdin());
             EventQueue queue = resume ? EventQueue.replacing(queueDir, meta, EventQueue.DEFAULT_CHRONICLE_BLOCK_SIZE)
                     : EventQueue.create(queueDir, meta, force)) {
            Resumption from = resume ? resumption((FileChannel) in, source, err, tty) : null;
            ProgressChannel progress = tty ? new ProgressChannel(in, size(in), err, "ingest", ProgressChannel.LARGE_INPUT) : null;
            try {
                stats = parseInto(queue, source, progress != null ? progress : in, parsingThreads(in), from);
            } finally {
                if (progress != null) {
                    progress.clear();
                }
            }
            queue.commit();
        }
        stats.printSkipped(err);
        QueueMetadata done = QueueMetadata.load(queueDir);
        if (done.backwards() > 0) {
            err.printf(Locale.ROOT, "pinreplay: warning: timestamps go back in time %d times on one CPU (first at %s:%d);"
                    + " events are replayed in file order%n", done.backwards(), source, done.firstBackwardsLine());
        }
        if (tty || verbose) {
            long events = done.records() - done.count(EventType.COMMENT);
            err.printf(Locale.ROOT, "pinreplay: ingested %d events (%d unknown, %d skipped) from %s into %s in %.2f s%n",
                    events, done.count(EventType.UNKNOWN), stats.malformed(), source, queueDir,
                    (System.nanoTime() - started) / 1e9);
        }
        err.flush();
        return ExitCodes.OK;
    }

    private void checkOptions() {
        if (threads != null && (threads < 1 || threads > MAX_THREADS)) {
            throw new ParameterException(spec.commandLine(), "--threads: expected 1 to " + MAX_THREADS + ", got "
                    + threads);
        }
        if (resume && force) {
            throw new ParameterException(spec.commandLine(), "--resume and --force are alternatives: --resume"
                    + " continues the queue, --force starts it over");
        }
        if (resume && "-".equals(input)) {
            throw new ParameterException(spec.commandLine(), "--resume needs the trace FILE: standard input cannot be"
                    + " read again from where the ingest stopped (ingest - --force starts over)");
        }
    }

    /** {@code --resume} of a queue that has nothing left to do: true (said on stderr) when complete. */
    private boolean finished(PrintWriter err) {
        if (!java.nio.file.Files.isDirectory(queueDir)) {
            throw new QueueException(QueueException.Reason.MISSING, queueDir + ": no such queue directory");
        }
        if (EventQueue.unborn(queueDir)) {
            return false; // killed before it wrote anything: start from the first line
        }
        QueueMetadata m = QueueMetadata.load(queueDir);
        if (m.source().equals(TraceSource.name("-"))) {
            throw new QueueException(QueueException.Reason.MISMATCH, queueDir + ": was ingested from standard input,"
                    + " which cannot be read again; ingest FILE --queue " + queueDir + " --force starts over");
        }
        if (m.state() == QueueMetadata.State.COMPLETE) {
            err.println("pinreplay: " + queueDir + ": already complete; nothing to resume");
            return true;
        }
        return false;
    }

    /** Where the resumed ingest goes on, once the input is checked to be the one it read. */
    private Resumption resumption(FileChannel in, String source, PrintWriter err, boolean tty) throws IOException {
        Resumption r;
        if (!QueueMetadata.presentIn(queueDir)) {
            r = Resumption.fromStart(lenient); // unborn
        } else {
            try (EventQueue old = EventQueue.open(queueDir)) {
                r = Resumption.plan(old, lenient);
            }
        }
        if (lenient && !r.lenient()) {
            throw new ParameterException(spec.commandLine(), "--lenient: " + queueDir + " was ingested strictly;"
                    + " --resume goes on the same way (drop --lenient, or start over with --force)");
        }
        r.verify(in, source);
        if (tty || verbose) {
            err.printf(Locale.ROOT, "pinreplay: resuming %s at %s:%d (byte %d)%n", queueDir, source,
                    r.at().lines() + 1, r.at().offset());
        }
        return r;
    }

    /**
     * Parses {@code text} into the queue, appending on a writer thread; the metadata is saved complete,
     * or stopped at the malformed line (or read error), which is then rethrown. A failed write (a full
     * disk) marks the queue stopped after its last whole block.
     */
    private ParseStats parseInto(EventQueue queue, String source, ReadableByteChannel in, int parsers, Resumption from) {
        boolean stdin = "-".equals(input);
        boolean strict = !(from != null ? from.lenient() : lenient);
        Checkpoint start = from != null ? from.at() : Checkpoint.START;
        Checkpoint.Sink checkpoints = stdin ? null : queue.checkpoints(!strict, from != null ? from.kept() : List.of());
        return QueueOutput.write(queue, source, writer -> {
            if (from != null && from.at().lines() > 0) {
                try (EventQueue old = EventQueue.open(queueDir)) {
                    from.copy(old, writer);
                }
            }
            ReadableByteChannel text = stdin ? new IdleFlushChannel(in, main.stdin(), writer::flush) : in;
            ParseStats stats;
            try {
                stats = parsers > 1
                        ? new ParallelParser(source, writer, !strict, parsers, ParallelParser.DEFAULT_CHUNK)
                                .from(start).checkpoints(checkpoints).parse(text)
                        : new TraceParser(source, writer, !strict).from(start).checkpoints(checkpoints).parse(text);
            } catch (TraceFormatException e) {
                stop(queue, writer, e.line(), e.getMessage(), from != null);
                throw e;
            } catch (IOException e) {
                String msg = source + ": cannot read: " + e.getMessage();
                stop(queue, writer, writer.lastLine(), msg, from != null);
                throw new InputException(msg);
            }
            queue.metadata().lines(stats.lines()).malformed(stats.malformed());
            writer.finish();
            return stats;
        });
    }

    /**
     * Ends the queue after the last good line: the metadata saying why it stopped, then the end marker.
     * A resumed queue that got this far replaces the old one, which it extends.
     */
    static void stop(EventQueue queue, EventWriter writer, long line, String why, boolean resumed) {
        queue.metadata().lines(line).stopped(why);
        writer.finish();
        if (resumed) {
            queue.commit();
        }
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
