package pinreplay.replay.outcome;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import pinreplay.format.Errno;
import pinreplay.format.Record;

/**
 * The one JSON writer: a reusable byte buffer that formats values without allocating (integers, fixed-point
 * decimals, escaped strings) for outcome records, and the same rules for trees of maps, lists and scalars
 * ({@link #write}) for every other JSON pinreplay prints. Strings escape {@code "} and {@code \\}, newline,
 * carriage return and tab as {@code \\n \\r \\t}, every other control character and all non-ASCII as
 * {@code \\uXXXX}: output is ASCII and byte-stable.
 */
public final class JsonText {
    private static final byte[][] ERRNO_NAMES = new byte[Errno.LIMIT][];

    static {
        for (int i = 1; i < ERRNO_NAMES.length; i++) {
            String n = Errno.name(i);
            if (n != null) {
                ERRNO_NAMES[i] = ("\"-" + n + "\"").getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    byte[] buf;
    int n;

    JsonText() {
        this(1 << 16);
    }

    JsonText(int capacity) {
        buf = new byte[capacity];
    }

    void reset() {
        n = 0;
    }

    private void ensure(int more) {
        if (n + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
        }
    }

    JsonText raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buf[n++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    JsonText raw(char c) {
        ensure(1);
        buf[n++] = (byte) c;
        return this;
    }

    /** {@code ,"key":} (no comma before the first key of an object: the caller writes the brace). */
    JsonText key(String k, boolean first) {
        if (!first) {
            raw(',');
        }
        raw('"').raw(k).raw('"').raw(':');
        return this;
    }

    JsonText num(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            return raw("-9223372036854775808");
        }
        if (v < 0) {
            buf[n++] = '-';
            v = -v;
        }
        int start = n;
        do {
            buf[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = start, j = n - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** {@code v / 10^scale} with exactly {@code decimals} digits (truncating extra precision). */
    JsonText fixed(long v, int scale, int decimals) {
        if (v < 0) {
            raw('-');
            v = -v;
        }
        long div = pow10(scale);
        num(v / div);
        if (decimals > 0) {
            raw('.');
            long frac = (v % div) / pow10(scale - decimals);
            long p = pow10(decimals - 1);
            ensure(decimals);
            while (p > 0) {
                buf[n++] = (byte) ('0' + (frac / p) % 10);
                p /= 10;
            }
        }
        return this;
    }

    /** A trace timestamp in seconds, as printed: 6 or 9 decimals, or the raw counter. */
    JsonText ts(long ts, int tsBits) {
        if ((tsBits & Record.B_TS_RAW) != 0) {
            return num(ts);
        }
        return fixed(ts, 9, (tsBits & Record.B_TS_NANOS) != 0 ? 9 : 6);
    }

    /** A result: the count, or the errno name as a string. */
    JsonText result(long r) {
        if (r == Outcome.WAITING) {
            return raw("\"waiting\"");
        }
        if (r < 0 && r > -ERRNO_NAMES.length && ERRNO_NAMES[(int) -r] != null) {
            byte[] name = ERRNO_NAMES[(int) -r];
            ensure(name.length);
            System.arraycopy(name, 0, buf, n, name.length);
            n += name.length;
            return this;
        }
        return num(r);
    }

    JsonText str(String s) {
        if (s == null) {
            return raw("null");
        }
        ensure(s.length() * 6 + 2);
        buf[n++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                buf[n++] = '\\';
                buf[n++] = (byte) c;
            } else if (c == '\n' || c == '\r' || c == '\t') {
                buf[n++] = '\\';
                buf[n++] = (byte) (c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
            } else if (c < 0x20 || c > 0x7e) {
                buf[n++] = '\\';
                buf[n++] = 'u';
                for (int sh = 12; sh >= 0; sh -= 4) {
                    buf[n++] = (byte) "0123456789abcdef".charAt((c >> sh) & 15);
                }
            } else {
                buf[n++] = (byte) c;
            }
        }
        buf[n++] = '"';
        return this;
    }

    /** One outcome as a JSON object (docs/replay.md, Outcome records), without a newline. */
    JsonText outcome(Outcome o) {
        raw('{').key("line", true).num(o.line).key("ts", false).ts(o.ts, o.tsBits).key("pid", false).num(o.pid);
        switch (o.kind) {
            case CALL -> {
                key("event", false).str(o.event.eventName());
                if (o.handle != null) {
                    key("handle", false).str(o.handle);
                }
                key("result", false).result(o.result);
                key("latency_us", false).fixed(o.latencyNs, 3, 3);
                if (o.hasMeasured) {
                    key("measured_us", false).fixed(o.measuredNs, 3, 3);
                }
                key("retries", false).num(o.retries);
                if (o.hasObserved) {
                    key("observed", false).result(o.observed).key("agrees", false).raw(o.agrees() ? "true" : "false");
                }
                if (o.assumed != null) {
                    key("assumed", false).str(o.assumed);
                }
            }
            case VIOLATION -> {
                key("event", false).str(o.event == null ? null : o.event.eventName());
                key("violation", false).str(o.violation).key("handle", false).str(o.handle);
                key("detail", false).str(o.detail);
                if (o.victimIno >= 0) {
                    key("victim_ino", false).num(o.victimIno).key("victim_offset", false).num(o.victimOffset);
                }
            }
            case STALL -> {
                key("stall", false).str(o.event.eventName()).key("waiting_on", false).raw('[');
                for (int i = 0; i < o.waitingOn.length; i++) {
                    if (i > 0) {
                        raw(',');
                    }
                    str(o.waitingOn[i]);
                }
                raw(']').key("blocked_us", false).fixed(o.blockedNs, 3, 3);
                if (o.cause != null) {
                    key("cause", false).str(o.cause);
                }
                if (o.detail != null) {
                    key("detail", false).str(o.detail);
                }
            }
            case INJECTION -> {
                key("event", false).str(o.event == null ? null : o.event.eventName());
                if (o.handle != null) {
                    key("handle", false).str(o.handle);
                }
                key("injected", false).str(o.injected).key("point", false).str(o.point);
                key("effect", false).str(o.effect);
            }
        }
        return raw('}');
    }

    /** {@code s} as a JSON string. */
    public static String quote(String s) {
        return new JsonText(64).str(s).toString();
    }

    /**
     * A tree of maps (keys in the map's order), lists, strings, numbers ({@link BigDecimal} in plain notation),
     * booleans and null: two-space indented, one key or element per line, '\n' line ends, no trailing newline.
     */
    public static String write(Object tree) {
        return new JsonText(1024).tree(tree, 0, true).toString();
    }

    /** {@link #write} on one line with no spaces (a jsonl record). */
    public static String writeCompact(Object tree) {
        return new JsonText(256).tree(tree, 0, false).toString();
    }

    private JsonText tree(Object v, int depth, boolean pretty) {
        if (v == null || v instanceof String) {
            return str((String) v);
        }
        if (v instanceof BigDecimal d) {
            return raw(d.toPlainString());
        }
        if (v instanceof Number || v instanceof Boolean) {
            return raw(v.toString());
        }
        boolean map = v instanceof Map<?, ?>;
        if (!map && !(v instanceof List<?>)) {
            throw new IllegalArgumentException("cannot write " + v.getClass().getSimpleName() + " as JSON");
        }
        Collection<?> items = map ? ((Map<?, ?>) v).entrySet() : (List<?>) v;
        if (items.isEmpty()) {
            return raw(map ? "{}" : "[]");
        }
        raw(map ? '{' : '[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                raw(',');
            }
            first = false;
            newline(depth + 1, pretty);
            if (item instanceof Map.Entry<?, ?> e) {
                str((String) e.getKey()).raw(pretty ? ": " : ":").tree(e.getValue(), depth + 1, pretty);
            } else {
                tree(item, depth + 1, pretty);
            }
        }
        newline(depth, pretty);
        return raw(map ? '}' : ']');
    }

    private void newline(int depth, boolean pretty) {
        if (pretty) {
            raw('\n');
            for (int i = 0; i < depth; i++) {
                raw("  ");
            }
        }
    }

    @Override
    public String toString() {
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    private static long pow10(int e) {
        long p = 1;
        for (int i = 0; i < e; i++) {
            p *= 10;
        }
        return p;
    }
}
