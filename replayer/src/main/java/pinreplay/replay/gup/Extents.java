package pinreplay.replay.gup;

import java.util.Arrays;

/**
 * The frames a pin call took, as runs: page offset in the call, first frame, length, what kind of
 * memory it is, and for fsdax the file block that owned it when pinned (so a later DMA can tell that
 * the block moved to another file). Reused as the output buffer of GUP; copied into a registration.
 */
public final class Extents {
    /** Extent kind bit: fsdax (the frame is a block of {@link #ino}/{@link #index}). */
    public static final long FSDAX = 1L << 20;

    private int n;
    private long[] off;
    private long[] pfn;
    private long[] len;
    private long[] kind;
    private long[] ino;
    private long[] index;

    /** An empty buffer for GUP to fill. */
    public Extents() {
        this(8);
    }

    private Extents(int capacity) {
        off = new long[capacity];
        pfn = new long[capacity];
        len = new long[capacity];
        kind = new long[capacity];
        ino = new long[capacity];
        index = new long[capacity];
    }

    public int size() {
        return n;
    }

    public long off(int i) {
        return off[i];
    }

    public long pfn(int i) {
        return pfn[i];
    }

    public long len(int i) {
        return len[i];
    }

    public long kind(int i) {
        return kind[i];
    }

    public long ino(int i) {
        return ino[i];
    }

    public long index(int i) {
        return index[i];
    }

    /** Pages covered by extents {@code [from, size())}. */
    public long pages(int from) {
        long p = 0;
        for (int i = from; i < n; i++) {
            p += len[i];
        }
        return p;
    }

    public void clear() {
        n = 0;
    }

    /** Forgets extents from {@code mark} on (after they were released). */
    public void truncate(int mark) {
        n = mark;
    }

    /** Appends a run, merged into the last one when it continues it. */
    public void add(long offPages, long frame, long pages, long kindBits, long ownerIno, long ownerIndex) {
        if (n > 0) {
            int l = n - 1;
            boolean zero = (kindBits & pinreplay.replay.mm.PageFlags.ZERO) != 0;
            if (kind[l] == kindBits && off[l] + len[l] == offPages && ino[l] == ownerIno
                    && (zero || pfn[l] + len[l] == frame) && index[l] + len[l] == ownerIndex) {
                len[l] += pages;
                return;
            }
        }
        if (n == off.length) {
            int cap = n * 2;
            off = Arrays.copyOf(off, cap);
            pfn = Arrays.copyOf(pfn, cap);
            len = Arrays.copyOf(len, cap);
            kind = Arrays.copyOf(kind, cap);
            ino = Arrays.copyOf(ino, cap);
            index = Arrays.copyOf(index, cap);
        }
        off[n] = offPages;
        pfn[n] = frame;
        len[n] = pages;
        kind[n] = kindBits;
        ino[n] = ownerIno;
        index[n] = ownerIndex;
        n++;
    }

    /** Adds kind bits to extent {@code i}. */
    public void addKind(int i, long bits) {
        kind[i] |= bits;
    }

    /** An exact-size copy (a registration keeps it). */
    public Extents copy() {
        Extents c = new Extents(Math.max(1, n));
        c.n = n;
        System.arraycopy(off, 0, c.off, 0, n);
        System.arraycopy(pfn, 0, c.pfn, 0, n);
        System.arraycopy(len, 0, c.len, 0, n);
        System.arraycopy(kind, 0, c.kind, 0, n);
        System.arraycopy(ino, 0, c.ino, 0, n);
        System.arraycopy(index, 0, c.index, 0, n);
        return c;
    }
}
