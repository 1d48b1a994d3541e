package pinreplay.diff;

import static pinreplay.campaign.Json.object;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import pinreplay.replay.outcome.JsonText;


/**
 * {@code --format jsonl}: one object per call shown, with what changed and each run's outcome records exactly as
 * {@code replay --format jsonl} wrote them; the last line is the totals.
 *
 * <pre>
 * {"line":20,"event":"writeback","changed":["latency"],"a":[{"line":20,...,"latency_us":65536.300,...}],"b":[...]}
 * {"summary":{"a":"... 6.1","b":"... 6.15","calls":16,"differ":5,"changed":{"result":4,...},"violations":[1,0],...}}
 * </pre>
 */
public final class JsonlDiff implements DiffReport {
    private final PrintWriter out;
    private final String a;
    private final String b;

    public JsonlDiff(PrintWriter out, String a, String b) {
        this.out = out;
        this.a = a;
        this.b = b;
    }

    @Override
    public void row(CallDiff d) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("line", d.key().line());
        head.put("event", d.key().event());
        if (d.either().handle != null) {
            head.put("handle", d.either().handle);
        }
        head.put("changed", d.changed().stream().map(Enum::name).toList());
        String h = JsonText.writeCompact(head);
        StringBuilder sb = new StringBuilder(h).deleteCharAt(h.length() - 1);
        records(sb.append(",\"a\":"), d.a());
        records(sb.append(",\"b\":"), d.b());
        out.println(sb.append('}'));
    }

    private static void records(StringBuilder sb, SideCall s) {
        sb.append('[');
        if (s != null) {
            sb.append(String.join(",", s.records));
        }
        sb.append(']');
    }

    @Override
    public void end(DiffSummary s) {
        Map<String, Object> changed = new LinkedHashMap<>();
        for (Aspect x : Aspect.values()) {
            changed.put(x.name(), s.changed(x));
        }
        out.println(JsonText.writeCompact(Map.of("summary", object("a", a, "b", b, "calls", s.calls,
                "differ", s.differ(), "changed", changed, "violations", pair(s.violations), "stalls", pair(s.stalls),
                "injections", pair(s.injections)))));
        out.flush();
    }

    /** Run A's and run B's count. */
    private static List<Long> pair(long[] sides) {
        return List.of(sides[0], sides[1]);
    }
}
