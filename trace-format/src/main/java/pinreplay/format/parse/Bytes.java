package pinreplay.format.parse;

import java.nio.charset.StandardCharsets;

/** Byte scanning primitives over {@code b[from, to)}; nothing allocates. */
final class Bytes {
    private Bytes() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Value of a hex digit, or -1. */
    static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static int skipSpaces(byte[] b, int i, int to) {
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

    /** Index of the next space at or after {@code i}, or {@code to}. */
    static int tokenEnd(byte[] b, int i, int to) {
        while (i < to && b[i] != ' ') {
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
