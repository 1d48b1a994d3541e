package pinreplay.campaign;

import java.util.List;

/**
 * A cell after its runs: every attempt (reruns included), the last attempt's result, and a
 * minimized reproducer when it failed with a violation.
 */
public record CellOutcome(Cell cell, List<Attempt> attempts, CellResult result, Outcomes outcomes, Repro repro) {
    public CellOutcome {
        attempts = List.copyOf(attempts);
    }

    /** The last attempt's verdict, or flaky when it passed after a failed attempt. */
    public Status status() {
        Status last = attempts.get(attempts.size() - 1).status();
        if (!last.failing() && attempts.size() > 1) {
            return Status.FLAKY;
        }
        return last;
    }

    /** Why the cell failed: the last attempt's reasons. */
    public List<String> reasons() {
        return attempts.get(attempts.size() - 1).reasons();
    }
}
