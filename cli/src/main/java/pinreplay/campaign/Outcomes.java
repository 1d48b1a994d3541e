package pinreplay.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What a cell's outcome records (docs/replay.md, Outcome records) add up to. */
public record Outcomes(long calls, SortedMap<String, List<Finding>> violations, List<Finding> stalls,
        List<Finding> divergences, SortedMap<String, Long> injected, BigDecimal firstTs, BigDecimal lastTs) {

    /** Reads jsonl outcome records; {@link IllegalArgumentException} names the record that is not JSON. */
    public static Outcomes of(List<String> records) {
        long calls = 0;
        SortedMap<String, List<Finding>> violations = new TreeMap<>();
        List<Finding> stalls = new ArrayList<>();
        List<Finding> divergences = new ArrayList<>();
        SortedMap<String, Long> injected = new TreeMap<>();
        BigDecimal firstTs = null;
        BigDecimal lastTs = null;
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
            BigDecimal ts = r.get("ts") instanceof BigDecimal d ? d : r.get("ts") instanceof Long l ? BigDecimal.valueOf(l) : null;
            if (ts != null) {
                firstTs = firstTs == null || ts.compareTo(firstTs) < 0 ? ts : firstTs;
                lastTs = lastTs == null || ts.compareTo(lastTs) > 0 ? ts : lastTs;
            }
            if (r.containsKey("violation")) {
                String kind = str(r.get("violation"));
                violations.computeIfAbsent(kind, k -> new ArrayList<>())
                        .add(new Finding(line, kind, str(r.get("handle")), str(r.get("detail"))));
            } else if (r.containsKey("stall")) {
                String waiting = r.get("waiting_on") instanceof List<?> l ? String.join(",", l.stream().map(Outcomes::str).toList())
                        : str(r.get("waiting_on"));
                stalls.add(new Finding(line, str(r.get("stall")), waiting,
                        "blocked " + str(r.get("blocked_us")) + " us waiting on " + waiting));
            } else if (r.containsKey("injected")) {
                injected.merge(str(r.get("injected")), 1L, Long::sum);
            } else if (r.containsKey("event")) {
                calls++;
                if (Boolean.FALSE.equals(r.get("agrees"))) {
                    divergences.add(new Finding(line, str(r.get("event")), str(r.get("handle")),
                            "result " + str(r.get("result")) + ", the kernel returned " + str(r.get("observed"))));
                }
            }
        }
        violations.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return new Outcomes(calls, Collections.unmodifiableSortedMap(violations), List.copyOf(stalls),
                List.copyOf(divergences), Collections.unmodifiableSortedMap(injected),
                firstTs == null ? BigDecimal.ZERO : firstTs, lastTs == null ? BigDecimal.ZERO : lastTs);
    }

    /** Trace time the records span, in seconds. */
    public double spanSeconds() {
        return lastTs.subtract(firstTs).doubleValue();
    }

    public long violationCount() {
        return violations.values().stream().mapToLong(List::size).sum();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
