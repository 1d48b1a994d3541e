package pinreplay.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import pinreplay.campaign.spec.Expectation;

/**
 * Decides a cell's verdict from its outcomes and its expectation. A failure is an unexpected
 * violation, divergence or stall, or an expected one that did not happen; a replay that could not run
 * (exit status other than 0 or 1) is an error.
 */
public final class Judge {
    private Judge() {
    }

    public static Attempt judge(Cell cell, CellResult r) {
        if (r.exitStatus() != 0 && r.exitStatus() != 1) {
            String why = r.diagnostics().isBlank() ? "no message" : r.diagnostics().strip();
            return new Attempt(Status.ERROR, r.exitStatus(), List.of("replay exited with " + r.exitStatus() + ": " + why));
        }
        Outcomes o = r.outcomes();
        Expectation e = cell.expect();
        List<String> reasons = new ArrayList<>();
        for (var v : o.violations().entrySet()) {
            if (!e.violations().contains(v.getKey())) {
                Finding first = v.getValue().get(0);
                reasons.add("unexpected violation " + v.getKey() + " (" + v.getValue().size() + "x, first at line "
                        + first.line() + (first.handle().isEmpty() ? "" : ", handle " + first.handle()) + ": "
                        + first.detail() + ")");
            }
        }
        for (String kind : e.violations()) {
            if (!o.violations().containsKey(kind)) {
                reasons.add("expected violation " + kind + " did not occur");
            }
        }
        check(o.stalls(), e.stalls(), "stall", reasons);
        check(o.divergences(), e.divergences(), "divergence", reasons);
        if (!reasons.isEmpty()) {
            return new Attempt(Status.FAIL, r.exitStatus(), reasons);
        }
        return new Attempt(e.expectsFindings() ? Status.XFAIL : Status.PASS, r.exitStatus(), List.of());
    }

    private static void check(List<Finding> found, boolean expected, String what, List<String> reasons) {
        if (!found.isEmpty() && !expected) {
            Finding f = found.get(0);
            reasons.add("unexpected " + what + " of " + f.what() + " (" + found.size() + "x, first at line " + f.line()
                    + ": " + f.detail() + ")");
        } else if (found.isEmpty() && expected) {
            reasons.add("expected a " + what + ", none occurred");
        }
    }

    /** The violation kinds that made the cell fail: what the minimizer keeps. */
    public static Set<String> unexpectedKinds(Cell cell, Outcomes o) {
        Set<String> out = new java.util.TreeSet<>(o.violations().keySet());
        out.removeAll(cell.expect().violations());
        return out;
    }
}
