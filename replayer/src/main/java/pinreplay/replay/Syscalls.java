package pinreplay.replay;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.SymbolTable;
import pinreplay.format.Errno;
import pinreplay.replay.cred.Creds;
import pinreplay.replay.cred.TaskCreds;
import pinreplay.replay.cred.UserStruct;
import pinreplay.replay.dev.IoUring;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.Hstate;
import pinreplay.replay.mm.Hugetlb;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.range.LongObjectMap;

/**
 * The address-space and file changes a raw recording shows as syscalls ({@code syscalls:sys_enter_NAME}
 * and {@code sys_exit_NAME}): each takes effect at its return, and only when it succeeded, as the kernel's
 * did; but for what the recording's mmap_lock events place earlier, between a call's write lock and its return
 * ({@link #mmapWriteLocked}, {@link #mmapWriteUnlocked}), where another thread's calls may come. Which file an fd is comes from the openat()/memfd_create() the trace saw (a file opened before the
 * recording is an undescribed file: see {@link pinreplay.replay.PriorMemory}). The syscalls' own results
 * are inputs here, not predictions, except io_uring_register() of IORING_REGISTER_BUFFERS and
 * IORING_UNREGISTER_BUFFERS: their results are the model's {@link IoUring} rules applied to the syscall's arguments,
 * the ring's table ({@link IoUringRings}) and the GUP calls the recording shows inside it.
 */
final class Syscalls {
    /** include/uapi/asm-generic/mman-common.h, mman.h. */
    private static final long PROT_READ = 0x1, PROT_WRITE = 0x2, PROT_EXEC = 0x4, MAP_TYPE = 0xf, MAP_SHARED = 0x1,
            MAP_SHARED_VALIDATE = 0x3, MAP_DROPPABLE = 0x8, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_LOCKED = 0x2000, MAP_POPULATE = 0x8000, MAP_NONBLOCK = 0x10000,
            MAP_HUGETLB = 0x40000, MAP_NORESERVE = 0x4000;
    /** include/uapi/asm-generic/hugetlb_encode.h: MAP_HUGE_SHIFT and MFD_HUGE_SHIFT are 26, the mask 0x3f (log2 of the size). */
    private static final int HUGE_SHIFT = 26;
    private static final long HUGE_MASK = 0x3f;
    /** include/uapi/linux/memfd.h. */
    private static final long MFD_ALLOW_SEALING = 0x2, MFD_HUGETLB = 0x4, MFD_NOEXEC_SEAL = 0x8;
    /** include/uapi/linux/fcntl.h F_ADD_SEALS (F_LINUX_SPECIFIC_BASE + 9). */
    private static final long F_ADD_SEALS = 1033;
    /** include/uapi/asm-generic/fcntl.h F_SETFL. */
    private static final long F_SETFL = 4;
    /** include/uapi/linux/fcntl.h F_DUPFD, F_DUPFD_CLOEXEC (F_LINUX_SPECIFIC_BASE + 6). */
    private static final long F_DUPFD = 0, F_DUPFD_CLOEXEC = 1030;
    /** What {@link #adopt} takes for an add_seals marker. */
    static final long ADOPT_SEALS = F_ADD_SEALS;
    /** What {@link #adopt} takes for a madvise marker (no io_uring opcode or fcntl command is this large). */
    static final long ADOPT_MADVISE = 1L << 40;
    /** include/uapi/asm-generic/fcntl.h O_DIRECT (x86). */
    private static final long O_DIRECT = 040000;
    /** include/uapi/linux/io_uring.h. */
    private static final long IORING_REGISTER_BUFFERS = 0, IORING_UNREGISTER_BUFFERS = 1, IORING_REGISTER_BUFFERS2 = 15,
            IORING_REGISTER_BUFFERS_UPDATE = 16, IORING_REGISTER_USE_REGISTERED_RING = 1L << 31;
    /** {@link #exit}'s answer for a syscall whose result the model does not judge. */
    static final long UNJUDGED = Long.MIN_VALUE;
    /** include/uapi/linux/stat.h S_IFMT, S_IFREG; include/linux/fs.h S_DAX. */
    private static final long S_IFMT = 0xf000, S_IFREG = 0x8000, S_DAX = 1 << 13;
    /** Inode numbers of files known only by an fd. */
    static final long FD_INO = Inode.FD_INO;

    /** The syscalls that change the model; every other is passed through. */
    private enum Call {
        OTHER, MMAP, MUNMAP, MPROTECT, MREMAP, FTRUNCATE, TRUNCATE, FALLOCATE, OPENAT, MEMFD_CREATE, MEMFD_SECRET, CLOSE, PROCESS_VM_READV,
        PROCESS_VM_WRITEV, IO_URING_SETUP, IO_URING_REGISTER, IOCTL, PTRACE, SETRLIMIT, PRLIMIT64, SETUID, SETREUID,
        SETRESUID, CAPSET, MLOCK, MLOCK2, MUNLOCK, MLOCKALL, MUNLOCKALL, MADVISE, READ, WRITE, PREAD64, PWRITE64,
        PREADV, PWRITEV, PWRITEV2, IO_URING_ENTER, PREADV2, READV, WRITEV, FCNTL, FSYNC, FDATASYNC, SYNC_FILE_RANGE,
        DUP, DUP2, DUP3, MSEAL, MSYNC, REMAP_FILE_PAGES
    }

    /** include/uapi/asm-generic/mman-common.h MS_ASYNC, MS_INVALIDATE, MS_SYNC. */
    private static final long MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

    /** include/uapi/linux/fs.h SYNC_FILE_RANGE_WRITE: start writeback of the range's dirty pages. */
    private static final long SYNC_FILE_RANGE_WRITE = 2;

    /** include/uapi/linux/mman.h MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP. */
    private static final long MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

    /** include/uapi/asm-generic/mman-common.h MLOCK_ONFAULT; include/uapi/asm-generic/mman.h MCL_*. */
    private static final long MLOCK_ONFAULT = 1, MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;
    /** include/uapi/asm-generic/resource.h RLIMIT_MEMLOCK. */
    private static final long RLIMIT_MEMLOCK = 8;

    private static final Call[] CALLS = Call.values();

    private final Kernel k;
    private final AddressSpace.MmapRequest req = new AddressSpace.MmapRequest();
    /**
     * Per pid: the syscall entered: its first six arguments, its {@link Call} ordinal + 1 ({@link #CALL}), its entry
     * timestamp ({@link #TS}); inside io_uring_register(), the model's result so far ({@link #RESULT}) and the GUP
     * calls seen ({@link #PINS}).
     */
    private final LongObjectMap<long[]> entered = new LongObjectMap<>();
    private static final int CALL = 6, TS = 7, RESULT = 8, PINS = 9;
    /**
     * Inside io_uring_register(IORING_REGISTER_BUFFERS): the pages its iovecs charged ({@link #CHARGED}) and pinned
     * ({@link #PAGES}), whether an unknown input could have refused a charge or let it through ({@link #UNCERTAIN}); inside
     * setrlimit()/prlimit64(): the new RLIMIT_MEMLOCK do_prlimit()'s kprobe read ({@link #LIMIT}, {@link #LIMIT_READ}).
     */
    private static final int CHARGED = 10, PAGES = 11, UNCERTAIN = 12, LIMIT = 13, LIMIT_READ = 14;
    /** After a judged io_uring_register(): its opcode + 1 and the model's result, for the program's marker. */
    private static final int ADOPT = 15, ADOPTED = 16;
    /** After close() returned, until the task's next syscall: its deferred __fput() may still run ({@link #releasesLongterm}). */
    private static final int FPUT = 17;
    /** openat()'s and truncate()'s path as 7.2's printer shows it ({@link #pathKey}), or 0. */
    private static final int PATH = 18;
    /** After an io_uring_register(IORING_REGISTER_BUFFERS) that succeeded unjudged: its ring's fd + 1, for the marker. */
    private static final int UNJUDGED_RING = 19;
    /**
     * mmap() and remap_file_pages(): mm->def_flags as do_mmap() read them under the mmap write lock the recording
     * showed taken (bits {@link #DEF_SEEN} ...) and how many mlockall()s had been applied then ({@link #LOCKALLS});
     * mlockall() and munlockall(): 1 once applied at that lock's release.
     */
    private static final int DEF_FLAGS = 20, APPLIED = 21, LOCKALLS = 22;
    /**
     * madvise(): 1 once it took the mmap lock, 2 once judged there ({@link #PREJUDGED_RESULT}) because another
     * thread's mlockall() or munlockall() took the write lock after it.
     */
    private static final int MADVISE_LOCKED = 23, PREJUDGED_RESULT = 24, SLOTS = 25;
    private static final long DEF_SEEN = 1, DEF_LOCK_FUTURE = 2, DEF_ON_FAULT = 4, DEF_KNOWN = 8;
    /** Per pid: the mm of a task past its sched_process_exit, whose files close on its way out. */
    private final LongObjectMap<Mm> exiting = new LongObjectMap<>();
    /**
     * Bits of {@link #UNCERTAIN}: an unknown input could have refused the charge, or let it through; io_uring's walk of
     * the VMAs met memory of a guessed kind; a pin inside reached memory mapped before the recording.
     */
    private static final long MAY_REFUSE = 1, MAY_PASS = 2, ASSUMED_MEMORY = 4, ON_PRIOR = 8, ON_UNSIZED = 16;
    private final IoUringRings rings;
    private final Madvise madvise;
    private final PriorMemory prior;
    /** The native event a judged syscall is compared as ({@link #exit}'s answer is its result). */
    private EventType judgedAs;
    /** What the judged syscall assumed of memory the recording never described, or null. */
    private String assumed;
    /**
     * The file an openat() that succeeded last opened by each absolute path ({@link #pathKey}), for truncate(2): what
     * the recording shows of the VFS's names. Renames, unlinks and links are not recorded: a path names the file it
     * was last opened as.
     */
    private final LongObjectMap<Inode> byPath = new LongObjectMap<>();
    /**
     * Whether the recording has shown an mmap_lock event: without them (Debian's 5.10 has none), a call's entry stands
     * for its first lock, and an mlockall()'s entry for its write lock's release.
     */
    private boolean lockEventsSeen;
    /** Per mm: how many mlockall()s and munlockall()s took effect at their write lock's release, the last one's flags. */
    private final LongObjectMap<long[]> lockalls = new LongObjectMap<>();
    /** Per mm: fd to inode. */
    private final LongObjectMap<LongObjectMap<Inode>> fdTables = new LongObjectMap<>();
    /** Per mm: the fds opened with O_DIRECT, to their inode. */
    private final LongObjectMap<LongObjectMap<Inode>> directFds = new LongObjectMap<>();
    /**
     * Per pid: the program's last dio_submit marker not yet completed, its handle and buffer, for the read or write
     * syscall that carries it ({@link #dioSubmitted}).
     */
    private final LongObjectMap<long[]> markedDio = new LongObjectMap<>();
    /** Syscall name symbol to {@link Call} ordinal + 1 (0: not yet resolved). */
    private byte[] bySymbol = new byte[64];
    private long fdInodes;

    Syscalls(Kernel k, Madvise madvise, PriorMemory prior) {
        this.k = k;
        this.madvise = madvise;
        this.prior = prior;
        this.rings = new IoUringRings(k.registrations, k.ioUring, k.profile.ioUringCapablePinnedVm);
    }

    void enter(EventView v, Mm mm) {
        // a task enters a syscall only once its last returned: an O_DIRECT read whose return the recording filtered out
        // (read() of less than 512 bytes) or lost has completed
        k.directIo.bioReturned(v.pid(), -1);
        long[] e = entered.computeIfAbsent(v.pid(), p -> new long[SLOTS]);
        Call c = call(v.symbols(), v.symbol(Field.SYSCALL));
        e[CALL] = c.ordinal() + 1;
        e[TS] = v.ts();
        e[RESULT] = 0;
        e[PINS] = 0;
        e[CHARGED] = 0;
        e[PAGES] = 0;
        e[UNCERTAIN] = 0;
        e[LIMIT_READ] = 0;
        e[ADOPT] = 0;
        e[FPUT] = 0;
        e[UNJUDGED_RING] = 0;
        e[DEF_FLAGS] = 0;
        e[APPLIED] = 0;
        e[LOCKALLS] = 0;
        e[MADVISE_LOCKED] = 0;
        e[PATH] = c == Call.OPENAT || c == Call.TRUNCATE ? pathKey(v) : 0;
        exiting.remove(v.pid());
        arguments(v, e);
        if (!lockEventsSeen) {
            firstLock(e);
            mmapWriteLocked(v.pid(), mm);
            if (c != Call.MLOCKALL || mlockallReachesItsLock(v.pid(), e[0])) {
                mmapWriteUnlocked(v.pid(), mm);
            }
        }
        if (c == Call.IO_URING_REGISTER && (e[1] & IORING_REGISTER_USE_REGISTERED_RING) != 0
                && k.profile.ioUringRegisteredRing) {
            // io_uring_register() (6.3+): the fd is an index into the task's registered rings (IORING_REGISTER_RING_FDS,
            // whose fds are in user memory): the task's only ring is that one; with several, none is known (-1)
            e[1] &= ~IORING_REGISTER_USE_REGISTERED_RING;
            e[0] = rings.soleRing(mm);
        }
        if (c == Call.PREAD64 || c == Call.PWRITE64) {
            // pread64(fd, buf, count, pos), pwrite64(): what iomap_dio_rw() does before its GUP of the buffer
            beforeDirect(directFile(mm, (int) e[0]), e[3], e[1], e[2], c == Call.PWRITE64);
        }
    }

    /**
     * The task took the mmap write lock: do_mmap() reads mm->def_flags under it (5.10-7.2), so another thread's
     * mlockall() while this mmap() or remap_file_pages() populates, before it returns, does not reach its VMA.
     */
    void mmapWriteLocked(int pid, Mm mm) {
        long[] e = entered.get(pid);
        if (e != null && (e[CALL] == Call.MLOCKALL.ordinal() + 1 || e[CALL] == Call.MUNLOCKALL.ordinal() + 1)) {
            madvisesBefore(pid, mm);
        }
        if (e != null && e[DEF_FLAGS] == 0
                && (e[CALL] == Call.MMAP.ordinal() + 1 || e[CALL] == Call.REMAP_FILE_PAGES.ordinal() + 1)) {
            e[DEF_FLAGS] = DEF_SEEN | (mm.lockFuture ? DEF_LOCK_FUTURE : 0) | (mm.lockFutureOnFault ? DEF_ON_FAULT : 0)
                    | (mm.defFlagsKnown ? DEF_KNOWN : 0);
            e[LOCKALLS] = lockalls(mm)[0];
        }
    }

    /** The task took the mmap lock, to read or write: a madvise() decides there what its VMAs allow. */
    void mmapLocked(int pid) {
        lockEventsSeen = true;
        long[] e = entered.get(pid);
        if (e != null) {
            firstLock(e);
        }
    }

    /** The call {@code e} holds the mmap lock: a madvise() tests its VMAs there. */
    private static void firstLock(long[] e) {
        if (e[CALL] == Call.MADVISE.ordinal() + 1 && e[MADVISE_LOCKED] == 0) {
            e[MADVISE_LOCKED] = 1;
        }
    }

    /**
     * Task {@code pid}'s mlockall() or munlockall() took the write lock: another thread's madvise() that took the lock
     * before it has tested its VMAs' flags already (madvise_walk_vmas() under the lock, 5.10-7.2; MADV_REMOVE drops it
     * for vfs_fallocate() and returns later): it is judged now, on the VMAs as they were.
     */
    private void madvisesBefore(int pid, Mm mm) {
        for (long other : entered.sortedKeys()) {
            long[] o = entered.get(other);
            if (other != pid && o[CALL] == Call.MADVISE.ordinal() + 1 && o[MADVISE_LOCKED] == 1
                    && k.tasks.mmOf((int) other) == mm) {
                o[MADVISE_LOCKED] = 2;
                long r = madvise.judged(mm, o[0], o[1], (int) o[2]);
                o[PREJUDGED_RESULT] = r == Madvise.UNDECIDED ? UNJUDGED : r;
            }
        }
    }

    /**
     * The task released the mmap write lock: mlockall() and munlockall() changed def_flags and every VMA under it
     * (apply_mlockall_flags(), 5.10-7.2) and populate after it with the read lock, so another thread's call before they
     * return sees the change. An mlockall(MCL_CURRENT) that the RLIMIT_MEMLOCK check under the lock may have refused
     * (-ENOMEM: "if (!(flags & MCL_CURRENT) || (current->mm->total_vm <= lock_limit) || capable(CAP_IPC_LOCK))")
     * waits for its result.
     */
    void mmapWriteUnlocked(int pid, Mm mm) {
        long[] e = entered.get(pid);
        if (e == null || e[APPLIED] != 0) {
            return;
        }
        Creds creds = k.creds.of(pid);
        if (e[CALL] == Call.MUNLOCKALL.ordinal() + 1 || e[CALL] == Call.MLOCKALL.ordinal() + 1
                && ((e[0] & MCL_CURRENT) == 0 || creds.effective == Creds.YES || creds.rlimit == Creds.RLIM_INFINITY)) {
            e[APPLIED] = 1;
            long flags = e[CALL] == Call.MLOCKALL.ordinal() + 1 ? e[0] : 0;
            mlockall(mm, flags, false);
            long[] l = lockalls(mm);
            l[0]++;
            l[1] = flags;
        }
    }

    /**
     * mlockall()'s checks before its write lock (5.10-7.2): the flags ("if (!flags || (flags & ~(MCL_CURRENT |
     * MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT) return -EINVAL;") and can_do_mlock() (-EPERM without
     * CAP_IPC_LOCK under a zero RLIMIT_MEMLOCK): whether the call certainly passed them, for a recording without
     * mmap_lock events, whose entry is then taken for the lock.
     */
    private boolean mlockallReachesItsLock(int pid, long flags) {
        Creds creds = k.creds.of(pid);
        return flags != 0 && (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) == 0 && flags != MCL_ONFAULT
                && (creds.effective == Creds.YES || creds.rlimitKnown && creds.rlimit > 0);
    }

    private long[] lockalls(Mm mm) {
        return lockalls.computeIfAbsent(mm.id, id -> new long[2]);
    }

    /**
     * An mmap() or remap_file_pages() of {@code [start, end)} that returned after another thread's mlockall() or
     * munlockall() took effect, but had made its VMA before (under the write lock it released first): that one's
     * apply_mlockall_flags() went over the new VMA too (5.10-7.2), as the last of them left it.
     */
    private void lockedAllSince(Mm mm, long[] e, long start, long end) {
        long[] l = lockalls(mm);
        if (e[DEF_FLAGS] == 0 || l[0] == e[LOCKALLS]) {
            return;
        }
        if (l[1] == 0) {
            k.addressSpace.mlock(mm, start, end, false, true);
        } else if ((l[1] & MCL_CURRENT) != 0) {
            k.addressSpace.mlock(mm, start, end, true, (l[1] & MCL_ONFAULT) != 0);
        }
    }

    /**
     * apply_mlockall_flags() (5.10-7.2): {@code flags} 0 is munlockall(); with {@code populate}, mlockall()'s
     * mm_populate() after it too (else at its return: a populate walks the VMAs after the lock, which another thread's
     * call before that return may find not yet done).
     */
    private void mlockall(Mm mm, long flags, boolean populate) {
        mm.lockedVmKnown = false;
        boolean onFault = (flags & MCL_ONFAULT) != 0;
        if ((flags & MCL_CURRENT) != 0 || flags == 0) {
            boolean lock = flags != 0;
            if (populate) {
                k.addressSpace.mlock(mm, 0, Mm.TASK_SIZE, lock, !lock || onFault);
            } else {
                k.addressSpace.mlockFlags(mm, 0, Mm.TASK_SIZE, lock, !lock || onFault);
            }
        }
        mm.lockFuture = (flags & MCL_FUTURE) != 0;
        mm.lockFutureOnFault = onFault;
        mm.defFlagsKnown = true;
    }

    /** Sets mm->def_flags as {@link #mmapWriteLocked} saw them ({@code bits} 0: leaves them); returns the previous bits. */
    private static long defFlags(Mm mm, long bits) {
        long now = DEF_SEEN | (mm.lockFuture ? DEF_LOCK_FUTURE : 0) | (mm.lockFutureOnFault ? DEF_ON_FAULT : 0)
                | (mm.defFlagsKnown ? DEF_KNOWN : 0);
        if (bits != 0) {
            mm.lockFuture = (bits & DEF_LOCK_FUTURE) != 0;
            mm.lockFutureOnFault = (bits & DEF_ON_FAULT) != 0;
            mm.defFlagsKnown = (bits & DEF_KNOWN) != 0;
        }
        return now;
    }

    /**
     * The first six arguments in order into {@code e}: every field but the syscall's name and the event's own name
     * (libtraceevent's {@code sys_enter_mmap: addr: ..} and raw_syscalls' {@code sys_enter: NR 9 (..)} carry one).
     */
    private static void arguments(EventView v, long[] e) {
        int a = 0;
        for (int i = 0, n = v.fieldCount(); i < n && a < 6; i++) {
            int key = v.fieldKey(i);
            if (key != Field.SYSCALL.ordinal() && key != Field.EVENT_NAME.ordinal()) {
                e[a++] = v.fieldValue(i);
            }
        }
        while (a < 6) {
            e[a++] = 0;
        }
    }

    /**
     * The syscall's return: its effect on the model, when it succeeded and its entry was seen. Returns the model's
     * result of a syscall it judges ({@link #ioUringRegister}; {@link #judgedAs()} names it), else {@link #UNJUDGED}.
     */
    long exit(EventView v, Mm mm) {
        long[] e = entered.get(v.pid());
        Call c = call(v.symbols(), v.symbol(Field.SYSCALL));
        if (e == null || e[CALL] != c.ordinal() + 1 || c == Call.OTHER) {
            return UNJUDGED;
        }
        e[CALL] = 0;
        e[FPUT] = c == Call.CLOSE ? 1 : 0;
        assumed = null;
        long ret = v.get(Field.RET, -1);
        if (directIo(c)) {
            k.directIo.bioReturned(v.pid(), ret);
            returnedDio(v.pid(), c, e[1]);
        }
        if (c == Call.IO_URING_REGISTER) {
            return ioUringRegister(mm, e, ret);
        }
        if (c == Call.MADVISE) {
            long judged = madvise(mm, e, ret);
            if (judged != UNJUDGED) {
                // the program's madvise marker after it is this call: judged once, on the VMAs of its lock
                e[ADOPT] = ADOPT_MADVISE + 1;
                e[ADOPTED] = judged;
            }
            return judged;
        }
        if (c == Call.FCNTL) {
            return fcntl(mm, e, ret);
        }
        if (c == Call.MMAP && poolDecides(mm, e)) {
            return hugetlbMmap(mm, e, ret);
        }
        if (c == Call.FALLOCATE && poolDecides(fd(mm, (int) e[0], false))) {
            // hugetlbfs_fallocate() (5.10-7.2): each missing folio from alloc_hugetlb_folio(), -ENOSPC at the first
            // the pool cannot give (those before stay): judged against the pool, its own checks too
            return hugetlbFallocate(fd(mm, (int) e[0], false), e, ret);
        }
        if (c == Call.MSYNC) {
            msync(mm, e[0], e[1], e[2]); // what it wrote back stands, whatever it returned
            return UNJUDGED;
        }
        if (ret < 0 && ret >= -4095) {
            if (c == Call.MREMAP) {
                mremapFailed(mm, e, ret);
            } else if (c == Call.MMAP && (e[3] & MAP_FIXED) != 0 || c == Call.REMAP_FILE_PAGES) {
                mmapFixedFailed(mm, c, e, ret);
            } else if (c == Call.MLOCK || c == Call.MLOCK2 || c == Call.MUNLOCK) {
                mlockFailed(v.pid(), mm, c, e, ret);
            } else if (c == Call.MPROTECT && (ret == -Errno.ENOMEM || ret == -Errno.EACCES || ret == -Errno.EPERM)) {
                // do_mprotect_pkey() (5.10-7.2): a gap (-ENOMEM), a VMA refusing PROT_WRITE (-EACCES) or an mseal()ed
                // one (-EPERM, 6.12+) breaks the loop over the VMAs, those before it keeping their new protection (the
                // model's mprotect() stops there too)
                k.addressSpace.mprotect(mm, e[0], MemMap.pageAlign(e[1]), (e[2] & PROT_READ) != 0,
                        (e[2] & PROT_WRITE) != 0, (e[2] & PROT_EXEC) != 0);
            }
            return UNJUDGED; // failed: nothing changed, but for a failed mremap_to()'s unmapping
        }
        switch (c) {
            case MMAP -> {
                long now = defFlags(mm, e[DEF_FLAGS]);
                mmap(mm, ret, e[1], e[2], e[3], (int) e[4], e[5]);
                defFlags(mm, now);
                lockedAllSince(mm, e, ret, ret + MemMap.pageAlign(e[1]));
            }
            case MUNMAP -> k.addressSpace.munmap(mm, e[0], MemMap.pageAlign(e[1]));
            case MSEAL -> k.addressSpace.mseal(mm, e[0], MemMap.pageAlign(e[1]));
            case REMAP_FILE_PAGES -> {
                long now = defFlags(mm, e[DEF_FLAGS]);
                remapFilePages(mm, e[0], e[1], e[3], e[4]);
                defFlags(mm, now);
                lockedAllSince(mm, e, e[0] & -MemMap.PAGE_SIZE, MemMap.pageAlign(e[0] + e[1]));
            }
            case MPROTECT -> {
                prior.beforeRange(mm, e[0], e[1], ret);
                k.addressSpace.mprotect(mm, e[0], MemMap.pageAlign(e[1]), (e[2] & PROT_READ) != 0, (e[2] & PROT_WRITE) != 0,
                        (e[2] & PROT_EXEC) != 0);
            }
            case MREMAP -> {
                prior.beforeRange(mm, e[0], e[1], 0);
                k.addressSpace.mremap(mm, e[0], MemMap.pageAlign(e[1]), ret, MemMap.pageAlign(e[2]),
                        (e[3] & MREMAP_DONTUNMAP) != 0);
            }
            // vfs_fsync_range() -> file_write_and_wait_range(); sync_file_range(SYNC_FILE_RANGE_WRITE) ->
            // __filemap_fdatawrite_range(): folio_clear_dirty_for_io() and folio_mkclean() over the dirty folios
            case FSYNC, FDATASYNC -> {
                Inode inode = fd(mm, (int) e[0], false);
                if (inode != null) {
                    k.writeback.writeback(inode, 0, -1);
                }
            }
            case SYNC_FILE_RANGE -> {
                Inode inode = fd(mm, (int) e[0], false);
                if (inode != null && (e[3] & SYNC_FILE_RANGE_WRITE) != 0) {
                    k.writeback.writeback(inode, e[1], e[2] == 0 ? -1 : e[2]);
                }
            }
            case FTRUNCATE -> {
                Inode inode = fd(mm, (int) e[0], false);
                if (inode != null && !k.truncate.asleep(v.pid())) {
                    k.truncate.ftruncate(inode, e[1]);
                } else if (inode != null) {
                    k.truncate.defer(inode, Truncate.OP_TRUNCATE, e[1], 0);
                }
            }
            // fallocate(fd, mode, offset, len) that succeeded: every mode's effect (Truncate#fallocated)
            // truncate(path, length) (do_sys_truncate() -> vfs_truncate() -> do_truncate(), as ftruncate()'s
            // do_truncate()): on the file the recording last opened by that absolute path, when its printer showed it
            case TRUNCATE -> {
                Inode inode = byPath.get(e[PATH]);
                while (inode != null && inode.revealedAs != null) {
                    inode = inode.revealedAs;
                }
                if (inode != null && e[PATH] != 0 && !k.truncate.asleep(v.pid())) {
                    k.truncate.ftruncate(inode, e[1]);
                } else if (inode != null && e[PATH] != 0) {
                    k.truncate.defer(inode, Truncate.OP_TRUNCATE, e[1], 0);
                }
            }
            case FALLOCATE -> {
                Inode inode = fd(mm, (int) e[0], false);
                if (inode != null) {
                    k.truncate.fallocated(inode, (int) e[1], e[2], e[3]);
                }
            }
            case OPENAT -> {
                Inode file = undescribed(FsType.OTHER);
                table(mm).put(ret, file);
                if (e[PATH] != 0) {
                    byPath.put(e[PATH], file);
                }
                if ((e[2] & O_DIRECT) != 0) {
                    directs(mm).put(ret, file);
                }
            }
            // iomap_dio_complete(): kiocb_invalidate_post_direct_write() over the bytes written
            case PWRITE64 -> afterDirectWrite(directFile(mm, (int) e[0]), e[3], e[1], ret);
            // preadv(fd, vec, vlen, pos), preadv2(..., flags): the count is the iovecs', so kiocb_write_and_wait()'s
            // writeback comes after
            case PREADV, PREADV2 -> beforeDirect(directFile(mm, (int) e[0]), e[3], 0, ret, false);
            // pwritev(fd, vec, vlen, pos), pwritev2(): the count is the iovecs', so the writeback comes with the
            // invalidation after (a btrfs write through the page cache has only what comes after)
            case PWRITEV, PWRITEV2 -> {
                beforeDirect(directFile(mm, (int) e[0]), e[3], 0, ret, true);
                if (buffered(directFile(mm, (int) e[0]), e[3], 0, ret)) {
                    afterDirectWrite(directFile(mm, (int) e[0]), e[3], 0, ret);
                }
            }
            // memfd_create() (MFD_HUGETLB since 749df87bd7be, 4.14): hugetlb_file_setup(), else shmem_file_setup()
            case MEMFD_CREATE -> {
                Inode memfd = k.files.create(FD_INO + (++fdInodes),
                        (e[1] & MFD_HUGETLB) != 0 ? FsType.HUGETLBFS : FsType.TMPFS, false, 0);
                if ((e[1] & MFD_HUGETLB) != 0) {
                    // hugetlb_file_setup(..., (flags >> MFD_HUGE_SHIFT) & MFD_HUGE_MASK) (5.10-7.2): the mount of that hstate
                    memfd.hstate = hstateNamed(e[1]);
                }
                // memfd_create(): F_SEAL_SEAL stays unless MFD_ALLOW_SEALING; MFD_NOEXEC_SEAL (6.3) seals F_SEAL_EXEC
                // and allows sealing
                memfd.seals = (e[1] & MFD_NOEXEC_SEAL) != 0 ? Inode.F_SEAL_EXEC
                        : (e[1] & MFD_ALLOW_SEALING) != 0 ? 0 : Inode.F_SEAL_SEAL;
                table(mm).put(ret, memfd);
            }
            // memfd_secret() (5.14, mm/secretmem.c): secretmem_file_create(), a file whose pages no GUP reaches
            case MEMFD_SECRET -> {
                Inode secret = k.files.create(FD_INO + (++fdInodes), FsType.SECRETMEM, false, 0);
                k.secretmem.fileCreate(secret, v.pid());
                install(mm, ret, secret);
            }
            case CLOSE -> close(mm, e[0]);
            // dup(), dup2(), dup3() (fs/file.c do_dup2()): the new fd refers to the same file, a ring too; dup2() and
            // dup3() close what the new fd referred to
            case DUP, DUP2, DUP3 -> dup(mm, e[0], ret);
            // io_uring_setup() returns the new ring's fd (io_uring_create() → io_uring_install_fd()): no buffer table yet
            case IO_URING_SETUP -> ringSetUp(v.pid(), mm, ret);
            case SETRLIMIT -> rlimit(v.pid(), e[0], e);
            // prlimit64(pid, resource, new, old): pid 0 is the caller; a NULL new only reads (getrlimit())
            case PRLIMIT64 -> {
                if (e[2] != 0) {
                    rlimit(e[0] == 0 ? v.pid() : (int) e[0], e[1], e);
                }
            }
            case SETUID -> k.creds.setuid(v.pid(), uid(e[0]));
            case SETREUID -> k.creds.setreuid(v.pid(), uid(e[0]), uid(e[1]));
            case SETRESUID -> k.creds.setresuid(v.pid(), uid(e[0]), uid(e[1]), uid(e[2]));
            case CAPSET -> k.creds.capset(v.pid());
            // mlock_fixup() charges locked_vm for the VMAs it newly locks: not modelled, so the count is unknown
            // mlock(start, len), mlock2(start, len, flags), munlock(start, len), mlockall(flags), munlockall()
            case MLOCK, MLOCK2, MUNLOCK -> {
                mm.lockedVmKnown = false;
                long from = e[0] & -MemMap.PAGE_SIZE;
                k.addressSpace.mlock(mm, from, MemMap.pageAlign(e[0] + e[1]), c != Call.MUNLOCK,
                        c == Call.MLOCK2 && (e[2] & MLOCK_ONFAULT) != 0);
            }
            case MLOCKALL, MUNLOCKALL -> {
                if (e[APPLIED] == 0) {
                    mlockall(mm, c == Call.MLOCKALL ? e[0] : 0, true);
                } else if (c == Call.MLOCKALL && (e[0] & MCL_CURRENT) != 0) {
                    k.addressSpace.mmPopulate(mm, 0, Mm.TASK_SIZE); // mlockall(): mm_populate(0, TASK_SIZE) before it returns
                }
            }
            default -> {
            }
        }
        return UNJUDGED;
    }

    /**
     * The syscalls that carry a synchronous O_DIRECT request (iomap_dio_rw() waits for its bios before returning) and
     * that the recorder traces (read() and write() of at least 512 bytes).
     */
    private static boolean directIo(Call c) {
        return c == Call.READ || c == Call.WRITE || c == Call.PREAD64 || c == Call.PWRITE64 || iovecs(c);
    }

    /**
     * The syscalls that take an iovec array (whose count is known only at their return): readv() and writev() at the
     * file's position, which the recording does not follow, the others at their own.
     */
    private static boolean iovecs(Call c) {
        return c == Call.PREADV || c == Call.PWRITEV || c == Call.PREADV2 || c == Call.PWRITEV2 || c == Call.READV
                || c == Call.WRITEV;
    }

    /**
     * Whether a short-term GUP of task {@code pid} now is the bio_iov_iter_get_pages() of its O_DIRECT syscall, whose
     * pages the bios hold until the syscall returns; not when a dio_submit marker describes that request.
     */
    boolean inDirectIo(int pid) {
        long[] e = entered.get(pid);
        return e != null && e[CALL] != 0 && directIo(CALLS[(int) e[CALL] - 1]) && !markedDio(pid);
    }

    /**
     * Whether task {@code pid} is inside io_uring_enter(), where io_submit_sqe() issues the requests it submits; not when
     * a dio_submit marker describes the request.
     */
    boolean inIoUringEnter(int pid) {
        long[] e = entered.get(pid);
        return e != null && e[CALL] == Call.IO_URING_ENTER.ordinal() + 1 && !markedDio(pid);
    }

    /** Whether task {@code pid} has a dio_submit marker open: its GUPs are that request's, which the marker plays. */
    private boolean markedDio(int pid) {
        return markedDioHandle(pid) != 0;
    }

    /** The handle of task {@code pid}'s open dio_submit marker, or 0. */
    int markedDioHandle(int pid) {
        long[] d = markedDio.get(pid);
        return d == null ? 0 : (int) d[0];
    }

    /** Task {@code pid} wrote a dio_submit marker for request {@code handle} on {@code buf}, before its syscall. */
    void dioSubmitted(int pid, int handle, long buf) {
        long[] d = markedDio.computeIfAbsent(pid, p -> new long[2]);
        d[0] = handle;
        d[1] = buf;
    }

    /** Task {@code pid} wrote the dio_complete marker of {@code handle}. */
    void dioCompleted(int pid, int handle) {
        long[] d = markedDio.get(pid);
        if (d != null && d[0] == handle) {
            d[0] = 0;
        }
    }

    /**
     * Task {@code pid}'s {@code c} on {@code buf} (read(), pread64() and their writes; preadv()'s iovec array) returned:
     * the request its dio_submit marker named completed inside it
     * ({@link pinreplay.replay.dev.DirectIo#syscallReturned}).
     */
    private void returnedDio(int pid, Call c, long buf) {
        long[] d = markedDio.get(pid);
        if (d == null || d[0] == 0 || !iovecs(c) && d[1] != buf || !k.directIo.inFlight((int) d[0])) {
            return;
        }
        k.directIo.syscallReturned((int) d[0]);
        d[0] = 0;
    }

    /** do_prlimit()'s kprobe inside task {@code v.pid()}'s setrlimit() or prlimit64(): the new limit, when it sets one. */
    void prlimit(EventView v) {
        long[] e = entered.get(v.pid());
        if (e == null || v.get(Field.ADDR, 0) == 0 || v.get(Field.RESOURCE, -1) != RLIMIT_MEMLOCK
                || !v.has(Field.RLIMIT)) {
            return;
        }
        e[LIMIT] = v.get(Field.RLIMIT);
        e[LIMIT_READ] = 1;
    }

    /**
     * The kprobe of do_sys_openat2(), __x64_sys_truncate() or do_sys_truncate() inside task {@code v.pid()}'s openat() or
     * truncate(): the path it was given, where the syscall's printer showed a pointer (5.10 to 6.12).
     */
    void pathGiven(EventView v) {
        long[] e = entered.get(v.pid());
        if (e != null && e[PATH] == 0 && (e[CALL] == Call.OPENAT.ordinal() + 1 || e[CALL] == Call.TRUNCATE.ordinal() + 1)) {
            e[PATH] = pathKey(v);
        }
    }

    /** A successful setrlimit()/prlimit64() of {@code resource} for task {@code pid}: RLIMIT_MEMLOCK is what was read. */
    private void rlimit(int pid, long resource, long[] e) {
        if (resource == RLIMIT_MEMLOCK) {
            long bytes = e[LIMIT] == -1 ? Creds.RLIM_INFINITY : e[LIMIT]; // RLIM_INFINITY is ~0UL
            k.creds.prlimit(pid, bytes, e[LIMIT_READ] == 1);
        }
    }

    /** A uid_t argument: -1 (0xffffffff as the syscall's u32) leaves the id unchanged. */
    private static long uid(long arg) {
        return (int) arg == -1 ? -1 : arg & 0xffffffffL;
    }

    /**
     * io_uring_setup() made ring {@code fd}: io_uring_create() sets ctx->user to the caller's user when it lacks
     * CAP_IPC_LOCK ("if (!capable(CAP_IPC_LOCK)) ctx->user = get_uid(current_user())", 5.11+ and the 5.10 LTS), and
     * ctx->mm_account to its mm.
     */
    private void ringSetUp(int pid, Mm mm, long fd) {
        Creds c = k.creds.of(pid);
        byte cap = TaskCreds.capable(c);
        rings.setUp(mm, fd, cap == Creds.YES ? null : k.creds.userOf(c), cap == Creds.UNKNOWN);
    }

    /**
     * The judged result of task {@code pid}'s last io_uring_register() of {@code opcode} (or fcntl() of F_ADD_SEALS,
     * {@link #ADOPT_SEALS}), when no marker took it yet and no other syscall of the task came between, else {@link
     * #UNJUDGED}: a program's io_uring_register_buffers, io_uring_unregister_buffers or add_seals marker written after
     * the syscall (a recording with both) is that call, whose pins, charges and seals the model already made; it takes
     * that result instead of making them again.
     */
    long adopt(int pid, long opcode) {
        long[] e = entered.get(pid);
        if (e == null || e[ADOPT] != opcode + 1) {
            return UNJUDGED;
        }
        e[ADOPT] = 0;
        return e[ADOPTED];
    }

    /**
     * The program's io_uring_register_buffers marker made table {@code handle} after task {@code pid}'s
     * io_uring_register(IORING_REGISTER_BUFFERS) the recording did not judge (no pins shown): the table is that call's
     * ring's, which io_sqe_buffers_unregister() or the ring's last close releases whatever handle the program names then.
     */
    void markerTable(int pid, Mm mm, int handle) {
        long[] e = entered.get(pid);
        if (e != null && e[UNJUDGED_RING] != 0) {
            rings.markerTable(mm, e[UNJUDGED_RING] - 1, handle);
            e[UNJUDGED_RING] = 0;
        }
    }

    EventType judgedAs() {
        return judgedAs;
    }

    /** The entry timestamp of task {@code pid}'s syscall now returning (read before {@link #exit}). */
    long enteredAt(int pid) {
        long[] e = entered.get(pid);
        return e == null ? 0 : e[TS];
    }

    /**
     * A GUP call of task {@code pid} returned {@code pinned} of {@code nrPages} pages at {@code start} in the model:
     * inside io_uring_register(IORING_REGISTER_BUFFERS, _BUFFERS2 or _BUFFERS_UPDATE) it is io_pin_pages() of one
     * iovec (the kernel stops at the first that fails), whose outcome io_sqe_buffer_register() turns into the call's;
     * {@code onPrior}: the pin reached memory mapped before the recording, whose kind is a guess; {@code onUnsized}: a
     * file whose size the recording does not show, whose end is a guess.
     */
    void pinned(int pid, Mm mm, long start, long nrPages, long pinned, boolean onPrior, boolean onUnsized) {
        long[] e = entered.get(pid);
        if (e == null || e[CALL] != Call.IO_URING_REGISTER.ordinal() + 1 || !registersBuffers(e[1])) {
            return;
        }
        e[PINS]++;
        e[UNCERTAIN] |= (onPrior ? ON_PRIOR : 0) | (onUnsized ? ON_UNSIZED : 0);
        if (e[RESULT] == 0) {
            e[RESULT] = k.ioUring.afterPin(mm, start, nrPages << MemMap.PAGE_SHIFT, nrPages, pinned);
            e[UNCERTAIN] |= k.ioUring.checksAssumedMemory(mm, start, nrPages << MemMap.PAGE_SHIFT) ? ASSUMED_MEMORY : 0;
        }
        List<Registration> live = k.registrations.live();
        Registration newest = pinned > 0 && !live.isEmpty() ? live.get(live.size() - 1) : null;
        boolean own = newest != null && newest.mm == mm && newest.kind == Registration.Kind.GUP && newest.handle == 0;
        if (own) {
            rings.pinned(mm, e[0], newest);
        }
        if (e[RESULT] == 0) {
            // io_buffer_account_pin() after the iovec's pin: the ring's user and mm_account
            long acct = own ? rings.accountPages(mm, e[0], newest.extents) : nrPages;
            e[PAGES] += acct;
            Creds current = k.creds.of(pid);
            e[RESULT] = rings.accountPin(mm, e[0], acct, current);
            e[CHARGED] += e[RESULT] == 0 ? acct : 0;
            e[UNCERTAIN] |= (rings.chargeUncertain(mm, e[0], current) ? MAY_REFUSE : 0)
                    | (rings.chargeMayPass(mm, e[0]) ? MAY_PASS : 0);
        }
    }

    /**
     * Whether a registration of buffers ({@code nr_args} of them) took pins the recording did not show: no GUP was
     * recorded inside it (no kprobe on io_pin_pages(); a table of only empty iovecs pins nothing too).
     */
    private static boolean unseenPins(long[] e) {
        return e[PINS] == 0 && e[3] > 0;
    }

    /** What io_uring's walk of the pinned pages' VMAs answers (before 6.5): 0, -EINVAL or -EOPNOTSUPP. */
    private static boolean walkAnswer(long r) {
        return r == 0 || r == -Errno.EINVAL || r == -Errno.EOPNOTSUPP;
    }

    /** io_sqe_buffers_register() (IORING_REGISTER_BUFFERS, _BUFFERS2 from 5.13) and __io_sqe_buffers_update(). */
    private static boolean registersBuffers(long opcode) {
        return opcode == IORING_REGISTER_BUFFERS || opcode == IORING_REGISTER_BUFFERS2
                || opcode == IORING_REGISTER_BUFFERS_UPDATE;
    }

    /** A recorded unpin inside IORING_REGISTER_BUFFERS_UPDATE on ring {@code fd}: a replaced buffer's ({@link IoUringRings#unpinReplaced}). */
    void unpinReplaced(Mm mm, long fd, long nrPages) {
        rings.unpinReplaced(mm, fd, nrPages);
    }

    /** Whether task {@code pid} is inside io_uring_register(IORING_REGISTER_BUFFERS_UPDATE), and on which ring, or -1. */
    long bufferUpdateRing(int pid) {
        long[] e = entered.get(pid);
        return e != null && e[CALL] == Call.IO_URING_REGISTER.ordinal() + 1 && e[1] == IORING_REGISTER_BUFFERS_UPDATE
                ? e[0] : -1;
    }

    /**
     * io_uring_register() at its return: the model's result of IORING_REGISTER_BUFFERS or IORING_UNREGISTER_BUFFERS
     * (else {@link #UNJUDGED}), then the recorded result applied to the ring. A registration is judged by its
     * arguments, then by its pins: refused before any pin on a check the recording does not show (the iovecs' copy
     * and io_buffer_validate()), or with fewer pins than iovecs (a later iovec refused, or an empty slot), it is
     * unjudged; the memlock charge (io_account_mem(), for a ring made without CAP_IPC_LOCK) is not modelled.
     */
    private long ioUringRegister(Mm mm, long[] e, long ret) {
        long fd = e[0];
        long opcode = e[1];
        boolean ok = ret == 0;
        long judged = UNJUDGED;
        if (opcode == IORING_REGISTER_BUFFERS) {
            judgedAs = EventType.IO_URING_REGISTER_BUFFERS;
            long r = k.ioUring.registerArgs(e[2], e[3], rings.table(mm, fd));
            if (r == IoUring.UNDECIDED && ret == -Errno.EBUSY && e[PINS] == 0) {
                // io_sqe_buffers_register() (5.10-7.2): "if (ctx->user_bufs) return -EBUSY;" (ctx->buf_table.nr in 7.2),
                // before any pin: the ring, older than the recording, holds a table registered before it
                k.ctx.assume("a buffer table of the ring registered before the recording");
                rings.tableBeforeRecording(mm, fd);
                r = ret;
            }
            judged = r != 0 && r != IoUring.UNDECIDED ? r
                    : e[PINS] == 0 ? UNJUDGED
                    : e[RESULT] < 0 || e[PINS] == e[3] ? e[RESULT] : UNJUDGED;
            if (judged == 0 && ret == -Errno.ENOMEM && (e[UNCERTAIN] & MAY_REFUSE) != 0) {
                // an unknown input (the user's charges from before the recording, the limit) refused a charge
                k.ctx.assume("RLIMIT_MEMLOCK exceeded (the limit, or user->locked_vm before the recording, is unknown)");
                judged = ret;
            } else if (walkAnswer(judged) && walkAnswer(ret) && ret != judged && (e[UNCERTAIN] & ASSUMED_MEMORY) != 0) {
                // io_uring's walk of the VMAs (before 6.5) met memory of a guessed kind before a known mapping decided:
                // whether it is a file's, shmem or hugetlbfs, and the first page's file (-EINVAL), is unknown
                k.ctx.assume("the kind of memory from before the recording, or of a file it never described, that"
                        + " io_uring's walk of the VMAs met");
                judged = ret;
            } else if (judged == -Errno.ENOMEM && ok && (e[UNCERTAIN] & MAY_PASS) != 0) {
                // io_uring_create() left ctx->user NULL for a creator with CAP_IPC_LOCK: nothing was charged
                k.ctx.assume("CAP_IPC_LOCK of the ring's creator (its capabilities are unknown)");
                judged = ret;
            }
            // a pin inside ran on a guess of memory from before the recording: what the guess cannot give is the kernel's
            k.ctx.onPriorMemory |= (e[UNCERTAIN] & ON_PRIOR) != 0;
            // or on a guess of a file's size (a pin that met its end where the model's file went on)
            k.ctx.onUnsizedFile |= (e[UNCERTAIN] & ON_UNSIZED) != 0;
            // the kernel's own state: a failed call unaccounted what it charged; a successful one charged every page
            rings.registered(mm, fd, ok, ok ? e[PAGES] - e[CHARGED] : -e[CHARGED], ok ? e[PAGES] : 0, unseenPins(e));
        } else if (opcode == IORING_REGISTER_BUFFERS2) {
            // the table's size, flags (IORING_RSRC_REGISTER_SPARSE) and iovecs are in user memory: not judged, the
            // recorded result made the table, with the pins inside
            rings.registered(mm, fd, ok, ok ? e[PAGES] - e[CHARGED] : -e[CHARGED], ok ? e[PAGES] : 0, unseenPins(e));
        } else if (opcode == IORING_REGISTER_BUFFERS_UPDATE) {
            // the slots and iovecs are in user memory: not judged; the new buffers join the table
            rings.updated(mm, fd, ret >= 0, ret >= 0 ? e[PAGES] - e[CHARGED] : -e[CHARGED], ret >= 0 ? e[PAGES] : 0,
                    unseenPins(e));
        } else if (opcode == IORING_UNREGISTER_BUFFERS) {
            judgedAs = EventType.IO_URING_UNREGISTER_BUFFERS;
            long r = IoUring.unregisterArgs(e[2], e[3], rings.table(mm, fd));
            judged = r == IoUring.UNDECIDED ? UNJUDGED : r;
            if (ok) {
                rings.unregistered(mm, fd);
            }
        }
        if (judged != UNJUDGED) {
            e[ADOPT] = opcode + 1;
            e[ADOPTED] = judged;
        } else if (opcode == IORING_REGISTER_BUFFERS && ok) {
            e[UNJUDGED_RING] = fd + 1;
        }
        return judged;
    }

    /**
     * fcntl() at its return: F_ADD_SEALS on a memfd the recording saw made (so its seals are known) is judged as the
     * native {@code add_seals} ({@link pinreplay.replay.fs.Memfd#addSeals}); the seals then follow the kernel's result.
     * Every other command, or a file whose seals are unknown, is not judged.
     */
    private long fcntl(Mm mm, long[] e, long ret) {
        if (e[1] == F_SETFL && ret == 0) {
            setfl(mm, (int) e[0], e[2]);
            return UNJUDGED;
        }
        if ((e[1] == F_DUPFD || e[1] == F_DUPFD_CLOEXEC) && ret >= 0) {
            dup(mm, e[0], ret);
            return UNJUDGED;
        }
        Inode file = e[1] == F_ADD_SEALS ? fd(mm, (int) e[0], false) : null;
        if (file == null || file.seals < 0) {
            return UNJUDGED;
        }
        judgedAs = EventType.ADD_SEALS;
        long judged = k.memfd.addSeals(file, (int) e[2]);
        if (judged == 0 && ret == -Errno.EBUSY && k.udmabuf.anyUnfollowed()) {
            // memfd_wait_for_pins() met pins the model could not follow: a dma-buf of a list item the probe did not
            // read, or over a memfd the recording never showed made
            k.ctx.assume("the pins of a dma-buf whose memfd range the recording did not show");
            judged = ret;
        } else if (judged == 0 && ret == -Errno.EBUSY && rings.anyUnseenPins()) {
            // memfd_wait_for_pins() met io_uring fixed buffers registered while the recording had no kprobe on the pins
            k.ctx.assume("the pins of io_uring fixed buffers whose pages the recording did not show (no kprobes)");
            judged = ret;
        }
        if (ret == 0) {
            k.memfd.sealed(file, (int) e[2]);
        }
        e[ADOPT] = F_ADD_SEALS + 1;
        e[ADOPTED] = judged;
        return judged;
    }

    private void close(Mm mm, long fd) {
        Inode file = table(mm).get(fd);
        table(mm).remove(fd);
        if (file != null) {
            k.secretmem.fdPut(file);
        }
        directs(mm).remove(fd);
        rings.closed(mm, fd);
    }

    private void dup(Mm mm, long oldFd, long newFd) {
        if (oldFd == newFd) {
            return;
        }
        close(mm, newFd);
        Inode file = table(mm).get(oldFd);
        if (file != null) {
            install(mm, newFd, file);
        }
        Inode direct = directs(mm).get(oldFd);
        if (direct != null) {
            directs(mm).put(newFd, direct); // O_DIRECT is the open file's (f_flags), which both fds share
        }
        rings.dup(mm, oldFd, newFd);
    }

    /** fcntl(F_SETFL): setfl() sets or clears O_DIRECT (in SETFL_MASK), so the fd's next reads and writes follow it. */
    private void setfl(Mm mm, int fd, long flags) {
        Inode file = fd(mm, fd, false);
        if (file == null) {
            return;
        }
        if ((flags & O_DIRECT) != 0) {
            directs(mm).put(fd, file);
        } else {
            directs(mm).remove(fd);
        }
    }

    /**
     * madvise() at its return: the model's do_madvise() on the syscall's arguments (start, len_in, behavior), judged
     * as the native {@code madvise}. Where the range reaches memory the recording never saw mapped, the recorded
     * result decides ({@link PriorMemory#beforeRange}).
     */
    private long madvise(Mm mm, long[] e, long ret) {
        judgedAs = EventType.MADVISE;
        if (e[MADVISE_LOCKED] == 2) {
            return e[PREJUDGED_RESULT]; // judged when another thread's mlockall() took the write lock after it
        }
        assumed = prior.beforeRange(mm, e[0], e[1], ret);
        long r = madvise.judged(mm, e[0], e[1], (int) e[2]);
        return r == Madvise.UNDECIDED ? UNJUDGED : r;
    }

    /** What {@link #madvise} assumed of memory the recording never described, or null. */
    String assumed() {
        return assumed;
    }

    /**
     * A filesystem's mmap hook ran inside task {@code pid}'s mmap(): mmap_region() calls the file's f_op->mmap (or
     * f_op->mmap_prepare) before the VMA exists, so the file behind the syscall's fd, when the trace saw it only as
     * an fd, is known to be on that filesystem before the mapping is made. The hook's own file, not the fd's, for
     * MAP_ANONYMOUS: ksys_mmap_pgoff()'s hugetlb_file_setup() for MAP_HUGETLB.
     */
    void mmapHook(EventView v, Mm mm) {
        long[] e = entered.get(v.pid());
        if (e == null || e[CALL] != Call.MMAP.ordinal() + 1 || (e[3] & MAP_ANONYMOUS) != 0) {
            return;
        }
        Inode inode = fd(mm, (int) e[4], true);
        FsType fs = hookFs(v.symbols(), v.symbol(Field.FUNC));
        if (!inode.undescribed || fs.fsdaxCapable() && !isReg(v.get(Field.MODE, 0))) {
            return; // an ext4 or xfs hook without its inode's i_flags does not say whether the file is fs-DAX
        }
        Inode real = k.files.create(FD_INO + (++fdInodes), fs, fs.fsdaxCapable() && isDax(v.get(Field.FLAGS, 0)),
                inode.size);
        real.sizeUnknown = inode.sizeUnknown;
        inode.revealedAs = real;
    }

    /**
     * The filesystem whose f_op the probed hook is: hugetlbfs_file_mmap() (fs/hugetlbfs/inode.c: 5.10, 6.1, 6.12,
     * 7.2); shmem_mmap() (mm/shmem.c: 5.10, 6.1, 6.12) or, in 7.2, its f_op->mmap_prepare form shmem_mmap_prepare();
     * ext4_file_mmap() (fs/ext4/file.c), xfs_file_mmap() (fs/xfs/xfs_file.c), btrfs_file_mmap() (fs/btrfs/file.c) in
     * 5.10, 6.1, 6.12, their _prepare forms in 7.2.
     */
    private static FsType hookFs(SymbolTable symbols, int func) {
        if (symbols.is(func, "hugetlbfs_file_mmap")) {
            return FsType.HUGETLBFS;
        }
        if (symbols.is(func, "ext4_file_mmap") || symbols.is(func, "ext4_file_mmap_prepare")) {
            return FsType.EXT4;
        }
        if (symbols.is(func, "xfs_file_mmap") || symbols.is(func, "xfs_file_mmap_prepare")) {
            return FsType.XFS;
        }
        if (symbols.is(func, "btrfs_file_mmap") || symbols.is(func, "btrfs_file_mmap_prepare")) {
            return FsType.BTRFS;
        }
        return FsType.TMPFS;
    }

    /** S_ISREG(inode->i_mode) (include/uapi/linux/stat.h): the fetched inode is the mapped file's, not garbage. */
    private static boolean isReg(long iMode) {
        return (iMode & S_IFMT) == S_IFREG;
    }

    /** IS_DAX(inode): S_DAX (1 << 13, include/linux/fs.h: 5.10, 6.1, 6.12, 7.2) in inode->i_flags. */
    private static boolean isDax(long iFlags) {
        return (iFlags & S_DAX) != 0;
    }

    /**
     * The pid whose mm a GUP *_remote call of task {@code pid} acts on: inside process_vm_readv()/writev() the
     * syscall's first argument (process_vm_rw_core() pins the remote task's pages), inside ptrace() its second
     * (ptrace_access_vm(): PTRACE_PEEKDATA/POKEDATA read and write the tracee's mm); -1 otherwise.
     */
    long remoteTarget(int pid) {
        long[] e = entered.get(pid);
        if (e == null) {
            return -1;
        }
        if (e[CALL] == Call.PROCESS_VM_READV.ordinal() + 1 || e[CALL] == Call.PROCESS_VM_WRITEV.ordinal() + 1) {
            return e[0];
        }
        return e[CALL] == Call.PTRACE.ordinal() + 1 ? e[1] : -1;
    }

    /**
     * Whether task {@code pid} is inside a syscall whose unpins release long-term pins a device user took:
     * io_uring_register() (io_sqe_buffers_register() failing, io_sqe_buffers_unregister()), ioctl() (vfio's
     * VFIO_IOMMU_UNMAP_DMA, RDMA's dereg), close() of such a file, and after close() returned until the task's next
     * syscall (fput() defers __fput() to task_work, run on the way back to user space, until close() calls
     * __fput_sync(), 6.7), and after the task's sched_process_exit. Unpins elsewhere (a bio's completion of a
     * short-term O_DIRECT pin, already dropped at its return) release nothing long-term.
     */
    boolean releasesLongterm(int pid) {
        long[] e = entered.get(pid);
        return exiting.get(pid) != null || e != null && (e[CALL] == Call.IO_URING_REGISTER.ordinal() + 1
                || e[CALL] == Call.IOCTL.ordinal() + 1 || e[CALL] == Call.CLOSE.ordinal() + 1 || e[CALL] == 0 && e[FPUT] != 0);
    }

    /**
     * Task {@code pid} of {@code mm} passed its sched_process_exit: exit_files() and exit_task_work() release its files
     * after it (__fput(): vfio_iommu_type1_release(), ib_uverbs_close()), outside any syscall.
     */
    void exiting(int pid, Mm mm) {
        exiting.put(pid, mm);
    }

    /** The mm of an exiting task whose files are being released, else null (the task's own mm is the one). */
    Mm exitingMm(int pid) {
        return exiting.get(pid);
    }

    /** fork(): the child gets a copy of the parent's fd table (dup_fd()): its files, and its rings shared. */
    void fork(Mm parent, Mm child) {
        copyTable(parent, child);
        rings.fork(parent, child);
    }

    private void copyTable(Mm from, Mm to) {
        LongObjectMap<Inode> t = fdTables.get(from.id);
        if (t != null) {
            for (long fd : t.sortedKeys()) {
                install(to, fd, t.get(fd));
            }
        }
    }

    /** The last task of {@code mm} exited: its files close (exit_files()), the rings with them. */
    void exitFiles(Mm mm) {
        rings.exitFiles(mm);
        LongObjectMap<Inode> t = fdTables.get(mm.id);
        fdTables.remove(mm.id);
        if (t != null) {
            for (long fd : t.sortedKeys()) {
                k.secretmem.fdPut(t.get(fd));
            }
        }
    }

    /** fd_install(): {@code fd} of {@code mm} refers to {@code file} (a secretmem file counts its fds). */
    private void install(Mm mm, long fd, Inode file) {
        table(mm).put(fd, file);
        k.secretmem.fdGet(file);
    }

    /** execve() keeps the fd table (close-on-exec aside): it moves to the new mm. */
    void exec(Mm from, Mm to) {
        LongObjectMap<Inode> t = fdTables.get(from.id);
        if (t != null) {
            fdTables.remove(from.id);
            fdTables.put(to.id, t);
        }
        rings.exec(from, to);
    }

    /**
     * execve() of a vfork() child: its own copy of the fd table (dup_fd() at the clone) goes to the new mm; the
     * io_uring fds in it were O_CLOEXEC, so no ring goes with it, and the parent's table is untouched.
     */
    void execVforked(Mm parent, Mm to) {
        copyTable(parent, to);
    }

    /**
     * mlock(), mlock2() or munlock() that failed (do_mlock(), munlock(), 5.10-7.2): -ENOMEM from apply_vma_lock_flags()
     * at a gap, or -ENOMEM / -EAGAIN from __mm_populate() after it, leaves the VMAs from the start up to the gap changed.
     * mlock()'s -ENOMEM may also be RLIMIT_MEMLOCK's before anything changed: taken as such without CAP_IPC_LOCK when
     * the range alone exceeds the limit. -EPERM, -EINVAL and -EINTR change nothing.
     */
    private void mlockFailed(int pid, Mm mm, Call c, long[] e, long ret) {
        boolean lock = c != Call.MUNLOCK;
        if (ret != -Errno.ENOMEM && !(lock && ret == -Errno.EAGAIN)) {
            return;
        }
        long from = e[0] & -MemMap.PAGE_SIZE;
        long to = MemMap.pageAlign(e[0] + e[1]);
        if (lock && ret == -Errno.ENOMEM) {
            Creds current = k.creds.of(pid);
            // do_mlock(): "if ((locked <= lock_limit) || capable(CAP_IPC_LOCK)) error = apply_vma_lock_flags()"
            if (TaskCreds.capable(current) != Creds.YES && current.rlimit != Creds.RLIM_INFINITY
                    && Long.compareUnsigned(to - from, current.rlimit) > 0) {
                if (TaskCreds.capable(current) == Creds.UNKNOWN || !current.rlimitKnown) {
                    // refused at the limit, or applied up to a gap by a task allowed more: a later refusal says which
                    k.addressSpace.mlockMaybe(mm, from, to);
                }
                return;
            }
        }
        mm.lockedVmKnown = false;
        k.addressSpace.mlockPartly(mm, from, to, lock, c == Call.MLOCK2 && (e[2] & MLOCK_ONFAULT) != 0);
    }

    /**
     * mremap(addr, old_len, new_len, MREMAP_FIXED | MREMAP_MAYMOVE, new_addr) that failed: mremap_to() (5.10-6.16)
     * unmaps the destination and a shrink's tail (do_munmap()) before vma_to_resize() checks the old range, so a call
     * refused there has unmapped them. Only the checks before are the model's to evaluate: the flags, the alignments,
     * TASK_SIZE and the overlap (mremap(), mremap_to()), from 5.16 vma_lookup() and the hugetlb ones; from 6.17
     * check_prep_vma() runs them all first and nothing was unmapped.
     */
    private void mremapFailed(Mm mm, long[] e, long ret) {
        long addr = e[0], newAddr = e[4], flags = e[3];
        long oldLen = MemMap.pageAlign(e[1]), newLen = MemMap.pageAlign(e[2]);
        // mremap(), check_mremap_params() (6.17+): the flags, the alignments, TASK_SIZE and the overlap refuse first
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0
                || (flags & (MREMAP_FIXED | MREMAP_MAYMOVE)) != (MREMAP_FIXED | MREMAP_MAYMOVE)
                || (flags & MREMAP_DONTUNMAP) != 0 && oldLen != newLen
                || ((addr | newAddr) & (MemMap.PAGE_SIZE - 1)) != 0 || newLen == 0
                || Long.compareUnsigned(newLen, Mm.TASK_SIZE) > 0 || Long.compareUnsigned(newAddr, Mm.TASK_SIZE - newLen) > 0
                || addr + oldLen > newAddr && newAddr + newLen > addr) {
            return;
        }
        if (k.profile.mremapChecksFirst) {
            if (oldLen == newLen) {
                // remap_move() (6.17+) runs check_prep_vma() and mremap_to() per VMA of an MREMAP_FIXED move of the
                // same length: the VMAs before the one refused have moved
                k.addressSpace.remapMoveBeforeRefused(mm, addr, oldLen, newAddr, (flags & MREMAP_DONTUNMAP) != 0, ret);
            }
            return;
        }
        if (ret == -Errno.EPERM) {
            return; // can_modify_vma() (6.10-6.16 right after vma_lookup()): mseal()ed, nothing unmapped
        }
        if (k.profile.mremapLookupFirst) {
            VmArea v = mm.vmaLookup(addr);
            if (v == null) {
                return; // -EFAULT before mremap_to()
            }
            if (ret == -Errno.EINVAL && PriorMemory.touchesPrior(mm, addr, addr + MemMap.PAGE_SIZE)) {
                return; // a VMA guessed from before the recording may be hugetlb: its -EINVAL before mremap_to()
            }
            if (v.isHugetlb()) {
                long hp = v.hugePages() << MemMap.PAGE_SHIFT;
                oldLen = (oldLen + hp - 1) & -hp;
                newLen = (newLen + hp - 1) & -hp;
                if (((addr | newAddr) & (hp - 1)) != 0 || newLen > oldLen) {
                    return; // -EINVAL before mremap_to()
                }
            }
        }
        k.addressSpace.munmap(mm, newAddr, newLen);
        if (oldLen > newLen) {
            k.addressSpace.munmap(mm, addr + newLen, oldLen - newLen);
        }
    }

    /**
     * Whether the hugetlb pool decides an mmap() ({@code e}: its arguments): MAP_HUGETLB, or a file the mmap hook showed
     * on hugetlbfs, of an hstate whose pool the recording counted.
     */
    private boolean poolDecides(Mm mm, long[] e) {
        if ((e[3] & MAP_ANONYMOUS) != 0) {
            return (e[3] & MAP_HUGETLB) != 0 && k.hstates.pool(hstateNamed(e[3])).limited();
        }
        return poolDecides(fd(mm, (int) e[4], false));
    }

    /** Whether {@code file} is a hugetlbfs file of an hstate whose pool the recording counted. */
    private boolean poolDecides(Inode file) {
        return file != null && file.isHugetlbfs() && k.hstates.pool(file.hstate).limited();
    }

    /**
     * A hugetlb mmap() judged against the pool (hugetlbfs_file_mmap() -> hugetlb_reserve_pages(), 5.10-7.2): one that
     * succeeded is made, its reservation too (where the counters could not hold it, the pool held more than counted),
     * and judged by whether the model could reserve (the address, else -ENOMEM); one refused with -ENOMEM changes
     * nothing and is judged by the reservation the model would have made. Other failures are the mmap's own checks: not
     * judged.
     */
    private long hugetlbMmap(Mm mm, long[] e, long ret) {
        boolean failed = ret < 0 && ret >= -4095;
        if (failed && (e[3] & MAP_FIXED) != 0) {
            mmapFixedFailed(mm, Call.MMAP, e, ret); // unmapped before hugetlbfs_file_mmap() reserved
        }
        if (failed && ret != -Errno.ENOMEM) {
            return UNJUDGED;
        }
        judgedAs = EventType.MMAP;
        long len = MemMap.pageAlign(e[1]);
        Inode file = (e[3] & MAP_ANONYMOUS) != 0 ? null : fd(mm, (int) e[4], false);
        Hstate h = file != null ? file.hstate : hstateNamed(e[3]);
        long chg = 0;
        if ((e[3] & MAP_NORESERVE) == 0 && len > 0) {
            long type = e[3] & MAP_TYPE;
            boolean shared = type == MAP_SHARED || type == MAP_SHARED_VALIDATE;
            long from = (e[5] >>> MemMap.PAGE_SHIFT) >>> h.order;
            long to = from + (h.align(len) >>> (MemMap.PAGE_SHIFT + h.order));
            chg = k.hugetlb.reserveChg(file, from, to, shared);
        }
        boolean canReserve = k.hstates.pool(h).canReserve(chg);
        if (failed) {
            if (canReserve && chg > 0 && !k.ctx.strictState) {
                k.ctx.assume(Hugetlb.POOL_HELD_LESS);
                k.hstates.pool(h).refused(chg);
                return ret;
            }
            return canReserve ? 0 : -Errno.ENOMEM;
        }
        if (!canReserve && !k.ctx.strictState) {
            k.ctx.assume(Hugetlb.POOL_HELD_MORE);
            k.hstates.pool(h).held(chg);
        }
        long r = mmap(mm, ret, e[1], e[2], e[3], (int) e[4], e[5]); // its reservation made (MmapRequest.succeeded)
        return r == -Errno.ENOMEM || !canReserve && k.ctx.strictState ? -Errno.ENOMEM : ret;
    }

    /**
     * A hugetlbfs fallocate() judged against the pool: the model's result, or the recorded one when it contradicts the
     * counters (-ENOSPC where they had pages: none was free; 0 where they had none: the pages were there, and the rest
     * of the range is allocated).
     */
    private long hugetlbFallocate(Inode file, long[] e, long ret) {
        judgedAs = EventType.FALLOCATE;
        long r = k.truncate.fallocate(file, (int) e[1], e[2], e[3]);
        if (k.ctx.strictState || r == ret) {
            return r;
        }
        if (r == 0 && ret == -Errno.ENOSPC) {
            // the kernel's pool gave none of the folios the model's did (which it got before the refusal, and kept, the
            // recording does not show: none)
            k.ctx.assume(Hugetlb.POOL_HELD_LESS);
            k.truncate.unallocateHuge(file);
            k.hstates.pool(file.hstate).refused(1);
            return ret;
        }
        if (r == -Errno.ENOSPC && ret == 0) {
            k.ctx.assume(Hugetlb.POOL_HELD_MORE);
            k.hstates.pool(file.hstate).held((e[3] + file.hstate.size() - 1) / file.hstate.size());
            k.truncate.fallocate(file, (int) e[1], e[2], e[3]);
            return ret;
        }
        return r;
    }

    /**
     * msync(start, len, flags) (mm/msync.c, 5.10-7.2): with MS_SYNC, VMA by VMA from find_vma(start), each VM_SHARED
     * file VMA's part of the range is written back (vfs_fsync_range(file, fstart, fend, 1)); a gap is skipped (-ENOMEM
     * at the end), a VM_LOCKED VMA under MS_INVALIDATE stops it (-EBUSY), those before it written back.
     */
    private void msync(Mm mm, long start, long len, long flags) {
        if ((flags & MS_SYNC) == 0 || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 || (flags & MS_ASYNC) != 0
                || (start & (MemMap.PAGE_SIZE - 1)) != 0) {
            return;
        }
        long end = start + MemMap.pageAlign(len);
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            if ((flags & MS_INVALIDATE) != 0 && v.has(VmFlags.VM_LOCKED)) {
                return;
            }
            long from = Math.max(start, v.start);
            if (v.file != null && v.isShared()) {
                k.writeback.writeback(v.file, from - v.start + (v.pgoff << MemMap.PAGE_SHIFT), Math.min(end, v.end) - from);
            }
        }
    }

    /**
     * A MAP_FIXED mmap() or a remap_file_pages() (do_mmap() MAP_FIXED of its VMA's file) that failed: when the file's
     * ->mmap() refused it, mmap_region() had unmapped the range already and leaves it unmapped (5.10-7.2: 5.10, 6.1
     * unmap_and_free_vma; 6.12+ vms_abort_munmap_vmas() once vms_clean_up_area() ran); earlier refusals leave it be.
     */
    private void mmapFixedFailed(Mm mm, Call c, long[] e, long ret) {
        long at = e[0] & -MemMap.PAGE_SIZE;
        long len;
        Inode file;
        boolean shared;
        boolean write;
        long pgoff;
        Hstate h = null;
        if (c == Call.REMAP_FILE_PAGES) {
            VmArea v = mm.vmaLookup(at);
            if (v == null || v.file == null || !v.has(VmFlags.VM_SHARED) || e[2] != 0) {
                return; // remap_file_pages()'s own -EINVAL, before do_mmap()
            }
            len = e[1] & -MemMap.PAGE_SIZE;
            file = v.file;
            shared = true;
            write = v.has(VmFlags.VM_WRITE);
            pgoff = e[3];
        } else {
            len = MemMap.pageAlign(e[1]);
            boolean anonymous = (e[3] & MAP_ANONYMOUS) != 0;
            file = anonymous ? null : fd(mm, (int) e[4], false);
            long type = e[3] & MAP_TYPE;
            shared = type == MAP_SHARED || type == MAP_SHARED_VALIDATE;
            write = (e[2] & PROT_WRITE) != 0;
            pgoff = e[5] >>> MemMap.PAGE_SHIFT;
            h = anonymous && (e[3] & MAP_HUGETLB) != 0 ? hstateNamed(e[3]) : null;
        }
        if (file != null && file.isHugetlbfs()) {
            h = file.hstate;
        }
        len = h != null ? h.align(len) : len; // ksys_mmap_pgoff(): "len = ALIGN(len, huge_page_size(hs))"
        if (len == 0 || (e[0] & (MemMap.PAGE_SIZE - 1)) != 0 || h != null && h.unaligned(at)) {
            return; // refused before mmap_region(): do_mmap(), hugetlb_get_unmapped_area()
        }
        boolean refusedByFile = h != null && (ret == -Errno.EINVAL && h.unaligned(pgoff << MemMap.PAGE_SHIFT)
                || ret == -Errno.ENOMEM) // hugetlbfs_file_mmap(): vm_pgoff off a huge page; hugetlb_reserve_pages()
                || ret == -Errno.EPERM && file != null && k.memfd.refusedAfterUnmap(file, shared, write);
        if (refusedByFile) {
            k.addressSpace.munmap(mm, at, len);
        }
    }

    /**
     * remap_file_pages(start, size, 0, pgoff, flags) that succeeded (mm/mmap.c, 5.10-7.2, deprecated): do_mmap() of the
     * VM_SHARED VMA's file over {@code [start, start + size)} (page-aligned down) at page offset {@code pgoff},
     * MAP_SHARED | MAP_FIXED | MAP_POPULATE (MAP_NONBLOCK kept: then not populated), with the VMA's protection, and
     * MAP_LOCKED when it was VM_LOCKED (mm->def_flags too, as any do_mmap()).
     */
    private void remapFilePages(Mm mm, long start, long size, long pgoff, long flags) {
        long at = start & -MemMap.PAGE_SIZE;
        VmArea v = mm.vmaLookup(at);
        if (v == null || v.file == null) {
            return;
        }
        AddressSpace.MmapRequest r = req.reset(at, size & -MemMap.PAGE_SIZE, v.has(VmFlags.VM_READ),
                v.has(VmFlags.VM_WRITE), true);
        r.exec = v.has(VmFlags.VM_EXEC);
        r.file = v.file;
        r.pgoff = pgoff;
        r.populate = (flags & MAP_NONBLOCK) == 0;
        r.locked = v.has(VmFlags.VM_LOCKED) || mm.lockFuture;
        r.lockOnFault = mm.lockFuture && mm.lockFutureOnFault;
        r.succeeded = true;
        k.addressSpace.mmap(mm, r);
    }

    /** do_mmap() as the syscall's arguments and result describe it (MAP_FIXED semantics at the returned address). */
    private long mmap(Mm mm, long addr, long len, long prot, long flags, int fd, long off) {
        long type = flags & MAP_TYPE;
        AddressSpace.MmapRequest r = req.reset(addr, MemMap.pageAlign(len), (prot & PROT_READ) != 0,
                (prot & PROT_WRITE) != 0, type == MAP_SHARED || type == MAP_SHARED_VALIDATE);
        r.exec = (prot & PROT_EXEC) != 0;
        r.droppable = type == MAP_DROPPABLE;
        r.file = (flags & MAP_ANONYMOUS) != 0 ? null : fd(mm, fd, true);
        r.pgoff = off >>> MemMap.PAGE_SHIFT;
        r.hugetlb = (flags & MAP_HUGETLB) != 0;
        // ksys_mmap_pgoff() (5.10-7.2): "hs = hstate_sizelog((flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK)" for MAP_ANONYMOUS;
        // a hugetlbfs file's own hstate wins (AddressSpace.hstateOf())
        r.hstate = r.hugetlb ? hstateNamed(flags) : null;
        // do_mmap() (5.10-7.2): "(flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE" populates
        r.populate = (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE;
        // do_mmap() (5.10-7.2): "vm_flags |= ... mm->def_flags", mlockall(MCL_FUTURE)'s VM_LOCKED (with MCL_ONFAULT
        // VM_LOCKONFAULT too), and MAP_LOCKED's VM_LOCKED
        r.locked = (flags & MAP_LOCKED) != 0 || mm.lockFuture;
        r.lockOnFault = mm.lockFuture && mm.lockFutureOnFault;
        r.noreserve = (flags & MAP_NORESERVE) != 0;
        r.succeeded = true;
        if (r.len <= 0) {
            return 0;
        }
        if (r.file != null && r.file.sizeUnknown && r.file.size < off + r.len) {
            k.files.allocate(r.file, off, r.len); // its size is unknown: it holds what the mapping covers (pwrite(), ...)
        }
        return k.addressSpace.mmap(mm, r);
    }

    /**
     * The hstate a MAP_HUGE_* / MFD_HUGE_* field of a call that succeeded names (hstate_sizelog(): 0 is the default
     * hstate, else log2 of the size; the call succeeding says the machine had it).
     */
    private Hstate hstateNamed(long flags) {
        long log = (flags >>> HUGE_SHIFT) & HUGE_MASK;
        Hstate h = log == 0 ? k.hstates.dflt() : Hstate.ofSize(1L << log);
        return h != null ? h : k.hstates.dflt();
    }

    /** The file the recording showed behind {@code fd} of {@code mm}, or null. */
    Inode fileOf(Mm mm, long fd) {
        return fd < 0 || fd > Integer.MAX_VALUE ? null : fd(mm, (int) fd, false);
    }

    /** The file behind {@code fd}; one opened before the recording is an undescribed file (when asked to create it). */
    private Inode fd(Mm mm, int fd, boolean create) {
        LongObjectMap<Inode> t = table(mm);
        Inode inode = t.get(fd);
        if (inode == null && create) {
            inode = undescribed(FsType.OTHER);
            t.put(fd, inode);
        }
        while (inode != null && inode.revealedAs != null) {
            inode = inode.revealedAs;
        }
        return inode;
    }

    /** {@code fd} of {@code mm} is a dma-buf udmabuf_create() just made, of {@code size} bytes (-1: not shown). */
    void dmabufInstalled(Mm mm, long fd, long size) {
        Inode inode = k.files.create(FD_INO + (++fdInodes), FsType.DMABUF, false, Math.max(size, 0));
        inode.sizeUnknown = size < 0;
        table(mm).put(fd, inode);
    }

    private Inode undescribed(FsType type) {
        Inode inode = k.files.create(FD_INO + (++fdInodes), type, false, 0);
        inode.undescribed = true;
        inode.sizeUnknown = true;
        return inode;
    }

    /**
     * What iomap_dio_rw() does before its GUP of the buffer, for an fd opened with O_DIRECT ({@code file}, else null),
     * raw: the page cache over the request is written back (kiocb_write_and_wait(); filemap_write_and_wait_range()
     * before 6.6), and for a write invalidated (kiocb_invalidate_pages()). ext4, xfs, btrfs; tmpfs and fs-DAX have
     * none to write back. Nothing for a request btrfs serves through the page cache.
     */
    private void beforeDirect(Inode file, long pos, long buf, long len, boolean write) {
        // preadv2()/pwritev2() at position -1 use the file's, which the recording does not follow
        if (file == null || len <= 0 || pos < 0 || k.directIo.cpuCopies(file, pos, buf, len, !write)) {
            return;
        }
        k.writeback.beforeDirectIo(file, pos, len);
        if (write) {
            k.truncate.invalidateInodePages2Range(file, pos, len);
        }
    }

    /**
     * After an O_DIRECT write of {@code len} bytes: iomap_dio_complete()'s kiocb_invalidate_post_direct_write(), or for
     * one btrfs wrote through the page cache btrfs_direct_write()'s writeback and invalidate_mapping_pages().
     */
    private void afterDirectWrite(Inode file, long pos, long buf, long len) {
        if (file == null || len <= 0 || pos < 0) {
            return;
        }
        if (buffered(file, pos, buf, len)) {
            k.writeback.writebackRange(file, pos, len);
            k.truncate.invalidateMappingPages(file, pos, len);
        } else {
            k.truncate.invalidateInodePages2Range(file, pos, len);
        }
    }

    /** Whether btrfs writes this O_DIRECT request through the page cache (btrfs_direct_write()'s buffered path). */
    private boolean buffered(Inode file, long pos, long buf, long len) {
        return file != null && len > 0 && k.directIo.cpuCopies(file, pos, buf, len, false);
    }

    /** The file of {@code fd} when it was opened with O_DIRECT on a filesystem with a page cache to bypass, else null. */
    private Inode directFile(Mm mm, int fd) {
        Inode file = directs(mm).get(fd);
        while (file != null && file.revealedAs != null) {
            file = file.revealedAs;
        }
        return file == null || file.isShmem() || file.isHugetlbfs() || file.isSecretmem()
                || file.isDaxBacked(k.profile.daxEnabled()) ? null : file;
    }

    private LongObjectMap<Inode> directs(Mm mm) {
        return directFds.computeIfAbsent(mm.id, id -> new LongObjectMap<>());
    }

    private LongObjectMap<Inode> table(Mm mm) {
        return fdTables.computeIfAbsent(mm.id, id -> new LongObjectMap<>());
    }

    /**
     * The path a syscall's entry names, as a 64-bit FNV-1a hash of its bytes (never 0), or 0 when the line does not
     * show it. Only 7.2's printer does (kernel/trace/trace_syscalls.c: check_faultable_syscall() marks openat()'s
     * filename and truncate()'s path as user strings, print_syscall_enter() and sys_enter_openat_print() append
     * {@code "%.*s"}); 5.10, 6.1 and 6.12 print the pointer alone, and there the recorder's kprobe on the function that
     * takes the path ({@link #pathGiven}) shows it as {@code path="..."}. A relative path (it depends on the task's
     * cwd or the dfd, which the recording does not follow) and a string the printer cut short (its {@code ...}) name
     * nothing.
     */
    private static long pathKey(EventView v) {
        byte[] b = v.buffer();
        int from = v.rawOffset();
        int to = from + v.rawLength();
        int open = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == '"') {
                open = i + 1;
                break;
            }
        }
        if (open < 0 || open >= to || b[open] != '/') {
            return 0;
        }
        int close = -1;
        for (int i = open; i < to; i++) {
            if (b[i] == '"' && (i + 1 == to || b[i + 1] == ',' || b[i + 1] == ')')) {
                close = i;
                break;
            }
        }
        if (close < 0 || close - open >= 3 && b[close - 1] == '.' && b[close - 2] == '.' && b[close - 3] == '.') {
            return 0;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = open; i < close; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /** Whether {@code v}, a sys_exit line, is ioctl()'s. */
    boolean isIoctl(EventView v) {
        return call(v.symbols(), v.symbol(Field.SYSCALL)) == Call.IOCTL;
    }

    private Call call(SymbolTable symbols, int symbol) {
        if (symbol <= 0) {
            return Call.OTHER;
        }
        if (symbol >= bySymbol.length) {
            bySymbol = java.util.Arrays.copyOf(bySymbol, Math.max(symbol + 1, bySymbol.length * 2));
        }
        if (bySymbol[symbol] == 0) {
            Call c = Stream.of(CALLS)
                    .filter(x -> x != Call.OTHER && symbols.is(symbol, x.name().toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(Call.OTHER);
            bySymbol[symbol] = (byte) (c.ordinal() + 1);
        }
        return CALLS[bySymbol[symbol] - 1];
    }
}
