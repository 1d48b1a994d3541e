package pinreplay.replay.dev;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.range.LongObjectMap;

/**
 * O_DIRECT: the block layer takes short-term references on the user buffer (FOLL_GET through 6.2 as
 * observed on 6.1, FOLL_PIN once bio_iov_iter_get_pages() moved to iov_iter_extract_pages()); the device
 * transfers at completion, and a read dirties the buffer before release.
 */
public final class DirectIo extends Pinner {
    private final DmaAccess dma;
    /**
     * A submit that did not get every page, by handle: its errno (what its completion reports), 1 when its buffer
     * was a hole (nothing got).
     */
    private final LongObjectMap<long[]> failedSubmits = new LongObjectMap<>();

    public DirectIo(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup, DmaAccess dma) {
        super(profile, ctx, faults, unpin, registrations, gup);
        this.dma = dma;
    }

    /**
     * Submission: pins the buffer. A pin short of the buffer fails the whole request: iomap_dio_bio_iter() submits
     * the bios whose pages it got, and the next one's bio_iov_iter_get_pages() error becomes the request's
     * (iomap_dio_set_error(), -EFAULT; observed on 5.10 to 7.2 with ext4). 0 or -errno.
     */
    public long submit(Mm mm, int handle, long buf, long len, boolean read) {
        ctx.cost(CostModel.CALL_NS);
        if (len <= 0) {
            return -Errno.EINVAL;
        }
        long n = pagesSpanned(buf, len);
        GupEntry e = profile.dioFollPin ? GupEntry.PIN_USER_PAGES_FAST : GupEntry.GET_USER_PAGES_FAST;
        batch.clear();
        long pinned = gup.call(e, mm, buf & -MemMap.PAGE_SIZE, n, read ? Foll.WRITE : 0, batch, 0);
        if (pinned <= 0) {
            long err = pinned == 0 ? -Errno.EFAULT : pinned;
            failedSubmits.put(handle, new long[] {err, mm.vmaLookup(buf) == null ? 1 : 0});
            return err;
        }
        long bytes = Math.min(len, (pinned << MemMap.PAGE_SHIFT) - (buf & (MemMap.PAGE_SIZE - 1)));
        if (pinned < n) {
            failedSubmits.put(handle, new long[] {-Errno.EFAULT, 0});
        }
        register(Registration.Kind.DIO, handle, mm, e.pin, read, buf, 0, bytes, 0).dioRead = read;
        return 0;
    }

    /** Completion: the device transfers, then the pages are released (dirtied for a read). Returns bytes. */
    public long complete(int handle) {
        ctx.cost(CostModel.CALL_NS);
        Registration r = registrations.live(handle, Registration.Kind.DIO);
        long[] failed = failedSubmits.get(handle);
        if (r == null && failed != null) {
            // iomap_dio_rw() / __blockdev_direct_IO(): the pages could not be got, the request's result is that errno;
            // unless the buffer nobody described was, as the recorded result says, mapped before the recording
            failedSubmits.remove(handle);
            return failed[1] == 1 && ctx.assumeMadeBefore("the mapping of " + name(handle) + "'s buffer") ? ctx.observed
                    : failed[0];
        }
        if (r == null) {
            return unbalanced(handle, "dio_complete", Registration.Kind.DIO, false);
        }
        dma.access(r, 0, r.bytes, r.dioRead);
        // bio_release_pages(): put_page() per page, or unpin_user_page() once pinned; 6.1.y's folio_put_refs()
        // skips the DAX wake-up
        registrations.release(r, r.pin, r.dioRead, !profile.daxWakeupMissed);
        if (failed != null) {
            failedSubmits.remove(handle); // the bios that got pages ran; iomap_dio_complete(): dio->error wins
            return failed[0];
        }
        return r.bytes;
    }
}
