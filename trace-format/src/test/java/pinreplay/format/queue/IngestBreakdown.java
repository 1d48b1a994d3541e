package pinreplay.format.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;

import pinreplay.format.BlockSink;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.ParallelParser;
import pinreplay.format.parse.TraceParser;

/**
 * Where ingest's time goes: parses a trace into one sink and prints the wall time. Run by
 * {@code BREAKDOWN=1 scripts/bench-ingest.sh}, one JVM per sink:
 * {@code none} drops the blocks, {@code sync} appends them to a queue on the parsing thread,
 * {@code async} appends them on a writer thread as {@code pinreplay ingest} does. An optional fourth
 * argument, the parsing threads, uses {@link ParallelParser} when above 1.
 */
public final class IngestBreakdown {
    private static int threads;

    private IngestBreakdown() {
    }

    public static void main(String[] args) throws IOException {
        Path trace = Path.of(args[0]);
        String sink = args[1];
        Path dir = Path.of(args[2]);
        threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        long started = System.nanoTime();
        try (FileChannel in = FileChannel.open(trace)) {
            if (sink.equals("none")) {
                parse(in, (buf, len) -> { });
            } else {
                try (EventQueue q = EventQueue.create(dir, new QueueMetadata(), true)) {
                    QueueBlockSink appender = q.appender();
                    if (sink.equals("sync")) {
                        parse(in, appender);
                    } else {
                        try (AsyncBlockSink async = new AsyncBlockSink(appender, "queue-writer")) {
                            parse(in, async);
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-6s %d thread(s) %6.2f s%n", sink, threads, (System.nanoTime() - started) / 1e9);
    }

    private static void parse(FileChannel in, BlockSink sink) throws IOException {
        EventWriter w = new EventWriter(sink);
        if (threads > 1) {
            new ParallelParser("trace", w, false, threads, ParallelParser.DEFAULT_CHUNK).parse(in);
        } else {
            new TraceParser("trace", w, false).parse(in);
        }
        w.finish();
    }
}
