package pinreplay.replay.outcome;

import java.util.Arrays;

import pinreplay.format.Errno;
import pinreplay.format.Record;

/**
 * A reusable byte buffer that formats JSON values without allocating: integers, fixed-point decimals,
 * escaped strings (non-ASCII as {@code \\uXXXX}, so output is ASCII and byte-stable).
 */
final class JsonText {
    private static final byte[][] ERRNO_NAMES = new byte[513][];

    static {
        for (int i = 1; i < ERRNO_NAMES.length; i++) {
            String n = Errno.name(i);
            if (n != null) {
                ERRNO_NAMES[i] = ("\"-" + n + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
    }

    byte[] buf = new byte[1 << 16];
    int n;

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

    private static long pow10(int e) {
        long p = 1;
        for (int i = 0; i < e; i++) {
            p *= 10;
        }
        return p;
    }
}
