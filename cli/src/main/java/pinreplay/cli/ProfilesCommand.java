package pinreplay.cli;

import static pinreplay.campaign.Json.object;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Rule;
import pinreplay.replay.kernel.Rules;
import pinreplay.replay.outcome.JsonText;

/** {@code pinreplay profiles}: the rule registry, and which rules a release has. */
@Command(name = "profiles",
        description = {"List the modelled kernel rules: release, policy key and values, kernel source.",
                "With --kernel, mark which rules that release has."})
final class ProfilesCommand extends Subcommand {
    /** Output formats. */
    enum Format {
        text, json
    }

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
        Map<String, Object> m = object("oldest", KernelRelease.OLDEST.toString(),
                "newest", KernelRelease.NEWEST.toString());
        if (release != null) {
            m.put("kernel", release.toString());
        }
        m.put("rules", Rules.ALL.stream().map(r -> {
            Map<String, Object> rule = object("name", r.name(), "function", r.function(),
                    "since", r.since().toString(), "until", r.until() == null ? null : r.until().toString(),
                    "unverified", r.unverified());
            if (release != null) {
                rule.put("active", r.activeIn(release));
            }
            rule.putAll(object("policy", r.policyKey(), "values", r.values(), "source", r.source(),
                    "summary", r.summary()));
            return rule;
        }).toList());
        out.println(JsonText.writeCompact(m));
    }
}
