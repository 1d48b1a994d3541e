package pinreplay.format.parse;

/**
 * A fixed set of ASCII names (event names, field keys, FOLL_* flags, errno names) mapped to small
 * ints. A lookup hashes four bytes of the candidate ({@link SymbolCache#slot}) and compares once,
 * instead of hashing every byte or scanning a list; nothing allocates.
 */
final class NameIndex {
    private static final int SLOTS = 1024;

    private final byte[][] names = new byte[SLOTS][];
    private final int[] values = new int[SLOTS];

    /** Adds {@code name}; a name already present keeps its first value. */
    NameIndex put(String name, int value) {
        byte[] n = Bytes.ascii(name);
        if (get(n, 0, n.length) >= 0) {
            return this;
        }
        int i = SymbolCache.slot(n, 0, n.length) & (SLOTS - 1);
        while (names[i] != null) {
            i = (i + 1) & (SLOTS - 1);
        }
        names[i] = n;
        values[i] = value;
        return this;
    }

    /** A plain loop: the names are short, and {@code Arrays.equals} costs more to set up than to run here. */
    private static boolean same(byte[] n, byte[] b, int from, int to) {
        if (n.length != to - from) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            if (n[i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** The value of the name {@code b[from, to)}, or -1. */
    int get(byte[] b, int from, int to) {
        for (int i = SymbolCache.slot(b, from, to) & (SLOTS - 1); names[i] != null; i = (i + 1) & (SLOTS - 1)) {
            if (same(names[i], b, from, to)) {
                return values[i];
            }
        }
        return -1;
    }
}
