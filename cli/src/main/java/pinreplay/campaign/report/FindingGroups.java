package pinreplay.campaign.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.Status;

/**
 * What the report lists once per pattern instead of once per cell: the cells showing a violation kind on a
 * trace, and the failing cells of a trace that fail for the same reasons (counts and line numbers aside).
 * Each group keeps its cells in matrix order and names one of them to reproduce it.
 */
final class FindingGroups {
    /** Cells of one trace that show {@code what}: a violation kind, or the reasons a cell failed. */
    record Group(String trace, String what, List<CellOutcome> cells) {
        /** The cell to reproduce: the worst verdict (fail before flaky before xfail), then one with a minimized trace. */
        CellOutcome reproducer() {
            Comparator<CellOutcome> worse = Comparator.comparingInt((CellOutcome c) -> c.status().ordinal())
                    .thenComparingInt(c -> c.repro() != null ? 1 : 0);
            return Collections.max(cells, worse); // the first of the worst
        }

        /** Whether every cell of the group shows only what its spec expects. */
        boolean expected() {
            return cells.stream().allMatch(c -> c.status() == Status.XFAIL);
        }

        long count(Status s) {
            return cells.stream().filter(c -> c.status() == s).count();
        }

        /** {@code a, b} as they occur in the group's cells, each once. */
        List<String> distinct(java.util.function.Function<CellOutcome, String> axis) {
            return cells.stream().map(axis).distinct().toList();
        }
    }

    private FindingGroups() {
    }

    /** One group per trace and violation kind, by trace in spec order, then kind. */
    static List<Group> violations(CampaignResult r) {
        Map<List<String>, List<CellOutcome>> by = new LinkedHashMap<>();
        for (CellOutcome c : r.cells()) {
            for (String kind : c.outcomes().violations().keySet()) {
                by.computeIfAbsent(List.of(c.cell().trace().name(), kind), k -> new ArrayList<>()).add(c);
            }
        }
        return sorted(r, by);
    }

    /**
     * One group per trace, verdict and reasons for the failing or flaky cells that the violation groups do not
     * explain: a cell that failed only for unexpected violations is left to those.
     */
    static List<Group> failures(CampaignResult r) {
        Map<List<String>, List<CellOutcome>> by = new LinkedHashMap<>();
        for (CellOutcome c : r.cells()) {
            List<String> reasons = reasons(c);
            boolean onlyViolations = c.status() == Status.FAIL
                    && reasons.stream().allMatch(x -> x.startsWith("unexpected violation "));
            if ((c.status().failing() || c.status() == Status.FLAKY) && !onlyViolations) {
                String what = c.status().label() + ": "
                        + String.join("; ", reasons.stream().map(FindingGroups::pattern).toList());
                by.computeIfAbsent(List.of(c.cell().trace().name(), what), k -> new ArrayList<>()).add(c);
            }
        }
        return sorted(r, by);
    }

    /** Why a cell failed: its last attempt's reasons, or for a flaky cell those of the run that failed. */
    static List<String> reasons(CellOutcome c) {
        return c.status() == Status.FLAKY ? c.attempts().get(0).reasons() : c.reasons();
    }

    /**
     * A reason without what varies between cells: {@code unexpected violation X (3x, first at line 9: ...)} is
     * {@code unexpected violation X}.
     */
    static String pattern(String reason) {
        int paren = reason.indexOf(" (");
        return reason.startsWith("unexpected ") && paren > 0 ? reason.substring(0, paren) : reason;
    }

    private static List<Group> sorted(CampaignResult r, Map<List<String>, List<CellOutcome>> by) {
        List<String> traceOrder = r.info().traces().stream().map(t -> t.name()).toList();
        List<Group> out = new ArrayList<>();
        by.forEach((k, cells) -> out.add(new Group(k.get(0), k.get(1), List.copyOf(cells))));
        out.sort(Comparator.comparing((Group g) -> traceOrder.indexOf(g.trace())).thenComparing(Group::what));
        return out;
    }
}
