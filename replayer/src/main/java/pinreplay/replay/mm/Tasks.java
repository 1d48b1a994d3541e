package pinreplay.replay.mm;

import pinreplay.replay.range.LongObjectMap;

/**
 * Which mm each task uses (kernel/fork.c copy_process(): CLONE_VM shares the mm): threads share their
 * parent's, forked children get a copy of its mappings, an unknown pid gets a fresh empty mm.
 */
public final class Tasks {
    private final LongObjectMap<Mm> byPid = new LongObjectMap<>();
    private final LongObjectMap<Mm> byId = new LongObjectMap<>();
    /** Tasks sharing an mm but not its files: vfork() children (their value is the parent's pid). */
    private final LongObjectMap<Integer> vforked = new LongObjectMap<>();
    private long nextId = 1;

    /** The mm of {@code pid}, created empty on first sight. */
    public Mm mmOf(int pid) {
        Mm mm = byPid.get(pid);
        return mm != null ? mm : addProcess(pid);
    }

    public boolean known(int pid) {
        return byPid.get(pid) != null;
    }

    /** A thread (CLONE_VM): shares the parent's mm. */
    public void addThread(int parent, int child) {
        byPid.put(child, mmOf(parent));
    }

    /**
     * A vfork() child (CLONE_VM without CLONE_THREAD, as glibc's posix_spawn() and system() clone): it runs in the
     * parent's mm until it execs or exits, with its own copy of the fd table (copy_files(): dup_fd() unless
     * CLONE_FILES) and its own thread group.
     */
    public void addVforkChild(int parent, int child) {
        byPid.put(child, mmOf(parent));
        vforked.put(child, parent);
    }

    /** Whether {@code pid} shares its mm but not its files (a vfork() child that has not exec'd). */
    public boolean vforkChild(int pid) {
        return vforked.get(pid) != null;
    }

    /** A new process with its own mm (the caller copies the parent's mappings into it). */
    public Mm addProcess(int child) {
        Mm mm = newMm();
        byPid.put(child, mm);
        return mm;
    }

    /** exec_mmap(): {@code pid} continues in a new, empty mm; returns it. */
    public Mm exec(int pid) {
        vforked.remove(pid);
        return addProcess(pid);
    }

    /** {@code from} goes on as {@code to} (de_thread()'s exchange_tids()), with its mm. */
    public void renamed(int from, int to) {
        byPid.put(to, byPid.get(from));
        remove(from);
    }

    public void remove(int pid) {
        byPid.remove(pid);
        vforked.remove(pid);
    }

    /** Whether another task still uses {@code mm}. */
    public boolean inUse(Mm mm) {
        for (long pid : byPid.sortedKeys()) {
            if (byPid.get(pid) == mm) {
                return true;
            }
        }
        return false;
    }

    /** Every known pid, ascending (for inspection). */
    public long[] pids() {
        return byPid.sortedKeys();
    }

    /** The ids of every mm, ascending (a walk of all address spaces, as the rmap does for a page). */
    public long[] mmIds() {
        return byId.sortedKeys();
    }

    /** The mm with id {@code id} (owner of anonymous frames). */
    public Mm byId(long id) {
        return byId.get(id);
    }

    private Mm newMm() {
        Mm mm = new Mm(nextId++);
        byId.put(mm.id, mm);
        return mm;
    }
}
