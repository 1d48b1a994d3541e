package pinreplay.campaign;

import java.util.ArrayList;
import java.util.List;

import pinreplay.campaign.spec.Expectation;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.Shell;
import pinreplay.campaign.spec.TraceSpec;

/**
 * One replay of the matrix: a trace under one kernel release, policy set, injector set and seed.
 *
 * @param index position in the full matrix (traces, then kernels, policies, injectors, seeds); shards pick by it
 * @param id    {@code trace.kernel.policy.injectors.sSEED}: stable, and safe as a file name
 */
public record Cell(int index, String id, TraceSpec trace, String kernel, PolicySet policy, InjectorSet injectors,
        long seed, Expectation expect) {

    public static String id(String trace, String kernel, String policy, String injectors, long seed) {
        return trace + "." + kernel + "." + policy + "." + injectors + ".s" + seed;
    }

    /** The replay options of this cell, as {@code pinreplay replay} takes them. */
    public List<String> replayOptions() {
        List<String> out = new ArrayList<>(List.of("--kernel", kernel));
        policy.settings().forEach((k, v) -> {
            out.add("--policy");
            out.add(k + "=" + v);
        });
        for (String spec : injectors.specs()) {
            out.add("--inject");
            out.add(spec);
        }
        if (!injectors.specs().isEmpty()) {
            // The seed steers the injectors only: without them a replay is deterministic and takes no seed.
            out.add("--seed");
            out.add(Long.toString(seed));
        }
        return out;
    }

    /** A one-line shell command replaying this cell over {@code trace} (a path, or "-" for stdin). */
    public String replayCommand(String trace) {
        StringBuilder sb = new StringBuilder("./pinreplay replay ").append(Shell.quote(trace));
        for (String o : replayOptions()) {
            sb.append(' ').append(o.startsWith("--") ? o : Shell.quote(o));
        }
        return sb.toString();
    }

    /** The one-line command that reproduces this cell from its source (synthesizing the trace if needed). */
    public String reproduceCommand() {
        return trace.isSynth() ? trace.describe() + " | " + replayCommand("-") : replayCommand(trace.file().toString());
    }
}
