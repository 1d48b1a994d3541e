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
import pinreplay.replay.mm.VmArea;

/** io_uring fixed buffers (io_uring/rsrc.c io_sqe_buffers_register(), io_pin_pages()). */
public final class IoUring extends Pinner {
    private static final long SZ_1G = 1L << 30;

    public IoUring(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup) {
        super(profile, ctx, faults, unpin, registrations, gup);
    }

    /** IORING_REGISTER_BUFFERS: 0 or -errno. */
    public long registerBuffers(Mm mm, int handle, long addr, long len) {
        ctx.cost(CostModel.CALL_NS);
        if (!profile.ioUring) {
            return -Errno.ENOSYS;
        }
        long busy = bufferTable(registrations.live(handle, Registration.Kind.IO_URING) != null);
        if (busy < 0) {
            return busy;
        }
        // io_buffer_validate(): "Don't allow huge pages" beyond 1 GiB per buffer.
        if (len <= 0 || len > SZ_1G) {
            return -Errno.EFAULT;
        }
        long n = pagesSpanned(addr, len);
        // io_pin_pages(): pin_user_pages_fast() from 6.6, pin_user_pages() under mmap_read_lock() before
        GupEntry e = profile.ioUringPinFast ? GupEntry.PIN_USER_PAGES_FAST
                : profile.pinApi() ? GupEntry.PIN_USER_PAGES
                : profile.getUserPagesLongtermApi ? GupEntry.GET_USER_PAGES_LONGTERM : GupEntry.GET_USER_PAGES;
        long foll = Foll.WRITE | (e == GupEntry.GET_USER_PAGES_LONGTERM ? 0 : Foll.LONGTERM);
        batch.clear();
        long r = afterPin(mm, addr, len, n, gup.call(e, mm, addr & -MemMap.PAGE_SIZE, n, foll, batch, 0));
        if (r == 0 && !chargePinnedVm(mm, n, "io_account_mem")) {
            r = -Errno.ENOMEM;
        }
        if (r < 0) {
            unpin.release(batch, 0, e.pin, false);
            return r;
        }
        register(Registration.Kind.IO_URING, handle, mm, e.pin, true, addr, 0, len, n);
        return 0;
    }

    /** io_sqe_buffers_register() (5.1+): one buffer table per ring ("if (ctx->buf_data) return -EBUSY;"): 0 or -EBUSY. */
    public static long bufferTable(boolean live) {
        return live ? -Errno.EBUSY : 0;
    }

    /**
     * io_sqe_buffer_register() once io_pin_pages() pinned {@code pinned} of the {@code n} pages of {@code [addr,
     * addr + len)}: 0, or the -errno it returns (before the memlock charge), the pages then unpinned.
     */
    public long afterPin(Mm mm, long addr, long len, long n, long pinned) {
        if (pinned != n) {
            // io_pin_pages() (5.1+): a failed pin's error; a partial pin is -EFAULT.
            return pinned < 0 ? pinned : -Errno.EFAULT;
        }
        if (profile.ioUringFileCheck && fileBacked(mm, addr, len, profile.ioUringShmem)) {
            // Before 6.5, io_uring's own check after pinning: only hugetlbfs files are allowed, and shmem from 5.14.
            return -Errno.EOPNOTSUPP;
        }
        return 0;
    }

    /** IORING_UNREGISTER_BUFFERS: unpins (io_buffer_unmap(): unpin_user_page(), no dirtying); -ENXIO when none. */
    public long unregisterBuffers(int handle) {
        ctx.cost(CostModel.CALL_NS);
        Registration r = registrations.live(handle, Registration.Kind.IO_URING);
        if (r == null) {
            return -Errno.ENXIO;
        }
        registrations.release(r, false);
        return 0;
    }

    /** Any VMA of the range with a file that is not hugetlbfs, nor shmem when {@code shmemAllowed}. */
    private static boolean fileBacked(Mm mm, long addr, long len, boolean shmemAllowed) {
        for (int i = mm.indexAfter(addr); i < mm.vmas.size() && mm.vmas.get(i).start < addr + len; i++) {
            VmArea v = mm.vmas.get(i);
            if (v.file != null && !(shmemAllowed && v.file.isShmem()) && !v.file.isHugetlbfs()) {
                return true;
            }
        }
        return false;
    }
}
