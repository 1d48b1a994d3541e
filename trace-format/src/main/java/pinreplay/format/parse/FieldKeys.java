package pinreplay.format.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
    /** The bytes of {@link #KEY_EQ_WORDS} that count: {@code min(8, key length + 1)}. */
    private static final long[] KEY_EQ_MASKS = new long[FIELDS.length];
    private static final byte[] KIND = new byte[FIELDS.length];
    private static final NameIndex INDEX = new NameIndex(FIELDS.length);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Keys of at most eight bytes (nearly all), by a perfect hash of their one word: the top bits of
     * {@code word * SHORT_MULTIPLIER} are a slot no other such key has. Slots hold the word and
     * {@code ordinal << 8 | length}; an empty slot's length 0 never matches.
     */
    private static final int SHORT_BITS = 9;
    private static final long[] SHORT_WORDS = new long[1 << SHORT_BITS];
    private static final int[] SHORT_META = new int[1 << SHORT_BITS];
    private static final long SHORT_MULTIPLIER = perfectMultiplier();

    static {
        for (Field f : FIELDS) {
            KEYS[f.ordinal()] = Bytes.ascii(f.key());
            byte[] keyEq = Bytes.ascii(f.key() + "=");
            KEY_EQ_WORDS[f.ordinal()] = Words.first(keyEq, 0, keyEq.length);
            KEY_EQ_MASKS[f.ordinal()] = -1L >>> (64 - (Math.min(keyEq.length, Long.BYTES) << 3));
            INDEX.put(f.key(), f.ordinal());
            if (keyEq.length - 1 <= Long.BYTES) {
                long word = Words.first(keyEq, 0, keyEq.length - 1);
                int slot = shortSlot(word);
                SHORT_WORDS[slot] = word;
                SHORT_META[slot] = f.ordinal() << 8 | keyEq.length - 1;
            }
        }
        // Contract section 2: handles and enumerations are words, even when they look like numbers.
        kind(WORD, Field.HANDLE, Field.FS, Field.PROT, Field.FLAGS, Field.MODE, Field.ACCESS, Field.RW,
                Field.PROBE, Field.FUNC, Field.EVENT_NAME, Field.SYSCALL, Field.ADVICE);
        // Addresses, lengths, counts, inode numbers and the 0/1 switches.
        kind(NUMBER, Field.INO, Field.SIZE, Field.ADDR, Field.LEN, Field.PGOFF, Field.OFFSET, Field.START,
                Field.NR_PAGES, Field.VADDR, Field.IOVA, Field.BUF, Field.MM, Field.DAX, Field.HUGETLB,
                Field.PFNMAP, Field.POPULATE, Field.WRITE, Field.DIRTY, Field.END, Field.CAP_IPC_LOCK, Field.UID,
                Field.EUID, Field.SUID, Field.LOCKED_VM, Field.PINNED_VM, Field.USER_LOCKED_VM, Field.LOCKED,
                Field.SEALS, Field.PAGESIZE, Field.NORESERVE, Field.DROPPABLE);
        kind(RESULT, Field.RET, Field.RETVAL);
        kind(GUP_FLAGS, Field.GUP_FLAGS);
    }

    private FieldKeys() {
    }

    /** The first odd multiplier, from a fixed sequence, that gives every short key a slot of its own. */
    private static long perfectMultiplier() {
        boolean[] used = new boolean[1 << SHORT_BITS];
        for (long m = 0x9E3779B97F4A7C15L; ; m += 0x632BE59BD9B4E01AL) {
            java.util.Arrays.fill(used, false);
            boolean perfect = true;
            for (Field f : FIELDS) {
                byte[] k = Bytes.ascii(f.key());
                if (k.length <= Long.BYTES) {
                    int slot = (int) (((Words.first(k, 0, k.length)) * (m | 1)) >>> (64 - SHORT_BITS));
                    perfect &= !used[slot];
                    used[slot] = true;
                }
            }
            if (perfect) {
                return m | 1;
            }
        }
    }

    private static int shortSlot(long word) {
        return (int) ((word * SHORT_MULTIPLIER) >>> (64 - SHORT_BITS));
    }

    private static void kind(byte k, Field... fields) {
        for (Field f : fields) {
            KIND[f.ordinal()] = k;
        }
    }

    static byte kind(Field f) {
        return KIND[f.ordinal()];
    }

    static byte kind(int ordinal) {
        return KIND[ordinal];
    }

    static Field field(int ordinal) {
        return FIELDS[ordinal];
    }

    static byte[] bytes(Field f) {
        return KEYS[f.ordinal()];
    }

    /** Whether {@code b[from, to)} starts with {@code key=}; one word compare for keys of up to 7 bytes. */
    static boolean startsWithKeyEq(Field f, byte[] b, int from, int to) {
        int o = f.ordinal();
        byte[] k = KEYS[o];
        int n = k.length + 1;
        if (to - from < n) {
            return false;
        }
        // one masked load (the buffer has a word's room past nearly every key); Words.first() near the array's end
        long w = from + Long.BYTES <= b.length ? (long) LONGS.get(b, from) & KEY_EQ_MASKS[o]
                : Words.first(b, from, from + Math.min(n, Long.BYTES));
        if (w != KEY_EQ_WORDS[o]) {
            return false;
        }
        return n <= 8 || Bytes.startsWith(b, from, to, k) && b[from + k.length] == '=';
    }

    /** The field named {@code b[from, to)}, or null. */
    static Field lookup(byte[] b, int from, int to) {
        int i = ordinal(b, from, to);
        return i < 0 ? null : FIELDS[i];
    }

    /** The {@link Field} ordinal of the key {@code b[from, to)} ({@code to > from}), or -1. */
    static int ordinal(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= Long.BYTES && from + Long.BYTES <= b.length) {
            long w = (long) LONGS.get(b, from) & (-1L >>> (64 - (n << 3)));
            int slot = shortSlot(w);
            int meta = SHORT_META[slot];
            return SHORT_WORDS[slot] == w && (meta & 0xff) == n ? meta >>> 8 : -1;
        }
        return INDEX.get(b, from, to);
    }
}
