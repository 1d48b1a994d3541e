package pinreplay.format.print;

/** Well-formed UTF-8 (the Unicode standard's table 3-7), checked without decoding or allocating. */
final class Utf8 {
    private Utf8() {
    }

    /** Whether {@code b[from, to)} is well-formed UTF-8; ASCII costs one compare per byte. */
    static boolean isValid(byte[] b, int from, int to) {
        for (int i = from; i < to; ) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequence(b, i, to);
            if (n < 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /** The length of the well-formed sequence at {@code b[i]} (a byte of 0x80 or more), or -1. */
    private static int sequence(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        int need;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            lo = c == 0xe0 ? 0xa0 : 0x80; // no overlong forms
            hi = c == 0xed ? 0x9f : 0xbf; // no surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf; // nothing above U+10FFFF
        } else {
            return -1; // a continuation byte alone, C0, C1 or F5..FF
        }
        for (int k = 1; k <= need; k++) {
            int d = i + k < end ? b[i + k] & 0xff : -1;
            if (d < lo || d > hi) {
                return -1;
            }
            lo = 0x80;
            hi = 0xbf;
        }
        return need + 1;
    }
}
