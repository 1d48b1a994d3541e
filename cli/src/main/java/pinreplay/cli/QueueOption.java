package pinreplay.cli;

import java.io.InputStream;
import java.nio.file.Path;

import picocli.CommandLine.Option;

import pinreplay.replay.run.TraceSource;

/** {@code --queue DIR} beside a trace argument, and the one opener of "trace or queue". */
public final class QueueOption {
    @Option(names = "--queue", paramLabel = "DIR", description = "Read a queue written by ingest instead of trace text.")
    public Path queue;

    /** The queue, else the trace {@code input} ({@code -}: {@code stdin}), else null. */
    public TraceSource source(String input, InputStream stdin) {
        return queue != null ? TraceSource.queue(queue) : input != null ? TraceSource.text(input, stdin) : null;
    }
}
