package pinreplay.replay.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;

import pinreplay.format.EventHandler;
import pinreplay.format.EventReader;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.ValueType;
import pinreplay.format.synth.Synthesizer;
import pinreplay.replay.Replayer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;

/**
 * Replay benchmark (not a test; scripts/bench-replay.sh runs it, docs/PERFORMANCE.md "Replay" has the figures).
 * <ul>
 * <li>{@code mixed [EVENTS]}: a mixed synthesized trace held in memory blocks, replayed until EVENTS events
 * went through (fresh model per pass): events/s, then one pass timing each event into an HdrHistogram,
 * and the bytes allocated per event in the steady state.</li>
 * <li>{@code vfio1t}: a vfio map of 1 TiB of anonymous memory and a million DMA writes at random IOVAs,
 * streamed straight into the replayer (run it with -Xmx256m).</li>
 * </ul>
 */
public final class ReplayBench {
    private static final OutcomeSink DROP = o -> { };

    private ReplayBench() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "mixed";
        if (mode.equals("vfio1t")) {
            vfio1t();
        } else {
            mixed(args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L);
        }
    }

    private static void mixed(long total) {
        int perPass = (int) Math.min(total, 2_000_000L);
        List<byte[]> blocks = new ArrayList<>();
        EventWriter w = new EventWriter((buf, len) -> blocks.add(java.util.Arrays.copyOf(buf, len)));
        var mixed = Synthesizer.scenario("mixed");
        Synthesizer.run(mixed, mixed.params().set(java.util.Map.of()), 42, perPass, 0, w);
        w.finish();
        long bytes = blocks.stream().mapToLong(b -> b.length).sum();
        System.out.printf(Locale.ROOT, "mixed trace: %d events in %d blocks (%.1f MB) held in memory%n", perPass,
                blocks.size(), bytes / 1e6);
        for (int warm = 0; warm < 2; warm++) {
            replayPass(blocks, null);
        }
        long events = 0;
        long t0 = System.nanoTime();
        while (events < total) {
            events += replayPass(blocks, null);
        }
        long ns = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "throughput: %d events in %.2f s = %.2f M events/s (%.0f ns/event)%n", events,
                ns / 1e9, events / (ns / 1e9) / 1e6, (double) ns / events);

        Histogram h = new Histogram(1, 10_000_000_000L, 3);
        replayPass(blocks, h);
        System.out.printf(Locale.ROOT, "per event (timed pass, includes 2 nanoTime calls): p50 %d ns, p99 %d ns, "
                + "p99.9 %d ns, max %d ns%n", h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        Replayer r = new Replayer(Profile.newest(), FaultPoints.NONE, DROP);
        EventReader reader = new EventReader(r);
        int half = blocks.size() / 2;
        for (int i = 0; i < half; i++) {
            reader.onBlock(blocks.get(i), blocks.get(i).length);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        long replayedBefore = r.summary().eventsReplayed + r.summary().eventsPassedThrough;
        for (int i = half; i < blocks.size(); i++) {
            reader.onBlock(blocks.get(i), blocks.get(i).length);
        }
        long alloc = mx.getThreadAllocatedBytes(tid) - before;
        long n = r.summary().eventsReplayed + r.summary().eventsPassedThrough - replayedBefore;
        System.out.printf(Locale.ROOT, "steady state (second half of a pass): %d bytes allocated over %d events "
                + "= %.2f bytes/event%n", alloc, n, (double) alloc / n);
    }

    /** One pass over the blocks with a fresh model; returns the events it saw. */
    private static long replayPass(List<byte[]> blocks, Histogram perEvent) {
        Replayer r = new Replayer(Profile.newest(), FaultPoints.NONE, DROP);
        EventHandler h = perEvent == null ? r : v -> {
            long t = System.nanoTime();
            r.onEvent(v);
            perEvent.recordValue(Math.max(1, System.nanoTime() - t));
        };
        EventReader reader = new EventReader(h);
        for (byte[] b : blocks) {
            reader.onBlock(b, b.length);
        }
        reader.onEnd();
        r.onEnd();
        return r.summary().eventsReplayed + r.summary().eventsPassedThrough;
    }

    private static void vfio1t() {
        long tib = 1L << 40;
        long base = 0x100000000000L;
        long[] outcomes = new long[2];
        Replayer r = new Replayer(Profile.newest(), FaultPoints.NONE, new OutcomeSink() {
            @Override
            public void accept(Outcome o) {
                outcomes[o.kind == Outcome.Kind.VIOLATION ? 1 : 0]++;
            }
        });
        EventWriter w = new EventWriter(new EventReader(r));
        int handle = w.symbols().intern("guest-ram");
        int rw = w.symbols().intern("rw");
        int priv = w.symbols().intern("private");
        long line = 0;
        long t0 = System.nanoTime();
        w.begin(EventType.MMAP, ++line).pid(4242).field(Field.ADDR, ValueType.HEX, base)
                .field(Field.LEN, ValueType.HEX, tib).field(Field.PROT, ValueType.SYM, rw)
                .field(Field.FLAGS, ValueType.SYM, priv).commit();
        w.begin(EventType.VFIO_DMA_MAP, ++line).pid(4242).field(Field.HANDLE, ValueType.SYM, handle)
                .field(Field.VADDR, ValueType.HEX, base).field(Field.IOVA, ValueType.HEX, 0)
                .field(Field.SIZE, ValueType.HEX, tib).field(Field.PROT, ValueType.SYM, rw).commit();
        w.flush();
        long mapped = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 1_000_000; i++) {
            long iova = rnd.nextLong(tib >>> 12) << 12;
            w.begin(EventType.DMA_WRITE, ++line).ts(i * 1000L, 0).pid(4242).field(Field.HANDLE, ValueType.SYM, handle)
                    .field(Field.IOVA, ValueType.HEX, iova).field(Field.LEN, ValueType.HEX, 4096).commit();
        }
        w.finish();
        long done = System.nanoTime();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "vfio map of 1 TiB (268,435,456 pages): %.1f ms; 1,000,000 DMA writes: %.1f ms "
                + "(%.0f ns each); %d call outcomes, %d violations%n", (mapped - t0) / 1e6, (done - mapped) / 1e6,
                (done - mapped) / 1e6, outcomes[0], outcomes[1]);
        System.out.printf(Locale.ROOT, "heap: max %d MB, used after GC %.1f MB; model: %d RAM frames in %d mem_map "
                + "ranges%n", rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) / 1e6,
                r.kernel().memMap.ramFrames(), r.kernel().memMap.refcountMap().size());
    }
}
