package pinreplay.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import pinreplay.campaign.Campaign;
import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.Status;
import pinreplay.campaign.report.OutputDir;

/** {@code pinreplay campaign merge DIR...}: one report from the outputs of every shard. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine the --out directories of all shards (--shard I/N) into the outputs of one run.")
public final class CampaignMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' output directories.")
    List<Path> shards;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "campaign-results",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--baseline", paramLabel = "DIR", description = "A previous campaign's output to compare with.")
    Path baseline;

    @Option(names = "--keep", paramLabel = "failing|all", defaultValue = "failing",
            description = "Whose outcome records to keep, as for campaign (only what the shards kept can be).")
    OutputDir.Keep keep;

    @Override
    public Integer call() {
        OutputPaths.checkDirectory(out, "--out");
        long start = System.nanoTime();
        if (baseline != null) {
            pinreplay.campaign.report.SummaryReader.summary(baseline); // read before the merge, not after it
        }
        CampaignResult r = Campaign.merge(shards, baseline, out, keep);
        report(spec.commandLine().getErr(), r, out, start);
        return r.exitCode();
    }

    /** One line on stderr: the only place wall time appears. */
    static void report(PrintWriter err, CampaignResult r, Path out, long startNanos) {
        StringBuilder sb = new StringBuilder("campaign ").append(r.info().name()).append(": ").append(r.cells().size())
                .append(" cells:");
        for (Status s : Status.values()) {
            sb.append(' ').append(s.label()).append(' ').append(r.count(s));
        }
        if (r.baseline() != null) {
            sb.append("; against the baseline: ").append(r.baseline().newFailures().size()).append(" new, ")
                    .append(r.baseline().fixed().size()).append(" fixed, ").append(r.baseline().stillFailing().size())
                    .append(" still failing");
        }
        sb.append(String.format(Locale.ROOT, " (%.1f s); report: %s", (System.nanoTime() - startNanos) / 1e9,
                out.resolve("report.html")));
        err.println(sb);
        err.flush();
    }
}
