package pinreplay.replay.kernel;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code --policy name=value} overrides ("what if"), validated against the {@link Rules} registry.
 * Kept sorted so a report lists them in a stable order.
 */
public final class Policies {
    public static final Policies NONE = new Policies(new TreeMap<>());

    private final Map<String, String> values;

    private Policies(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Parses {@code key=value} items; an unknown key or value is an {@link IllegalArgumentException}. */
    public static Policies parse(List<String> items) {
        TreeMap<String, String> m = new TreeMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("--policy expects name=value, got '" + item + "'");
            }
            String key = item.substring(0, eq).strip();
            String value = item.substring(eq + 1).strip();
            validate(key, value);
            String earlier = m.put(key, value);
            if (earlier != null && !earlier.equals(value)) {
                throw new IllegalArgumentException("policy " + key + " given twice: '" + earlier + "' and '" + value
                        + "'");
            }
        }
        return new Policies(m);
    }

    private static void validate(String key, String value) {
        TreeMap<String, List<String>> known = Rules.ALL.stream().filter(r -> r.policyKey() != null)
                .collect(Collectors.toMap(Rule::policyKey, Rule::values, (first, later) -> first, TreeMap::new));
        List<String> allowed = known.get(key);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown policy '" + key + "', expected one of " + known.keySet());
        }
        if ("memlock".equals(key)) {
            if (!"unlimited".equals(value) && parseBytes(value) < 0) {
                throw new IllegalArgumentException("policy memlock expects unlimited or a byte count, got '"
                        + value + "'");
            }
            return;
        }
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException("policy " + key + " expects one of " + allowed + ", got '"
                    + value + "'");
        }
    }

    /** A byte count with an optional k/m/g/t suffix, or -1. */
    static long parseBytes(String s) {
        long mult = 1;
        String digits = s;
        char last = Character.toLowerCase(s.charAt(s.length() - 1));
        int shift = switch (last) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        if (shift != 0) {
            mult = 1L << shift;
            digits = s.substring(0, s.length() - 1);
        }
        try {
            long v = Long.parseLong(digits);
            return v < 0 ? -1 : Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    public String get(String key) {
        return values.get(key);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
