package pinreplay.replay.cred;

/**
 * What the memlock charge reads of a task: its real, effective and saved uid and whether CAP_IPC_LOCK is in its
 * effective and permitted sets (struct cred), and RLIMIT_MEMLOCK's soft limit (signal->rlim). Each may be unknown: a
 * task older than the recording that no memlock line described, or one whose change the recording could not read.
 */
public final class Creds {
    /** A uid the recording does not show. */
    public static final long UNKNOWN_ID = -1;
    /** Whether a capability is in a set: no, yes, or not known. */
    public static final byte NO = 0, YES = 1, UNKNOWN = 2;
    /** RLIM_INFINITY. */
    public static final long RLIM_INFINITY = Long.MAX_VALUE;

    public long uid = UNKNOWN_ID, euid = UNKNOWN_ID, suid = UNKNOWN_ID;
    /** CAP_IPC_LOCK in cap_effective and cap_permitted. */
    public byte effective = UNKNOWN, permitted = UNKNOWN;
    /** RLIMIT_MEMLOCK's rlim_cur in bytes, or {@link #RLIM_INFINITY}; the default limit while not {@link #rlimitKnown}. */
    public long rlimit;
    public boolean rlimitKnown;

    Creds(long defaultRlimit) {
        rlimit = defaultRlimit;
    }

    Creds copy() {
        Creds c = new Creds(rlimit);
        c.uid = uid;
        c.euid = euid;
        c.suid = suid;
        c.effective = effective;
        c.permitted = permitted;
        c.rlimitKnown = rlimitKnown;
        return c;
    }

    /** RLIMIT_MEMLOCK in pages, as the charges compare it ({@code rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT}). */
    public long limitPages() {
        return rlimit == RLIM_INFINITY ? Long.MAX_VALUE : rlimit >>> 12;
    }
}
