package pinreplay.replay.bench;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import pinreplay.format.BlockSink;
import pinreplay.format.EventHandler;
import pinreplay.format.EventReader;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueReader;
import pinreplay.replay.Replayer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.run.TraceSource;
import pinreplay.replay.outcome.OutcomeSink;

/**
 * Replay from a queue next to a plain read of the same queue, in one JVM and one run (not a test;
 * scripts/bench-replay.sh runs it, docs/PERFORMANCE.md "Replay from a queue" has the figures). Each round runs
 * the three passes in a rotated order so that drift of a shared machine falls on all of them:
 * <ul>
 * <li>{@code read}: every excerpt read and checked (magic, sequence, CRC32C) and its bytes copied out: what any
 * consumer of the queue pays;</li>
 * <li>{@code decode}: the same plus every record decoded into the flyweight view;</li>
 * <li>{@code replay}: the same plus the pinning core of the newest release, outcomes dropped, all on one thread;</li>
 * <li>{@code ahead}: the same replay as {@code replay --queue} runs it ({@link TraceSource#queue}): the blocks
 * read and decoded on this thread, the replay on another.</li>
 * </ul>
 * The medians give events/s and the ratio replay/read; one more replay pass times each event into an
 * HdrHistogram. Usage: {@code QueueReplayBench QUEUE_DIR [ROUNDS]}.
 */
public final class QueueReplayBench {
    private static final String[] PASSES = {"read", "decode", "replay", "ahead"};
    private static final OutcomeSink DROP = o -> { };

    private QueueReplayBench() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long[][] ns = new long[PASSES.length][rounds];
        long events = 0;
        pass(dir, 2, null); // warm-up: JIT and the page cache
        pass(dir, 3, null);
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < PASSES.length; i++) {
                int p = (i + round) % PASSES.length;
                long t0 = System.nanoTime();
                long n = pass(dir, p, null);
                ns[p][round] = System.nanoTime() - t0;
                events = Math.max(events, n);
            }
        }
        System.out.printf(Locale.ROOT, "queue %s: %d events, %d rounds (median of each pass)%n", dir, events, rounds);
        long read = median(ns[0]);
        for (int p = 0; p < PASSES.length; p++) {
            long m = median(ns[p]);
            System.out.printf(Locale.ROOT, "%-7s %8.3f s  %6.2f M events/s  %5.0f ns/event  %.2fx read%n", PASSES[p],
                    m / 1e9, events / (m / 1e9) / 1e6, (double) m / events, (double) m / read);
        }
        Histogram h = new Histogram(1, 10_000_000_000L, 3);
        pass(dir, 2, h);
        System.out.printf(Locale.ROOT, "replay per event (timed pass, includes 2 nanoTime calls): p50 %d ns, p99 %d ns,"
                + " p99.9 %d ns, max %d ns%n", h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }

    /** One pass of kind {@code p} over the whole queue; returns the events it delivered (0 for a plain read). */
    private static long pass(Path dir, int p, Histogram perEvent) {
        long[] count = new long[1];
        BlockSink sink;
        Replayer replayer = null;
        if (p == 0) {
            sink = (buf, len) -> count[0] += buf[len - 1];
        } else if (p == 1) {
            sink = new EventReader(v -> count[0]++);
        } else if (p == 3) {
            Replayer r = new Replayer(Profile.newest(), FaultPoints.NONE, DROP);
            TraceSource.queue(dir).readTo(r, false, false, new PrintWriter(Writer.nullWriter()));
            return r.summary().eventsReplayed + r.summary().eventsPassedThrough;
        } else {
            Replayer r = new Replayer(Profile.newest(), FaultPoints.NONE, DROP);
            EventHandler h = perEvent == null ? r : v -> {
                long t = System.nanoTime();
                r.onEvent(v);
                perEvent.recordValue(Math.max(1, System.nanoTime() - t));
            };
            sink = new EventReader(h);
            replayer = r;
        }
        try (EventQueue q = EventQueue.open(dir); QueueReader reader = q.reader()) {
            reader.readTo(sink);
        }
        if (replayer != null) {
            return replayer.summary().eventsReplayed + replayer.summary().eventsPassedThrough;
        }
        return p == 1 ? count[0] : 0;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
