package pinreplay.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import pinreplay.format.Errno;
import pinreplay.format.Record;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ReplaySummary;

/** What a cell's outcomes (docs/replay.md, Outcome records) add up to. */
public record Outcomes(long calls, SortedMap<String, List<Finding>> violations, List<Finding> stalls,
        List<Finding> divergences, SortedMap<String, Long> injected, BigDecimal firstTs, BigDecimal lastTs) {

    /** No outcome: a cell that could not run. */
    public static Outcomes none() {
        return new Collector(o -> { }).outcomes();
    }

    /** Reads jsonl outcome records written by an earlier run (a shard being merged); {@link IllegalArgumentException} names the record that is not JSON. */
    public static Outcomes of(List<String> records) {
        Collector c = new Collector(o -> { });
        for (int n = 0; n < records.size(); n++) {
            String text = records.get(n);
            if (text.isBlank()) {
                continue;
            }
            Map<String, Object> r;
            try {
                Object o = Json.parse(text);
                if (!(o instanceof Map)) {
                    throw new IllegalArgumentException("expected a JSON object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                r = m;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("outcome record " + (n + 1) + " is not a JSON object: " + e.getMessage());
            }
            long line = r.get("line") instanceof Long l ? l : 0;
            BigDecimal ts = Json.decimal(r.get("ts"));
            if (ts != null) {
                c.span(ts);
            }
            if (r.containsKey("violation")) {
                c.violation(new Finding(line, str(r.get("violation")), str(r.get("handle")), str(r.get("detail"))));
            } else if (r.containsKey("stall")) {
                String waiting = r.get("waiting_on") instanceof List<?> l ? String.join(",", l.stream().map(Outcomes::str).toList())
                        : str(r.get("waiting_on"));
                c.stall(line, str(r.get("stall")), waiting, str(r.get("blocked_us")));
            } else if (r.containsKey("injected")) {
                c.injected.merge(str(r.get("injected")), 1L, Long::sum);
            } else if (r.containsKey("event")) {
                c.calls++;
                if (Boolean.FALSE.equals(r.get("agrees"))) {
                    c.divergence(line, str(r.get("event")), str(r.get("handle")), str(r.get("result")),
                            str(r.get("observed")));
                }
            }
        }
        return c.outcomes();
    }

    /** Trace time the records span, in seconds. */
    public double spanSeconds() {
        return lastTs.subtract(firstTs).doubleValue();
    }

    public long violationCount() {
        return violations.values().stream().mapToLong(List::size).sum();
    }

    /** Adds up outcomes on their way to {@code next}; findings read as their records print them. */
    public static final class Collector implements OutcomeSink {
        private final OutcomeSink next;
        private long calls;
        private final SortedMap<String, List<Finding>> violations = new TreeMap<>();
        private final List<Finding> stalls = new ArrayList<>();
        private final List<Finding> divergences = new ArrayList<>();
        private final SortedMap<String, Long> injected = new TreeMap<>();
        private BigDecimal firstTs;
        private BigDecimal lastTs;

        public Collector(OutcomeSink next) {
            this.next = next;
        }

        @Override
        public void end(ReplaySummary summary) {
            next.end(summary);
        }

        @Override
        public void accept(Outcome o) {
            next.accept(o);
            span(ts(o));
            switch (o.kind) {
                case VIOLATION -> violation(new Finding(o.line, o.violation, str(o.handle), str(o.detail)));
                case STALL -> stall(o.line, o.event.eventName(), String.join(",", o.waitingOn),
                        LatencyStats.micros(o.blockedNs).toString());
                case INJECTION -> injected.merge(str(o.injected), 1L, Long::sum);
                case CALL -> {
                    calls++;
                    if (o.hasObserved && !o.agrees()) {
                        divergence(o.line, o.event.eventName(), str(o.handle), Errno.describe(o.result),
                                Errno.describe(o.observed));
                    }
                }
            }
        }

        private void span(BigDecimal ts) {
            firstTs = firstTs == null || ts.compareTo(firstTs) < 0 ? ts : firstTs;
            lastTs = lastTs == null || ts.compareTo(lastTs) > 0 ? ts : lastTs;
        }

        private void violation(Finding f) {
            violations.computeIfAbsent(f.what(), k -> new ArrayList<>()).add(f);
        }

        private void stall(long line, String event, String waiting, String blockedUs) {
            stalls.add(new Finding(line, event, waiting, "blocked " + blockedUs + " us waiting on " + waiting));
        }

        private void divergence(long line, String event, String handle, String result, String observed) {
            divergences.add(new Finding(line, event, handle, "result " + result + ", the kernel returned " + observed));
        }

        public Outcomes outcomes() {
            SortedMap<String, List<Finding>> v = new TreeMap<>();
            violations.forEach((k, l) -> v.put(k, List.copyOf(l)));
            return new Outcomes(calls, Collections.unmodifiableSortedMap(v), List.copyOf(stalls),
                    List.copyOf(divergences), Collections.unmodifiableSortedMap(new TreeMap<>(injected)),
                    firstTs == null ? BigDecimal.ZERO : firstTs, lastTs == null ? BigDecimal.ZERO : lastTs);
        }

        /** The timestamp as records print it: seconds with 6 or 9 decimals, or the raw counter. */
        private static BigDecimal ts(Outcome o) {
            if ((o.tsBits & Record.B_TS_RAW) != 0) {
                return BigDecimal.valueOf(o.ts);
            }
            return (o.tsBits & Record.B_TS_NANOS) != 0 ? BigDecimal.valueOf(o.ts, 9) : BigDecimal.valueOf(o.ts / 1000, 6);
        }
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
