package pinreplay.campaign.spec;

import java.nio.file.Path;
import java.util.Map;

/**
 * One trace of the matrix: a text file, or a synthesized workload ({@code synth SCENARIO --param k=v
 * --seed S --events N}). Each is ingested once per campaign and replayed by every cell over it.
 *
 * @param name     the trace's name in cell ids and the report
 * @param file     the text file (resolved against the spec's directory), or null for {@code synth}
 * @param scenario the synthesizer scenario, or null for a file
 * @param params   scenario parameters, in spec order
 * @param synthSeed the synthesizer's seed (not the replay seed of the cells)
 * @param events   number of events to synthesize; 0 for the scenario's default
 */
public record TraceSpec(String name, Path file, String scenario, Map<String, String> params, long synthSeed,
        long events) {

    public boolean isSynth() {
        return scenario != null;
    }

    /** How a user gets this trace's text: the file, or the synth command line. */
    public String describe() {
        if (!isSynth()) {
            return file.toString();
        }
        StringBuilder sb = new StringBuilder("./pinreplay synth ").append(scenario);
        params.forEach((k, v) -> sb.append(" --param ").append(Shell.quote(k + "=" + v)));
        sb.append(" --seed ").append(synthSeed);
        if (events > 0) {
            sb.append(" --events ").append(events);
        }
        return sb.toString();
    }
}
