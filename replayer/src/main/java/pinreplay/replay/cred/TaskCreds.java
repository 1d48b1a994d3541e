package pinreplay.replay.cred;

import pinreplay.replay.range.LongObjectMap;

/**
 * The credentials and RLIMIT_MEMLOCK of each task, and the user_structs of their real uids, as the recording shows
 * them change: a memlock line declares them; fork() copies them (a thread shares its group's); execve() recomputes the
 * capabilities (cap_bprm_creds_from_file()); setuid(), setreuid() and setresuid() move the uids and, through
 * cap_emulate_setxuid(), the capabilities; capset() leaves them unknown (the new sets are in user memory); setrlimit()
 * and prlimit64() set the limit do_prlimit()'s kprobe read, or leave it unknown. A task nobody described has the
 * profile's default limit ({@code --policy memlock=}, unlimited when unset) and unknown ids and capabilities.
 */
public final class TaskCreds {
    /** include/uapi/linux/capability.h CAP_IPC_LOCK. */
    public static final int CAP_IPC_LOCK = 14;
    private static final long ROOT = 0;

    private final long defaultRlimit;
    private final LongObjectMap<Creds> byPid = new LongObjectMap<>();
    private final LongObjectMap<UserStruct> users = new LongObjectMap<>();
    private final UserStruct unknownUser = new UserStruct(UserStruct.UNKNOWN_UID);

    public TaskCreds(long defaultRlimit) {
        this.defaultRlimit = defaultRlimit;
    }

    /** The credentials of {@code pid}, undescribed on first sight. */
    public Creds of(int pid) {
        Creds c = byPid.get(pid);
        if (c == null) {
            c = new Creds(defaultRlimit);
            byPid.put(pid, c);
        }
        return c;
    }

    /** A thread (CLONE_VM): it shares its group's credentials and limits. */
    public void thread(int parent, int child) {
        byPid.put(child, of(parent));
    }

    /** copy_process() without CLONE_THREAD: copy_creds() and copy_signal() give the child the parent's. */
    public void fork(int parent, int child) {
        byPid.put(child, of(parent).copy());
    }

    /** {@code from} goes on as {@code to} (a thread's execve(), de_thread()), with its credentials. */
    public void renamed(int from, int to) {
        Creds c = byPid.get(from);
        if (c != null) {
            byPid.put(to, c);
            byPid.remove(from);
        }
    }

    public void exit(int pid) {
        byPid.remove(pid);
    }

    /** The user_struct of a task's real uid (current_user()). */
    public UserStruct userOf(Creds c) {
        if (c.uid == Creds.UNKNOWN_ID) {
            return unknownUser;
        }
        UserStruct u = users.get(c.uid);
        if (u == null) {
            u = new UserStruct(c.uid);
            users.put(c.uid, u);
        }
        return u;
    }

    /** capable(CAP_IPC_LOCK) (kernel/capability.c): the effective set, {@link Creds#YES}, NO or UNKNOWN. */
    public static byte capable(Creds c) {
        return c.effective;
    }

    /**
     * A memlock line: what it names of task {@code pid} ({@code uid=}, {@code cap_ipc_lock=}, {@code rlimit=}...);
     * {@code userLockedVm} below 0 when not given. A declared CAP_IPC_LOCK is the effective set; without it, the permitted
     * set keeps what the model knew while a uid is root's (setresuid() can bring it back), else it is empty too.
     */
    public void declare(int pid, long uid, long euid, long suid, int capIpcLock, long rlimit, boolean rlimitGiven,
            long userLockedVm) {
        Creds c = of(pid);
        c.uid = uid >= 0 ? uid : c.uid;
        c.euid = euid >= 0 ? euid : c.euid;
        c.suid = suid >= 0 ? suid : c.suid;
        if (capIpcLock == 1) {
            c.effective = Creds.YES;
            c.permitted = Creds.YES;
        } else if (capIpcLock == 0) {
            c.effective = Creds.NO;
            if (c.uid != ROOT && c.euid != ROOT && c.suid != ROOT) {
                c.permitted = Creds.NO;
            }
        }
        if (rlimitGiven) {
            c.rlimit = rlimit;
            c.rlimitKnown = true;
        }
        if (userLockedVm >= 0) {
            UserStruct u = userOf(c);
            u.lockedVm = userLockedVm;
            u.known = true;
        }
    }

    /** do_prlimit() set RLIMIT_MEMLOCK of {@code pid} to {@code bytes} (rlim_cur), or to what the recording did not read. */
    public void prlimit(int pid, long bytes, boolean read) {
        Creds c = of(pid);
        c.rlimit = read ? bytes : defaultRlimit;
        c.rlimitKnown = read;
    }

    /** capset() succeeded: the new sets were in user memory (cap_capset()), so CAP_IPC_LOCK is unknown. */
    public void capset(int pid) {
        Creds c = of(pid);
        c.effective = Creds.UNKNOWN;
        c.permitted = Creds.UNKNOWN;
    }

    /** __sys_setresuid() succeeded: each id not -1 is set; then cap_emulate_setxuid(). */
    public void setresuid(int pid, long r, long e, long s) {
        Creds old = of(pid);
        Creds c = old.copy();
        c.uid = r == -1 ? old.uid : r;
        c.euid = e == -1 ? old.euid : e;
        c.suid = s == -1 ? old.suid : s;
        commit(pid, old, c);
    }

    /**
     * __sys_setreuid() succeeded: ruid and euid as given; the saved uid becomes the new euid when the real uid was set,
     * or the euid was set to something other than the old real uid.
     */
    public void setreuid(int pid, long r, long e) {
        Creds old = of(pid);
        Creds c = old.copy();
        c.uid = r == -1 ? old.uid : r;
        c.euid = e == -1 ? old.euid : e;
        if (r != -1 || e != -1 && (old.uid == Creds.UNKNOWN_ID || e != old.uid)) {
            c.suid = old.uid == Creds.UNKNOWN_ID && r == -1 ? Creds.UNKNOWN_ID : c.euid;
        }
        commit(pid, old, c);
    }

    /**
     * __sys_setuid() succeeded: with CAP_SETUID (root's, which CAP_IPC_LOCK stands for here) the real, effective and
     * saved uid all become {@code u}; without, only the effective one; not knowing which, the others are unknown.
     */
    public void setuid(int pid, long u) {
        Creds old = of(pid);
        Creds c = old.copy();
        c.euid = u;
        if (old.effective == Creds.YES && old.euid == ROOT) {
            c.uid = u;
            c.suid = u;
        } else if (old.effective != Creds.NO || old.euid == Creds.UNKNOWN_ID) {
            c.uid = old.uid == u ? u : Creds.UNKNOWN_ID;
            c.suid = old.suid == u ? u : Creds.UNKNOWN_ID;
        }
        commit(pid, old, c);
    }

    private void commit(int pid, Creds old, Creds c) {
        capEmulateSetxuid(old, c);
        Creds live = byPid.get(pid);
        live.uid = c.uid;
        live.euid = c.euid;
        live.suid = c.suid;
        live.effective = c.effective;
        live.permitted = c.permitted;
    }

    /**
     * cap_emulate_setxuid() (security/commoncap.c, every release): leaving root in all three uids clears the permitted
     * and effective sets (SECURE_KEEP_CAPS aside); an effective uid leaving 0 clears the effective set; one becoming 0
     * gets the permitted set back. An id the recording does not know makes the result unknown.
     */
    static void capEmulateSetxuid(Creds old, Creds c) {
        byte oldAnyRoot = any(old.uid, old.euid, old.suid);
        byte newAnyRoot = any(c.uid, c.euid, c.suid);
        if (oldAnyRoot == Creds.YES && newAnyRoot == Creds.NO) {
            c.permitted = Creds.NO;
            c.effective = Creds.NO;
        } else if (oldAnyRoot == Creds.UNKNOWN || newAnyRoot == Creds.UNKNOWN) {
            c.permitted = c.permitted == Creds.NO ? Creds.NO : Creds.UNKNOWN;
        }
        byte oldRoot = is(old.euid);
        byte newRoot = is(c.euid);
        if (oldRoot == Creds.YES && newRoot == Creds.NO) {
            c.effective = Creds.NO;
        } else if (oldRoot == Creds.NO && newRoot == Creds.YES) {
            c.effective = c.permitted;
        } else if (oldRoot == Creds.UNKNOWN || newRoot == Creds.UNKNOWN) {
            c.effective = c.effective == Creds.NO && c.permitted == Creds.NO ? Creds.NO : Creds.UNKNOWN;
        }
    }

    /**
     * execve(): cap_bprm_creds_from_file() gives root (an effective uid 0) the full set; another task's sets come from
     * the file's capabilities and the ambient set, which the recording does not show. A set-user-ID file is not seen:
     * the uids stay. The limit is kept (signal->rlim survives exec).
     */
    public void exec(int pid) {
        Creds c = of(pid);
        if (c.euid == ROOT) {
            c.effective = Creds.YES;
            c.permitted = Creds.YES;
        } else {
            c.effective = Creds.UNKNOWN;
            c.permitted = c.uid == ROOT ? Creds.YES : Creds.UNKNOWN;
        }
    }

    private static byte is(long id) {
        return id == Creds.UNKNOWN_ID ? Creds.UNKNOWN : id == ROOT ? Creds.YES : Creds.NO;
    }

    private static byte any(long a, long b, long c) {
        byte x = is(a);
        byte y = is(b);
        byte z = is(c);
        if (x == Creds.YES || y == Creds.YES || z == Creds.YES) {
            return Creds.YES;
        }
        return x == Creds.NO && y == Creds.NO && z == Creds.NO ? Creds.NO : Creds.UNKNOWN;
    }
}
