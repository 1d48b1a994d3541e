package pinreplay.format.synth;

/** A task as trace lines show it: comm, pid, tgid, the CPU it runs on. Created at set-up, never per event. */
public final class Task {
    final int pid;
    final int tgid;
    final Word comm;
    final int cpu;
    final byte[] irqFlags;

    Task(int pid, int tgid, Word comm, int cpu, byte[] irqFlags) {
        this.pid = pid;
        this.tgid = tgid;
        this.comm = comm;
        this.cpu = cpu;
        this.irqFlags = irqFlags;
    }

    public int pid() {
        return pid;
    }

    public int tgid() {
        return tgid;
    }
}
