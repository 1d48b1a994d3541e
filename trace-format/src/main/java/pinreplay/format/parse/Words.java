package pinreplay.format.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Names read eight bytes at a time. A name of up to 16 bytes is fully described by its length, its
 * first eight bytes and its last eight (which overlap for shorter names), so looking it up costs two
 * loads, a hash and two compares instead of a loop over its bytes.
 */
final class Words {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Words() {
    }

    /** The first {@code min(8, n)} bytes of {@code b[from, to)} as a little-endian long, zero-padded. */
    static long first(byte[] b, int from, int to) {
        int n = to - from;
        if (n >= 8) {
            return (long) LONGS.get(b, from);
        }
        if (from + 8 <= b.length) {
            return n == 0 ? 0 : (long) LONGS.get(b, from) & (-1L >>> (64 - (n << 3)));
        }
        long w = 0;
        for (int i = n - 1; i >= 0; i--) {
            w = w << 8 | (b[from + i] & 0xff);
        }
        return w;
    }

    /** The last eight bytes of {@code b[from, to)}; the same as {@link #first} for shorter names. */
    static long last(byte[] b, int from, int to) {
        return to - from >= 8 ? (long) LONGS.get(b, to - 8) : first(b, from, to);
    }

    /** A table index from a name's words and length. */
    static int hash(long first, long last, int n, int mask) {
        long h = (first ^ Long.rotateLeft(last, 29) ^ n) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /**
     * The six decimal digits at {@code b[i, i + 6)} as a number, read as one word (the microseconds of
     * a timestamp), or -1 when they are not six digits.
     */
    static long sixDigits(byte[] b, int i, int to) {
        if (i + 6 > to || i + 8 > b.length) {
            return -1;
        }
        return sixDigits((long) LONGS.get(b, i));
    }

    /** The six decimal digits in the low six bytes of {@code w} (little-endian) as a number, or -1. */
    static long sixDigits(long word) {
        long w = word & 0xffff_ffff_ffffL;
        // Each byte is '0'..'9' when its high nibble is 3 both as it is and after adding 6.
        if ((w & 0xf0f0_f0f0_f0f0L) != 0x3030_3030_3030L || ((w + 0x0606_0606_0606L) & 0xf0f0_f0f0_f0f0L) != 0x3030_3030_3030L) {
            return -1;
        }
        // Two leading zeros make eight digits, then pairs, quads and the whole (first digit in the low byte).
        long chunk = (w << 16 | 0x3030L) - 0x3030_3030_3030_3030L;
        chunk = (chunk * 10 + (chunk >>> 8)) & 0x00ff_00ff_00ff_00ffL;
        chunk = (chunk * 100 + (chunk >>> 16)) & 0x0000_ffff_0000_ffffL;
        return (chunk * 10000 + (chunk >>> 32)) & 0xffff_ffffL;
    }

    /**
     * The one to seven decimal digits at {@code b[i]} ended by a {@code '.'} within the same word (the
     * seconds of a timestamp), read as one word: their value shifted left by three, or'ed with their
     * count; -1 when they are not such digits.
     */
    static long digitsToDot(byte[] b, int i, int to) {
        if (i + 8 > to) {
            return -1;
        }
        long w = (long) LONGS.get(b, i);
        long x = w ^ 0x2e2e_2e2e_2e2e_2e2eL;
        long dots = (x - 0x0101_0101_0101_0101L) & ~x & 0x8080_8080_8080_8080L;
        int d = Long.numberOfTrailingZeros(dots) >>> 3; // exact for the first '.'; 8 when there is none
        if (d == 0 || d == 8) {
            return -1;
        }
        // The d digits at the top of the word, '0's below them: eight digits with leading zeros.
        long digits = w << (64 - 8 * d) | 0x3030_3030_3030_3030L >>> (8 * d);
        if ((digits & 0xf0f0_f0f0_f0f0_f0f0L) != 0x3030_3030_3030_3030L
                || ((digits + 0x0606_0606_0606_0606L) & 0xf0f0_f0f0_f0f0_f0f0L) != 0x3030_3030_3030_3030L) {
            return -1;
        }
        long chunk = digits - 0x3030_3030_3030_3030L;
        chunk = (chunk * 10 + (chunk >>> 8)) & 0x00ff_00ff_00ff_00ffL;
        chunk = (chunk * 100 + (chunk >>> 16)) & 0x0000_ffff_0000_ffffL;
        return ((chunk * 10000 + (chunk >>> 32)) & 0xffff_ffffL) << 3 | d;
    }

    /** Whether bytes {@code [8, n - 8)} of the two names agree (the words cover the rest); a word per step. */
    static boolean middleEquals(byte[] a, int aFrom, byte[] b, int bFrom, int n) {
        int i = 8;
        for (; i + 8 <= n - 8; i += 8) {
            if ((long) LONGS.get(a, aFrom + i) != (long) LONGS.get(b, bFrom + i)) {
                return false;
            }
        }
        for (; i < n - 8; i++) {
            if (a[aFrom + i] != b[bFrom + i]) {
                return false;
            }
        }
        return true;
    }
}
