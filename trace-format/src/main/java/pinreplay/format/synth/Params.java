package pinreplay.format.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's declared parameters and the values given with {@code --param key=value}. Values are
 * checked once, before any event is written: unknown keys, words outside the choices and malformed
 * sizes or rates are errors naming the key and what was expected.
 */
public final class Params {
    /** One declared parameter: its name, default, choices (for words), meaning, and whether it is free text. */
    public record Spec(String name, String defaultValue, List<String> choices, String help, boolean text) {
        /** A number or a size ({@code 4G}, {@code 0.5}, {@code 0x1000}). */
        public boolean numeric() {
            return !text && choices.isEmpty();
        }
    }

    private final String scenario;
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    Params(String scenario) {
        this.scenario = scenario;
    }

    Params word(String name, String dflt, String help, String... choices) {
        specs.put(name, new Spec(name, dflt, List.of(choices), help, false));
        return this;
    }

    Params value(String name, String dflt, String help) {
        specs.put(name, new Spec(name, dflt, List.of(), help, false));
        return this;
    }

    Params text(String name, String dflt, String help) {
        specs.put(name, new Spec(name, dflt, List.of(), help, true));
        return this;
    }

    public List<Spec> specs() {
        return Collections.unmodifiableList(new ArrayList<>(specs.values()));
    }

    /** Applies {@code key=value} settings; throws {@link IllegalArgumentException} with a clear message. */
    public Params set(Map<String, String> given) {
        for (Map.Entry<String, String> e : given.entrySet()) {
            Spec s = specs.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException("scenario " + scenario + " has no parameter '" + e.getKey()
                        + "' (parameters: " + String.join(", ", specs.keySet()) + ")");
            }
            if (!s.choices().isEmpty() && !s.choices().contains(e.getValue())) {
                throw new IllegalArgumentException(scenario + ": " + e.getKey() + " must be one of "
                        + String.join("|", s.choices()) + ", got '" + e.getValue() + "'");
            }
            values.put(e.getKey(), e.getValue());
        }
        for (Spec s : specs.values()) {
            if (s.numeric()) {
                check(s.name(), get(s.name()));
            }
        }
        return this;
    }

    public String get(String name) {
        Spec s = specs.get(name);
        if (s == null) {
            throw new IllegalStateException("undeclared parameter " + name);
        }
        return values.getOrDefault(name, s.defaultValue());
    }

    /** A declared rate, or 0 when this scenario does not declare {@code name}. */
    public double rate(String name) {
        return specs.containsKey(name) ? number(name) : 0;
    }

    public boolean is(String name, String word) {
        return get(name).equals(word);
    }

    public boolean flag(String name) {
        return get(name).equals("1") || get(name).equals("on") || get(name).equals("true");
    }

    /** A size such as {@code 4G}, {@code 512M}, {@code 0x1000} or {@code 4096}, in bytes. */
    public long size(String name) {
        return parseSize(name, get(name));
    }

    /** A rate or ratio such as {@code 2000} or {@code 0.5}. */
    public double number(String name) {
        return parseNumber(name, get(name));
    }

    public int integer(String name) {
        return (int) Math.round(number(name));
    }

    private void check(String name, String v) {
        if (v.matches("(?i)(0x[0-9a-f]{1,16}|[0-9]+(\\.[0-9]+)?[kmgtp]?)")) {
            // no size or rate beyond the x86-64 user address space (128T, 4-level paging): a larger one wraps
            if (Long.compareUnsigned(parseSize(name, v), 1L << 47) <= 0 && parseNumber(name, v) <= 0x1p47) {
                return;
            }
            throw new IllegalArgumentException(scenario + ": " + name + " must be at most 128T, got '" + v + "'");
        }
        throw new IllegalArgumentException(scenario + ": " + name + " must be a number or a size like 4G, got '" + v + "'");
    }

    static long parseSize(String name, String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) {
            return Long.parseUnsignedLong(s.substring(2), 16);
        }
        long mul = 1;
        char last = s.charAt(s.length() - 1);
        int shift = "kmgtp".indexOf(last);
        if (shift >= 0) {
            mul = 1L << (10 * (shift + 1));
            s = s.substring(0, s.length() - 1);
        }
        try {
            return (long) (Double.parseDouble(s) * mul);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a size like 4G, got '" + v + "'");
        }
    }

    static double parseNumber(String name, String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.startsWith("0x") || s.matches(".*[kmgtp]$")) {
            return parseSize(name, v);
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }
}
