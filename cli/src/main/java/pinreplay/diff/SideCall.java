package pinreplay.diff;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import pinreplay.campaign.Json;

/**
 * What one run recorded for one call: its outcome records as written by {@code replay --format jsonl}
 * (kept verbatim for the jsonl and HTML reports) and the values the diff compares.
 */
public final class SideCall {
    final List<String> records = new ArrayList<>();
    String handle;
    boolean called;
    /** The call's result: a count (Long) or an errno name ("-EFAULT"). */
    Object result;
    long retries;
    BigDecimal latencyUs;
    final List<String> violations = new ArrayList<>();
    final List<String> details = new ArrayList<>();
    /** What a stalled call waits on, or null. */
    String stall;
    BigDecimal blockedUs;
    final List<String> injections = new ArrayList<>();

    /** Adds one outcome record ({@code json} its text, {@code r} the parsed object). */
    void add(String json, Map<String, Object> r) {
        records.add(json);
        if (handle == null && r.get("handle") instanceof String h) {
            handle = h;
        }
        if (r.containsKey("violation")) {
            violations.add(String.valueOf(r.get("violation")));
            details.add(r.get("detail") instanceof String d ? d : "");
        } else if (r.containsKey("stall")) {
            stall = r.get("waiting_on") instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                    : String.valueOf(r.get("waiting_on"));
            blockedUs = Json.decimal(r.get("blocked_us"));
        } else if (r.containsKey("injected")) {
            injections.add(r.get("injected") + " at " + r.get("point") + ": " + r.get("effect"));
        } else if (!called) {
            called = true;
            result = r.get("result");
            retries = r.get("retries") instanceof Long n ? n : 0;
            latencyUs = Json.decimal(r.get("latency_us"));
        }
    }

    /** The call returned or was reported stalled: no more records of it will come (bar stray ones). */
    boolean complete() {
        return called || stall != null;
    }

    /** The result as replay prints it: a count or an errno name. */
    public String resultText() {
        return called ? String.valueOf(result) : "none";
    }

    public String latencyText() {
        return latencyUs == null ? "-" : latencyUs.toPlainString();
    }

    /** {@code waiting on X (blocked N us)}, or {@code none}. */
    public String stallText() {
        if (stall == null) {
            return "none";
        }
        return "waiting on " + stall + " (blocked " + (blockedUs == null ? "?" : blockedUs.toPlainString()) + " us)";
    }

    public String violationText() {
        return violations.isEmpty() ? "none" : String.join(",", violations);
    }
}
