package pinreplay.replay.fs;

import pinreplay.format.Errno;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.range.Counters;

/**
 * Writeback of a file range: folio_clear_dirty_for_io() on each dirty folio, whose folio_mkclean()
 * write-protects and cleans every shared user PTE (mm/page-writeback.c, mm/rmap.c). A pinned folio is cleaned all
 * the same, which is the bug behind {@code write-to-clean-folio}.
 */
public final class Writeback {
    private final Profile profile;
    private final EventContext ctx;
    private final MemMap memMap;
    private final AddressSpace addressSpace;

    public Writeback(Profile profile, EventContext ctx, MemMap memMap, AddressSpace addressSpace) {
        this.profile = profile;
        this.ctx = ctx;
        this.memMap = memMap;
        this.addressSpace = addressSpace;
    }

    /** A folio of {@link #cleanRun} was dirtied behind the filesystem's back. */
    private boolean outOfBand;

    /**
     * Writes back {@code [offset, offset + len)} ({@code len < 0}: the whole file); returns 0, or -EUCLEAN when btrfs
     * refused a folio a device dirtied behind its back (extent_writepage(): no folio private, 6.12 with
     * CONFIG_BTRFS_EXPERIMENTAL; the folio is left clean, the error goes to fsync()).
     */
    public long writeback(Inode inode, long offset, long len) {
        outOfBand = false;
        writebackRange(inode, offset, len);
        if (refusedOutOfBand(inode) || inode.writebackError != 0) {
            inode.writebackError = 0; // file_check_and_advance_wb_err(): reported once
            return -Errno.EUCLEAN;
        }
        if (inode.undescribed && profile.btrfsRejectsOutOfBandDirty && ctx.observedIs(-Errno.EUCLEAN)) {
            // a file the recording never described: btrfs's, with folios a device dirtied where the recording cannot show
            ctx.assume(Inode.name(inode.ino) + " is btrfs's, its folios dirtied behind its back (not in the recording)");
            return -Errno.EUCLEAN;
        }
        return 0;
    }

    /**
     * The writeback before O_DIRECT (iomap_dio_rw(): kiocb_write_and_wait() for a read, kiocb_invalidate_pages() for a
     * write; filemap_write_and_wait_range() before 6.6): the page cache over the request is written and cleaned, whole
     * folios. A refusal goes to the file's next fsync() (mapping_set_error()).
     */
    public void beforeDirectIo(Inode inode, long offset, long len) {
        outOfBand = false;
        writebackRange(inode, offset, len);
        if (refusedOutOfBand(inode)) {
            inode.writebackError = -Errno.EUCLEAN;
        }
    }

    /** Whether the writeback just done met a folio btrfs refuses (extent_writepage(), 6.12 with CONFIG_BTRFS_EXPERIMENTAL). */
    private boolean refusedOutOfBand(Inode inode) {
        return outOfBand && inode.fs.type == FsType.BTRFS && profile.btrfsRejectsOutOfBandDirty;
    }

    /** The writeback of {@link #writeback}; returns the dirty pages it cleaned. */
    public long writebackRange(Inode inode, long offset, long len) {
        ctx.cost(CostModel.CALL_NS);
        if (!inode.fs.type.canWriteback() || inode.isDaxBacked(profile.daxEnabled())) {
            return 0;
        }
        long cleaned = 0;
        PageCache pc = inode.pageCache;
        // a folio is written and cleaned whole (folio_clear_dirty_for_io()): a range that cuts a large one takes all of it
        long from = pc.folioHead(memMap, offset >>> MemMap.PAGE_SHIFT);
        long last = (offset + Math.max(len, 1) - 1) >>> MemMap.PAGE_SHIFT;
        long to = len < 0 ? inode.sizePages() : pc.folioHead(memMap, last) + pc.folioPages(memMap, last);
        for (int i = pc.indexOf(from); i < pc.size() && pc.start(i) < to; i++) {
            if (!pc.cached(i)) {
                continue;
            }
            long s = Math.max(from, pc.start(i));
            long e = Math.min(to, pc.end(i));
            cleaned += cleanRun(inode, s, pc.pfnAt(i, s), e - s);
        }
        return cleaned;
    }

    /** folio_clear_dirty_for_io() over the dirty folios of one cached run; returns the pages cleaned. */
    private long cleanRun(Inode inode, long index, long pfn, long n) {
        Counters flags = memMap.flagsMap();
        long cleaned = 0;
        for (long p = pfn; p < pfn + n; ) {
            int j = flags.indexOf(p);
            long e = Math.min(pfn + n, flags.end(j));
            if ((flags.value(j) & PageFlags.DIRTY) != 0) {
                outOfBand |= (flags.value(j) & PageFlags.OUT_OF_BAND) != 0;
                addressSpace.mkcleanMappingRange(inode, index + (p - pfn), e - p);
                flags.clearBits(p, e, PageFlags.DIRTY | PageFlags.OUT_OF_BAND);
                ctx.cost(CostModel.WRITEBACK_PAGE_NS * (e - p));
                cleaned += e - p;
            }
            p = e;
        }
        return cleaned;
    }
}
