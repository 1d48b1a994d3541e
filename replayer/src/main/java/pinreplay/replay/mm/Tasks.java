package pinreplay.replay.mm;

import pinreplay.replay.range.LongObjectMap;

/**
 * Which mm each task uses (kernel/fork.c copy_process(): CLONE_VM shares the mm): threads share their
 * parent's, forked children get a copy of its mappings, an unknown pid gets a fresh empty mm.
 */
public final class Tasks {
    private final LongObjectMap<Mm> byPid = new LongObjectMap<>();
    private final LongObjectMap<Mm> byId = new LongObjectMap<>();
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

    /** A new process with its own mm (the caller copies the parent's mappings into it). */
    public Mm addProcess(int child) {
        Mm mm = newMm();
        byPid.put(child, mm);
        return mm;
    }

    /** exec_mmap(): {@code pid} continues in a new, empty mm; returns it. */
    public Mm exec(int pid) {
        return addProcess(pid);
    }

    public void remove(int pid) {
        byPid.remove(pid);
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
