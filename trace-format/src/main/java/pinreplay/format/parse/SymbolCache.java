package pinreplay.format.parse;

import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.SymbolTable;
import pinreplay.format.ValueType;

/**
 * Interns through a direct-mapped cache of recent symbols (task names, handles, words): a hit costs
 * two word loads and compares ({@link Words}) instead of hashing every byte and probing the table.
 * Every symbol the parser interns goes through here, so a drop in the table's size (an aborted record
 * forgot its new symbols) is seen before the next lookup and empties the cache.
 */
final class SymbolCache {
    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;
    /** Longer symbols (rare: paths, probe columns) go straight to the table. */
    private static final int MAX_CACHED = 48;

    private final EventWriter out;
    private final SymbolTable symbols;
    private final int[] ids = new int[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final long[] firsts = new long[SLOTS];
    private final long[] lasts = new long[SLOTS];
    private final byte[] bytes = new byte[SLOTS * MAX_CACHED];
    private int high;

    SymbolCache(EventWriter out) {
        this.out = out;
        this.symbols = out.symbols();
    }

    /** Adds {@code f} = the symbol {@code b[from, to)} to the open record. */
    void field(Field f, byte[] b, int from, int to) {
        out.field(f, ValueType.SYM, intern(b, from, to));
    }

    int intern(byte[] b, int from, int to) {
        int n = to - from;
        if (symbols.size() < high) {
            java.util.Arrays.fill(ids, 0);
        }
        if (n > MAX_CACHED) {
            return remember(symbols.intern(b, from, to));
        }
        long first = Words.first(b, from, to);
        long last = Words.last(b, from, to);
        int slot = Words.hash(first, last, n, MASK);
        int id = ids[slot];
        if (id != 0 && firsts[slot] == first && lasts[slot] == last && lengths[slot] == n
                && (n <= 16 || Words.middleEquals(bytes, slot * MAX_CACHED, b, from, n))) {
            return id;
        }
        id = symbols.intern(b, from, to);
        ids[slot] = id;
        lengths[slot] = n;
        firsts[slot] = first;
        lasts[slot] = last;
        System.arraycopy(b, from, bytes, slot * MAX_CACHED, n);
        return remember(id);
    }

    private int remember(int id) {
        high = symbols.size();
        return id;
    }
}
