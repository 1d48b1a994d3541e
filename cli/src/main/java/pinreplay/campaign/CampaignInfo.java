package pinreplay.campaign;

import java.util.List;

import pinreplay.campaign.spec.CampaignSpec;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.TraceSpec;

/**
 * What every output needs to know about the campaign besides its cells: the axes (the report's
 * matrix), the spec's digest (shards of one campaign share it) and the baseline settings. A run takes
 * it from the spec; a merge reads it back from a shard's summary.
 */
public record CampaignInfo(String name, String digest, List<TraceSpec> traces, List<String> kernels,
        List<PolicySet> policies, List<InjectorSet> injectors, List<Long> seeds, int cellsTotal,
        CampaignSpec.LatencySettings latency) {

    public static CampaignInfo of(CampaignSpec spec) {
        int total = spec.traces().size() * spec.kernels().size() * spec.policies().size() * spec.injectors().size()
                * spec.seeds().size();
        return new CampaignInfo(spec.name(), spec.digest(), spec.traces(), spec.kernels(), spec.policies(),
                spec.injectors(), spec.seeds(), total, spec.latency());
    }

    public TraceSpec trace(String name) {
        return traces.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no trace named '" + name + "'"));
    }
}
