package pinreplay.campaign;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import pinreplay.campaign.report.OutputDir;
import pinreplay.campaign.report.SummaryReader;
import pinreplay.campaign.spec.CampaignSpec;

/** A campaign run end to end: matrix, shard, cells, baseline, outputs. The CLI commands only call this. */
public final class Campaign {
    private Campaign() {
    }

    /** How a run goes: parallel cells, the time a cell may take, what is kept, and where progress goes. */
    public record Settings(int jobs, long cellTimeoutSeconds, OutputDir.Keep keep, PrintWriter log,
            boolean everyCell) {
    }

    /** Runs {@code shard} of the spec's matrix and writes every output into {@code out}. */
    public static CampaignResult run(CampaignSpec spec, Shard shard, CellRunner runner, Path baseline, Path out,
            Settings settings) throws InterruptedException {
        List<Cell> cells = shard.select(Matrix.cells(spec));
        try {
            Path work = Files.createTempDirectory("pinreplay-campaign");
            try {
                List<CellOutcome> outcomes = new CampaignRunner(runner, settings).run(spec, cells, work);
                return finish(new CampaignResult(CampaignInfo.of(spec), outcomes, null), baseline, out,
                        settings.keep());
            } finally {
                OutputDir.deleteTree(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Merges shard directories and writes the outputs a single run would have written. */
    public static CampaignResult merge(List<Path> shards, Path baseline, Path out, OutputDir.Keep keep) {
        return finish(Merge.merge(shards), baseline, out, keep);
    }

    private static CampaignResult finish(CampaignResult r, Path baseline, Path out, OutputDir.Keep keep) {
        CampaignResult result = r;
        if (baseline != null) {
            BaselineComparison cmp = BaselineComparison.compare(r.info(), r.cells(), Set.copyOf(Matrix.ids(r.info())),
                    SummaryReader.summary(baseline));
            result = new CampaignResult(r.info(), r.cells(), cmp);
        }
        OutputDir.write(out, result, keep);
        return result;
    }
}
