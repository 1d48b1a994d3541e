package pinreplay.format.parse;

import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.SymbolTable;
import pinreplay.format.ValueType;

/**
 * Interns through a direct-mapped cache of recent symbols (task names, handles, words): a hit costs
 * two word loads and compares ({@link Words}) instead of hashing every byte and probing the table.
 * Slots are packed (both words, then {@code id << 32 | length}) to stay in few cache lines. Every
 * symbol the parser interns goes through here, so a drop in the table's size (an aborted record
 * forgot its new symbols) is seen before the next lookup and empties the cache.
 */
final class SymbolCache {
    private static final int SLOTS = 512;
    private static final int MASK = SLOTS - 1;
    /** Longer symbols (rare: long paths, probe columns) go straight to the table. */
    private static final int MAX_CACHED = 48;

    private final EventWriter out;
    private final SymbolTable symbols;
    private final long[] slots = new long[SLOTS * 3];
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
            java.util.Arrays.fill(slots, 0);
        }
        if (n > MAX_CACHED) {
            return remember(symbols.intern(b, from, to));
        }
        long first = Words.first(b, from, to);
        long last = Words.last(b, from, to);
        int slot = Words.hash(first, last, n, MASK);
        int s = slot * 3;
        long meta = slots[s + 2];
        if (meta != 0 && slots[s] == first && slots[s + 1] == last && (int) meta == n
                && (n <= 16 || Words.middleEquals(bytes, slot * MAX_CACHED, b, from, n))) {
            return (int) (meta >>> 32);
        }
        int id = symbols.intern(b, from, to);
        slots[s] = first;
        slots[s + 1] = last;
        slots[s + 2] = (long) id << 32 | n;
        System.arraycopy(b, from, bytes, slot * MAX_CACHED, n);
        return remember(id);
    }

    private int remember(int id) {
        high = symbols.size();
        return id;
    }
}
