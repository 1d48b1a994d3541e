package pinreplay.replay;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

import pinreplay.replay.cred.Creds;
import pinreplay.replay.cred.UserStruct;
import pinreplay.replay.dev.IoUring;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.range.LongObjectMap;

/**
 * The io_uring rings of a raw recording, per mm and fd, as far as the recording shows them: whether a ring holds a
 * buffer table, and the pins its table holds. A ring is known from its start when its io_uring_setup() was recorded,
 * or its task's execve(): io_uring_get_fd() opens ring fds O_CLOEXEC, so every ring such a task uses was set up
 * afterwards (recordings made before io_uring_setup() was traced show only the execve()). A ring's pins are released where the kernel releases them even when the recording cannot
 * show it: a ring's last close queues io_ring_exit_work() on a workqueue, whose kworker the recording does not follow.
 */
final class IoUringRings {
    private static final class Ring {
        /** Whether the recording shows if the ring holds a buffer table ({@link #table}); not for a ring older than it. */
        boolean known;
        boolean table;
        final List<Registration> pins = new ArrayList<>();
        /** Pins taken by the io_uring_register() call in progress. */
        final List<Registration> pending = new ArrayList<>();
        /** Pages unpinned so far inside an IORING_REGISTER_BUFFERS_UPDATE, not yet a whole replaced buffer. */
        long replacedPages;
        /**
         * Buffers made of huge folios whose pins io_uring coalesced to one per folio (6.12+): what their release
         * unpins, one page per folio (io_buffer_unmap(): "unpin_user_folio(folio, 1)").
         */
        final IdentityHashMap<Registration, Long> coalesced = new IdentityHashMap<>();
        /** The fds that refer to the ring, in every process (fork() and dup() share it): the last one's close frees it. */
        int users = 1;
        /** ctx->user (null: made with CAP_IPC_LOCK, or unknown), whether it may be null, and ctx->mm_account. */
        UserStruct user;
        boolean userMaybeNull = true;
        Mm mmAccount;
        /** Pages the table's buffers charged to both; the compound heads they were charged for. */
        long accounted;
        LongObjectMap<Boolean> heads = new LongObjectMap<>();
        /** The table holds buffers whose pins the recording did not show (one without a probe on io_pin_pages()). */
        boolean unseenPins;
        /** The native handles of the tables the program's markers made for the ring's registrations ({@link #markerTable}). */
        final List<Integer> markerTables = new ArrayList<>();
    }


    private final Registrations registrations;
    private final LongObjectMap<LongObjectMap<Ring>> byMm = new LongObjectMap<>();
    /** Mm ids an execve() of the recording created. */
    private final LongObjectMap<Boolean> execd = new LongObjectMap<>();

    /** Profile#ioUringCapablePinnedVm: a ring made with CAP_IPC_LOCK charges mm_account too (until 7.2). */
    private final boolean capablePinnedVm;

    private final IoUring ioUring;

    IoUringRings(Registrations registrations, IoUring ioUring, boolean capablePinnedVm) {
        this.registrations = registrations;
        this.ioUring = ioUring;
        this.capablePinnedVm = capablePinnedVm;
    }

    /** {@link IoUring#TABLE_LIVE}, {@link IoUring#TABLE_NONE} or, for a ring older than the recording, unknown. */
    int table(Mm mm, long fd) {
        Ring r = ring(mm, fd, false);
        return r != null && r.known ? (r.table ? IoUring.TABLE_LIVE : IoUring.TABLE_NONE)
                : execd.get(mm.id) != null ? IoUring.TABLE_NONE : IoUring.TABLE_UNKNOWN;
    }

    /**
     * io_uring_setup() made a ring with no buffer table, whose fd is {@code fd}, charging {@code user} (ctx->user, null
     * for a creator with CAP_IPC_LOCK; {@code userMaybeNull} when its capability was unknown) and {@code mm}.
     */
    void setUp(Mm mm, long fd, UserStruct user, boolean userMaybeNull) {
        closed(mm, fd); // a ring at that fd number was closed unrecorded (its task's exit, a dup2() over it)
        Ring r = ring(mm, fd, true);
        r.known = true;
        r.user = user;
        r.userMaybeNull = userMaybeNull;
    }

    /**
     * io_buffer_account_pin() of one iovec of ring {@code fd} registered by a task with {@code current}'s credentials:
     * {@link IoUring#accountPin} to the ring's user and mm_account (a ring older than the recording: an unknown user,
     * the caller's mm). 0 or -ENOMEM.
     */
    long accountPin(Mm mm, long fd, long pages, Creds current) {
        Ring r = ring(mm, fd, true);
        return ioUring.accountPin(r.user, r.userMaybeNull, r.mmAccount, pages, current);
    }

    /** io_buffer_account_pin()'s count of the pins {@code pins} of ring {@code fd} ({@link IoUring#accountPages}). */
    long accountPages(Mm mm, long fd, Extents pins) {
        return ioUring.accountPages(pins, ring(mm, fd, true).heads);
    }

    /** Whether an input the recording does not show could have refused ring {@code fd}'s charge. */
    boolean chargeUncertain(Mm mm, long fd, Creds current) {
        Ring r = ring(mm, fd, true);
        return r.userMaybeNull || r.user != null && (!r.user.known || !current.rlimitKnown);
    }

    /** Whether an input the recording does not show (the creator's CAP_IPC_LOCK) could have let ring {@code fd}'s charge through. */
    boolean chargeMayPass(Mm mm, long fd) {
        return ring(mm, fd, true).userMaybeNull;
    }

    /** Ring {@code fd}, older than the recording, holds a table registered before it, of pins it does not show. */
    void tableBeforeRecording(Mm mm, long fd) {
        Ring r = ring(mm, fd, true);
        r.known = true;
        r.table = true;
        r.unseenPins = true;
    }

    /** A pin that io_uring_register(IORING_REGISTER_BUFFERS) on {@code fd} took (io_pin_pages()). */
    void pinned(Mm mm, long fd, Registration pin) {
        ring(mm, fd, true).pending.add(pin);
    }

    /**
     * The recorded result of IORING_REGISTER_BUFFERS: on success the ring holds a table and the call's pins; on
     * failure the kernel unpinned whatever the call pinned (io_pin_pages() on a partial pin,
     * __io_sqe_buffers_unregister() on a later iovec's failure). A failure without a pin says nothing of an older
     * ring's table (-EBUSY is one); a pin inside says it had none (io_sqe_buffers_register() checks it first).
     */
    void registered(Mm mm, long fd, boolean ok, long chargeDelta, long tablePages, boolean unseenPins) {
        Ring r = ring(mm, fd, true);
        r.unseenPins |= ok && unseenPins;
        charge(r, mm, chargeDelta);
        r.accounted += tablePages;
        if (!ok) {
            r.heads = new LongObjectMap<>(); // a failed registration leaves no table (__io_sqe_buffers_unregister())
        }
        if (ok) {
            r.known = true;
            r.table = true;
            r.pins.addAll(r.pending);
        } else {
            r.known |= !r.pending.isEmpty();
            release(r.pending);
        }
        r.pending.clear();
    }

    /** The program's marker made table {@code handle} (its pins) for ring {@code fd}'s last registration. */
    void markerTable(Mm mm, long fd, int handle) {
        ring(mm, fd, true).markerTables.add(handle);
    }

    /**
     * The recorded result of IORING_REGISTER_BUFFERS_UPDATE (__io_sqe_buffers_update(): the number of slots updated):
     * the new buffers' pins join the table; a failure unpinned the buffer it pinned.
     */
    void updated(Mm mm, long fd, boolean ok, long chargeDelta, long tablePages, boolean unseenPins) {
        Ring r = ring(mm, fd, true);
        r.unseenPins |= ok && unseenPins;
        charge(r, mm, chargeDelta);
        r.accounted += tablePages;
        if (ok) {
            r.pins.addAll(r.pending);
        } else {
            release(r.pending);
        }
        r.pending.clear();
        r.replacedPages = 0;
    }

    /**
     * A recorded unpin of {@code nrPages} inside IORING_REGISTER_BUFFERS_UPDATE: the buffer a slot held is put
     * (io_buffer_unmap(), unaccounted). Which slot is in user memory the recording does not show: the table's oldest
     * buffer is taken, once as many pages were unpinned as it holds.
     */
    void unpinReplaced(Mm mm, long fd, long nrPages) {
        Ring r = ring(mm, fd, true);
        Registration fresh = r.pending.isEmpty() ? null : r.pending.get(r.pending.size() - 1);
        long freshPages = fresh == null ? 0 : fresh.bytes >>> MemMap.PAGE_SHIFT;
        if (fresh != null && isHugeFolioPages(nrPages + 1) && freshPages % (nrPages + 1) == 0) {
            // io_coalesce_buffer() (7.2: "unpin_user_folio(folio, nr - 1)"; 6.12 io_try_coalesce_buffer():
            // unpin_user_pages() of all but the head's): the buffer just pinned keeps one pin per huge folio
            r.coalesced.put(fresh, freshPages / (nrPages + 1));
            return;
        }
        r.replacedPages += nrPages;
        while (!r.pins.isEmpty()) {
            Registration old = r.pins.get(0);
            Long folios = r.coalesced.remove(old);
            long pages = folios != null ? folios : old.bytes >>> MemMap.PAGE_SHIFT;
            if (r.replacedPages < pages) {
                return;
            }
            r.replacedPages -= pages;
            r.pins.remove(0);
            if (!old.released) {
                registrations.release(old, true, false);
            }
            charge(r, mm, -Math.min(pages, r.accounted));
            r.accounted -= Math.min(pages, r.accounted);
        }
    }

    /** A count of 4 KiB pages that is a huge folio's: 2 MiB or 1 GiB on x86-64. */
    private static boolean isHugeFolioPages(long pages) {
        return pages == 1L << 9 || pages == 1L << 18;
    }

    /** IORING_UNREGISTER_BUFFERS succeeded: io_sqe_buffers_unregister() unpinned the table's pages (io_buffer_unmap()). */
    void unregistered(Mm mm, long fd) {
        Ring r = ring(mm, fd, true);
        r.known = true;
        r.table = false;
        r.unseenPins = false;
        releaseTable(r);
        uncharge(r, mm);
    }

    /** close() of {@code fd}: a ring's last reference frees its table (io_ring_ctx_free() from io_ring_exit_work()). */
    void closed(Mm mm, long fd) {
        LongObjectMap<Ring> rings = byMm.get(mm.id);
        Ring r = rings == null ? null : rings.get(fd);
        if (r != null) {
            rings.remove(fd);
            put(r, mm);
        }
    }

    /**
     * Whether a live ring's table holds buffers whose pins the recording did not show: a registration that succeeded
     * with no GUP recorded inside it (a recording without kprobes), whose pins memfd_wait_for_pins() may meet.
     */
    boolean anyUnseenPins() {
        for (long mm : byMm.sortedKeys()) {
            LongObjectMap<Ring> rings = byMm.get(mm);
            for (long fd : rings.sortedKeys()) {
                if (rings.get(fd).unseenPins) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The fd of {@code mm}'s only ring, or -1 when it has none or several. */
    long soleRing(Mm mm) {
        LongObjectMap<Ring> rings = byMm.get(mm.id);
        if (rings == null || rings.size() == 0) {
            return -1;
        }
        long[] fds = rings.sortedKeys();
        for (long fd : fds) {
            if (rings.get(fd) != rings.get(fds[0])) {
                return -1; // another ring, not a dup() of the first
            }
        }
        return fds[0];
    }

    /** dup(): fd {@code newFd} refers to ring {@code oldFd} too; the ring lives until both are closed. */
    void dup(Mm mm, long oldFd, long newFd) {
        Ring r = ring(mm, oldFd, false);
        if (r != null) {
            r.users++;
            byMm.get(mm.id).put(newFd, r);
        }
    }

    /** fork(): the child's fd table refers to the parent's rings (dup_fd()), the same io_ring_ctx. */
    void fork(Mm parent, Mm child) {
        LongObjectMap<Ring> rings = byMm.get(parent.id);
        if (rings == null) {
            return;
        }
        LongObjectMap<Ring> copy = byMm.computeIfAbsent(child.id, id -> new LongObjectMap<>());
        for (long fd : rings.sortedKeys()) {
            Ring r = rings.get(fd);
            r.users++;
            copy.put(fd, r);
        }
    }

    /** One process's reference to the ring goes; with the last, io_ring_exit_work() unpins and unaccounts its table. */
    private void put(Ring r, Mm mm) {
        if (--r.users == 0) {
            releaseTable(r);
            uncharge(r, mm);
        }
    }

    /** io_account_mem() of {@code pages} (negative: io_unaccount_mem()) to the ring's user and mm_account. */
    private void charge(Ring r, Mm mm, long pages) {
        if (r.user != null) {
            r.user.lockedVm += pages;
        }
        if (r.user != null || r.userMaybeNull || capablePinnedVm) {
            (r.mmAccount != null ? r.mmAccount : mm).pinnedVm += pages;
        }
    }

    /** The table's charges released (io_buffer_unmap() → io_unaccount_mem()). */
    private void uncharge(Ring r, Mm mm) {
        charge(r, mm, -r.accounted);
        r.accounted = 0;
        r.heads = new LongObjectMap<>();
    }

    /** do_exit() -> exit_files(): the process's rings close with it (io_ring_exit_work() unpins and unaccounts). */
    void exitFiles(Mm mm) {
        LongObjectMap<Ring> rings = byMm.get(mm.id);
        if (rings != null) {
            byMm.remove(mm.id);
            for (long fd : rings.sortedKeys()) {
                put(rings.get(fd), mm);
            }
        }
    }

    /** execve(): the rings, opened O_CLOEXEC, close; the new mm starts with none. */
    void exec(Mm from, Mm to) {
        LongObjectMap<Ring> rings = byMm.get(from.id);
        if (rings != null) {
            byMm.remove(from.id);
            for (long fd : rings.sortedKeys()) {
                put(rings.get(fd), from);
            }
        }
        execd.put(to.id, Boolean.TRUE);
    }

    /** The ring's table goes (io_sqe_buffers_unregister(), io_ring_ctx_free()): with it the tables its markers made. */
    private void releaseTable(Ring r) {
        release(r.pins);
        for (int handle : r.markerTables) {
            ioUring.unregistered(handle);
        }
        r.markerTables.clear();
    }

    /** Unpins what the recording's own unpin lines did not release already. */
    private void release(List<Registration> pins) {
        for (Registration p : pins) {
            if (!p.released) {
                registrations.release(p, true, false);
            }
        }
        pins.clear();
    }

    private Ring ring(Mm mm, long fd, boolean create) {
        LongObjectMap<Ring> rings = create ? byMm.computeIfAbsent(mm.id, id -> new LongObjectMap<>()) : byMm.get(mm.id);
        if (rings == null) {
            return null;
        }
        Ring r = rings.get(fd);
        if (r == null && create) {
            r = new Ring();
            r.known = execd.get(mm.id) != null; // set up after the task's recorded execve(), with no table
            r.mmAccount = mm;
            rings.put(fd, r);
        }
        return r;
    }
}
