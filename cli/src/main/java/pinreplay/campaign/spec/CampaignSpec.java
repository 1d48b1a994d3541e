package pinreplay.campaign.spec;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed, validated campaign spec (docs/campaign.md): the matrix axes in spec order, the
 * expectation rules and the run settings. Axes keep document order, so cell ids and indices are
 * the same on every run and every machine.
 *
 * @param name          campaign name (report title, JUnit suite name)
 * @param digest        SHA-256 of the spec's bytes: shards of one campaign must agree on it
 * @param reruns        how often a failing cell is run again; passing on a rerun makes it flaky
 * @param minimize      whether failing cells get a minimized reproducer
 * @param minimizeRuns  most replays the minimizer spends on one cell
 * @param latency       baseline latency comparison settings
 */
public record CampaignSpec(String name, String digest, List<TraceSpec> traces, List<String> kernels,
        List<PolicySet> policies, List<InjectorSet> injectors, List<Long> seeds, List<ExpectRule> rules,
        int reruns, boolean minimize, int minimizeRuns, LatencySettings latency) {

    /** When a latency percentile counts as moved against a baseline. */
    public record LatencySettings(double thresholdPercent, long minCount, boolean failOnRegression) {
        public static final LatencySettings DEFAULT = new LatencySettings(10, 100, false);
    }

    /** The expectation of one cell: matching rules applied in order, later fields overriding earlier. */
    public Expectation expectationFor(String trace, String kernel, String policy, String injectorSet, long seed) {
        Set<String> violations = new TreeSet<>();
        boolean stalls = false;
        boolean divergences = false;
        for (ExpectRule r : rules) {
            if (r.matches("trace", trace) && r.matches("kernel", kernel) && r.matches("policy", policy)
                    && r.matches("injectors", injectorSet) && r.matches("seed", Long.toString(seed))) {
                if (r.violations() != null) {
                    violations = new TreeSet<>(r.violations());
                }
                if (r.stalls() != null) {
                    stalls = r.stalls();
                }
                if (r.divergences() != null) {
                    divergences = r.divergences();
                }
            }
        }
        return new Expectation(violations, stalls, divergences);
    }
}
