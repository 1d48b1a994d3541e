package pinreplay.replay.range;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * An open-addressing map from long keys (pids, inode numbers, handle symbol ids) to objects: no boxing
 * on lookup or insert. {@link Long#MIN_VALUE} marks an empty slot, so that key (an inode number or address a trace
 * may name) is kept beside the table.
 */
public final class LongObjectMap<V> {
    private static final long EMPTY = Long.MIN_VALUE;

    private long[] keys = newKeys(64);
    private Object[] values = new Object[64];
    private int size;
    private boolean hasEmptyKey;
    private Object emptyKeyValue;

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        if (key == EMPTY) {
            return (V) emptyKeyValue;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    /** The value of {@code key}, made by {@code make} and put first when there is none. */
    public V computeIfAbsent(long key, LongFunction<? extends V> make) {
        V v = get(key);
        if (v == null) {
            v = make.apply(key);
            put(key, v);
        }
        return v;
    }

    public void put(long key, V value) {
        if (key == EMPTY) {
            size += hasEmptyKey ? 0 : 1;
            hasEmptyKey = true;
            emptyKeyValue = value;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /** Removes {@code key}; backward-shift deletion keeps probe chains intact. */
    public void remove(long key) {
        if (key == EMPTY) {
            size -= hasEmptyKey ? 1 : 0;
            hasEmptyKey = false;
            emptyKeyValue = null;
            return;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == EMPTY) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = EMPTY;
        values[i] = null;
        size--;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = EMPTY;
                values[j] = null;
                i = j;
            }
        }
    }

    /** Keys in ascending order (allocates; for reports and rare scans, never per event). */
    public long[] sortedKeys() {
        long[] sorted = Arrays.stream(keys).filter(k -> k != EMPTY).sorted().toArray();
        if (!hasEmptyKey) {
            return sorted;
        }
        long[] all = new long[sorted.length + 1];
        all[0] = EMPTY; // the smallest long
        System.arraycopy(sorted, 0, all, 1, sorted.length);
        return all;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] ok = keys;
        Object[] ov = values;
        keys = newKeys(ok.length * 2);
        values = new Object[ok.length * 2];
        size = hasEmptyKey ? 1 : 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                put(ok[i], (V) ov[i]);
            }
        }
    }

    private static long[] newKeys(int n) {
        long[] k = new long[n];
        Arrays.fill(k, EMPTY);
        return k;
    }

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
