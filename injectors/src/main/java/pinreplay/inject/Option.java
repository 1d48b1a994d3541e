package pinreplay.inject;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A key one injector owns ({@code race=}, {@code ino=}...): its documentation, and its value, an integer in
 * {@code [min, max]} or one of {@code names} (kept as the name's index); {@code unset} when not given.
 */
record Option(Catalog.Key doc, long min, long max, List<String> names, long unset) {
    static Option number(String name, String values, String defaultText, String meaning, long min, long unset) {
        return new Option(new Catalog.Key(name, values, defaultText, meaning), min, Long.MAX_VALUE, null, unset);
    }

    /** A 0|1 switch, off by default. */
    static Option flag(String name, String meaning) {
        return new Option(new Catalog.Key(name, "0|1", "0", meaning), 0, 1, null, 0);
    }

    /** One of an enum's constants, written in lower case; the first is the default. */
    static Option oneOf(String name, Class<? extends Enum<?>> values, String meaning) {
        List<String> names = Stream.of(values.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        return new Option(new Catalog.Key(name, String.join("|", names), names.get(0), meaning), 0, names.size() - 1,
                names, 0);
    }

    String name() {
        return doc.name();
    }

    long parse(String injector, String value) throws InjectSpecException {
        if (names == null) {
            return InjectSpec.number(injector, name(), value, min, max);
        }
        if (!names.contains(value)) {
            throw new InjectSpecException("--inject " + injector + ": " + name() + " expected " + doc.values()
                    + ", got '" + value + "'");
        }
        return names.indexOf(value);
    }

    /** The value as written in a spec. */
    String text(long value) {
        return names == null ? Long.toString(value) : names.get((int) value);
    }
}
