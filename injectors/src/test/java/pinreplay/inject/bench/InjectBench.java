package pinreplay.inject.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.synth.Synthesizer;
import pinreplay.inject.InjectSpec;
import pinreplay.inject.InjectSpecException;
import pinreplay.inject.Injectors;
import pinreplay.replay.Replayer;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.outcome.OutcomeSink;

/**
 * Injector overhead benchmark (not a test; scripts/bench-replay.sh runs it, docs/PERFORMANCE.md
 * "Injectors" has the figures): the mixed synthesized trace held in memory blocks, replayed with no
 * injector, with every injector at probability=0, and with every injector at a fail-nth beyond the end,
 * the three interleaved pass by pass (their order rotating each round) so they share the machine's state;
 * events/s of each and the ratios, over all passes and for the best pass of each (the least disturbed by
 * other processes on a shared machine), and the median over rounds of each setting's ratio to no injector
 * within its round (the passes of a round run back to back, so they share the machine's load), by wall time
 * and by the replaying thread's CPU time (which leaves out the time other processes held the core).
 * Arguments: {@code [EVENTS [NAME,NAME...]]} (default: 6,000,000 events, every injector).
 */
public final class InjectBench {
    private static final OutcomeSink DROP = o -> { };
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private InjectBench() {
    }

    public static void main(String[] args) throws InjectSpecException {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 6_000_000L;
        String[] names = args.length > 1 ? args[1].split(",") : Injectors.NAMES.toArray(new String[0]);
        int perPass = (int) Math.min(total, 1_000_000L);
        List<byte[]> blocks = new ArrayList<>();
        EventWriter w = new EventWriter((buf, len) -> blocks.add(Arrays.copyOf(buf, len)));
        var mixed = Synthesizer.scenario("mixed");
        Synthesizer.run(mixed, mixed.params().set(Map.of()), 42, perPass, 0, w);
        w.finish();
        List<InjectSpec> zero = new ArrayList<>();
        List<InjectSpec> beyond = new ArrayList<>();
        for (String n : names) {
            zero.add(InjectSpec.parse(n + ":probability=0"));
            beyond.add(InjectSpec.parse(n + ":fail-nth=" + Long.MAX_VALUE));
        }
        String which = names.length == Injectors.NAMES.size() ? "all " + names.length : String.join("+", names);
        String[] label = {"no injector", which + ", probability=0", which + ", fail-nth beyond the end"};
        long[] ns = new long[3];
        long[] events = new long[3];
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        for (int warm = 0; warm < 2; warm++) {
            for (int c = 0; c < 3; c++) {
                pass(blocks, faults(c, zero, beyond));
            }
        }
        List<double[]> rounds = new ArrayList<>();
        List<double[]> cpuRounds = new ArrayList<>();
        for (int round = 0; events[0] < total; round++) {
            // rotate which setting goes first, so none pays for its neighbours' garbage or its place in the round
            long[] t = new long[3];
            long[] cpu = new long[3];
            for (int k = 0; k < 3; k++) {
                int c = (round + k) % 3;
                FaultPoints f = faults(c, zero, beyond);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                events[c] += pass(blocks, f);
                t[c] = System.nanoTime() - t0;
                cpu[c] = THREADS.getCurrentThreadCpuTime() - c0;
                ns[c] += t[c];
                best[c] = Math.min(best[c], t[c]);
            }
            rounds.add(new double[] {1, (double) t[0] / t[1], (double) t[0] / t[2]});
            cpuRounds.add(new double[] {1, (double) cpu[0] / cpu[1], (double) cpu[0] / cpu[2]});
        }
        System.out.printf(Locale.ROOT, "mixed trace: %d events per pass, passes interleaved, %d rounds%n", perPass,
                rounds.size());
        System.out.println("setting: mean over all passes, ratio to none; best pass, ratio to none;"
                + " median of the rounds' ratios, by wall time and by the thread's CPU time");
        for (int c = 0; c < 3; c++) {
            System.out.printf(Locale.ROOT,
                    "%-44s %5.2f M events/s %.3f; best %5.2f M events/s %.3f; median %.3f, CPU %.3f%n",
                    label[c], events[c] / (ns[c] / 1e9) / 1e6,
                    (double) ns[0] / events[0] / ((double) ns[c] / events[c]),
                    perPass / (best[c] / 1e9) / 1e6, (double) best[0] / best[c], median(rounds, c),
                    median(cpuRounds, c));
        }
    }

    /** The median over rounds of setting {@code c}'s speed relative to no injector in the same round. */
    private static double median(List<double[]> rounds, int c) {
        double[] r = rounds.stream().mapToDouble(x -> x[c]).sorted().toArray();
        return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }

    private static FaultPoints faults(int config, List<InjectSpec> zero, List<InjectSpec> beyond) {
        return config == 0 ? FaultPoints.NONE : new Injectors(config == 1 ? zero : beyond, 1);
    }

    private static long pass(List<byte[]> blocks, FaultPoints faults) {
        Replayer r = new Replayer(Profile.newest(), faults, DROP);
        EventReader reader = new EventReader(r);
        for (byte[] b : blocks) {
            reader.onBlock(b, b.length);
        }
        reader.onEnd();
        r.onEnd();
        if (faults.firing() != null) {
            throw new IllegalStateException("an injector fired");
        }
        return r.summary().eventsReplayed + r.summary().eventsPassedThrough;
    }
}
