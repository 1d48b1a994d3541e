package pinreplay.cli.completion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import pinreplay.format.synth.Params;
import pinreplay.format.synth.Scenario;
import pinreplay.format.synth.Synthesizer;
import pinreplay.inject.Catalog;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Rule;
import pinreplay.replay.kernel.Rules;

/**
 * The words arguments take, read from the core (the rules, the injector catalog, the scenarios): what the shell
 * completes and what {@code pinreplay completion} writes into its scripts. Nothing here is a list of its own.
 */
public final class Vocabulary {
    private Vocabulary() {
    }

    /**
     * The series (X.Y) the rules name, oldest to newest: a rule pinned to a stable update (6.1.75) names its series,
     * which stands for the newest update; X.Y.Z is typed, not completed.
     */
    public static List<String> releases() {
        TreeSet<KernelRelease> all = new TreeSet<>();
        all.add(KernelRelease.OLDEST);
        all.add(KernelRelease.NEWEST);
        for (Rule r : Rules.ALL) {
            all.add(KernelRelease.of(r.since().major(), r.since().minor()));
            if (r.until() != null) {
                all.add(KernelRelease.of(r.until().major(), r.until().minor()));
            }
        }
        return all.stream().map(KernelRelease::toString).toList();
    }

    /** Every {@code key=value} the policy registry accepts, sorted. */
    public static List<String> policyValues() {
        TreeSet<String> out = new TreeSet<>();
        for (Rule r : Rules.ALL) {
            if (r.policyKey() != null) {
                for (String v : r.values()) {
                    out.add(r.policyKey() + "=" + v);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Injector names, in the catalog's order. */
    public static List<String> injectors() {
        return Catalog.names();
    }

    /** The keys injector {@code name} takes: the common knobs and filters, then its own; empty when unknown. */
    public static List<Catalog.Key> injectorKeys(String name) {
        Catalog.Injector injector = Catalog.of(name);
        if (injector == null) {
            return List.of();
        }
        List<Catalog.Key> keys = new ArrayList<>(Catalog.COMMON);
        keys.addAll(injector.keys());
        return keys;
    }

    /** A key's values when they are a fixed set of words ({@code none|munmap|mprotect|remap}), else empty. */
    public static List<String> fixedValues(Catalog.Key k) {
        return k.values().matches("[a-z0-9-]+(\\|[a-z0-9-]+)+") ? List.of(k.values().split("\\|")) : List.of();
    }

    /** Scenario names and their one-line descriptions, in the synthesizer's order. */
    public static Map<String, String> scenarios() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Scenario s : Synthesizer.SCENARIOS) {
            out.put(s.name(), firstSentence(s.description()));
        }
        return out;
    }

    /** Scenario {@code name}'s parameters, or every scenario's when null (sorted by name, the first spec kept). */
    public static List<Params.Spec> params(String name) {
        Map<String, Params.Spec> out = new TreeMap<>();
        for (Scenario s : Synthesizer.SCENARIOS) {
            if (name == null || s.name().equals(name)) {
                for (Params.Spec p : s.params().specs()) {
                    out.putIfAbsent(p.name(), p);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** Up to the first full stop that ends a sentence (one before a capital; not {@code e.g.}). */
    static String firstSentence(String text) {
        java.util.regex.Matcher m = SENTENCE_END.matcher(text);
        return m.find() ? text.substring(0, m.start() + 1) : text;
    }

    private static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile(
            "(?<!e\\.g|i\\.e)\\.\\s+(?=[A-Z])");
}
