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
    /**
     * Extent kind bit, with {@link #FSDAX}: the block was freed after the pin took it, so whoever owns it now, even
     * {@link #ino} at {@link #index} again, was given it by a later allocation.
     */
    public static final long BLOCK_FREED = 1L << 21;

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
        roomForOneMore();
        off[n] = offPages;
        pfn[n] = frame;
        len[n] = pages;
        kind[n] = kindBits;
        ino[n] = ownerIno;
        index[n] = ownerIndex;
        n++;
    }

    /**
     * Marks the {@link #FSDAX} runs' frames within {@code [frame, frame + pages)} {@link #BLOCK_FREED}, splitting a run
     * at the range's ends (a truncate is rare: not a hot path).
     */
    public void markBlocksFreed(long frame, long pages) {
        for (int i = 0; i < n; i++) {
            long s = Math.max(pfn[i], frame);
            long e = Math.min(pfn[i] + len[i], frame + pages);
            if ((kind[i] & FSDAX) == 0 || (kind[i] & BLOCK_FREED) != 0 || s >= e) {
                continue;
            }
            if (e < pfn[i] + len[i]) {
                split(i, e - pfn[i]);
            }
            if (s > pfn[i]) {
                split(i, s - pfn[i]);
                i++;
            }
            kind[i] |= BLOCK_FREED;
        }
    }

    /** Cuts run {@code i} after its first {@code pages} pages into two runs. */
    private void split(int i, long pages) {
        roomForOneMore();
        int after = n - i - 1;
        System.arraycopy(off, i + 1, off, i + 2, after);
        System.arraycopy(pfn, i + 1, pfn, i + 2, after);
        System.arraycopy(len, i + 1, len, i + 2, after);
        System.arraycopy(kind, i + 1, kind, i + 2, after);
        System.arraycopy(ino, i + 1, ino, i + 2, after);
        System.arraycopy(index, i + 1, index, i + 2, after);
        off[i + 1] = off[i] + pages;
        pfn[i + 1] = pfn[i] + pages;
        len[i + 1] = len[i] - pages;
        kind[i + 1] = kind[i];
        ino[i + 1] = ino[i];
        index[i + 1] = index[i] + pages;
        len[i] = pages;
        n++;
    }

    private void roomForOneMore() {
        if (n == off.length) {
            int cap = n * 2;
            off = Arrays.copyOf(off, cap);
            pfn = Arrays.copyOf(pfn, cap);
            len = Arrays.copyOf(len, cap);
            kind = Arrays.copyOf(kind, cap);
            ino = Arrays.copyOf(ino, cap);
            index = Arrays.copyOf(index, cap);
        }
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
