package pinreplay.inject;

import java.util.SplittableRandom;

/**
 * One parsed {@code --inject NAME[:key=value,...]}: the injector name and its fault_attr knobs
 * (Documentation/fault-injection/fault-injection.rst) plus the injector-specific {@code race}.
 */
public record InjectSpec(String name, int probability, long interval, long times, long space, int verbose,
                         long failNth, long taskPid, String race) {

    /** Parses a spec; defaults follow FAULT_ATTR_INITIALIZER except probability 100 (fail_function's example). */
    public static InjectSpec parse(String text) throws InjectSpecException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        if (!Injectors.NAMES.contains(name)) {
            throw new InjectSpecException("--inject: expected one of " + Injectors.NAMES + ", got '" + name + "'");
        }
        int probability = 100;
        long interval = 1;
        long times = -1;
        long space = 0;
        int verbose = 0;
        long failNth = 0;
        long taskPid = -1;
        String race = "none";
        if (colon >= 0 && colon + 1 < text.length()) {
            for (String kv : text.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new InjectSpecException("--inject " + name + ": expected key=value, got '" + kv + "'");
                }
                String key = kv.substring(0, eq);
                String value = kv.substring(eq + 1);
                switch (key) {
                    case "probability" -> probability = (int) number(name, key, value, 0, 100);
                    case "interval" -> interval = number(name, key, value, 0, Long.MAX_VALUE);
                    case "times" -> times = number(name, key, value, -1, Long.MAX_VALUE);
                    case "space" -> space = number(name, key, value, 0, Long.MAX_VALUE);
                    case "verbose" -> verbose = (int) number(name, key, value, 0, 2);
                    case "fail-nth" -> failNth = number(name, key, value, 1, Long.MAX_VALUE);
                    case "task" -> taskPid = number(name, key, value, 0, Long.MAX_VALUE);
                    case "race" -> {
                        if (!value.equals("none") && !value.equals("munmap") && !value.equals("remap")) {
                            throw new InjectSpecException("--inject " + name
                                    + ": race expected none|munmap|remap, got '" + value + "'");
                        }
                        race = value;
                    }
                    default -> throw new InjectSpecException("--inject " + name
                            + ": expected a key among probability, interval, times, space, verbose, fail-nth,"
                            + " task, race, got '" + key + "'");
                }
            }
        }
        return new InjectSpec(name, probability, interval, times, space, verbose, failNth, taskPid, race);
    }

    private static long number(String name, String key, String value, long min, long max)
            throws InjectSpecException {
        try {
            long v = Long.parseLong(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw new InjectSpecException("--inject " + name + ": " + key + " expected an integer in [" + min + ", "
                + (max == Long.MAX_VALUE ? "max" : max) + "], got '" + value + "'");
    }

    /** The fault_attr this spec configures, drawing from {@code random}. */
    public FaultAttr attr(SplittableRandom random) {
        return new FaultAttr(probability, interval, times, space, verbose, failNth, taskPid, random);
    }
}
