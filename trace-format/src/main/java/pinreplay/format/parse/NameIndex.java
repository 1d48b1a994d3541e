package pinreplay.format.parse;

/**
 * A fixed set of ASCII names (event names, field keys, FOLL_* flags, errno names) mapped to small
 * ints. A lookup reads the candidate a word at a time ({@link Words}) and compares words, not bytes;
 * the slots are packed (both words, then length and value) and sized to the set, so a lookup touches
 * one or two cache lines. Nothing allocates.
 */
final class NameIndex {
    private final int mask;
    /** Per slot: first word, last word, then {@code length << 32 | value}; length 0 marks a free slot. */
    private final long[] slots;
    private final byte[][] names;

    /** An index for at most {@code capacity} names. */
    NameIndex(int capacity) {
        int size = Integer.highestOneBit(Math.max(capacity, 4) * 4 - 1) << 1;
        mask = size - 1;
        slots = new long[size * 3];
        names = new byte[size][];
    }

    /** Adds the non-empty {@code name}; a name already present keeps its first value. */
    NameIndex put(String name, int value) {
        byte[] n = Bytes.ascii(name);
        if (n.length == 0 || get(n, 0, n.length) >= 0) {
            return this;
        }
        long first = Words.first(n, 0, n.length);
        long last = Words.last(n, 0, n.length);
        int i = Words.hash(first, last, n.length, mask);
        while (slots[i * 3 + 2] != 0) {
            i = (i + 1) & mask;
        }
        slots[i * 3] = first;
        slots[i * 3 + 1] = last;
        slots[i * 3 + 2] = (long) n.length << 32 | value;
        names[i] = n;
        return this;
    }

    /** The value of the name {@code b[from, to)}, or -1. */
    int get(byte[] b, int from, int to) {
        int n = to - from;
        long first = Words.first(b, from, to);
        long last = Words.last(b, from, to);
        for (int i = Words.hash(first, last, n, mask); ; i = (i + 1) & mask) {
            long meta = slots[i * 3 + 2];
            if (meta == 0) {
                return -1;
            }
            if (slots[i * 3] == first && slots[i * 3 + 1] == last && (int) (meta >>> 32) == n
                    && (n <= 16 || Words.middleEquals(names[i], 0, b, from, n))) {
                return (int) meta;
            }
        }
    }
}
