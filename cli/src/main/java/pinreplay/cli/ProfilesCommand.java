package pinreplay.cli;

import static pinreplay.replay.outcome.JsonText.quote;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Rule;
import pinreplay.replay.kernel.Rules;

/** {@code pinreplay profiles}: the rule registry, and which rules a release has. */
@Command(name = "profiles",
        description = {"List the modelled kernel rules: release, policy key and values, kernel source.",
                "With --kernel, mark which rules that release has."},
        mixinStandardHelpOptions = true)
final class ProfilesCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        text, json
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--kernel", paramLabel = "X.Y[.Z]", description = "Mark the rules active in this release.")
    String kernel;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        KernelRelease release;
        try {
            release = kernel == null ? null : KernelRelease.parseModelled(kernel);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            json(out, release);
        } else {
            text(out, release);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(PrintWriter out, KernelRelease release) {
        out.println("Modelled releases " + KernelRelease.OLDEST + " to " + KernelRelease.NEWEST + " (default "
                + KernelRelease.NEWEST + "); [U] marks releases inferred, not read from a tag.");
        if (release != null) {
            out.println("Kernel " + release + ": '*' marks the rules it has.");
        }
        out.println();
        for (Rule r : Rules.ALL) {
            String mark = release == null ? " " : r.activeIn(release) ? "*" : " ";
            out.println(String.format(Locale.ROOT, "%s %-36s %-18s %s", mark, r.name(), r.releases(), r.function()));
            out.println("      " + r.summary());
            if (r.policyKey() != null) {
                out.println("      policy: " + r.policyKey() + "=" + String.join("|", r.values()));
            }
            out.println("      source: " + r.source());
        }
    }

    private static void json(PrintWriter out, KernelRelease release) {
        StringBuilder sb = new StringBuilder("{\"oldest\":\"").append(KernelRelease.OLDEST).append("\",\"newest\":\"")
                .append(KernelRelease.NEWEST).append('"');
        if (release != null) {
            sb.append(",\"kernel\":\"").append(release).append('"');
        }
        sb.append(",\"rules\":[");
        for (int i = 0; i < Rules.ALL.size(); i++) {
            Rule r = Rules.ALL.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(r.name())).append(",\"function\":")
                    .append(quote(r.function())).append(",\"since\":").append(quote(r.since().toString()));
            sb.append(",\"until\":").append(r.until() == null ? "null" : quote(r.until().toString()));
            sb.append(",\"unverified\":").append(r.unverified());
            if (release != null) {
                sb.append(",\"active\":").append(r.activeIn(release));
            }
            sb.append(",\"policy\":").append(r.policyKey() == null ? "null" : quote(r.policyKey()));
            sb.append(",\"values\":[");
            for (int v = 0; v < r.values().size(); v++) {
                sb.append(v == 0 ? "" : ",").append(quote(r.values().get(v)));
            }
            sb.append("],\"source\":").append(quote(r.source())).append(",\"summary\":").append(quote(r.summary()))
                    .append('}');
        }
        out.println(sb.append("]}"));
    }
}
