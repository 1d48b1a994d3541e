package pinreplay.cli;

import static pinreplay.replay.outcome.JsonText.quote;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import pinreplay.inject.Catalog;

/** {@code pinreplay faults}: every injector, the kernel functions where it fires, and its keys. */
@Command(name = "faults",
        description = {"List the fault injectors for 'replay --inject'.",
                "For each: what it does, the kernel functions where it fires and the keys it takes (the common "
                        + "fault_attr keys apply to all)."},
        mixinStandardHelpOptions = true)
final class FaultsCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        text, json
    }

    @Spec
    CommandSpec spec;

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
        StringBuilder sb = new StringBuilder("{\"injectors\":[");
        for (int n = 0; n < Catalog.ALL.size(); n++) {
            Catalog.Injector i = Catalog.ALL.get(n);
            sb.append(n == 0 ? "" : ",").append("{\"name\":").append(quote(i.name())).append(",\"summary\":")
                    .append(quote(i.summary())).append(",\"between_events\":").append(i.betweenEvents())
                    .append(",\"points\":[");
            for (int p = 0; p < i.points().size(); p++) {
                sb.append(p == 0 ? "" : ",").append(quote(i.points().get(p)));
            }
            sb.append("],\"keys\":");
            keys(sb, i.keys());
            sb.append('}');
        }
        sb.append("],\"common_keys\":");
        keys(sb, Catalog.COMMON);
        sb.append(",\"aliases\":[");
        for (int n = 0; n < Catalog.ALIASES.size(); n++) {
            Catalog.Alias a = Catalog.ALIASES.get(n);
            sb.append(n == 0 ? "" : ",").append("{\"function\":").append(quote(a.function())).append(",\"injector\":")
                    .append(quote(a.injector())).append('}');
        }
        sb.append(']');
        return sb.append('}').toString();
    }

    private static void keys(StringBuilder sb, java.util.List<Catalog.Key> keys) {
        sb.append('[');
        for (int n = 0; n < keys.size(); n++) {
            Catalog.Key k = keys.get(n);
            sb.append(n == 0 ? "" : ",").append("{\"name\":").append(quote(k.name())).append(",\"values\":")
                    .append(quote(k.values())).append(",\"default\":").append(quote(k.defaultValue()))
                    .append(",\"meaning\":")
                    .append(quote(k.meaning())).append('}');
        }
        sb.append(']');
    }
}
