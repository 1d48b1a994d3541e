package pinreplay.format.synth;

/**
 * What the synthesizer remembers of a regular file's page cache, to emit the tracepoints the kernel
 * would: {@code mm_filemap_add_to_page_cache} when a page first enters the cache
 * (__filemap_add_folio()), {@code writeback_dirty_folio} when a clean page is dirtied
 * (folio_account_dirtied()), and which pages a writeback pass cleans. Bitmaps are allocated at set-up
 * for files up to {@link #MAX_TRACKED_PAGES}; larger files get no per-page tracepoints.
 */
final class FileState {
    static final long MAX_TRACKED_PAGES = 1L << 22; // 16 GiB of 4 KiB pages: 512 KiB per bitmap

    final long ino;
    private final long[] cached;
    private final long[] dirty;

    FileState(long ino, long size) {
        this.ino = ino;
        long pages = size / Synth.PAGE;
        boolean track = pages > 0 && pages <= MAX_TRACKED_PAGES;
        int words = track ? (int) ((pages + 63) >>> 6) : 0;
        this.cached = new long[words];
        this.dirty = new long[words];
    }

    boolean tracked(long index) {
        return (index >>> 6) < cached.length;
    }

    /** Marks the page cached; true when it was not (the kernel adds it to the page cache now). */
    boolean addToCache(long index) {
        return set(cached, index);
    }

    /** Marks the page dirty; true when it was clean (the kernel accounts it dirtied now). */
    boolean dirty(long index) {
        return set(dirty, index);
    }

    /** A pin or populate faulted the whole file in for write: cached and dirty, no per-page lines. */
    void populateAll(boolean write) {
        java.util.Arrays.fill(cached, -1L);
        if (write) {
            java.util.Arrays.fill(dirty, -1L);
        }
    }

    /** Truncate or punch-hole removed {@code count} pages from {@code index} on from the cache. */
    void drop(long index, long count) {
        for (long i = index, end = index + count; i < end && tracked(i); i++) {
            cached[(int) (i >>> 6)] &= ~(1L << (i & 63));
            dirty[(int) (i >>> 6)] &= ~(1L << (i & 63));
        }
    }

    /** Writeback cleaned every dirty page. */
    void cleanAll() {
        java.util.Arrays.fill(dirty, 0L);
    }

    private boolean set(long[] bits, long index) {
        int w = (int) (index >>> 6);
        if (w >= bits.length) {
            return false;
        }
        long m = 1L << (index & 63);
        boolean was = (bits[w] & m) != 0;
        bits[w] |= m;
        return !was;
    }
}
