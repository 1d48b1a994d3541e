package pinreplay.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Parameters;

import pinreplay.campaign.Campaign;
import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.CellRunner;
import pinreplay.campaign.ReplayCellRunner;
import pinreplay.campaign.Shard;
import pinreplay.campaign.report.OutputDir;
import pinreplay.campaign.spec.CampaignSpec;
import pinreplay.campaign.spec.SpecException;
import pinreplay.campaign.spec.SpecParser;

/** {@code pinreplay campaign SPEC}: runs a matrix of replays and reports what changed (docs/campaign.md). */
@Command(name = "campaign", subcommands = CampaignMergeCommand.class,
        description = {"Run a fault-injection campaign: traces x kernel releases x policies x injectors x seeds.",
            "Writes junit.xml, results.tap, summary.json, report.html, per-cell records and latency logs, and "
            + "minimized reproducers into --out. Exit 1 when a cell fails (with --baseline: when one newly fails)."})
public final class CampaignCommand extends Subcommand {
    // Optional for picocli only, so that "campaign merge" parses; call() requires it.
    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "The campaign spec, YAML or JSON (docs/campaign.md).")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "campaign-results",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--jobs", paramLabel = "N", description = "Cells replayed in parallel (default: the number of CPUs).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
            description = "Run only the cells whose index is I-1 modulo N.")
    Shard shard = Shard.ALL;

    @Option(names = "--baseline", paramLabel = "DIR", description = "A previous campaign's --out: report new, fixed "
            + "and still failing cells and moved latency percentiles.")
    Path baseline;

    @Option(names = "--keep", paramLabel = "failing|all", defaultValue = "failing",
            description = "Whose outcome records (gzipped) and .hgrm files to keep: cells that did not pass or that "
                    + "changed against the baseline (default), or all; the others keep their summary.")
    OutputDir.Keep keep;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "A cell whose replay takes longer is an error, and the campaign goes on (default: "
                    + "${DEFAULT-VALUE}).")
    long cellTimeout;

    @Option(names = {"-v", "--verbose"}, description = "A progress line per cell (always shown on a terminal; "
            + "elsewhere only cells that fail).")
    boolean verbose;

    private final CellRunner runner;

    public CampaignCommand() {
        this(new ReplayCellRunner());
    }

    /** With another runner: tests pass a scripted one. */
    public CampaignCommand(CellRunner runner) {
        this.runner = runner;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (specFile == null || jobs < 1 || cellTimeout < 1) {
            err.println("pinreplay: " + (specFile == null ? "campaign: expected a SPEC file, got none"
                    : jobs < 1 ? "--jobs: expected at least 1, got " + jobs
                    : "--cell-timeout: expected at least 1 second, got " + cellTimeout));
            return ExitCodes.USAGE;
        }
        CampaignSpec campaign;
        try {
            campaign = SpecParser.parse(specFile);
        } catch (SpecException e) {
            err.println("pinreplay: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        OutputPaths.checkDirectory(out, "--out");
        if (baseline != null) {
            pinreplay.campaign.report.SummaryReader.summary(baseline); // read before the work, not after it
        }
        long start = System.nanoTime();
        CampaignResult r;
        try {
            r = Campaign.run(campaign, shard, runner, baseline, out,
                    new Campaign.Settings(jobs, cellTimeout, keep, err, verbose || Terminal.stderrIsTty()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
        CampaignMergeCommand.report(err, r, out, start);
        return r.exitCode();
    }

    /** {@code --shard I/N}, checked while parsing so that a bad value is a usage error. */
    static final class ShardConverter implements ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            Shard s = Shard.parse(value);
            if (s == null) {
                throw new TypeConversionException("expected I/N with 1 <= I <= N, got '" + value + "'");
            }
            return s;
        }
    }
}
