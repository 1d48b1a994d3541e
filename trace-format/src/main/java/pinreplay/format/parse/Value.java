package pinreplay.format.parse;

import pinreplay.format.Errno;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.Foll;
import pinreplay.format.ValueType;

/**
 * One scanned value token: its {@link ValueType} and 64-bit payload. A single instance is reused
 * for every token; each {@code scan*} method returns false, leaving it unchanged, when the token is
 * not of that form.
 */
final class Value {
    byte type;
    long value;

    private boolean set(byte t, long v) {
        type = t;
        value = v;
        return true;
    }

    /** Native payload form: {@code 0x} hex, signed decimal, {@code -ERRNO} name, {@code true|false}. */
    boolean scanNative(byte[] b, int from, int to) {
        return hex0x(b, from, to) || dec(b, from, to) || errno(b, from, to) || bool(b, from, to);
    }

    /** kprobe argument form: bare hex (the default x-types), {@code 0x} hex, or signed decimal. */
    boolean scanProbe(byte[] b, int from, int to) {
        return hex0x(b, from, to) || hexBare(b, from, to) || dec(b, from, to);
    }

    /** {@code -?[0-9]{1,19}} within the range of a long. */
    boolean dec(byte[] b, int from, int to) {
        boolean neg = from < to && b[from] == '-';
        int i = neg ? from + 1 : from;
        if (i >= to || to - i > 19) {
            return false;
        }
        long v = 0;
        for (; i < to; i++) {
            byte c = b[i];
            if (c < '0' || c > '9') {
                return false;
            }
            v = v * 10 + (c - '0');
        }
        // 19 digits stay below 2^64, so an overflow of the signed range shows as a negative value.
        return v >= 0 && set(ValueType.DEC, neg ? -v : v);
    }

    /** {@code 0x} followed by 1 to 16 hex digits; 64-bit two's complement. */
    boolean hex0x(byte[] b, int from, int to) {
        if (to - from < 3 || b[from] != '0' || (b[from + 1] != 'x' && b[from + 1] != 'X')) {
            return false;
        }
        return hexDigits(b, from + 2, to) && set(ValueType.HEX, value);
    }

    /** 1 to 16 hex digits without prefix. */
    boolean hexBare(byte[] b, int from, int to) {
        return hexDigits(b, from, to) && set(ValueType.HEX_BARE, value);
    }

    /** A hashed kernel pointer ({@code %p}): hex digits, or {@code (____ptrval____)} before the RNG is ready. */
    boolean ptr(byte[] b, int from, int to) {
        if (Bytes.equals(b, from, to, PTRVAL)) {
            return set(ValueType.PTR, 0);
        }
        return hexDigits(b, from, to) && set(ValueType.PTR, value);
    }

    boolean bool(byte[] b, int from, int to) {
        if (Bytes.equals(b, from, to, TRUE)) {
            return set(ValueType.BOOL, 1);
        }
        return Bytes.equals(b, from, to, FALSE) && set(ValueType.BOOL, 0);
    }

    /** {@code -EFAULT}: a known errno name, stored as the negative number. */
    boolean errno(byte[] b, int from, int to) {
        if (to - from < 3 || b[from] != '-' || b[from + 1] != 'E') {
            return false;
        }
        int e = Errno.byName(b, from + 1, to);
        return e > 0 && set(ValueType.ERRNO, -e);
    }

    /** {@code FOLL_WRITE|FOLL_LONGTERM}: every name known, stored as {@link Foll} canonical bits. */
    boolean foll(byte[] b, int from, int to) {
        long bits = 0;
        for (int i = from; i <= to; ) {
            int bar = Bytes.indexOf(b, i, to, (byte) '|');
            int end = bar < 0 ? to : bar;
            long bit = Foll.bit(b, i, end);
            if (bit == 0) {
                return false;
            }
            bits |= bit;
            i = end + 1;
        }
        return bits != 0 && set(ValueType.FOLL, bits);
    }

    /** {@code major:minor} ({@code 253:6}), stored as {@code major << 32 | minor}. */
    boolean devno(byte[] b, int from, int to) {
        int colon = Bytes.indexOf(b, from, to, (byte) ':');
        if (colon < 0) {
            return false;
        }
        long major = Bytes.unsignedDec(b, from, colon);
        long minor = Bytes.unsignedDec(b, colon + 1, to);
        if (major < 0 || minor < 0 || major > 0xffffffffL || minor > 0xffffffffL) {
            return false;
        }
        return set(ValueType.DEVNO, major << 32 | minor);
    }

    private boolean hexDigits(byte[] b, int from, int to) {
        if (from >= to || to - from > 16) {
            return false;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Bytes.hexDigit(b[i]);
            if (d < 0) {
                return false;
            }
            v = v << 4 | d;
        }
        value = v;
        return true;
    }

    /**
     * Adds {@code key=value} ({@code b[keyFrom, eq)} = {@code b[eq + 1, to)}) to the open record as an
     * extra field: a known {@link Field} or an unknown key, the value scanned or else a word.
     */
    void addExtra(EventWriter out, byte[] b, int keyFrom, int eq, int to, boolean probe) {
        boolean scanned = probe ? scanProbe(b, eq + 1, to) : scanNative(b, eq + 1, to);
        byte t = scanned ? type : ValueType.SYM;
        long val = scanned ? value : out.symbols().intern(b, eq + 1, to);
        Field f = FieldKeys.lookup(b, keyFrom, eq);
        if (f != null) {
            out.field(f, t, val);
        } else {
            out.unknownField(b, keyFrom, eq, t, val);
        }
    }

    private static final byte[] PTRVAL = Bytes.ascii("(____ptrval____)");
    private static final byte[] TRUE = Bytes.ascii("true");
    private static final byte[] FALSE = Bytes.ascii("false");
}
