package pinreplay.replay.cred;

import pinreplay.format.Errno;
import pinreplay.replay.EventContext;
import pinreplay.replay.mm.Mm;

/**
 * The RLIMIT_MEMLOCK charges of long-term pins. Each compares what the model knows (the task's limit, CAP_IPC_LOCK,
 * the counters' known charges) and charges on success. An input the recording does not show can only explain a result
 * the known ones do not give: when the call's recorded result is that result, the model takes it and says what it
 * assumed ({@link EventContext#assume}); otherwise the unknown inputs are taken as the defaults (no capability, the
 * profile's limit, nothing charged before the recording).
 */
public final class Memlock {
    private final EventContext ctx;

    public Memlock(EventContext ctx) {
        this.ctx = ctx;
    }

    /**
     * __account_locked_vm(mm, pages, true, dma->task, dma->lock_cap) (mm/util.c) from vfio_lock_acct() and
     * vfio_pin_pages_remote()'s "mm->locked_vm + lock_acct + 1 > limit" (vfio type1, 4.14-7.2): with lock_cap the pages
     * are charged without a limit; without, beyond RLIMIT_MEMLOCK the map is -ENOMEM. 0 or -ENOMEM.
     */
    public long accountLockedVm(Mm mm, long pages, Creds task, byte lockCap) {
        boolean over = mm.lockedVm + pages > task.limitPages();
        long r = verdict(lockCap != Creds.YES && over, lockCap == Creds.UNKNOWN
                || givenBack(mm.lockedVm, mm.lockedVmPrior, pages, task),
                lockCap != Creds.YES && (!task.rlimitKnown || !mm.lockedVmKnown), "locked_vm");
        if (r == 0) {
            mm.lockedVm += pages;
        }
        return r;
    }

    /**
     * io_account_mem() (io_uring/rsrc.c; fs/io_uring.c before 5.19): __io_account_mem() charges the ring creator's
     * user (ctx->user, null when it had CAP_IPC_LOCK at io_uring_create()) against the registering task's
     * RLIMIT_MEMLOCK, -ENOMEM beyond it; then ctx->mm_account->pinned_vm takes the pages, without a limit, when {@code
     * chargeMm}. {@code userMaybeNull}: the creator's capability was unknown. 0 or -ENOMEM.
     */
    public long ioAccountMem(UserStruct user, boolean userMaybeNull, Mm mmAccount, boolean chargeMm, long pages,
            Creds current) {
        long r = user == null ? 0 : ioAccountUser(user, userMaybeNull, pages, current);
        if (r == 0 && chargeMm) {
            mmAccount.pinnedVm += pages;
        }
        return r;
    }

    /** __io_account_mem() (io_uring/rsrc.c): {@code user->locked_vm + nr_pages > rlimit(RLIMIT_MEMLOCK)} is -ENOMEM. */
    public long ioAccountUser(UserStruct user, boolean userMaybeNull, long pages, Creds current) {
        boolean over = user.lockedVm + pages > current.limitPages();
        long r = verdict(over, userMaybeNull, !user.known || !current.rlimitKnown, "user->locked_vm");
        if (r == 0) {
            user.lockedVm += pages;
            user.chargesUncertain |= userMaybeNull;
        }
        return r;
    }

    /**
     * can_do_mlock() (mm/mlock.c, every release) as ib_umem_get() calls it: a limit of 0 without CAP_IPC_LOCK is
     * -EPERM. 0 or -EPERM.
     */
    public long canDoMlock(Creds current) {
        byte cap = TaskCreds.capable(current);
        boolean refused = current.rlimit == 0 && cap != Creds.YES;
        if (refused && cap == Creds.UNKNOWN && ctx.hasObserved && !ctx.observedIs(-Errno.EPERM)) {
            ctx.assume("CAP_IPC_LOCK (the task's capabilities are unknown)");
            refused = false;
        } else if (!refused && !current.rlimitKnown && cap != Creds.YES && ctx.observedIs(-Errno.EPERM)) {
            ctx.assume("RLIMIT_MEMLOCK 0 (the limit is unknown)");
            refused = true;
        }
        return refused ? -Errno.EPERM : 0;
    }

    /**
     * do_mmap()'s MAP_LOCKED checks (mm/mmap.c, 5.10-7.2): can_do_mlock() (-EPERM), then mlock_future_check() /
     * mlock_future_ok(): mm->locked_vm plus the mapping's pages beyond RLIMIT_MEMLOCK without CAP_IPC_LOCK is -EAGAIN.
     * 0, -EPERM or -EAGAIN; nothing charged (mmap_region() charges the VMA it makes).
     */
    public long mapLocked(Mm mm, long pages, Creds current) {
        long r = canDoMlock(current);
        if (r != 0) {
            return r;
        }
        byte cap = TaskCreds.capable(current);
        boolean over = mm.lockedVm + pages > current.limitPages();
        boolean refused = cap != Creds.YES && over;
        if (refused && (cap == Creds.UNKNOWN || givenBack(mm.lockedVm, mm.lockedVmPrior, pages, current))
                && ctx.observedIs(0)) {
            ctx.assume("CAP_IPC_LOCK, or locked_vm given back unseen (what the recording shows does not say)");
            refused = false;
        } else if (!refused && cap != Creds.YES && (!current.rlimitKnown || !mm.lockedVmKnown)
                && ctx.observedIs(-Errno.EAGAIN)) {
            ctx.assume("RLIMIT_MEMLOCK exceeded (the limit, or locked_vm before the recording, is unknown)");
            refused = true;
        }
        return refused ? -Errno.EAGAIN : 0;
    }

    /**
     * ib_umem_get() (drivers/infiniband/core/umem.c; __ib_umem_get_va() in 7.2) before its pins: "new_pinned >
     * lock_limit && !capable(CAP_IPC_LOCK)" on mm->pinned_vm plus the region's pages is -ENOMEM. 0 (charged) or -ENOMEM.
     */
    public long ibUmemGet(Mm mm, long pages, Creds current) {
        byte cap = TaskCreds.capable(current);
        boolean over = mm.pinnedVm + pages > current.limitPages();
        long r = verdict(cap != Creds.YES && over, cap == Creds.UNKNOWN
                || givenBack(mm.pinnedVm, mm.pinnedVmPrior, pages, current),
                cap != Creds.YES && (!current.rlimitKnown || !mm.pinnedVmKnown), "pinned_vm");
        if (r == 0) {
            mm.pinnedVm += pages;
        }
        return r;
    }

    /**
     * Whether charges made before the recording ({@code prior} of {@code counter}), given back unseen, could bring a
     * charge of {@code pages} within the limit: only then can they explain a success the known counter refuses.
     */
    private static boolean givenBack(long counter, long prior, long pages, Creds task) {
        return prior > 0 && counter - prior + pages <= task.limitPages();
    }

    /**
     * The charge's result: -ENOMEM when {@code over} on what is known, else 0; {@code couldPass}: an unknown input
     * (a capability) could let it through, {@code couldFail}: one (a limit, an earlier charge) could refuse it. Where the
     * recorded result is the other answer, the model takes it and says so.
     */
    private long verdict(boolean over, boolean couldPass, boolean couldFail, String counter) {
        // a recorded result other than -ENOMEM (0, or a pin's -EFAULT after the charge) says the charge passed
        if (over && couldPass && ctx.hasObserved && !ctx.observedIs(-Errno.ENOMEM)) {
            ctx.assume("CAP_IPC_LOCK, or " + counter + " given back unseen (what the recording shows does not say)");
            return 0;
        }
        if (!over && couldFail && ctx.observedIs(-Errno.ENOMEM)) {
            ctx.assume("RLIMIT_MEMLOCK exceeded (the limit, or " + counter + " before the recording, is unknown)");
            return -Errno.ENOMEM;
        }
        return over ? -Errno.ENOMEM : 0;
    }
}
