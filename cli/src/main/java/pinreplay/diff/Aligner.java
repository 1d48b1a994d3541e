package pinreplay.diff;

import java.util.Map;
import java.util.TreeMap;

import pinreplay.campaign.Json;

/**
 * Pairs the outcome records of two runs by {@link CallKey} as they arrive and hands each pair, once both runs
 * finished the call, to the report in line order. Runs are fed in step (the same event to both replayers, or
 * two files read line by line), so only calls still open in one run are held: a truncate waiting for its
 * pins in one run and not the other, and the rows after it until it returns ({@link #HELD} at most).
 */
public final class Aligner {
    /** Rows held back for line order behind an open call before they go out anyway. */
    static final int HELD = 100_000;

    private final DiffReport report;
    private final boolean all;
    private final DiffSummary summary = new DiffSummary();
    private final TreeMap<CallKey, SideCall[]> open = new TreeMap<>();
    private final TreeMap<CallKey, CallDiff> ready = new TreeMap<>();
    private boolean ended;

    /** {@code all}: report equal calls too, not only those that differ. */
    public Aligner(DiffReport report, boolean all) {
        this.report = report;
        this.all = all;
    }

    /**
     * One outcome record of run {@code side} (0 or 1), as {@code replay --format jsonl} writes it.
     *
     * @return the record's trace line
     * @throws IllegalArgumentException when it is not such a record (the message says why)
     */
    public long add(int side, String json) {
        Object parsed = Json.parse(json);
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("line") instanceof Long line)
                || !(m.get("event") instanceof String) && !(m.get("stall") instanceof String)) {
            throw new IllegalArgumentException("not an object with \"line\" and \"event\"");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) m;
        CallKey key = new CallKey(line, (String) (r.get("event") instanceof String e ? e : r.get("stall")));
        SideCall[] pair = open.computeIfAbsent(key, k -> new SideCall[2]);
        if (pair[side] == null) {
            pair[side] = new SideCall();
        }
        pair[side].add(json, r);
        if (pair[0] != null && pair[1] != null && pair[0].complete() && pair[1].complete()) {
            open.remove(key);
            take(CallDiff.of(key, pair[0], pair[1]));
            flush(false);
        }
        return line;
    }

    /** Both runs ended: the calls still open are compared as they are, and the totals reported. */
    public DiffSummary end() {
        if (!ended) {
            ended = true;
            for (Map.Entry<CallKey, SideCall[]> e : open.entrySet()) {
                take(CallDiff.of(e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
            open.clear();
            flush(true);
            report.end(summary);
        }
        return summary;
    }

    public DiffSummary summary() {
        return summary;
    }

    private void take(CallDiff d) {
        summary.count(d);
        if (all || d.differs()) {
            CallKey k = d.key();
            while (ready.containsKey(k)) { // the same line and event again (typed events, stray records)
                k = new CallKey(k.line(), k.event() + "\u0000");
            }
            ready.put(k, d);
        }
    }

    /** Rows go out once no open call comes before them (all of them at the end). */
    private void flush(boolean everything) {
        while (!ready.isEmpty() && (everything || open.isEmpty() || ready.firstKey().compareTo(open.firstKey()) < 0
                || ready.size() > HELD)) {
            report.row(ready.pollFirstEntry().getValue());
        }
    }
}
