package pinreplay.diff;

import java.io.PrintWriter;
import java.util.ArrayList;
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
            sb.append(String.join(",", s.records()));
        }
        sb.append(']');
    }

    @Override
    public void end(DiffSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        m.put("calls", s.calls());
        m.put("differ", s.differ());
        Map<String, Object> changed = new LinkedHashMap<>();
        for (Aspect x : Aspect.values()) {
            changed.put(x.name(), s.changed(x));
        }
        m.put("changed", changed);
        m.put("violations", pair(s.violations(0), s.violations(1)));
        m.put("stalls", pair(s.stalls(0), s.stalls(1)));
        m.put("injections", pair(s.injections(0), s.injections(1)));
        out.println(JsonText.writeCompact(Map.of("summary", m)));
        out.flush();
    }

    private static List<Object> pair(long x, long y) {
        List<Object> l = new ArrayList<>();
        l.add(x);
        l.add(y);
        return l;
    }
}
