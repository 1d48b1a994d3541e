package pinreplay.replay.gup;

import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.PageFlags;

/** Releasing what GUP took: unpin_user_pages() for FOLL_PIN, put_page() for FOLL_GET (mm/gup.c). */
public final class Unpin {
    private final EventContext ctx;
    private final MemMap memMap;

    public Unpin(EventContext ctx, MemMap memMap) {
        this.ctx = ctx;
        this.memMap = memMap;
    }

    /**
     * gup_put_folio() for every run from {@code mark} (unpin_user_pages(), or put_page() for FOLL_GET);
     * {@code dirty} marks page-cache folios dirty first (unpin_user_pages_dirty_lock(), set_page_dirty_lock()).
     */
    public void release(Extents out, int mark, boolean pin, boolean dirty) {
        for (int i = mark; i < out.size(); i++) {
            long kind = out.kind(i);
            if ((kind & (PageFlags.BAR | PageFlags.RESERVED)) != 0) {
                continue;
            }
            if (dirty && (kind & PageFlags.FILE) != 0) {
                memMap.setPageDirtyLock(out.pfn(i), out.len(i));
            }
            memMap.gupPutFolio(out.pfn(i), out.len(i), pin);
            ctx.cost(CostModel.PAGE_WALK_NS * out.len(i));
        }
        out.truncate(mark);
    }

    /** gup_put_folio() of one run a caller drops at once (unpin_user_page()). */
    public void put(long pfn, long pages, boolean pin) {
        memMap.gupPutFolio(pfn, pages, pin);
        ctx.cost(CostModel.PAGE_WALK_NS * pages);
    }
}
