package pinreplay.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import pinreplay.campaign.spec.TraceSpec;
import pinreplay.format.parse.TraceParser;

/**
 * Shrinks a failing cell's trace, by ddmin over its event lines, to the fewest events that still give
 * the same violation kind. Comment and header lines are always kept; they cost nothing and keep the
 * text a valid trace.
 */
public final class TraceMinimizer {
    private final CellRunner runner;
    private final Path workDir;
    private final int maxTests;

    public TraceMinimizer(CellRunner runner, Path workDir, int maxTests) {
        this.runner = runner;
        this.workDir = workDir;
        this.maxTests = maxTests;
    }

    /** A reproducer for {@code kind}, which {@code cell} gave over {@code trace}. */
    public Repro minimize(Cell cell, PreparedTrace trace, String kind) throws IOException {
        List<String> lines = Files.readAllLines(trace.text(), StandardCharsets.UTF_8);
        List<Integer> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (TraceParser.isEventLine(lines.get(i))) {
                events.add(i);
            }
        }
        Path candidate = workDir.resolve(cell.id() + ".min.trace");
        Predicate<List<Integer>> fails = kept -> {
            try {
                Files.write(candidate, text(lines, kept), StandardCharsets.UTF_8);
                TraceSpec spec = new TraceSpec(cell.trace().name(), candidate, null, java.util.Map.of(), 0, 0);
                // A candidate the replay refuses (exit 3) does not reproduce; a model bug throws and surfaces.
                CellResult r = runner.run(cell, new PreparedTrace(spec, candidate));
                return (r.exitStatus() == 0 || r.exitStatus() == 1) && r.outcomes().violations().containsKey(kind);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Ddmin.Result<Integer> r = Ddmin.minimize(events, fails, maxTests);
        Files.deleteIfExists(candidate);
        List<String> out = new ArrayList<>();
        out.add("# pinreplay campaign: minimized reproducer of cell " + cell.id());
        out.add("# violation " + kind + ": " + r.kept().size() + " of " + events.size() + " events kept, "
                + (r.minimal() ? "1-minimal" : "not minimal (replay budget of " + maxTests + " spent)")
                + " after " + r.tests() + " replays");
        out.add("# reproduce: " + cell.replayCommand(Repro.path(cell)));
        out.addAll(text(lines, r.kept()));
        return new Repro(kind, events.size(), r.kept().size(), r.tests(), r.minimal(), out);
    }

    /** Every non-event line, plus the kept events, in their original order. */
    private static List<String> text(List<String> lines, List<Integer> keptEvents) {
        List<String> out = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (k < keptEvents.size() && keptEvents.get(k) == i) {
                out.add(lines.get(i));
                k++;
            } else if (!TraceParser.isEventLine(lines.get(i))) {
                out.add(lines.get(i));
            }
        }
        return out;
    }
}
