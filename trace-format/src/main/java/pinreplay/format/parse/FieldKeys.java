package pinreplay.format.parse;

import pinreplay.format.Field;

/**
 * The {@link Field} keys as bytes, the lookup from key bytes to field (the parser calls it for every
 * {@code key=value}), and how each native field's value must look.
 */
final class FieldKeys {
    /** Value kinds of native fields; a value of the wrong kind makes the line malformed. */
    static final byte ANY = 0, WORD = 1, NUMBER = 2, RESULT = 3, GUP_FLAGS = 4;

    private static final Field[] FIELDS = Field.values();
    private static final byte[][] KEYS = new byte[FIELDS.length][];
    /** Each key followed by {@code '='}, as {@link Words#first} reads it (the first eight bytes). */
    private static final long[] KEY_EQ_WORDS = new long[FIELDS.length];
    private static final byte[] KIND = new byte[FIELDS.length];
    private static final NameIndex INDEX = new NameIndex(FIELDS.length);

    static {
        for (Field f : FIELDS) {
            KEYS[f.ordinal()] = Bytes.ascii(f.key());
            byte[] keyEq = Bytes.ascii(f.key() + "=");
            KEY_EQ_WORDS[f.ordinal()] = Words.first(keyEq, 0, keyEq.length);
            INDEX.put(f.key(), f.ordinal());
        }
        // Contract section 2: handles and enumerations are words, even when they look like numbers.
        kind(WORD, Field.HANDLE, Field.FS, Field.PROT, Field.FLAGS, Field.MODE, Field.ACCESS, Field.RW,
                Field.PROBE, Field.FUNC, Field.EVENT_NAME);
        // Addresses, lengths, counts, inode numbers and the 0/1 switches.
        kind(NUMBER, Field.INO, Field.SIZE, Field.ADDR, Field.LEN, Field.PGOFF, Field.OFFSET, Field.START,
                Field.NR_PAGES, Field.VADDR, Field.IOVA, Field.BUF, Field.MM, Field.DAX, Field.HUGETLB,
                Field.PFNMAP, Field.POPULATE, Field.WRITE, Field.DIRTY);
        kind(RESULT, Field.RET, Field.RETVAL);
        kind(GUP_FLAGS, Field.GUP_FLAGS);
    }

    private FieldKeys() {
    }

    private static void kind(byte k, Field... fields) {
        for (Field f : fields) {
            KIND[f.ordinal()] = k;
        }
    }

    static byte kind(Field f) {
        return KIND[f.ordinal()];
    }

    static byte[] bytes(Field f) {
        return KEYS[f.ordinal()];
    }

    /** Whether {@code b[from, to)} starts with {@code key=}; one word compare for keys of up to 7 bytes. */
    static boolean startsWithKeyEq(Field f, byte[] b, int from, int to) {
        byte[] k = KEYS[f.ordinal()];
        int n = k.length + 1;
        if (to - from < n || Words.first(b, from, from + Math.min(n, 8)) != KEY_EQ_WORDS[f.ordinal()]) {
            return false;
        }
        return n <= 8 || Bytes.startsWith(b, from, to, k) && b[from + k.length] == '=';
    }

    /** The field named {@code b[from, to)}, or null. */
    static Field lookup(byte[] b, int from, int to) {
        int i = INDEX.get(b, from, to);
        return i < 0 ? null : FIELDS[i];
    }
}
