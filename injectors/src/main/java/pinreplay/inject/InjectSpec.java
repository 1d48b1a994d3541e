package pinreplay.inject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import pinreplay.format.EventType;

/**
 * One parsed {@code --inject NAME[:key=value,...]}: the injector's kind, the fault_attr knobs every injector
 * shares (Documentation/fault-injection/fault-injection.rst), its call filter, and the values of the keys its
 * kind owns ({@link Option}, in the kind's order). Unset numbers are -1 (taskPid, atLine) or the defaults
 * {@link Catalog#COMMON} lists.
 */
public record InjectSpec(Kind kind, int probability, long interval, long times, long space, int verbose,
                         long failNth, long taskPid, String taskComm, EventType atEvent, long atLine, String point,
                         List<Long> options) {

    /** Parses a spec; defaults follow FAULT_ATTR_INITIALIZER except probability 100, times -1, verbose 0. */
    public static InjectSpec parse(String text) throws InjectSpecException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String point = null;
        Kind kind = Catalog.aliased(name);
        if (kind != null) {
            point = name;
            name = kind.name();
        }
        kind = Catalog.kind(name);
        if (kind == null) {
            throw new InjectSpecException("--inject: expected an injector among " + String.join(", ", Catalog.names())
                    + " (or a kernel function 'pinreplay faults' lists), got '" + name + "'");
        }
        int probability = 100;
        long interval = 1;
        long times = -1;
        long space = 0;
        int verbose = 0;
        long failNth = 0;
        long taskPid = -1;
        String taskComm = null;
        EventType atEvent = null;
        long atLine = -1;
        Long[] options = kind.options().stream().map(Option::unset).toArray(Long[]::new);
        if (colon >= 0 && colon + 1 < text.length()) {
            Set<String> seen = new HashSet<>();
            for (String kv : text.substring(colon + 1).split(",", -1)) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new InjectSpecException("--inject " + name + ": expected key=value, got '" + kv + "'");
                }
                String key = kv.substring(0, eq);
                String value = kv.substring(eq + 1);
                Option own = kind.option(key);
                if (own == null && Catalog.COMMON.stream().noneMatch(k -> k.name().equals(key))) {
                    throw new InjectSpecException("--inject " + name + ": expected a key among " + keys(kind)
                            + ", got '" + key + "'");
                }
                if (!seen.add(key)) {
                    // one value per key: a second would silently override the first
                    throw new InjectSpecException("--inject " + name + ": expected each key once, got '" + key
                            + "' again");
                }
                switch (key) {
                    case "probability" -> probability = (int) number(name, key, value, 0, 100);
                    case "interval" -> interval = number(name, key, value, 0, Long.MAX_VALUE);
                    case "times" -> times = number(name, key, value, -1, Long.MAX_VALUE);
                    case "space" -> space = number(name, key, value, 0, Long.MAX_VALUE);
                    case "verbose" -> verbose = (int) number(name, key, value, 0, 2);
                    case "fail-nth" -> failNth = number(name, key, value, 1, 0xffffffffL); // /proc/PID/fail-nth: unsigned int
                    case "task" -> {
                        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                            taskPid = number(name, key, value, 0, Integer.MAX_VALUE);
                        } else if (!value.isEmpty()) {
                            taskComm = value;
                        } else {
                            throw new InjectSpecException("--inject " + name + ": task expected a COMM or a PID, got ''");
                        }
                    }
                    case "at" -> {
                        if (value.startsWith("line:")) {
                            atLine = number(name, key, value.substring(5), 1, Long.MAX_VALUE);
                        } else {
                            atEvent = event(name, value);
                        }
                    }
                    case "point" -> {
                        if (!kind.points().contains(value)) {
                            throw new InjectSpecException("--inject " + name + ": point expected one of "
                                    + String.join("|", kind.points()) + ", got '" + value + "'");
                        }
                        point = value;
                    }
                    default -> options[kind.options().indexOf(own)] = own.parse(name, value);
                }
            }
        }
        return new InjectSpec(kind, probability, interval, times, space, verbose, failNth, taskPid, taskComm,
                atEvent, atLine, point, List.of(options));
    }

    private static String keys(Kind kind) {
        return Stream.concat(Catalog.COMMON.stream().map(Catalog.Key::name),
                kind.options().stream().map(Option::name)).collect(Collectors.joining(", "));
    }

    private static EventType event(String name, String value) throws InjectSpecException {
        return Stream.of(EventType.values()).filter(t -> t.eventName().equals(value)).findFirst().orElseThrow(() ->
                new InjectSpecException("--inject " + name + ": at expected an event name (e.g. vfio_dma_map) or"
                        + " line:N, got '" + value + "'"));
    }

    static long number(String name, String key, String value, long min, long max) throws InjectSpecException {
        try {
            long v = Long.decode(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw new InjectSpecException("--inject " + name + ": " + key + " expected an integer in [" + min + ", "
                + (max == Long.MAX_VALUE ? "max" : max) + "], got '" + value + "'");
    }

    public String name() {
        return kind.name();
    }

    /** The value of a key the kind owns ({@link Option#unset()} when not given). */
    long option(Option o) {
        return options.get(kind.options().indexOf(o));
    }

    /** The same spec with only the {@code n}-th eligible call failing (a sweep run). */
    public InjectSpec withFailNth(long n) {
        return new InjectSpec(kind, probability, interval, times, space, verbose, n, taskPid, taskComm, atEvent,
                atLine, point, options);
    }

    /** The fault_attr this spec configures, drawing from {@code random}. */
    FaultAttr attr(SplittableRandom random) {
        return new FaultAttr(probability, interval, times, space, failNth, random);
    }

    /** The call filter of {@code task=}, {@code at=} and {@code point=}. */
    CallFilter filter() {
        return taskPid < 0 && taskComm == null && atEvent == null && atLine < 0 && point == null ? CallFilter.ANY
                : new CallFilter(taskPid, taskComm, atEvent, atLine, point);
    }

    /** The spec as it would be written on the command line (only what differs from the defaults). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name());
        opt(sb, "task", taskPid >= 0 ? Long.toString(taskPid) : taskComm);
        opt(sb, "at", atEvent != null ? atEvent.eventName() : atLine >= 0 ? "line:" + atLine : null);
        opt(sb, "point", point);
        opt(sb, "fail-nth", failNth > 0 ? Long.toString(failNth) : null);
        opt(sb, "probability", probability != 100 ? Integer.toString(probability) : null);
        opt(sb, "times", times != -1 ? Long.toString(times) : null);
        opt(sb, "space", space != 0 ? Long.toString(space) : null);
        opt(sb, "interval", interval != 1 ? Long.toString(interval) : null);
        opt(sb, "verbose", verbose != 0 ? Integer.toString(verbose) : null);
        for (Option o : kind.options()) {
            long v = option(o);
            opt(sb, o.name(), v == o.unset() ? null : o.text(v));
        }
        return sb.toString();
    }

    private static void opt(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append(sb.indexOf(":") < 0 ? ':' : ',').append(key).append('=').append(value);
        }
    }
}
