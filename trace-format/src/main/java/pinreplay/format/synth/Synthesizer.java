package pinreplay.format.synth;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import pinreplay.format.EventWriter;

/**
 * Runs a {@link Scenario}: writes the kernel's trace header, lets the scenario set up, then emits
 * the actors' events in time order until {@code maxEvents} events or {@code durationNs} of trace
 * time. Streams: memory does not grow with the number of events. Same scenario, parameters and
 * seed give the same records, byte for byte.
 */
public final class Synthesizer {
    /** Every scenario, in {@code synth --list} order. */
    public static final List<Scenario> SCENARIOS = List.of(new QemuVfio(), new QemuVirtualPmem(), new RdmaMr(),
            new IoUringFixed(), new ODirect(), new DaxTruncate(), new VfioPfnmap(), new GupWriteback(), new Mixed());

    private static final int CPUS = 8;

    private Synthesizer() {
    }

    /** The scenario named {@code name}; {@link IllegalArgumentException} listing the names otherwise. */
    public static Scenario scenario(String name) {
        return SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown scenario '" + name + "' (scenarios: "
                        + SCENARIOS.stream().map(Scenario::name).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * Writes the trace into {@code w} (not finished: the caller flushes or finishes it).
     *
     * @param maxEvents  stop after this many events (header excluded); {@code <= 0}: no limit
     * @param durationNs stop at this much trace time after set-up; {@code <= 0}: no limit
     * @return the number of events written
     */
    public static long run(Scenario scenario, Params params, long seed, long maxEvents, long durationNs, EventWriter w) {
        Synth s = new Synth(w, seed, CPUS);
        header(s.emit, maxEvents > 0 && durationNs <= 0 ? maxEvents : -1);
        s.emit.limit(maxEvents > 0 ? maxEvents : Long.MAX_VALUE);
        scenario.setup(s, params);
        s.scheduler.shift(s.now());
        long limit = maxEvents > 0 ? maxEvents : Long.MAX_VALUE;
        long end = durationNs > 0 ? s.now() + durationNs : Long.MAX_VALUE;
        Scheduler sched = s.scheduler;
        for (Actor a; s.emit.events() < limit && (a = sched.peek()) != null && a.next <= end; ) {
            a.next = a.act(s, a.next);
            sched.updateHead();
        }
        return s.emit.events();
    }

    /** The `trace` file header of a v5.18+ kernel with the nop tracer (kernel/trace/trace.c print_event_info()). */
    private static void header(Emitter e, long entries) {
        e.comment("# tracer: nop");
        e.comment("#");
        if (entries >= 0) {
            e.comment(String.format(Locale.ROOT, "# entries-in-buffer/entries-written: %d/%d   #P:%d", entries, entries, CPUS));
            e.comment("#");
        }
        e.comment("#                                _-----=> irqs-off/BH-disabled");
        e.comment("#                               / _----=> need-resched");
        e.comment("#                              | / _---=> hardirq/softirq");
        e.comment("#                              || / _--=> preempt-depth");
        e.comment("#                              ||| / _-=> migrate-disable");
        e.comment("#                              |||| /     delay");
        e.comment("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION");
        e.comment("#              | |         |   |||||     |         |");
    }
}
