package pinreplay.format.parse;

import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.SymbolTable;
import pinreplay.format.ValueType;

/**
 * Interns through a direct-mapped cache of recent symbols (task names, handles, words): a hit costs
 * a short byte comparison instead of hashing every byte and probing the table. Every symbol the
 * parser interns goes through here, so a drop in the table's size (an aborted record forgot its new
 * symbols) is seen before the next lookup and empties the cache.
 */
final class SymbolCache {
    private static final int SLOTS = 1024;
    /** Longer symbols (rare: paths, probe columns) go straight to the table. */
    private static final int MAX_CACHED = 48;

    private final EventWriter out;
    private final SymbolTable symbols;
    private final int[] ids = new int[SLOTS];
    private final int[] lengths = new int[SLOTS];
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
        int slot = slot(b, from, to);
        int id = ids[slot];
        if (id != 0 && lengths[slot] == n && same(slot * MAX_CACHED, b, from, n)) {
            return id;
        }
        id = symbols.intern(b, from, to);
        ids[slot] = id;
        lengths[slot] = n;
        System.arraycopy(b, from, bytes, slot * MAX_CACHED, n);
        return remember(id);
    }

    private int remember(int id) {
        high = symbols.size();
        return id;
    }

    private boolean same(int at, byte[] b, int from, int n) {
        for (int i = 0; i < n; i++) {
            if (bytes[at + i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The length and four bytes of a name (both ends and the middle), mixed with shifts rather than a
     * multiply chain: enough to spread handles like h0..h63 and the event and key names.
     */
    static int slot(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return 0;
        }
        int h = n ^ b[from] << 3 ^ b[from + (n >> 1)] << 6 ^ b[to - 1] << 1 ^ (n > 1 ? b[to - 2] << 4 : 0);
        return (h ^ h >>> 7) & (SLOTS - 1);
    }
}
