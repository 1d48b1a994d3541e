package pinreplay.replay.dev;

import pinreplay.format.Errno;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.outcome.ViolationKind;

/**
 * Direct GUP/PUP calls by handle, released by unpin_user_pages() or put_page(). A handle pinned twice holds
 * both pins (the kernel counts each); each release drops the newest one still held that its verb matches.
 */
public final class RawPins extends Pinner {
    public RawPins(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup) {
        super(profile, ctx, faults, unpin, registrations, gup);
    }

    /** The registration the last {@link #pin} made, or null (it failed, or was short-term). */
    private Registration last;

    /** The registration the last {@link #pin} made, or null. */
    public Registration lastPin() {
        return last;
    }

    /** Pages a recorded unpin released that no whole raw registration matched yet, per mm id. */
    private final pinreplay.replay.range.LongObjectMap<long[]> unpinnedByMm = new pinreplay.replay.range.LongObjectMap<>();

    /**
     * The call's own result: pages pinned, or -errno (0 for some invalid pin_user_pages* calls).
     *
     * @param shortTerm the caller drops the references itself and no later line names them (a probed
     *                  short-term call outside O_DIRECT, whose bios are {@link DirectIo#bioGetPages}: a futex's
     *                  get_futex_key() puts its page before returning)
     */
    public long pin(GupEntry e, Mm mm, int handle, long start, long nrPages, long foll, boolean shortTerm) {
        batch.clear();
        last = null;
        long r = gup.call(e, mm, start, nrPages, foll, batch, 0);
        if (r > 0 && shortTerm) {
            unpin.release(batch, 0, e.pin, (foll & pinreplay.format.Foll.WRITE) != 0);
        } else if (r > 0) {
            last = register(Registration.Kind.GUP, handle, mm, e.pin, (foll & pinreplay.format.Foll.WRITE) != 0, start,
                    0, r << MemMap.PAGE_SHIFT, 0);
        }
        return r;
    }

    /**
     * A recorded unpin_user_page(s)() of {@code nrPages} by a task of {@code mm}, in a device user's release path:
     * it releases the newest raw long-term pins of that mm (the pins a kprobe'd call took, which no handle names),
     * a whole registration once as many pages were unpinned as it holds.
     */
    public void unpinRecorded(Mm mm, long nrPages, boolean dirty) {
        long[] pending = unpinnedByMm.computeIfAbsent(mm.id, id -> new long[1]);
        pending[0] += nrPages;
        java.util.List<Registration> live = registrations.live();
        for (int i = live.size() - 1; i >= 0 && pending[0] > 0; i--) {
            Registration r = live.get(i);
            if (r.kind != Registration.Kind.GUP || r.handle != 0 || !r.pin || r.mm != mm || r.released) {
                continue;
            }
            long pages = r.bytes >>> MemMap.PAGE_SHIFT;
            if (pending[0] < pages) {
                return;
            }
            pending[0] -= pages;
            registrations.release(r, true, dirty);
        }
        pending[0] = 0;
    }

    /** unpin_user_pages() / unpin_user_pages_dirty_lock(). */
    public long unpin(int handle, boolean dirty) {
        ctx.cost(CostModel.CALL_NS);
        Registration r = held(handle, true);
        if (r == null) {
            return unbalanced(handle, "unpin_user_pages", Registration.Kind.GUP, true, Errno.EINVAL);
        }
        if (!r.pin) {
            ctx.violation(ViolationKind.UNBALANCED_UNPIN, r.name, r.name + " holds FOLL_GET references (line " + r.line
                    + ") but is released with unpin_user_pages(): each page loses a pin's worth of references it"
                    + " never had");
        }
        registrations.release(r, true, dirty);
        return 0;
    }

    /** put_page() on each page of a get_user_pages() handle. */
    public long putPage(int handle) {
        ctx.cost(CostModel.CALL_NS);
        Registration r = held(handle, false);
        if (r == null) {
            return unbalanced(handle, "put_page", Registration.Kind.GUP, false, Errno.EINVAL);
        }
        if (r.pin) {
            ctx.violation(ViolationKind.UNBALANCED_UNPIN, r.name, r.name + " was pinned with FOLL_PIN (line " + r.line
                    + ") but is released with put_page(): the pins are never dropped and the pages stay pinned");
        }
        registrations.release(r, false, false);
        return 0;
    }

    /**
     * What a release verb ({@code pin}: unpin, else put_page) drops: the newest pin it matches; else, unless it
     * answers a failed call, the newest of the other verb (a wrong-verb release), or null.
     */
    private Registration held(int handle, boolean pin) {
        Registration r = registrations.livePin(handle, pin);
        if (r != null || registrations.refusalPending(handle, Registration.Kind.GUP, pin)) {
            return r;
        }
        return registrations.livePin(handle, !pin);
    }
}
