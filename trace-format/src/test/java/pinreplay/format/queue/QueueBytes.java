package pinreplay.format.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import pinreplay.format.BlockSink;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.bench.MixedTrace;
import pinreplay.format.parse.TraceParser;

/**
 * Bytes per event of traces in a queue: each file (or {@code mixed:RUN}, the parser benchmark's mix of
 * 1,000,000 lines) parsed, its blocks encoded as the queue stores them; prints events, text, blocks in
 * memory and as stored, per event. No queue is written: these are the excerpt payloads, without
 * Chronicle's few bytes per excerpt. {@code java -cp ... pinreplay.format.queue.QueueBytes FILE...}
 */
public final class QueueBytes {
    private QueueBytes() {
    }

    public static void main(String[] args) throws IOException {
        System.out.printf("%-44s %10s %8s %8s %8s %8s%n", "input", "events", "text/ev", "mem/ev", "queue/ev", "ratio");
        for (String a : args) {
            long[] stored = new long[1];
            long[] memory = new long[1];
            BlockEncoder enc = new BlockEncoder();
            EventWriter w = new EventWriter(new BlockSink() {
                @Override
                public void onBlock(byte[] buf, int length) {
                    int n = enc.encode(buf, length);
                    memory[0] += length;
                    stored[0] += n < 0 ? length : n;
                }
            });
            long text;
            if (a.startsWith("mixed:")) {
                byte[] t = MixedTrace.lines(1_000_000, Integer.parseInt(a.substring(6)));
                text = t.length;
                new TraceParser(a, w, true).parse(java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(t)));
            } else {
                try (FileChannel ch = FileChannel.open(Path.of(a))) {
                    text = ch.size();
                    new TraceParser(a, w, true).parse(ch);
                }
            }
            w.finish();
            long events = w.records() - w.count(EventType.SYMBOL);
            System.out.printf("%-44s %10d %8.1f %8.1f %8.1f %8.2f%n", a.length() > 44 ? "..." + a.substring(a.length() - 41) : a,
                    events, (double) text / events, (double) memory[0] / events, (double) stored[0] / events,
                    (double) memory[0] / stored[0]);
        }
    }
}
