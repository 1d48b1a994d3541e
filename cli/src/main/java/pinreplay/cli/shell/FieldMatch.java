package pinreplay.cli.shell;

import java.util.List;

import pinreplay.format.Errno;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Foll;
import pinreplay.format.ValueType;

/**
 * {@code KEY=VALUE} of a conditional breakpoint: the event's field as traces spell it, or its context ({@code pid},
 * {@code comm}, {@code cpu}). Numbers compare as numbers ({@code iova=0} matches {@code iova=0x0}), errnos by name
 * or number, {@code gup_flags} when every flag named is set, words as words.
 */
record FieldMatch(String key, String value) {
    static FieldMatch parse(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0 || eq == kv.length() - 1) {
            throw new ShellException("expected KEY=VALUE (e.g. handle=vfio0, pid=42), got '" + kv + "'");
        }
        String key = kv.substring(0, eq);
        if (field(key) == null && !Condition.CONTEXT_KEYS.contains(key)) {
            throw new ShellException("expected a field of the event (handle, ino, addr, ...) or pid, comm, cpu, got '"
                    + key + "'");
        }
        return new FieldMatch(key, kv.substring(eq + 1));
    }

    /** The field keyed {@code key}, or null. */
    static Field field(String key) {
        for (Field f : Field.values()) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        return null;
    }

    boolean matches(EventView v) {
        switch (key) {
            case "pid" -> {
                return number(value) == v.pid();
            }
            case "cpu" -> {
                return number(value) == v.cpu();
            }
            case "comm" -> {
                return v.comm() != 0 && v.symbols().is(v.comm(), value);
            }
            default -> {
            }
        }
        Field f = field(key);
        if (!v.has(f)) {
            return false;
        }
        long got = v.get(f);
        byte type = v.typeOf(f);
        if (type == ValueType.SYM) {
            return v.is(f, value);
        }
        if (type == ValueType.ERRNO && value.startsWith("-E")) {
            return got == -Errno.byName(value.substring(1));
        }
        if (type == ValueType.FOLL) {
            return List.of(Foll.names(got).split("\\|")).containsAll(List.of(value.split("\\|")));
        }
        if (type == ValueType.BOOL) {
            return (got != 0) == (value.equals("true") || value.equals("1"));
        }
        return number(value) == got;
    }

    /** A decimal or 0x-hex number; {@code Long.MIN_VALUE}, which no field holds, when it is not one. */
    private static long number(String text) {
        try {
            return StateView.number(text, "a number");
        } catch (ShellException e) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
