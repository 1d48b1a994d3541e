package pinreplay.diff;

/** Where a diff goes: the calls to show, in line order, then the totals. */
public interface DiffReport {
    void row(CallDiff d);

    void end(DiffSummary s);
}
