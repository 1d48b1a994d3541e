package pinreplay.diff;

/** What can differ between the two runs of one call. */
public enum Aspect {
    /** The call has outcomes in one run only. */
    presence,
    result,
    retries,
    violation,
    stall,
    latency
}
