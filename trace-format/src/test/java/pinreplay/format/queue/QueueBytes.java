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
 * memory and as stored, per event, and the thread CPU time of encoding and decoding them (best of
 * five passes over the blocks held in memory). No queue is written: these are the excerpt payloads,
 * without Chronicle's few bytes per excerpt. {@code java -cp ... pinreplay.format.queue.QueueBytes FILE...}
 */
public final class QueueBytes {
    private QueueBytes() {
    }

    public static void main(String[] args) throws IOException {
        System.out.printf("%-44s %10s %8s %8s %8s %8s %10s %10s %10s%n", "input", "events", "text/ev", "mem/ev",
                "queue/ev", "ratio", "copy ns/ev", "enc ns/ev", "dec ns/ev");
        for (String a : args) {
            long[] stored = new long[1];
            long[] memory = new long[1];
            BlockEncoder enc = new BlockEncoder();
            java.util.List<byte[]> blocks = new java.util.ArrayList<>();
            EventWriter w = new EventWriter(new BlockSink() {
                @Override
                public void onBlock(byte[] buf, int length) {
                    int n = enc.encode(buf, length);
                    memory[0] += length;
                    stored[0] += n < 0 ? length : n;
                    blocks.add(java.util.Arrays.copyOf(buf, length));
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
            long[] ns = times(blocks);
            System.out.printf("%-44s %10d %8.1f %8.1f %8.1f %8.2f %10.1f %10.1f %10.1f%n",
                    a.length() > 44 ? "..." + a.substring(a.length() - 41) : a, events, (double) text / events,
                    (double) memory[0] / events, (double) stored[0] / events, (double) memory[0] / stored[0],
                    (double) ns[2] / events, (double) ns[0] / events, (double) ns[1] / events);
        }
    }

    /**
     * Best thread CPU time of encoding, of decoding, and of copying (the reference) every block in order,
     * over ten passes each.
     */
    private static long[] times(java.util.List<byte[]> blocks) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.List<byte[]> compact = new java.util.ArrayList<>();
        BlockEncoder enc0 = new BlockEncoder();
        for (byte[] b : blocks) {
            int n = enc0.encode(b, b.length);
            compact.add(n < 0 ? null : java.util.Arrays.copyOf(enc0.buffer(), n));
        }
        byte[] out = new byte[EventWriter.BLOCK_SIZE];
        long bestEnc = Long.MAX_VALUE;
        long bestDec = Long.MAX_VALUE;
        long bestCopy = Long.MAX_VALUE;
        for (int pass = 0; pass < 10; pass++) {
            BlockEncoder enc = new BlockEncoder();
            long t0 = mx.getCurrentThreadCpuTime();
            for (byte[] b : blocks) {
                enc.encode(b, b.length);
            }
            long t1 = mx.getCurrentThreadCpuTime();
            BlockDecoder dec = new BlockDecoder();
            for (int i = 0; i < blocks.size(); i++) {
                byte[] c = compact.get(i);
                if (c == null) {
                    dec.stored(blocks.get(i), blocks.get(i).length);
                } else {
                    dec.decode(c, c.length, out);
                }
            }
            long t2 = mx.getCurrentThreadCpuTime();
            for (byte[] b : blocks) {
                System.arraycopy(b, 0, out, 0, b.length);
            }
            long t3 = mx.getCurrentThreadCpuTime();
            bestEnc = Math.min(bestEnc, t1 - t0);
            bestDec = Math.min(bestDec, t2 - t1);
            bestCopy = Math.min(bestCopy, t3 - t2);
        }
        return new long[] {bestEnc, bestDec, bestCopy};
    }
}
