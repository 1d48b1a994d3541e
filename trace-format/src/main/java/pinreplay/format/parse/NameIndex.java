package pinreplay.format.parse;

/**
 * A fixed set of ASCII names (event names, field keys, FOLL_* flags, errno names) mapped to small
 * ints. A lookup reads the candidate a word at a time ({@link Words}) and compares words, not bytes;
 * nothing allocates.
 */
final class NameIndex {
    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;

    private final byte[][] names = new byte[SLOTS][];
    private final long[] firsts = new long[SLOTS];
    private final long[] lasts = new long[SLOTS];
    private final int[] values = new int[SLOTS];

    /** Adds {@code name}; a name already present keeps its first value. */
    NameIndex put(String name, int value) {
        byte[] n = Bytes.ascii(name);
        if (get(n, 0, n.length) >= 0) {
            return this;
        }
        long first = Words.first(n, 0, n.length);
        long last = Words.last(n, 0, n.length);
        int i = Words.hash(first, last, n.length, MASK);
        while (names[i] != null) {
            i = (i + 1) & MASK;
        }
        names[i] = n;
        firsts[i] = first;
        lasts[i] = last;
        values[i] = value;
        return this;
    }

    /** The value of the name {@code b[from, to)}, or -1. */
    int get(byte[] b, int from, int to) {
        int n = to - from;
        long first = Words.first(b, from, to);
        long last = Words.last(b, from, to);
        for (int i = Words.hash(first, last, n, MASK); names[i] != null; i = (i + 1) & MASK) {
            if (firsts[i] == first && lasts[i] == last && names[i].length == n
                    && (n <= 16 || Words.middleEquals(names[i], 0, b, from, n))) {
                return values[i];
            }
        }
        return -1;
    }
}
