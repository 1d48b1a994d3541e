package pinreplay.replay.dev;

import java.util.BitSet;

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

    /** Handles of MRs whose pins the recording's own kernel events hold ({@link #regMrRecorded}). */
    private final BitSet recorded = new BitSet();

    /** ib_reg_mr: 0 or -errno. */
    public long regMr(Mm mm, int handle, long addr, long len, boolean write) {
        ctx.cost(CostModel.CALL_NS);
        if (umemGetArgs(addr, len) != 0) {
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

    /**
     * ib_umem_get()'s checks before any pin: an addr + size that overflows, even once page-aligned, is -EINVAL; so is
     * a region of no page or of more than UINT_MAX pages ("if (npages == 0 || npages > UINT_MAX)"). 0 when they pass.
     */
    public static long umemGetArgs(long addr, long len) {
        long end = addr + len;
        if (Long.compareUnsigned(end, addr) < 0 || Long.compareUnsigned(end + MemMap.PAGE_SIZE - 1, end) < 0
                || len == 0 || Long.compareUnsigned(pagesSpanned(addr, len), MAX_NPAGES) > 0) {
            return -Errno.EINVAL;
        }
        return 0;
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
            return unbalanced(handle, "rdma_dereg_mr", Registration.Kind.RDMA, false);
        }
        registrations.release(r, r.write);
        return 0;
    }
}
