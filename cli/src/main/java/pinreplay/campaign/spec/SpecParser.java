package pinreplay.campaign.spec;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import pinreplay.inject.InjectSpec;
import pinreplay.inject.InjectSpecException;
import pinreplay.replay.outcome.ViolationKind;

/**
 * Reads a campaign spec (YAML, so JSON too) with SnakeYAML's composer and validates it, naming the
 * line and key path of the first problem: {@code nightly.yaml:14: traces[2].synth.params: expected a
 * mapping of parameter to value, got a list}. The format is documented in docs/campaign.md.
 */
public final class SpecParser {
    /** Names that appear in cell ids and file names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String NAME_RULE = "a name of letters, digits, '.', '_' and '-'";
    private static final List<String> TOP = List.of("campaign", "traces", "kernels", "policies", "injectors", "seeds",
            "expect", "reruns", "minimize", "latency");
    private static final List<String> TRACE = List.of("name", "file", "synth", "expect");
    private static final List<String> SYNTH = List.of("scenario", "params", "seed", "events");
    private static final List<String> EXPECT = List.of("violations", "stalls", "divergences");
    private static final List<String> RULE = List.of("when", "violations", "stalls", "divergences");
    private static final List<String> WHEN = List.of("trace", "kernel", "policy", "injectors", "seed");
    private static final List<String> SEED_RANGE = List.of("from", "count");
    private static final List<String> MINIMIZE = List.of("enabled", "max_runs");
    private static final List<String> LATENCY = List.of("threshold_percent", "min_count", "fail_on_regression");

    private SpecParser() {
    }

    /** Parses the spec file; relative trace files resolve against its directory. */
    public static CampaignSpec parse(Path specFile) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(specFile);
        } catch (IOException e) {
            throw new SpecException(specFile + ": expected a readable campaign spec, got " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
        Path dir = specFile.getParent() == null ? Path.of("") : specFile.getParent();
        return parse(specFile.toString(), new String(bytes, StandardCharsets.UTF_8), dir, digest(bytes));
    }

    static CampaignSpec parse(String file, String text, Path dir, String digest) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new SpecException(file + ":" + (e.getProblemMark().getLine() + 1) + ": expected YAML or JSON, got "
                    + e.getProblem());
        } catch (YAMLException e) {
            throw new SpecException(file + ": expected YAML or JSON, got " + e.getMessage());
        }
        if (root == null) {
            throw new SpecException(file + ":1: expected a campaign spec (a mapping with traces and kernels), got nothing");
        }
        Map<String, SpecNode> top = new SpecNode(file, "", root).map("a mapping with traces and kernels", TOP);
        String name = top.containsKey("campaign") ? name(top.get("campaign")) : stem(Path.of(file));
        List<TraceSpec> traces = traces(required(file, top, "traces"), dir);
        List<String> kernels = kernels(required(file, top, "kernels"));
        List<PolicySet> policies = top.containsKey("policies") ? policies(top.get("policies"))
                : List.of(new PolicySet("default", Map.of()));
        List<InjectorSet> injectors = top.containsKey("injectors") ? injectors(top.get("injectors"))
                : List.of(new InjectorSet("none", List.of()));
        List<Long> seeds = top.containsKey("seeds") ? seeds(top.get("seeds")) : List.of(1L);
        List<ExpectRule> rules = new ArrayList<>();
        traceRules(required(file, top, "traces"), traces, rules);
        if (top.containsKey("expect")) {
            rules(top.get("expect"), traces, kernels, policies, injectors, seeds, rules);
        }
        int reruns = top.containsKey("reruns") ? (int) bounded(top.get("reruns"), 0, 10, "a rerun count 0..10") : 0;
        boolean minimize = true;
        int minimizeRuns = 500;
        if (top.containsKey("minimize")) {
            Map<String, SpecNode> m = top.get("minimize").map("a mapping (enabled, max_runs)", MINIMIZE);
            if (m.containsKey("enabled")) {
                minimize = m.get("enabled").bool("true or false");
            }
            if (m.containsKey("max_runs")) {
                minimizeRuns = (int) bounded(m.get("max_runs"), 1, 1_000_000, "a number of replays 1..1000000");
            }
        }
        CampaignSpec.LatencySettings latency = CampaignSpec.LatencySettings.DEFAULT;
        if (top.containsKey("latency")) {
            latency = latency(top.get("latency"));
        }
        return new CampaignSpec(name, digest, traces, kernels, policies, injectors, seeds, rules, reruns, minimize,
                minimizeRuns, latency);
    }

    private static SpecNode required(String file, Map<String, SpecNode> top, String key) {
        SpecNode n = top.get(key);
        if (n == null) {
            throw new SpecException(file + ":1: expected a '" + key + "' key, got none");
        }
        return n;
    }

    private static List<TraceSpec> traces(SpecNode node, Path dir) {
        List<TraceSpec> out = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        List<SpecNode> items = node.list("a list of traces (file or synth)");
        if (items.isEmpty()) {
            throw node.fail("at least one trace", "an empty list");
        }
        for (SpecNode item : items) {
            Map<String, SpecNode> m = item.map("a trace: a mapping with 'file' or 'synth'", TRACE);
            TraceSpec t;
            if (m.containsKey("file") == m.containsKey("synth")) {
                throw item.fail("exactly one of 'file' and 'synth'", m.containsKey("file") ? "both" : "neither");
            }
            if (m.containsKey("file")) {
                SpecNode f = m.get("file");
                String file = f.string("a trace file path");
                if (file.contains("*")) {
                    if (m.containsKey("name")) {
                        throw m.get("name").fail("no 'name' beside a file pattern (each file is named after itself)",
                                "'" + m.get("name").string("a name") + "'");
                    }
                    for (Path p : glob(dir, file, f)) {
                        add(out, seen, item, new TraceSpec(safeName(stem(p), f), p, null, Map.of(), 0, 0));
                    }
                    continue;
                }
                Path p = dir.resolve(file).normalize();
                if (!Files.isReadable(p)) {
                    throw f.fail("a readable trace file", "'" + p + "' (relative paths start at the spec's directory)");
                }
                String name = m.containsKey("name") ? name(m.get("name")) : safeName(stem(p), f);
                t = new TraceSpec(name, p, null, Map.of(), 0, 0);
            } else {
                Map<String, SpecNode> s = m.get("synth").map("a mapping (scenario, params, seed, events)", SYNTH);
                if (!s.containsKey("scenario")) {
                    throw m.get("synth").fail("a 'scenario' key", "none");
                }
                String scenario = name(s.get("scenario"));
                Map<String, String> params = new LinkedHashMap<>();
                if (s.containsKey("params")) {
                    s.get("params").map("a mapping of parameter to value", null)
                            .forEach((k, v) -> params.put(k, v.string("a parameter value")));
                }
                try {
                    // caught here, not as an error in every cell that uses the trace
                    pinreplay.format.synth.Synthesizer.scenario(scenario).params().set(params);
                } catch (IllegalArgumentException e) {
                    throw m.get("synth").fail("a scenario and parameters synth takes (pinreplay synth --list)",
                            e.getMessage());
                }
                long seed = s.containsKey("seed") ? s.get("seed").integer("an integer seed") : 1;
                long events = s.containsKey("events") ? bounded(s.get("events"), 1, Long.MAX_VALUE, "a positive event count") : 0;
                String name = m.containsKey("name") ? name(m.get("name")) : scenario;
                t = new TraceSpec(name, null, scenario, params, seed, events);
            }
            add(out, seen, item, t);
        }
        return List.copyOf(out);
    }

    private static void add(List<TraceSpec> out, Map<String, String> seen, SpecNode item, TraceSpec t) {
        String previous = seen.putIfAbsent(t.name(), item.path());
        if (previous != null) {
            throw item.fail("a unique trace name", "'" + t.name() + "' again (also " + previous + "; give one a 'name')");
        }
        out.add(t);
    }

    /** The files a pattern such as {@code ../traces/*.trace} names (wildcards in the last part only), sorted. */
    private static List<Path> glob(Path dir, String pattern, SpecNode where) {
        Path full = dir.resolve(pattern).normalize();
        Path parent = full.getParent() == null ? Path.of("") : full.getParent();
        if (parent.toString().contains("*")) {
            throw where.fail("wildcards in the file name only", "'" + pattern + "'");
        }
        java.nio.file.PathMatcher matcher = parent.getFileSystem().getPathMatcher("glob:" + full.getFileName());
        List<Path> found;
        try (var s = Files.list(parent.toString().isEmpty() ? Path.of(".") : parent)) {
            found = s.filter(p -> matcher.matches(p.getFileName()) && Files.isRegularFile(p))
                    .map(p -> parent.resolve(p.getFileName())).sorted().toList();
        } catch (IOException e) {
            throw where.fail("a readable directory of traces", "'" + parent + "'");
        }
        if (found.isEmpty()) {
            throw where.fail("at least one file matching '" + full + "'", "none");
        }
        return found;
    }

    private static List<String> kernels(SpecNode node) {
        List<String> out = new ArrayList<>();
        for (SpecNode k : node.list("a list of kernel releases")) {
            String name = name(k);
            if (out.contains(name)) {
                throw k.fail("each kernel once", "'" + name + "' again");
            }
            try {
                pinreplay.replay.kernel.KernelRelease.parseModelled(name);
            } catch (IllegalArgumentException e) {
                throw k.fail("a modelled kernel release (" + pinreplay.replay.kernel.KernelRelease.OLDEST + " to "
                        + pinreplay.replay.kernel.KernelRelease.NEWEST + ")", "'" + name + "'");
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw node.fail("at least one kernel release", "an empty list");
        }
        return List.copyOf(out);
    }

    private static List<PolicySet> policies(SpecNode node) {
        List<PolicySet> out = new ArrayList<>();
        node.map("a mapping of policy-set name to settings", null).forEach((name, settings) -> {
            Map<String, String> s = new LinkedHashMap<>();
            if (!settings.isNull()) {
                settings.map("a mapping of policy to value", null).forEach((k, v) -> s.put(k, v.string("a policy value")));
            }
            try {
                pinreplay.replay.kernel.Policies.parse(s.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toList()); // caught here, not as an error in every cell that uses the set
            } catch (IllegalArgumentException e) {
                throw settings.fail("policies and values replay --policy takes (pinreplay profiles)", e.getMessage());
            }
            out.add(new PolicySet(checkName(name, settings), s));
        });
        if (out.isEmpty()) {
            throw node.fail("at least one policy set (use 'default: {}')", "an empty mapping");
        }
        return List.copyOf(out);
    }

    private static List<InjectorSet> injectors(SpecNode node) {
        List<InjectorSet> out = new ArrayList<>();
        node.map("a mapping of injector-set name to injector specs", null).forEach((name, specs) -> {
            List<String> list = specs.isNull() ? List.of() : specs.isList() ? specs.strings("an injector spec")
                    : List.of(specs.string("an injector spec or a list of them"));
            for (String spec : list) {
                try {
                    InjectSpec.parse(spec); // caught here, not as an error in every cell that uses it
                } catch (InjectSpecException e) {
                    throw specs.fail("injector specs as replay --inject takes them (pinreplay faults)",
                            "'" + spec + "': " + e.getMessage().replaceFirst("^--inject:? *", ""));
                }
            }
            out.add(new InjectorSet(checkName(name, specs), List.copyOf(list)));
        });
        if (out.isEmpty()) {
            throw node.fail("at least one injector set (use 'none: []')", "an empty mapping");
        }
        return List.copyOf(out);
    }

    private static List<Long> seeds(SpecNode node) {
        List<Long> out = new ArrayList<>();
        if (node.isMap()) {
            Map<String, SpecNode> m = node.map("a list of seeds or {from, count}", SEED_RANGE);
            if (!m.containsKey("from") || !m.containsKey("count")) {
                throw node.fail("both 'from' and 'count'", "only " + String.join(", ", m.keySet()));
            }
            long from = m.get("from").integer("an integer seed");
            long count = bounded(m.get("count"), 1, 100_000, "a seed count 1..100000");
            for (long i = 0; i < count; i++) {
                out.add(from + i);
            }
            return List.copyOf(out);
        }
        for (SpecNode s : node.list("a list of seeds or {from, count}")) {
            long seed = s.integer("an integer seed");
            if (out.contains(seed)) {
                throw s.fail("each seed once", "'" + seed + "' again");
            }
            out.add(seed);
        }
        if (out.isEmpty()) {
            throw node.fail("at least one seed", "an empty list");
        }
        return List.copyOf(out);
    }

    /** A trace's own {@code expect} is a rule selecting that trace. */
    private static void traceRules(SpecNode node, List<TraceSpec> traces, List<ExpectRule> rules) {
        List<SpecNode> items = node.list("a list of traces");
        for (int i = 0; i < items.size(); i++) {
            SpecNode e = items.get(i).map("a trace", TRACE).get("expect");
            if (e != null) {
                rules.add(rule(e, Map.of("trace", List.of(traces.get(i).name())), EXPECT));
            }
        }
    }

    private static void rules(SpecNode node, List<TraceSpec> traces, List<String> kernels, List<PolicySet> policies,
            List<InjectorSet> injectors, List<Long> seeds, List<ExpectRule> rules) {
        for (SpecNode item : node.list("a list of expectations ({when: ..., violations: [...]})")) {
            Map<String, SpecNode> m = item.map("an expectation", RULE);
            Map<String, List<String>> when = new LinkedHashMap<>();
            if (m.containsKey("when")) {
                m.get("when").map("a mapping of axis to values", WHEN).forEach((axis, values) -> {
                    List<String> vs = values.strings("a value or a list of values");
                    List<String> known = switch (axis) {
                        case "trace" -> traces.stream().map(TraceSpec::name).toList();
                        case "kernel" -> kernels;
                        case "policy" -> policies.stream().map(PolicySet::name).toList();
                        case "injectors" -> injectors.stream().map(InjectorSet::name).toList();
                        default -> seeds.stream().map(String::valueOf).toList();
                    };
                    for (String v : vs) {
                        if (!known.contains(v)) {
                            throw values.fail("one of " + String.join(", ", known), "'" + v + "'");
                        }
                    }
                    when.put(axis, List.copyOf(vs));
                });
            }
            rules.add(rule(item, when, RULE));
        }
    }

    private static ExpectRule rule(SpecNode node, Map<String, List<String>> when, List<String> keys) {
        Map<String, SpecNode> m = node.map("an expectation (violations, stalls, divergences)", keys);
        List<String> violations = null;
        if (m.containsKey("violations")) {
            SpecNode v = m.get("violations");
            violations = v.isNull() ? List.of() : v.isList() ? v.strings("a violation kind")
                    : List.of(v.string("a list of violation kinds"));
            for (String kind : violations) {
                if (ViolationKind.byId(kind) == null) {
                    throw v.fail("violation kinds among " + ViolationKind.ids(), "'" + kind + "'");
                }
            }
        }
        Boolean stalls = m.containsKey("stalls") ? m.get("stalls").bool("true or false") : null;
        Boolean divergences = m.containsKey("divergences") ? m.get("divergences").bool("true or false") : null;
        return new ExpectRule(Map.copyOf(when), violations == null ? null : List.copyOf(violations), stalls, divergences);
    }

    private static CampaignSpec.LatencySettings latency(SpecNode node) {
        Map<String, SpecNode> m = node.map("a mapping (threshold_percent, min_count, fail_on_regression)", LATENCY);
        CampaignSpec.LatencySettings d = CampaignSpec.LatencySettings.DEFAULT;
        double threshold = d.thresholdPercent();
        if (m.containsKey("threshold_percent")) {
            threshold = m.get("threshold_percent").number("a percentage");
            if (threshold <= 0) {
                throw m.get("threshold_percent").fail("a percentage above 0");
            }
        }
        long minCount = m.containsKey("min_count") ? bounded(m.get("min_count"), 1, Long.MAX_VALUE, "a positive count")
                : d.minCount();
        boolean fail = m.containsKey("fail_on_regression") ? m.get("fail_on_regression").bool("true or false")
                : d.failOnRegression();
        return new CampaignSpec.LatencySettings(threshold, minCount, fail);
    }

    private static long bounded(SpecNode n, long min, long max, String expected) {
        long v = n.integer(expected);
        if (v < min || v > max) {
            throw n.fail(expected);
        }
        return v;
    }

    private static String name(SpecNode n) {
        return checkName(n.string(NAME_RULE), n);
    }

    private static String checkName(String s, SpecNode where) {
        if (!NAME.matcher(s).matches()) {
            throw where.fail(NAME_RULE, "'" + s + "'");
        }
        return s;
    }

    private static String safeName(String s, SpecNode where) {
        String cleaned = s.replaceAll("[^A-Za-z0-9._-]", "-");
        return checkName(cleaned.isEmpty() ? "trace" : cleaned, where);
    }

    private static String stem(Path p) {
        String f = p.getFileName() == null ? "campaign" : p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
