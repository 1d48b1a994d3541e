package pinreplay.replay.dev;

import java.util.BitSet;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.cred.Creds;
import pinreplay.replay.cred.Memlock;
import pinreplay.replay.cred.TaskCreds;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;

/** RDMA memory regions: ib_umem_get() pins FOLL_LONGTERM (the GUP call depends on the release); ib_umem_release(). */
public final class Rdma extends Pinner {
    /** ib_umem_get(): npages must fit an unsigned int. */
    private static final long MAX_NPAGES = 0xffffffffL;
    private final TaskCreds creds;
    private final Memlock memlock;

    public Rdma(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup, TaskCreds creds, Memlock memlock) {
        super(profile, ctx, faults, unpin, registrations, gup);
        this.creds = creds;
        this.memlock = memlock;
    }

    /** Handles of MRs whose pins the recording's own kernel events hold ({@link #regMrRecorded}). */
    private final BitSet recorded = new BitSet();

    /** ib_reg_mr: 0 or -errno. */
    public long regMr(Mm mm, int handle, long addr, long len, boolean write) {
        ctx.cost(CostModel.CALL_NS);
        long r = umemGetCharge(mm, creds.of(ctx.pid), addr, len);
        if (r != 0) {
            return r;
        }
        long n = pagesSpanned(addr, len);
        long foll = accessFoll(write);
        GupEntry e = switch (profile.rdmaPin) {
            case GET_USER_PAGES -> GupEntry.GET_USER_PAGES;
            case GET_USER_PAGES_LONGTERM -> GupEntry.GET_USER_PAGES_LONGTERM;
            case FOLL_LONGTERM_GET -> {
                foll |= Foll.LONGTERM;
                yield GupEntry.GET_USER_PAGES;
            }
            case PIN_USER_PAGES_FAST -> {
                foll |= Foll.LONGTERM;
                yield GupEntry.PIN_USER_PAGES_FAST;
            }
        };
        long rc = pinAll(e, mm, addr, n, foll);
        if (rc != 0) {
            mm.pinnedVm -= n; // ib_umem_get()'s umem_release: atomic64_sub(npages, &mm->pinned_vm)
            return rc;
        }
        register(Registration.Kind.RDMA, handle, mm, e.pin, write, addr, 0, len, n);
        return 0;
    }

    /**
     * The gup_flags ib_umem_get() asks for its MR's access ({@code write}: IB_ACCESS_LOCAL_WRITE and the like,
     * ib_access_writable()): before 6.2 FOLL_WRITE always, plus FOLL_FORCE for a read-only MR (b40656aa7d55 removed
     * it); FOLL_LONGTERM added where the release's pin takes it.
     */
    public long accessFoll(boolean write) {
        return write ? Foll.WRITE : profile.rdmaForceWrite ? Foll.WRITE | Foll.FORCE : 0;
    }

    /**
     * ib_umem_get()'s checks before any pin, in its order: an addr + size that overflows, even once page-aligned, is
     * -EINVAL; can_do_mlock() -EPERM; a region of no page or of more than UINT_MAX pages ("if (npages == 0 || npages >
     * UINT_MAX)") -EINVAL; then the RLIMIT_MEMLOCK charge of mm->pinned_vm ({@link Memlock#ibUmemGet}), -ENOMEM. 0 once
     * they pass and the pages are charged.
     */
    public long umemGetCharge(Mm mm, Creds current, long addr, long len) {
        if (wraps(addr, len)) {
            return -Errno.EINVAL;
        }
        long r = memlock.canDoMlock(current);
        if (r != 0) {
            return r;
        }
        if (noPages(addr, len)) {
            return -Errno.EINVAL;
        }
        boolean injected = faults.accountLockedVmFails(mm, pagesSpanned(addr, len), "ib_umem_get");
        if (injected) {
            ctx.injection("ib_umem_get", "-ENOMEM");
            return -Errno.ENOMEM;
        }
        return memlock.ibUmemGet(mm, pagesSpanned(addr, len), current);
    }

    /** ib_umem_get()'s argument checks alone (no charge): -EINVAL, or 0 when they pass. */
    public static long umemGetArgs(long addr, long len) {
        return wraps(addr, len) || noPages(addr, len) ? -Errno.EINVAL : 0;
    }

    /** "(addr + size) < addr || PAGE_ALIGN(addr + size) < (addr + size)". */
    private static boolean wraps(long addr, long len) {
        long end = addr + len;
        return Long.compareUnsigned(end, addr) < 0 || Long.compareUnsigned(end + MemMap.PAGE_SIZE - 1, end) < 0;
    }

    /**
     * "npages == 0 || npages > UINT_MAX", npages = ib_umem_num_pages(): the pages [addr, addr + size) touches, so a
     * size of 0 at an address inside a page is one page (5.10-7.2).
     */
    private static boolean noPages(long addr, long len) {
        long n = pagesSpanned(addr, len);
        return n == 0 || Long.compareUnsigned(n, MAX_NPAGES) > 0;
    }

    /**
     * ib_reg_mr whose ib_umem_get() the recording showed (kprobes): its pins are the GUP calls already replayed,
     * so the MR takes {@code result}, the model's judgement of that call, and pins nothing again.
     */
    public long regMrRecorded(int handle, long result) {
        ctx.cost(CostModel.CALL_NS);
        if (result == 0 && handle != 0) {
            recorded.set(handle);
        }
        return result;
    }

    /** ib_dereg_mr: ib_umem_release() unpins, dirtying writable regions. */
    public long deregMr(int handle) {
        ctx.cost(CostModel.CALL_NS);
        if (handle > 0 && recorded.get(handle)) {
            recorded.clear(handle); // ib_umem_release()'s unpins are the recording's own
            return 0;
        }
        Registration r = registrations.live(handle, Registration.Kind.RDMA);
        if (r == null) {
            // uobj_perform_destroy() -> lookup_get_idr_uobject(): no live MR under the handle is -ENOENT (5.10-7.2)
            return unbalanced(handle, "rdma_dereg_mr", Registration.Kind.RDMA, false, Errno.ENOENT);
        }
        registrations.release(r, r.write);
        return 0;
    }
}
