package pinreplay.format;

/**
 * The irq-info flag column of a PREEMPT_RT kernel before 6.12 (the RT patch's trace_print_lat_fmt(): irqs-off,
 * need-resched, need-resched-lazy, hardirq/softirq, preempt-depth, preempt-lazy-depth, migrate-disable): 6 or 7
 * characters, more than a record's 5 bytes hold, so they are kept 5 bits each from this alphabet of what
 * trace_print_lat_fmt() prints ({@code .}, hex digits, and the flag letters of 5.10 to 7.2).
 */
public final class IrqFlags {
    /** Columns up to this width are stored as they are. */
    public static final int PLAIN = 5;
    /** The widest column a record holds, packed. */
    public static final int MAX = 7;
    private static final byte[] ALPHABET = ".0123456789abcdefDXNnpLBZzHhs".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CODE = new byte[256];

    static {
        java.util.Arrays.fill(CODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            CODE[ALPHABET[i]] = (byte) i;
        }
    }

    private IrqFlags() {
    }

    /** Whether {@code b[from, to)} (6 or 7 characters) can be packed. */
    public static boolean packable(byte[] b, int from, int to) {
        if (to - from <= PLAIN || to - from > MAX) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (CODE[b[i] & 0xff] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The characters {@code b[from, to)} as 5-bit codes, the first lowest. */
    static long pack(byte[] b, int from, int to) {
        long w = 0;
        for (int i = to - 1; i >= from; i--) {
            w = w << 5 | CODE[b[i] & 0xff];
        }
        return w;
    }

    /** Character {@code i} of a packed column. */
    static byte unpack(long w, int i) {
        return ALPHABET[(int) (w >>> (5 * i)) & 31];
    }
}
