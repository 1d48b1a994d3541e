package pinreplay.format.synth;

/** A task as trace lines show it: comm, pid, tgid, the CPU it runs on. Created at set-up, never per event. */
public final class Task {
    final int pid;
    final int tgid;
    final Word comm;
    final int cpu;
    final byte[] irqFlags;
    /** The mm as {@code %p} prints it (a 32-bit hash on 64-bit kernels); threads share it. */
    final long mm;
    /** The memory cgroup path the mmap_lock tracepoints print. */
    final Word memcg;

    Task(int pid, int tgid, Word comm, int cpu, byte[] irqFlags, long mm, Word memcg) {
        this.pid = pid;
        this.tgid = tgid;
        this.comm = comm;
        this.cpu = cpu;
        this.irqFlags = irqFlags;
        this.mm = mm;
        this.memcg = memcg;
    }

    public int pid() {
        return pid;
    }

    public int tgid() {
        return tgid;
    }
}
