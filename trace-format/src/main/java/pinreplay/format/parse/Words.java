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
