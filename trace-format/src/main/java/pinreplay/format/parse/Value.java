package pinreplay.format.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.ValueType;

/**
 * One scanned value token: its {@link ValueType}, its 64-bit payload and where it ends. A token
 * starts at {@code from} and ends at the first space before {@code to} (or at {@code to}): callers
 * pass the end of the line, and the scan finds the end of the token as it goes, so each value is
 * read once. A single instance is reused for every token; each {@code scan*} method returns false,
 * leaving it unchanged, when the token is not of that form.
 */
final class Value {
    private static final byte[] HEX = new byte[256];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    byte type;
    long value;
    /** The end of the last token scanned successfully. */
    int end;

    private boolean set(byte t, long v, int e) {
        type = t;
        value = v;
        end = e;
        return true;
    }

    private static boolean endsAt(byte[] b, int i, int to) {
        return i == to || b[i] == ' ';
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
        int start = neg ? from + 1 : from;
        int i = start;
        long v = 0;
        for (; i < to && i - start < 20; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
        }
        // 19 digits stay below 2^64, so an overflow of the signed range shows as a negative value.
        return i > start && i - start <= 19 && v >= 0 && endsAt(b, i, to)
                && set(ValueType.DEC, neg ? -v : v, i);
    }

    /**
     * An unsigned 64-bit decimal of up to 20 digits as ftrace prints a {@code :u64} fetcharg
     * ({@code ret=18446744073709551602}), kept as its two's complement (-14).
     */
    boolean decU64(byte[] b, int from, int to) {
        int i = from;
        long v = 0;
        for (; i < to && i - from < 20; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(v, 1844674407370955161L) > 0 || Long.compareUnsigned(next, v) < 0 && v != 0) {
                return false; // beyond 2^64 - 1
            }
            v = next;
        }
        return i > from && endsAt(b, i, to) && set(ValueType.DEC, v, i);
    }

    /** {@code 0x} followed by 1 to 16 hex digits; 64-bit two's complement. */
    boolean hex0x(byte[] b, int from, int to) {
        if (to - from < 3 || b[from] != '0' || (b[from + 1] != 'x' && b[from + 1] != 'X')) {
            return false;
        }
        int e = hexDigits(b, from + 2, to);
        return e >= 0 && set(ValueType.HEX, value, e);
    }

    /** {@code (nil)}: printf's {@code %p} of NULL, as a program's marker prints an address that is 0. */
    boolean nil(byte[] b, int from, int to) {
        return Bytes.startsWith(b, from, to, NIL) && endsAt(b, from + NIL.length, to)
                && set(ValueType.HEX, 0, from + NIL.length);
    }

    /** 1 to 16 hex digits without prefix. */
    boolean hexBare(byte[] b, int from, int to) {
        int e = hexDigits(b, from, to);
        return e >= 0 && set(ValueType.HEX_BARE, value, e);
    }

    /**
     * A kernel pointer ({@code %p}): the kernel's hashed hex digits, or {@code (____ptrval____)} before the RNG is
     * ready; or as {@code trace-cmd report} prints it, libtraceevent's print_arg_pointer() handing the recorded value
     * to printf's {@code %p}: {@code 0x} and hex digits, {@code (nil)} for NULL.
     */
    boolean ptr(byte[] b, int from, int to) {
        if (Bytes.startsWith(b, from, to, PTRVAL) && endsAt(b, from + PTRVAL.length, to)) {
            return set(ValueType.PTR, 0, from + PTRVAL.length);
        }
        if (Bytes.startsWith(b, from, to, NIL) && endsAt(b, from + NIL.length, to)) {
            return set(ValueType.PTR, 0, from + NIL.length);
        }
        if (to - from > 2 && b[from] == '0' && b[from + 1] == 'x') {
            from += 2;
        }
        int e = hexDigits(b, from, to);
        return e >= 0 && set(ValueType.PTR, value, e);
    }

    boolean bool(byte[] b, int from, int to) {
        if (Bytes.startsWith(b, from, to, TRUE) && endsAt(b, from + TRUE.length, to)) {
            return set(ValueType.BOOL, 1, from + TRUE.length);
        }
        return Bytes.startsWith(b, from, to, FALSE) && endsAt(b, from + FALSE.length, to)
                && set(ValueType.BOOL, 0, from + FALSE.length);
    }

    /** {@code -EFAULT}: a known errno name, stored as the negative number. */
    boolean errno(byte[] b, int from, int to) {
        if (to - from < 3 || b[from] != '-' || b[from + 1] != 'E') {
            return false;
        }
        int e = Bytes.tokenEnd(b, from, to);
        int errno = EventNames.errno(b, from + 1, e);
        return errno > 0 && set(ValueType.ERRNO, -errno, e);
    }

    /** {@code FOLL_WRITE|FOLL_LONGTERM}: every name known, stored as {@link pinreplay.format.Foll} canonical bits. */
    boolean foll(byte[] b, int from, int to) {
        int e = Bytes.tokenEnd(b, from, to);
        long bits = 0;
        for (int i = from; i <= e; ) {
            int bar = Bytes.indexOf(b, i, e, (byte) '|');
            int nameEnd = bar < 0 ? e : bar;
            long bit = EventNames.foll(b, i, nameEnd);
            if (bit == 0) {
                return false;
            }
            bits |= bit;
            i = nameEnd + 1;
        }
        return bits != 0 && set(ValueType.FOLL, bits, e);
    }

    /** {@code major:minor} ({@code 253:6}), stored as {@code major << 32 | minor}. */
    boolean devno(byte[] b, int from, int to) {
        int e = Bytes.tokenEnd(b, from, to);
        int colon = Bytes.indexOf(b, from, e, (byte) ':');
        if (colon < 0) {
            return false;
        }
        long major = Bytes.unsignedDec(b, from, colon);
        long minor = Bytes.unsignedDec(b, colon + 1, e);
        if (major < 0 || minor < 0 || major > 0xffffffffL || minor > 0xffffffffL) {
            return false;
        }
        return set(ValueType.DEVNO, major << 32 | minor, e);
    }

    /** Reads 1 to 16 hex digits into {@link #value}; returns where the token ends, or -1. */
    private int hexDigits(byte[] b, int from, int to) {
        long v = 0;
        int i = from;
        // eight digits per step (addresses, hashed pointers), then byte by byte
        for (long w; i + Long.BYTES <= to && i - from <= 8 && allHex(w = (long) LONGS.get(b, i)); i += Long.BYTES) {
            v = v << 32 | hex8(w);
        }
        for (; i < to && i - from <= 16; i++) {
            int d = HEX[b[i] & 0xff];
            if (d < 0) {
                break;
            }
            v = v << 4 | d;
        }
        if (i == from || i - from > 16 || !endsAt(b, i, to)) {
            return -1;
        }
        value = v;
        return i;
    }

    /** Whether all eight bytes of {@code w} are {@code [0-9a-fA-F]}. */
    static boolean allHex(long w) {
        long digits = inRange(w, '0', '9');
        long letters = inRange(w | 0x2020202020202020L, 'a', 'f'); // 'A'-'F' lowered; no other byte lands there
        return (w & HIGH_BITS) == 0 && (digits | letters) == HIGH_BITS;
    }

    /** The high bit of each byte of {@code w} (all below 0x80) that lies in {@code [lo, hi]}. */
    private static long inRange(long w, int lo, int hi) {
        long atLeastLo = w + ONES * (0x80 - lo);
        long aboveHi = w + ONES * (0x7f - hi);
        return atLeastLo & ~aboveHi & HIGH_BITS;
    }

    /** The value of eight hex digits (checked by {@link #allHex}), the first byte most significant. */
    static long hex8(long w) {
        long nibbles = (w & 0x0f0f0f0f0f0f0f0fL) + ((w >>> 6) & ONES) * 9; // letters have bit 6 set: 'a' & 0xf = 1
        long v = Long.reverseBytes(nibbles);
        v = (v | v >>> 4) & 0x00ff00ff00ff00ffL;
        v = (v | v >>> 8) & 0x0000ffff0000ffffL;
        return (v | v >>> 16) & 0xffffffffL;
    }

    /**
     * Adds the token {@code key=value} at {@code b[keyFrom]} (value after {@code eq}) to the open
     * record as an extra field: a known {@link Field} or an unknown key, the value scanned or else a
     * word. Returns where the token ends.
     */
    int addExtra(EventWriter out, SymbolCache symbols, byte[] b, int keyFrom, int eq, int to, boolean probe) {
        boolean scanned = probe ? scanProbe(b, eq + 1, to) : scanNative(b, eq + 1, to);
        int e = scanned ? end : Bytes.tokenEnd(b, eq + 1, to);
        byte t = scanned ? type : ValueType.SYM;
        long val = scanned ? value : symbols.intern(b, eq + 1, e);
        Field f = FieldKeys.lookup(b, keyFrom, eq);
        if (f != null) {
            out.field(f, t, val);
        } else {
            out.unknownField(b, keyFrom, eq, t, val);
        }
        return e;
    }

    private static final byte[] PTRVAL = Bytes.ascii("(____ptrval____)");
    private static final byte[] NIL = Bytes.ascii("(nil)");
    private static final byte[] TRUE = Bytes.ascii("true");
    private static final byte[] FALSE = Bytes.ascii("false");
}
