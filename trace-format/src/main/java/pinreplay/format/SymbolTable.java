package pinreplay.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interned byte strings with dense ids from 1. The parser interns words, handles and task names
 * once and records carry the id; readers rebuild the same table from {@link EventType#SYMBOL}
 * records. Lookups hash the bytes in place: nothing is allocated except when a new symbol is added
 * (its bytes, and its String on first {@link #string(int)}).
 */
public final class SymbolTable {
    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int[] start = new int[1024];
    private int[] length = new int[1024];
    private int[] hashes = new int[1024];
    private String[] strings = new String[1024];
    private int count; // ids 1..count are defined
    private int[] table = new int[2048]; // open addressing: symbol id or 0
    private int mask = table.length - 1;

    /** Number of defined symbols; ids run from 1 to this. */
    public int size() {
        return count;
    }

    /** The id of {@code b[from, to)}, or 0 when it is not interned. */
    public int find(byte[] b, int from, int to) {
        int h = hash(b, from, to);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int id = table[i];
            if (id == 0) {
                return 0;
            }
            if (hashes[id] == h && equalsAt(id, b, from, to)) {
                return id;
            }
        }
    }

    /** Interns {@code b[from, to)} and returns its id (existing or new). */
    public int intern(byte[] b, int from, int to) {
        int id = find(b, from, to);
        return id != 0 ? id : add(b, from, to);
    }

    public int intern(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return intern(b, 0, b.length);
    }

    /** Defines the next id as these bytes (readers replaying {@link EventType#SYMBOL} records). */
    public int add(byte[] b, int from, int to) {
        int n = to - from;
        int id = ++count;
        if (id >= start.length) {
            int cap = start.length * 2;
            start = Arrays.copyOf(start, cap);
            length = Arrays.copyOf(length, cap);
            hashes = Arrays.copyOf(hashes, cap);
            strings = Arrays.copyOf(strings, cap);
        }
        if (arenaUsed + n > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + n));
        }
        System.arraycopy(b, from, arena, arenaUsed, n);
        start[id] = arenaUsed;
        length[id] = n;
        arenaUsed += n;
        int h = hash(b, from, to);
        hashes[id] = h;
        if (count * 2 > table.length) {
            rehash(table.length * 2);
        }
        insert(id, h);
        return id;
    }

    /** Forgets every symbol above {@code keep} (used to roll back a line that failed to parse). */
    public void truncate(int keep) {
        if (keep >= count) {
            return;
        }
        for (int id = keep + 1; id <= count; id++) {
            strings[id] = null;
        }
        arenaUsed = keep == 0 ? 0 : start[keep] + length[keep];
        count = keep;
        rehash(table.length);
    }

    public int length(int id) {
        return length[id];
    }

    /** Copies the symbol's bytes into {@code dst} at {@code off}; returns the length. */
    public int copy(int id, byte[] dst, int off) {
        System.arraycopy(arena, start[id], dst, off, length[id]);
        return length[id];
    }

    public boolean equalsAt(int id, byte[] b, int from, int to) {
        return length[id] == to - from && Arrays.equals(arena, start[id], start[id] + length[id], b, from, to);
    }

    /** The symbol as a String; created once per symbol and cached. */
    public String string(int id) {
        if (id <= 0 || id > count) {
            return "";
        }
        String s = strings[id];
        if (s == null) {
            s = new String(arena, start[id], length[id], StandardCharsets.UTF_8);
            strings[id] = s;
        }
        return s;
    }

    /** Whether symbol {@code id} equals the ASCII string {@code s}, without allocating. */
    public boolean is(int id, String s) {
        if (id <= 0 || id > count || length[id] != s.length()) {
            return false;
        }
        int p = start[id];
        for (int i = 0; i < s.length(); i++) {
            if (arena[p + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public void clear() {
        Arrays.fill(strings, 0, count + 1, null);
        count = 0;
        arenaUsed = 0;
        Arrays.fill(table, 0);
    }

    private void rehash(int size) {
        table = new int[size];
        mask = size - 1;
        for (int id = 1; id <= count; id++) {
            insert(id, hashes[id]);
        }
    }

    private void insert(int id, int h) {
        int i = h & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = id;
    }

    static int hash(byte[] b, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
