package pinreplay.replay.dev;

import pinreplay.format.Errno;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.outcome.ViolationKind;

/** What every pinning user shares: a reused extent buffer, GUP loops, handle names. */
abstract class Pinner {
    final Profile profile;
    final EventContext ctx;
    final FaultPoints faults;
    final Unpin unpin;
    final Registrations registrations;
    final Gup gup;
    final Extents batch = new Extents();

    Pinner(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations, Gup gup) {
        this.profile = profile;
        this.ctx = ctx;
        this.faults = faults;
        this.unpin = unpin;
        this.registrations = registrations;
        this.gup = gup;
    }

    /** Pages spanned by {@code [addr, addr + len)}. */
    static long pagesSpanned(long addr, long len) {
        return ((addr + len - 1) >>> MemMap.PAGE_SHIFT) - (addr >>> MemMap.PAGE_SHIFT) + 1;
    }

    /**
     * Calls {@code e} until all {@code n} pages are pinned, as ib_umem_get() and vfio loop; on failure
     * releases what was pinned. Returns 0 or -errno.
     */
    long pinAll(GupEntry e, Mm mm, long addr, long n, long foll) {
        batch.clear();
        long start = addr & -MemMap.PAGE_SIZE;
        long done = 0;
        while (done < n) {
            long r = gup.call(e, mm, start + (done << MemMap.PAGE_SHIFT), n - done, foll, batch, done);
            if (r <= 0) {
                unpin.release(batch, 0, e.pin, false);
                return r == 0 ? -Errno.EFAULT : r;
            }
            done += r;
        }
        return 0;
    }

    /** Registers what {@link #batch} holds, {@code accounted} pages charged to the mm's locked or pinned memory. */
    Registration register(Registration.Kind kind, int handle, Mm mm, boolean pin, boolean write, long addr, long iova,
            long bytes, long accounted) {
        Registration r = new Registration(kind, handle, name(handle), mm, ctx.line, pin, write, addr, iova, bytes,
                batch.copy());
        r.accounted = accounted;
        return registrations.add(r);
    }

    String name(int handle) {
        return handle != 0 ? ctx.handleName(handle) : "line:" + ctx.line;
    }

    /**
     * Reports a release of {@code kind} that matches no live registration; returns the release's result. A release
     * answering a registering call that failed in this replay is the recorded caller's cleanup after a call that
     * succeeded on its kernel: there is nothing to release, and no violation. {@code errno}: what the release of
     * nothing returns.
     */
    long unbalanced(int handle, String what, Registration.Kind kind, boolean pin, int errno) {
        if (registrations.answersRefusal(handle, kind, pin)) {
            return -errno;
        }
        Registration r = registrations.get(handle);
        if (r == null && ctx.assumeUnseen("registration " + name(handle))) {
            return ctx.observedOr(0); // released as recorded: made before the recording, or in events it lost
        }
        String why = r == null ? "was never pinned"
                : r.released ? "was already released at line " + r.releasedLine
                : "holds no registration that " + what + " releases (it names a " + r.kind.name().toLowerCase(
                        java.util.Locale.ROOT) + " registration of line " + r.line + ")";
        ctx.violation(ViolationKind.UNBALANCED_UNPIN, name(handle), what + " on "
                + name(handle) + ", which " + why);
        return -errno;
    }
}
