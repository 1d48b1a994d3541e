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

/** RDMA memory regions: ib_umem_get() pins FOLL_LONGTERM (the GUP call depends on the release); ib_umem_release(). */
public final class Rdma extends Pinner {
    /** ib_umem_get(): npages must fit an unsigned int. */
    private static final long MAX_NPAGES = 0xffffffffL;

    public Rdma(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup) {
        super(profile, ctx, faults, unpin, registrations, gup);
    }

    /** ib_reg_mr: 0 or -errno. */
    public long regMr(Mm mm, int handle, long addr, long len, boolean write) {
        ctx.cost(CostModel.CALL_NS);
        // ib_umem_get(): an addr + size that overflows, even once page-aligned, is -EINVAL; so is a region of no
        // page or of more than UINT_MAX pages ("if (npages == 0 || npages > UINT_MAX)")
        long end = addr + len;
        if (Long.compareUnsigned(end, addr) < 0 || Long.compareUnsigned(end + MemMap.PAGE_SIZE - 1, end) < 0
                || len == 0 || Long.compareUnsigned(pagesSpanned(addr, len), MAX_NPAGES) > 0) {
            return -Errno.EINVAL;
        }
        long n = pagesSpanned(addr, len);
        // ib_umem_get() before 6.2: FOLL_WRITE always, plus FOLL_FORCE for a read-only MR (b40656aa7d55 removed it)
        long foll = write ? Foll.WRITE : profile.rdmaForceWrite ? Foll.WRITE | Foll.FORCE : 0;
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
        if (!chargePinnedVm(mm, n, "ib_umem_get")) {
            return -Errno.ENOMEM;
        }
        long rc = pinAll(e, mm, addr, n, foll);
        if (rc != 0) {
            mm.pinnedVm -= n;
            return rc;
        }
        register(Registration.Kind.RDMA, handle, mm, e.pin, write, addr, 0, len, n);
        return 0;
    }

    /** ib_dereg_mr: ib_umem_release() unpins, dirtying writable regions. */
    public long deregMr(int handle) {
        ctx.cost(CostModel.CALL_NS);
        Registration r = registrations.live(handle, Registration.Kind.RDMA);
        if (r == null) {
            return unbalanced(handle, "rdma_dereg_mr", Registration.Kind.RDMA, false);
        }
        registrations.release(r, r.write);
        return 0;
    }
}
