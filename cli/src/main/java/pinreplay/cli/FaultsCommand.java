package pinreplay.cli;

import static pinreplay.campaign.Json.object;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import pinreplay.inject.Catalog;
import pinreplay.replay.outcome.JsonText;

/** {@code pinreplay faults}: every injector, the kernel functions where it fires, and its keys. */
@Command(name = "faults",
        description = {"List the fault injectors for 'replay --inject'.",
                "For each: what it does, the kernel functions where it fires and the keys it takes (the common "
                        + "fault_attr keys apply to all)."})
final class FaultsCommand extends Subcommand {
    /** Output formats. */
    enum Format {
        text, json
    }

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(json());
        } else {
            text(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(PrintWriter out) {
        out.println("Usage: pinreplay replay FILE --inject NAME[:KEY=VALUE,...] [--seed N] [--sweep NAME]");
        out.println();
        for (Catalog.Injector i : Catalog.ALL) {
            out.println(i.name() + (i.betweenEvents() ? "  (between events)" : ""));
            out.println("    " + i.summary());
            out.println("    points: " + String.join(", ", i.points()));
            for (Catalog.Key k : i.keys()) {
                key(out, k);
            }
        }
        out.println();
        out.println("A kernel function may name the injector that fails it (fail_function style):");
        for (Catalog.Alias a : Catalog.ALIASES) {
            out.println("    " + a.function() + "[:KEYS] = " + a.injector() + ":point=" + a.function() + "[,KEYS]");
        }
        out.println();
        out.println("Keys of every injector, decided in should_fail_ex() order:");
        for (Catalog.Key k : Catalog.COMMON) {
            key(out, k);
        }
    }

    private static void key(PrintWriter out, Catalog.Key k) {
        out.println(String.format(java.util.Locale.ROOT, "    %-12s %-26s default %-14s %s", k.name(), k.values(),
                k.defaultValue(), k.meaning()));
    }

    private static String json() {
        return JsonText.writeCompact(object("injectors", Catalog.ALL.stream().map(i -> object("name", i.name(),
                        "summary", i.summary(), "between_events", i.betweenEvents(), "points", i.points(),
                        "keys", keys(i.keys()))).toList(),
                "common_keys", keys(Catalog.COMMON),
                "aliases", Catalog.ALIASES.stream().map(a -> object("function", a.function(), "injector", a.injector()))
                        .toList()));
    }

    private static List<Map<String, Object>> keys(List<Catalog.Key> keys) {
        return keys.stream().map(k -> object("name", k.name(), "values", k.values(), "default", k.defaultValue(),
                "meaning", k.meaning())).toList();
    }
}
