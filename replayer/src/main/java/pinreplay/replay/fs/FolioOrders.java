package pinreplay.replay.fs;

import pinreplay.replay.range.RangeMap;

/**
 * The size of the folios the kernel put in a file's page cache, as a recording shows them: file page to folio order
 * ({@code mm_filemap_add_to_page_cache}'s {@code order=}, include/trace/events/filemap.h, 5.16+). xfs caches files
 * in large folios from 5.18, ext4 and btrfs from later releases; the model's page cache takes those sizes when it
 * fills the pages, so writeback cleans, and GUP meets, what the kernel's did. Pages the recording never showed added
 * are small. Folios are naturally aligned in the file (a folio of order n starts at a multiple of 2^n pages).
 */
public final class FolioOrders extends RangeMap {
    public FolioOrders() {
        super(0, false, 0);
    }

    /** The kernel added a folio of {@code order} at file page {@code index}. */
    public void added(long index, int order) {
        long head = index & -(1L << order);
        set(head, head + (1L << order), order, 0);
    }

    /** The kernel took the folio at file page {@code index} out: whatever comes next is unknown. */
    public void deleted(long index) {
        int i = indexOf(index);
        long order = a(i);
        long head = index & -(1L << order);
        clear(head, head + (1L << order));
    }

    /** The order of the folios of range {@code i} ({@code 0}: small, or never seen). */
    public int orderAt(int i) {
        return (int) a(i);
    }
}
