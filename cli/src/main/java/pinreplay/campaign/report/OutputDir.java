package pinreplay.campaign.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.Json;
import pinreplay.campaign.Repro;
import pinreplay.cli.OutputException;

/**
 * Writes a campaign's outputs into {@code --out}: {@code summary.json}, {@code junit.xml},
 * {@code results.tap}, {@code report.html}, {@code cells/ID/{records.jsonl,latency.hlog,KIND.hgrm}}
 * and {@code repro/ID.trace}. Earlier outputs of these names are removed first, so a smaller run
 * into the same directory leaves no stale cells; other files are left alone.
 */
public final class OutputDir {
    public static final String SUMMARY = "summary.json";
    public static final String JUNIT = "junit.xml";
    public static final String TAP = "results.tap";
    public static final String HTML = "report.html";
    public static final String RECORDS = "records.jsonl";
    public static final String HLOG = "latency.hlog";

    private OutputDir() {
    }

    public static void write(Path out, CampaignResult r) {
        try {
            Files.createDirectories(out);
            for (String f : List.of(SUMMARY, JUNIT, TAP, HTML)) {
                Files.deleteIfExists(out.resolve(f));
            }
            deleteTree(out.resolve("cells"));
            deleteTree(out.resolve("repro"));
            for (CellOutcome o : r.cells()) {
                Path dir = out.resolve(CellFiles.dir(o));
                Files.createDirectories(dir);
                write(dir.resolve(RECORDS), CellFiles.records(o));
                write(dir.resolve(HLOG), CellFiles.hlog(r.info().name(), o));
                for (Map.Entry<String, Histogram> e : o.result().latency().entrySet()) {
                    write(dir.resolve(e.getKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".hgrm"), CellFiles.hgrm(e.getValue()));
                }
                if (o.repro() != null) {
                    Path repro = out.resolve(Repro.path(o.cell()));
                    Files.createDirectories(repro.getParent());
                    write(repro, String.join("\n", o.repro().text()) + "\n");
                }
            }
            write(out.resolve(SUMMARY), Json.write(SummaryJson.of(r)) + "\n");
            write(out.resolve(JUNIT), JunitXml.of(r));
            write(out.resolve(TAP), Tap.of(r));
            write(out.resolve(HTML), HtmlReport.of(r));
        } catch (IOException e) {
            throw new OutputException(out + ": cannot write the campaign's outputs: " + e.getMessage());
        }
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
