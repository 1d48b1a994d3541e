package pinreplay.format;

/**
 * The advice of a native {@code madvise} event: the MADV_* values of include/uapi/asm-generic/mman-common.h,
 * named in text by the constant in lower case without its prefix ({@code dontneed}), or given as a number.
 */
public final class Madv {
    public static final int NORMAL = 0, RANDOM = 1, SEQUENTIAL = 2, WILLNEED = 3, DONTNEED = 4, FREE = 8, REMOVE = 9,
            DONTFORK = 10, DOFORK = 11, MERGEABLE = 12, UNMERGEABLE = 13, HUGEPAGE = 14, NOHUGEPAGE = 15,
            DONTDUMP = 16, DODUMP = 17, WIPEONFORK = 18, KEEPONFORK = 19, COLD = 20, PAGEOUT = 21,
            POPULATE_READ = 22, POPULATE_WRITE = 23, DONTNEED_LOCKED = 24, COLLAPSE = 25, HWPOISON = 100,
            SOFT_OFFLINE = 101, GUARD_INSTALL = 102, GUARD_REMOVE = 103;
    /** Names by value (null: no advice has that value). */
    private static final String[] NAMES = new String[GUARD_REMOVE + 1];
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];

    static {
        String[] n = {"normal", "random", "sequential", "willneed", "dontneed", null, null, null, "free", "remove",
            "dontfork", "dofork", "mergeable", "unmergeable", "hugepage", "nohugepage", "dontdump", "dodump",
            "wipeonfork", "keeponfork", "cold", "pageout", "populate_read", "populate_write", "dontneed_locked",
            "collapse"};
        System.arraycopy(n, 0, NAMES, 0, n.length);
        NAMES[HWPOISON] = "hwpoison";
        NAMES[SOFT_OFFLINE] = "soft_offline";
        NAMES[GUARD_INSTALL] = "guard_install";
        NAMES[GUARD_REMOVE] = "guard_remove";
        for (int i = 0; i < NAMES.length; i++) {
            NAME_BYTES[i] = NAMES[i] == null ? null : NAMES[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private Madv() {
    }

    /** The advice {@code text} names (a name or a decimal number below 2^31), or -1 when it names none. */
    public static int of(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return of(b, 0, b.length);
    }

    /** {@link #of(String)} of the ASCII text {@code b[from, to)}; allocation-free. */
    public static int of(byte[] b, int from, int to) {
        for (int i = 0; i < NAME_BYTES.length; i++) {
            byte[] n = NAME_BYTES[i];
            if (n != null && java.util.Arrays.equals(n, 0, n.length, b, from, to)) {
                return i;
            }
        }
        if (to <= from || to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
