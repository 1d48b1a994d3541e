package pinreplay.format.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load a nightly run wants: many processes, each running one of the other scenarios with its
 * default parameters at reduced sizes, chosen by weight. Instances never share pids, inodes,
 * addresses or handles.
 */
final class Mixed implements Scenario {
    @Override
    public String name() {
        return "mixed";
    }

    @Override
    public String description() {
        return "Many processes running weighted mixtures of the other scenarios (default parameters, guest and"
                + " buffer sizes scaled down by size-scale), interleaved in time: the load a nightly"
                + " fault-injection run wants.";
    }

    @Override
    public Params params() {
        return new Params(name())
                .value("processes", "8", "scenario instances")
                .text("mix", "qemu-vfio:2,rdma-mr:2,io-uring-fixed:2,odirect:3,gup-writeback:1,vfio-pfnmap:1",
                        "weights as scenario:weight,...")
                .value("size-scale", "0.25", "factor applied to each instance's sizes");
    }

    @Override
    public void setup(Synth s, Params p) {
        Map<Scenario, Integer> weights = weights(p.get("mix"));
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        List<Scenario> order = new ArrayList<>(weights.keySet());
        for (int i = 0, n = Math.max(1, p.integer("processes")); i < n; i++) {
            int pick = s.rnd.nextInt(total);
            Scenario chosen = order.get(0);
            for (Scenario sc : order) {
                pick -= weights.get(sc);
                if (pick < 0) {
                    chosen = sc;
                    break;
                }
            }
            chosen.setup(s, scaled(chosen, p.number("size-scale")));
        }
    }

    static Map<Scenario, Integer> weights(String mix) {
        Map<Scenario, Integer> out = new LinkedHashMap<>();
        for (String part : mix.split(",")) {
            String[] kv = part.trim().split(":");
            Scenario sc = Synthesizer.scenario(kv[0].trim());
            if (sc instanceof Mixed) {
                throw new IllegalArgumentException("mixed: mix cannot contain mixed");
            }
            int w;
            try {
                w = kv.length > 1 ? Integer.parseInt(kv[1].trim()) : 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mixed: mix weight must be a whole number, got '" + part + "'");
            }
            if (w < 0) {
                throw new IllegalArgumentException("mixed: mix weight must not be negative, got '" + part + "'");
            }
            if (w > 0) {
                out.put(sc, w);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("mixed: mix needs at least one scenario with a positive weight");
        }
        return out;
    }

    /** The scenario's defaults with every size parameter multiplied by {@code scale} (at least 2 MiB). */
    private static Params scaled(Scenario sc, double scale) {
        Params params = sc.params();
        Map<String, String> set = new LinkedHashMap<>();
        for (Params.Spec spec : params.specs()) {
            String d = spec.defaultValue();
            if (spec.numeric() && d.matches("[0-9]+[KMGT]")) {
                long bytes = Math.max(Synth.HUGE, (long) (Params.parseSize(spec.name(), d) * scale));
                set.put(spec.name(), Long.toString(Synth.align(bytes, Synth.PAGE)));
            }
        }
        return params.set(set);
    }
}
