package pinreplay.format.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte scanning primitives over {@code b[from, to)}; nothing allocates. */
final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SPACES = 0x2020202020202020L;
    private Bytes() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** The first non-space at or after {@code i}, or {@code to}; eight bytes per step. */
    /** Whether {@code b[from, to)} holds only white space (spaces, tabs, form feeds, vertical tabs, carriage returns). */
    static boolean blank(byte[] b, int from, int to) {
        for (int i = skipSpaces(b, from, to); i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\f' && c != 0x0b && c != '\r') {
                return false;
            }
        }
        return true;
    }

    static int skipSpaces(byte[] b, int i, int to) {
        while (i + Long.BYTES <= to) {
            long other = (long) LONGS.get(b, i) ^ SPACES;
            if (other != 0) {
                return i + (Long.numberOfTrailingZeros(other) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < to && b[i] == ' ') {
            i++;
        }
        return i;
    }

    static int skipDigits(byte[] b, int i, int to) {
        while (i < to && isDigit(b[i])) {
            i++;
        }
        return i;
    }

    /** Index of the next space at or after {@code i}, or {@code to}; eight bytes per step (SWAR zero-byte test). */
    static int tokenEnd(byte[] b, int i, int to) {
        while (i + Long.BYTES <= to) {
            long found = zeroBytes((long) LONGS.get(b, i) ^ SPACES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < to && b[i] != ' ') {
            i++;
        }
        return i;
    }

    /** Bits 7, 15, ... set for the bytes of {@code w} that are zero (below the lowest zero byte exact). */
    private static long zeroBytes(long w) {
        return (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
    }

    /** Index of the first {@code ':'}, {@code ' '} or {@code '('} at or after {@code i} (the end of an event name), or {@code to}. */
    static int nameEnd(byte[] b, int i, int to) {
        while (i + Long.BYTES <= to) {
            long w = (long) LONGS.get(b, i);
            long found = zeroBytes(w ^ 0x3a3a3a3a3a3a3a3aL) | zeroBytes(w ^ SPACES) | zeroBytes(w ^ 0x2828282828282828L);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < to && b[i] != ':' && b[i] != ' ' && b[i] != '(') {
            i++;
        }
        return i;
    }

    /** Index of the first {@code '='} or {@code ' '} at or after {@code i} (the end of a key), or {@code to}. */
    static int keyEnd(byte[] b, int i, int to) {
        while (i + Long.BYTES <= to) {
            long w = (long) LONGS.get(b, i);
            long found = zeroBytes(w ^ 0x3d3d3d3d3d3d3d3dL) | zeroBytes(w ^ SPACES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < to && b[i] != '=' && b[i] != ' ') {
            i++;
        }
        return i;
    }

    /** Index of {@code '-'} at or after {@code i}, or {@code to}; eight bytes per step. */
    static int nextDash(byte[] b, int i, int to) {
        while (i + Long.BYTES <= to) {
            long found = zeroBytes((long) LONGS.get(b, i) ^ 0x2d2d2d2d2d2d2d2dL);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (i < to && b[i] != '-') {
            i++;
        }
        return i;
    }

    /** Index of {@code c} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static boolean startsWith(byte[] b, int from, int to, byte[] lit) {
        if (to - from < lit.length) {
            return false;
        }
        for (int i = 0; i < lit.length; i++) {
            if (b[from + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean equals(byte[] b, int from, int to, byte[] lit) {
        return to - from == lit.length && startsWith(b, from, to, lit);
    }

    /** Whether {@code b[from, to)} is the ASCII string {@code s}. */
    static boolean equals(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first occurrence of {@code lit}, which starts with a space, in {@code b[from, to)}, or -1. */
    static int findSpaced(byte[] b, int from, int to, byte[] lit) {
        for (int i = tokenEnd(b, from, to); i < to; i = tokenEnd(b, i + 1, to)) {
            if (startsWith(b, i, to, lit)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first occurrence of {@code lit} in {@code b[from, to)}, or -1. */
    static int find(byte[] b, int from, int to, byte[] lit) {
        byte first = lit[0];
        for (int i = from, last = to - lit.length; i <= last; i++) {
            if (b[i] == first && startsWith(b, i, to, lit)) {
                return i;
            }
        }
        return -1;
    }

    /** Unsigned decimal {@code b[from, to)} of at most 18 digits, or -1 when it is not one. */
    static long unsignedDec(byte[] b, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
