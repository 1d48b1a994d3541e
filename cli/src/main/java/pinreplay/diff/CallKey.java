package pinreplay.diff;

/**
 * What pairs the outcomes of two runs: the trace line and the event (a stall is keyed by the event that
 * waits). Ordered by line, then event name, as the report lists calls.
 */
public record CallKey(long line, String event) implements Comparable<CallKey> {
    @Override
    public int compareTo(CallKey o) {
        int c = Long.compare(line, o.line);
        return c != 0 ? c : event.compareTo(o.event);
    }
}
