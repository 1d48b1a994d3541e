package pinreplay.inject;

import java.util.SplittableRandom;

import pinreplay.format.EventType;

/**
 * One parsed {@code --inject NAME[:key=value,...]}: the injector name, its fault_attr knobs
 * (Documentation/fault-injection/fault-injection.rst), its call filter and its own keys ({@link Catalog}).
 * Unset numbers are -1 (ino, taskPid, atLine, len) or the defaults {@link Catalog} lists.
 */
public record InjectSpec(String name, int probability, long interval, long times, long space, int verbose,
                         long failNth, long taskPid, String race, String taskComm, EventType atEvent, long atLine,
                         String point, long ino, long size, long offset, long len, boolean ignoreRefs) {

    /** Parses a spec; defaults follow FAULT_ATTR_INITIALIZER except probability 100, times -1, verbose 0. */
    public static InjectSpec parse(String text) throws InjectSpecException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String point = null;
        Catalog.Alias alias = Catalog.alias(name);
        if (alias != null) {
            name = alias.injector();
            point = alias.function();
        }
        Catalog.Injector info = Catalog.of(name);
        if (info == null) {
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
        String race = "none";
        long ino = -1;
        long size = 0;
        long offset = 0;
        long len = -1;
        boolean ignoreRefs = false;
        if (colon >= 0 && colon + 1 < text.length()) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String kv : text.substring(colon + 1).split(",", -1)) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new InjectSpecException("--inject " + name + ": expected key=value, got '" + kv + "'");
                }
                String key = kv.substring(0, eq);
                String value = kv.substring(eq + 1);
                if (!accepts(info, key)) {
                    throw new InjectSpecException("--inject " + name + ": expected a key among " + keys(info)
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
                    case "fail-nth" -> failNth = number(name, key, value, 1, Long.MAX_VALUE);
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
                        if (!info.points().contains(value)) {
                            throw new InjectSpecException("--inject " + name + ": point expected one of "
                                    + String.join("|", info.points()) + ", got '" + value + "'");
                        }
                        point = value;
                    }
                    case "race" -> race = oneOf(name, key, value, "none", "munmap", "mprotect", "remap");
                    case "ino" -> ino = number(name, key, value, 1, Long.MAX_VALUE);
                    case "size" -> size = number(name, key, value, 0, Long.MAX_VALUE);
                    case "offset" -> offset = number(name, key, value, 0, Long.MAX_VALUE);
                    case "len" -> len = number(name, key, value, 1, Long.MAX_VALUE);
                    case "ignore-refs" -> ignoreRefs = number(name, key, value, 0, 1) == 1;
                    default -> throw new IllegalStateException(key);
                }
            }
        }
        return new InjectSpec(name, probability, interval, times, space, verbose, failNth, taskPid, race, taskComm,
                atEvent, atLine, point, ino, size, offset, len, ignoreRefs);
    }

    private static boolean accepts(Catalog.Injector info, String key) {
        return Catalog.COMMON.stream().anyMatch(k -> k.name().equals(key))
                || info.keys().stream().anyMatch(k -> k.name().equals(key));
    }

    private static String keys(Catalog.Injector info) {
        StringBuilder sb = new StringBuilder();
        for (Catalog.Key k : Catalog.COMMON) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.name());
        }
        for (Catalog.Key k : info.keys()) {
            sb.append(", ").append(k.name());
        }
        return sb.toString();
    }

    private static EventType event(String name, String value) throws InjectSpecException {
        for (EventType t : EventType.values()) {
            if (t.eventName().equals(value)) {
                return t;
            }
        }
        throw new InjectSpecException("--inject " + name + ": at expected an event name (e.g. vfio_dma_map) or"
                + " line:N, got '" + value + "'");
    }

    private static String oneOf(String name, String key, String value, String... allowed) throws InjectSpecException {
        for (String a : allowed) {
            if (a.equals(value)) {
                return a;
            }
        }
        throw new InjectSpecException("--inject " + name + ": " + key + " expected " + String.join("|", allowed)
                + ", got '" + value + "'");
    }

    private static long number(String name, String key, String value, long min, long max)
            throws InjectSpecException {
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

    /** The same spec with only the {@code n}-th eligible call failing (a sweep run). */
    public InjectSpec withFailNth(long n) {
        return new InjectSpec(name, probability, interval, times, space, verbose, n, taskPid, race, taskComm, atEvent,
                atLine, point, ino, size, offset, len, ignoreRefs);
    }

    /** The fault_attr this spec configures, drawing from {@code random}. */
    public FaultAttr attr(SplittableRandom random) {
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
        StringBuilder sb = new StringBuilder(name);
        opt(sb, "task", taskPid >= 0 ? Long.toString(taskPid) : taskComm);
        opt(sb, "at", atEvent != null ? atEvent.eventName() : atLine >= 0 ? "line:" + atLine : null);
        opt(sb, "point", point);
        opt(sb, "fail-nth", failNth > 0 ? Long.toString(failNth) : null);
        opt(sb, "probability", probability != 100 ? Integer.toString(probability) : null);
        opt(sb, "times", times != -1 ? Long.toString(times) : null);
        opt(sb, "space", space != 0 ? Long.toString(space) : null);
        opt(sb, "interval", interval != 1 ? Long.toString(interval) : null);
        opt(sb, "verbose", verbose != 0 ? Integer.toString(verbose) : null);
        opt(sb, "race", race.equals("none") ? null : race);
        opt(sb, "ino", ino >= 0 ? Long.toString(ino) : null);
        opt(sb, "size", size != 0 ? Long.toString(size) : null);
        opt(sb, "offset", offset != 0 ? Long.toString(offset) : null);
        opt(sb, "len", len >= 0 ? Long.toString(len) : null);
        opt(sb, "ignore-refs", ignoreRefs ? "1" : null);
        return sb.toString();
    }

    private static void opt(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append(sb.indexOf(":") < 0 ? ':' : ',').append(key).append('=').append(value);
        }
    }
}
