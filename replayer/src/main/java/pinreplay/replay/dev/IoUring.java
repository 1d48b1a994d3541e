package pinreplay.replay.dev;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.cred.Creds;
import pinreplay.replay.cred.Memlock;
import pinreplay.replay.cred.TaskCreds;
import pinreplay.replay.cred.UserStruct;
import pinreplay.replay.EventContext;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.range.LongObjectMap;

/** io_uring fixed buffers (io_uring/rsrc.c io_sqe_buffers_register(), io_pin_pages()). */
public final class IoUring extends Pinner {
    public IoUring(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup, MemMap memMap, TaskCreds creds, Memlock memlock) {
        super(profile, ctx, faults, unpin, registrations, gup);
        this.memMap = memMap;
        this.creds = creds;
        this.memlock = memlock;
    }

    private final MemMap memMap;
    private final TaskCreds creds;
    private final Memlock memlock;
    /** Per native ring (handle): the compound heads its table's buffers were charged for. */
    private final LongObjectMap<LongObjectMap<Boolean>> heads = new LongObjectMap<>();

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
        long invalid = bufferValidate(addr, len);
        if (invalid != 0) {
            return invalid;
        }
        batch.clear();
        if (addr == 0) {
            // io_sqe_buffer_register() (5.13+, 5.10.y): an empty slot, registered without a pin
            register(Registration.Kind.IO_URING, handle, mm, true, true, 0, 0, 0, 0);
            return 0;
        }
        long n = pagesSpanned(addr, len);
        // io_pin_pages(): pin_user_pages_fast() from 6.6, pin_user_pages() under mmap_read_lock() before
        GupEntry e = profile.ioUringPinFast ? GupEntry.PIN_USER_PAGES_FAST
                : profile.pinApi() ? GupEntry.PIN_USER_PAGES
                : profile.getUserPagesLongtermApi ? GupEntry.GET_USER_PAGES_LONGTERM : GupEntry.GET_USER_PAGES;
        long foll = Foll.WRITE | (e == GupEntry.GET_USER_PAGES_LONGTERM ? 0 : Foll.LONGTERM);
        long r = afterPin(mm, addr, len, n, gup.call(e, mm, addr & -MemMap.PAGE_SIZE, n, foll, batch, 0));
        // a native ring is the handle's: its creator is taken to be the registering task (ctx->user, mm_account)
        Creds current = creds.of(ctx.pid);
        byte cap = TaskCreds.capable(current);
        UserStruct user = cap == Creds.YES ? null : creds.userOf(current);
        long acct = 0;
        if (r == 0) {
            acct = accountPages(batch, heads.computeIfAbsent(handle, h -> new LongObjectMap<>()));
            r = accountPin(user, cap == Creds.UNKNOWN, mm, acct, current);
        }
        if (r < 0) {
            heads.remove(handle);
            unpin.release(batch, 0, e.pin, false);
            return r;
        }
        register(Registration.Kind.IO_URING, handle, mm, e.pin, true, addr, 0, len, acct).user = user;
        return 0;
    }

    /**
     * io_buffer_validate() (io_validate_user_buf_range() in 7.x) on one iovec, before its pin: 0 or -errno. A NULL
     * base with a length is -EFAULT; {NULL, 0} an empty slot (5.13+, 5.10.y; -EFAULT before); a length of 0, or
     * above 1 GiB (-EFAULT; 1 TiB and -EINVAL in 7.2), is refused; then "check_add_overflow(iov_base, acct_len)":
     * a buffer whose pages run past the top of the address space is -EOVERFLOW.
     */
    public long bufferValidate(long addr, long len) {
        if (addr == 0) {
            return len == 0 && profile.ioUringSparseBuffers ? 0 : -Errno.EFAULT;
        }
        if (len == 0) {
            return -Errno.EFAULT;
        }
        if (Long.compareUnsigned(len, profile.ioUringBufferMax) > 0) {
            return profile.ioUringBufferTooLong;
        }
        return Long.compareUnsigned(addr + len + MemMap.PAGE_SIZE - 1, addr) < 0 ? -Errno.EOVERFLOW : 0;
    }

    /** A ring's buffer table as a raw recording knows it: {@link #TABLE_UNKNOWN}, {@link #TABLE_NONE}, {@link #TABLE_LIVE}. */
    public static final int TABLE_UNKNOWN = 0, TABLE_NONE = 1, TABLE_LIVE = 2;
    /** A check's answer when the ring's unknown table decides it. */
    public static final long UNDECIDED = Long.MIN_VALUE;

    /**
     * io_uring_register(IORING_REGISTER_BUFFERS) up to its first iovec, in the kernel's order, from the syscall's
     * arguments: -errno, 0 when every check passes, or {@link #UNDECIDED}.
     */
    public long registerArgs(long arg, long nrArgs, int table) {
        if (profile.ioUringRegisterNullArg && arg == 0) {
            return -Errno.EFAULT; // __io_uring_register() (6.1+): "if (!arg) break;" with ret = -EFAULT
        }
        if (table == TABLE_UNKNOWN) {
            return UNDECIDED;
        }
        long busy = bufferTable(table == TABLE_LIVE);
        if (busy < 0) {
            return busy;
        }
        if (nrArgs == 0 || nrArgs > profile.ioUringMaxRegBuffers) {
            // io_sqe_buffers_register(): "!nr_args || nr_args > IORING_MAX_REG_BUFFERS" (UIO_MAXIOV before 5.13)
            return -Errno.EINVAL;
        }
        // io_copy_iov() (5.10.y) from a NULL array: copy_from_user() at 0, below mmap_min_addr, faults
        return arg == 0 ? -Errno.EFAULT : 0;
    }

    /**
     * io_uring_register(IORING_UNREGISTER_BUFFERS): -EINVAL with an arg or nr_args (__io_uring_register()), -ENXIO
     * without a table (io_sqe_buffers_unregister()), else 0; {@link #UNDECIDED} when the table is unknown.
     */
    public static long unregisterArgs(long arg, long nrArgs, int table) {
        if (arg != 0 || nrArgs != 0) {
            return -Errno.EINVAL;
        }
        return table == TABLE_UNKNOWN ? UNDECIDED : table == TABLE_LIVE ? 0 : -Errno.ENXIO;
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
        return profile.ioUringFileCheck ? vmaCheck(mm, addr, len) : 0;
    }

    /**
     * Before 6.5, io_uring's own walk of the pinned pages' VMAs, page by page: a VMA whose file is not the first
     * page's is -EINVAL ("disallow multi-source reg buffers", 6.4 and the 5.10.y/6.1.y backports), then a file that is
     * neither hugetlbfs nor, from 5.14, shmem is -EOPNOTSUPP. 0 when it passes.
     */
    private long vmaCheck(Mm mm, long addr, long len) {
        VmArea first = mm.vmaLookup(addr);
        Inode file = first == null ? null : first.file;
        for (int i = mm.indexAfter(addr); i < mm.vmas.size() && mm.vmas.get(i).start < addr + len; i++) {
            VmArea v = mm.vmas.get(i);
            // a mapping from before the recording has an assumed kind, which says nothing of its file
            if (profile.ioUringSingleSource && v.file != file && !v.has(VmFlags.VM_PRIOR) && !first.has(VmFlags.VM_PRIOR)) {
                return -Errno.EINVAL;
            }
            if (v.file != null && !(profile.ioUringShmem && v.file.isShmem()) && !v.file.isHugetlbfs()) {
                return -Errno.EOPNOTSUPP;
            }
        }
        return 0;
    }

    /**
     * Whether {@link #vmaCheck}'s walk reaches memory of a guessed kind (from before the recording, taken for
     * anonymous, or a file the recording never described) before a mapping the model knows decides it: the recorded
     * result then decides.
     */
    public boolean checksAssumedMemory(Mm mm, long addr, long len) {
        VmArea first = mm.vmaLookup(addr);
        if (!profile.ioUringFileCheck || first == null) {
            return false;
        }
        for (int i = mm.indexAfter(addr); i < mm.vmas.size() && mm.vmas.get(i).start < addr + len; i++) {
            VmArea v = mm.vmas.get(i);
            if (guessedKind(v) || guessedKind(first)) {
                return true;
            }
            if (profile.ioUringSingleSource && v.file != first.file
                    || v.file != null && !(profile.ioUringShmem && v.file.isShmem()) && !v.file.isHugetlbfs()) {
                return false; // refused by a mapping the model knows, whatever the rest is
            }
        }
        return false;
    }

    private static boolean guessedKind(VmArea v) {
        return v.file == null ? v.has(VmFlags.VM_PRIOR) : v.file.undescribed;
    }

    /**
     * io_buffer_account_pin() (io_uring/rsrc.c, 5.10 to 7.2): the pages an iovec's pins charge: one per small page; a
     * compound page (hugetlb) its whole size, once per ring ({@code ringHeads}: the heads its table's buffers hold
     * already, headpage_already_acct()), which then holds it too.
     */
    public long accountPages(Extents pins, LongObjectMap<Boolean> ringHeads) {
        long acct = 0;
        for (int i = 0; i < pins.size(); i++) {
            long end = pins.pfn(i) + pins.len(i);
            for (long p = pins.pfn(i); p < end; ) {
                int order = memMap.order(p);
                if (order == 0) {
                    acct++;
                    p++;
                    continue;
                }
                long head = p & -(1L << order);
                if (ringHeads.get(head) == null) {
                    ringHeads.put(head, Boolean.TRUE);
                    acct += 1L << order;
                }
                p = head + (1L << order);
            }
        }
        return acct;
    }

    /**
     * io_account_mem() of the {@code pages} io_buffer_account_pin() counted, to the ring's user and mm ({@link
     * Memlock#ioAccountMem}); an injected failure is -ENOMEM. 0 or -ENOMEM.
     */
    public long accountPin(UserStruct user, boolean userMaybeNull, Mm mmAccount, long pages, Creds current) {
        // Debian 7.2.13 charges no mm->pinned_vm for a ring made with CAP_IPC_LOCK (observed; 5.10 to 6.12 do):
        // io_buffer_account_pin() returns "if (!ctx->user)" before io_account_mem(), so there is no call to fail
        boolean chargeMm = user != null || userMaybeNull || profile.ioUringCapablePinnedVm;
        if (chargeMm && faults.accountLockedVmFails(mmAccount, pages, "io_account_mem")) {
            ctx.injection("io_account_mem", "-ENOMEM");
            return -Errno.ENOMEM;
        }
        long r = memlock.ioAccountMem(user, userMaybeNull, mmAccount, chargeMm, pages, current);
        if (r == 0 && userMaybeNull && !profile.ioUringCapablePinnedVm) {
            // io_buffer_account_pin() (7.2): a ring whose creator had CAP_IPC_LOCK charged nothing, so the kernel's
            // pinned_vm may lack these pages, as it may lack charges made before the recording
            mmAccount.pinnedVmPrior += pages;
        }
        return r;
    }

    /** IORING_UNREGISTER_BUFFERS: unpins (io_buffer_unmap(): unpin_user_page(), no dirtying); -ENXIO when none. */
    public long unregisterBuffers(int handle) {
        ctx.cost(CostModel.CALL_NS);
        Registration r = registrations.live(handle, Registration.Kind.IO_URING);
        if (r == null) {
            // io_sqe_buffers_unregister(): no table is -ENXIO; unless it succeeded as recorded, on a table made before it
            return registrations.get(handle) == null && ctx.assumeUnseen("registration " + name(handle))
                    ? ctx.observedOr(0) : -Errno.ENXIO;
        }
        heads.remove(handle);
        registrations.release(r, false);
        return 0;
    }

    /**
     * The ring of native {@code handle} unregistered its table in a call the recording judged (io_uring_register()'s
     * own events): the table a marker made goes with it (an empty slot's, or one whose pins the recording did not show).
     */
    public void unregistered(int handle) {
        Registration r = registrations.live(handle, Registration.Kind.IO_URING);
        if (r != null) {
            heads.remove(handle);
            registrations.release(r, false);
        }
    }
}
