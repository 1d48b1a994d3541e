package pinreplay.campaign.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.HdrHistogram.Histogram;

import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.CellChange;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.Repro;
import pinreplay.campaign.Status;
import pinreplay.cli.OutputException;
import pinreplay.replay.outcome.JsonText;

/**
 * Writes a campaign's outputs into {@code --out}: {@code summary.json}, {@code junit.xml},
 * {@code results.tap}, {@code report.html}, {@code cells/ID/latency.hlog} for every cell,
 * {@code cells/ID/{records.jsonl.gz,KIND.hgrm}} for the cells worth reading again (all with {@code --keep all})
 * and {@code repro/ID.trace}. Everything is written into a scratch directory inside {@code --out} first and then
 * renamed into place, summary last: a crash leaves the previous outputs or the new ones, never half of them.
 * Earlier outputs of these names are replaced, so a smaller run leaves no stale cells; other files stay.
 */
public final class OutputDir {
    public static final String SUMMARY = "summary.json";
    public static final String JUNIT = "junit.xml";
    public static final String TAP = "results.tap";
    public static final String HTML = "report.html";
    public static final String RECORDS = "records.jsonl.gz";
    public static final String HLOG = "latency.hlog";
    private static final String SCRATCH = ".pinreplay-writing";

    /** Which cells keep their outcome records. */
    public enum Keep {
        /** Cells that did not simply pass (fail, error, flaky, xfail) and cells the baseline says changed. */
        failing,
        /** Every cell. */
        all
    }

    private OutputDir() {
    }

    public static void write(Path out, CampaignResult r, Keep keep) {
        try {
            Files.createDirectories(out);
            Path tmp = out.resolve(SCRATCH);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Set<String> changed = changed(r);
            for (CellOutcome o : r.cells()) {
                Path dir = tmp.resolve(CellFiles.dir(o));
                Files.createDirectories(dir);
                write(dir.resolve(HLOG), CellFiles.hlog(r.info().name(), o));
                if (keep == Keep.all || o.status() != Status.PASS || changed.contains(o.cell().id())) {
                    Files.write(dir.resolve(RECORDS), gzip(CellFiles.records(o)));
                    for (Map.Entry<String, Histogram> e : o.result().latency().entrySet()) {
                        write(dir.resolve(e.getKey().replaceAll("[^A-Za-z0-9._-]", "_") + ".hgrm"),
                                CellFiles.hgrm(e.getValue()));
                    }
                }
                if (o.repro() != null) {
                    Path repro = tmp.resolve(Repro.path(o.cell()));
                    Files.createDirectories(repro.getParent());
                    write(repro, String.join("\n", o.repro().text()) + "\n");
                }
            }
            Files.createDirectories(tmp.resolve("cells"));
            Files.createDirectories(tmp.resolve("repro"));
            write(tmp.resolve(JUNIT), JunitXml.of(r));
            write(tmp.resolve(TAP), Tap.of(r));
            write(tmp.resolve(HTML), HtmlReport.of(r));
            write(tmp.resolve(SUMMARY), JsonText.write(SummaryJson.of(r)) + "\n");
            // the summary goes last: a directory whose summary is new has every other new output too
            Files.deleteIfExists(out.resolve(SUMMARY));
            for (String name : List.of("cells", "repro")) {
                replaceDirectory(tmp.resolve(name), out.resolve(name));
            }
            for (String f : List.of(JUNIT, TAP, HTML, SUMMARY)) {
                move(tmp.resolve(f), out.resolve(f));
            }
            deleteTree(tmp);
        } catch (IOException e) {
            throw new OutputException(out + ": cannot write the campaign's outputs: " + e.getMessage());
        }
    }

    /** Cells the baseline comparison names as newly failing or fixed. */
    private static Set<String> changed(CampaignResult r) {
        if (r.baseline() == null) {
            return Set.of();
        }
        return Stream.concat(r.baseline().newFailures().stream(), r.baseline().fixed().stream())
                .map(CellChange::cellId).collect(Collectors.toSet());
    }

    /**
     * Writes {@code text} to {@code p} atomically: into a temporary file beside it, then renamed over it, so a
     * reader (or a crash) sees the old file or the new one.
     */
    public static void write(Path p, String text) throws IOException {
        write(p, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path p, byte[] bytes) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        move(tmp, p);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(bytes)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Puts {@code from} where {@code to} is: the old tree is renamed aside first, then deleted. */
    private static void replaceDirectory(Path from, Path to) throws IOException {
        Path old = to.resolveSibling(to.getFileName() + ".old");
        deleteTree(old);
        if (Files.exists(to)) {
            Files.move(to, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    public static void deleteTree(Path dir) throws IOException {
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
