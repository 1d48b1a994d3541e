package pinreplay.replay.range;

import java.util.Arrays;

/**
 * A partition of the key space {@code [0, Long.MAX_VALUE)} into ranges, each carrying two longs
 * {@code a} and {@code b}. State is kept per range, never per key: mapping or pinning 1 TiB costs one
 * entry, whatever the page count. Neighbouring ranges with equal values coalesce.
 *
 * <p>{@code b} may be <em>linear</em> (the value at key {@code k} is {@code b + (k - start)}), which is
 * how a page table or a page cache maps consecutive pages to consecutive frames; ranges whose
 * {@code a} has a bit of {@code constantMask} set keep {@code b} constant instead (the zero page,
 * mapped at every address of a range).
 *
 * <p>Lookups are binary searches; splitting or merging moves the tail of the arrays (a memmove), so
 * cost grows with the number of distinct ranges, never with the number of keys. Iterate with
 * {@link #indexOf(long)}, {@link #start(int)}, {@link #end(int)} and the columns: nothing is allocated.
 *
 * <p>Each map of the model is a subclass naming its columns ({@code PageTable.pte()}, {@code pfnAt()}...); call
 * sites read those; only code printing any map reads {@link #a(int)} and {@link #b(int)}.
 */
public class RangeMap {
    private long[] keys = new long[16];
    private long[] as = new long[16];
    private long[] bs = new long[16];
    private int n;
    /** The range the last lookup found: consecutive lookups of one event mostly land in it again. */
    private int hint;
    private final long defaultA;
    private final boolean linear;
    private final long constantMask;

    public RangeMap(long defaultA, boolean linear, long constantMask) {
        this.defaultA = defaultA;
        this.linear = linear;
        this.constantMask = constantMask;
        n = 1;
        as[0] = defaultA;
    }

    /** Index of the range holding key {@code k}. */
    public final int indexOf(long k) {
        int h = hint;
        if (h < n && keys[h] <= k && (h + 1 == n || k < keys[h + 1])) {
            return h;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (keys[mid] <= k) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        hint = lo;
        return lo;
    }

    /** Number of ranges (the memory it costs). */
    public final int size() {
        return n;
    }

    public final long start(int i) {
        return keys[i];
    }

    public final long end(int i) {
        return i + 1 < n ? keys[i + 1] : Long.MAX_VALUE;
    }

    public final long a(int i) {
        return as[i];
    }

    /** {@code b} at the start of range {@code i}. */
    public final long b(int i) {
        return bs[i];
    }

    /** {@code b} at key {@code k} inside range {@code i}. */
    public final long bAt(int i, long k) {
        return isLinear(as[i]) ? bs[i] + (k - keys[i]) : bs[i];
    }

    /** {@code a} at key {@code k}. */
    public final long aOf(long k) {
        return as[indexOf(k)];
    }

    /** {@code b} at key {@code k}. */
    public final long bOf(long k) {
        return bAt(indexOf(k), k);
    }

    /** Sets {@code [from, to)} to {@code (a, b)}; {@code b} is the value at {@code from}. */
    public final void set(long from, long to, long a, long b) {
        if (from >= to) {
            return;
        }
        int i = splitAt(from);
        int j = splitAt(to);
        // Ranges i..j-1 collapse into one.
        if (j - i > 1) {
            remove(i + 1, j - i - 1);
        }
        as[i] = a;
        bs[i] = b;
        coalesceAround(i);
    }

    /** Clears {@code [from, to)} back to the default value. */
    public final void clear(long from, long to) {
        set(from, to, defaultA, 0);
    }

    /** Adds {@code delta} to {@code a} over {@code [from, to)}. */
    public final void add(long from, long to, long delta) {
        apply(from, to, OP_ADD, delta);
    }

    /** Sets bits of {@code a} over {@code [from, to)}. */
    public final void setBits(long from, long to, long bits) {
        apply(from, to, OP_OR, bits);
    }

    /** Clears bits of {@code a} over {@code [from, to)}. */
    public final void clearBits(long from, long to, long bits) {
        apply(from, to, OP_ANDNOT, bits);
    }

    /** Whether some key in {@code [from, to)} has {@code a & mask} non-zero. */
    public final boolean any(long from, long to, long mask) {
        for (int i = indexOf(from); i < n && keys[i] < to; i++) {
            if ((as[i] & mask) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Largest {@code a} over {@code [from, to)}. */
    public final long max(long from, long to) {
        long m = Long.MIN_VALUE;
        for (int i = indexOf(from); i < n && keys[i] < to; i++) {
            m = Math.max(m, as[i]);
        }
        return m;
    }

    /** Copies {@code src}'s ranges over {@code [from, to)} into this map, shifted by {@code shift}. */
    public final void copyFrom(RangeMap src, long from, long to, long shift) {
        for (int i = src.indexOf(from); i < src.n && src.keys[i] < to; i++) {
            long s = Math.max(from, src.keys[i]);
            long e = Math.min(to, src.end(i));
            set(s + shift, e + shift, src.as[i], src.bAt(i, s));
        }
    }

    private static final int OP_ADD = 0;
    private static final int OP_OR = 1;
    private static final int OP_ANDNOT = 2;

    private void apply(long from, long to, int op, long v) {
        if (from >= to) {
            return;
        }
        int i = splitAt(from);
        int j = splitAt(to);
        for (int k = i; k < j; k++) {
            switch (op) {
                case OP_ADD -> as[k] += v;
                case OP_OR -> as[k] |= v;
                default -> as[k] &= ~v;
            }
        }
        // Merge inside the span, then at both edges.
        int k = Math.max(i, 1);
        int last = j;
        while (k <= last && k < n) {
            if (mergeable(k - 1, k)) {
                remove(k, 1);
                last--;
            } else {
                k++;
            }
        }
    }

    private boolean isLinear(long a) {
        return linear && (a & constantMask) == 0;
    }

    /** Ensures a range starts at {@code k}; returns its index ({@code n} for k = MAX). */
    private int splitAt(long k) {
        if (k == Long.MAX_VALUE) {
            return n;
        }
        int i = indexOf(k);
        if (keys[i] == k) {
            return i;
        }
        insert(i + 1, k, as[i], bAt(i, k));
        return i + 1;
    }

    private void coalesceAround(int i) {
        if (i + 1 < n && mergeable(i, i + 1)) {
            remove(i + 1, 1);
        }
        if (i > 0 && mergeable(i - 1, i)) {
            remove(i, 1);
        }
    }

    private boolean mergeable(int i, int j) {
        if (as[i] != as[j]) {
            return false;
        }
        if (as[i] == defaultA) {
            return true;
        }
        return isLinear(as[i]) ? bs[j] == bs[i] + (keys[j] - keys[i]) : bs[j] == bs[i];
    }

    private void insert(int at, long k, long a, long b) {
        if (n == keys.length) {
            int cap = n * 2;
            keys = Arrays.copyOf(keys, cap);
            as = Arrays.copyOf(as, cap);
            bs = Arrays.copyOf(bs, cap);
        }
        int tail = n - at;
        System.arraycopy(keys, at, keys, at + 1, tail);
        System.arraycopy(as, at, as, at + 1, tail);
        System.arraycopy(bs, at, bs, at + 1, tail);
        keys[at] = k;
        as[at] = a;
        bs[at] = b;
        n++;
    }

    private void remove(int at, int count) {
        int tail = n - at - count;
        System.arraycopy(keys, at + count, keys, at, tail);
        System.arraycopy(as, at + count, as, at, tail);
        System.arraycopy(bs, at + count, bs, at, tail);
        n -= count;
    }
}
