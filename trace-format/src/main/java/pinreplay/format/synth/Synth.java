package pinreplay.format.synth;

import java.util.SplittableRandom;

import pinreplay.format.EventWriter;

/**
 * What a scenario builds its workload with: the seeded random source (the only randomness), the
 * clock, allocators for pids, inode numbers, addresses and handles that never collide between the
 * instances of a mixed workload, and the {@link Emitter}.
 */
public final class Synth {
    /** Trace time starts at a plausible uptime, in nanoseconds; all times are whole microseconds. */
    static final long START_NS = 1_000_000_000_000L;
    static final long PAGE = 4096;
    static final long HUGE = 2L << 20;

    final Emitter emit;
    final SplittableRandom rnd;
    final Scheduler scheduler = new Scheduler();
    final int cpus;
    private int nextPid = 4200;
    private long nextIno = 12;
    private long nextAddr = 0x7f0000000000L;
    private long nextIova = 0;
    private int nextHandle;
    private int nextCpu;
    private long clock = START_NS;

    Synth(EventWriter w, long seed, int cpus) {
        this.emit = new Emitter(w);
        this.rnd = new SplittableRandom(seed);
        this.cpus = cpus;
    }

    /** Advances the set-up clock by a few microseconds and returns it (set-up events are sequential). */
    long tick() {
        clock += 1_000L * (1 + rnd.nextInt(20));
        return clock;
    }

    /** The set-up clock: actors start after it. */
    long now() {
        return clock;
    }

    /** A new process (its main thread) on the next CPU. */
    Task process(String comm) {
        int pid = nextPid;
        nextPid += 16; // room for its threads
        String memcg = comm.startsWith("qemu") ? "/machine.slice/machine-qemu.scope" : "/user.slice/user-0.slice/session-2.scope";
        return new Task(pid, pid, emit.sym(comm), cpu(), Emitter.TASK_FLAGS, rnd.nextInt() & 0xffffffffL, emit.sym(memcg));
    }

    /** Thread {@code n} (1-based) of {@code owner}, sharing its mm; announce it with {@link Emitter#taskNewtask}. */
    Task thread(Task owner, int n, String comm) {
        return new Task(owner.pid() + n, owner.pid(), emit.sym(comm), cpu(), Emitter.TASK_FLAGS, owner.mm(),
                owner.memcg());
    }

    /** A kernel thread (kworker) or interrupt context. */
    Task kernelTask(String comm, boolean irq) {
        int pid = nextPid;
        nextPid += 1;
        return new Task(pid, pid, emit.sym(comm), cpu(), irq ? Emitter.IRQ_FLAGS : Emitter.TASK_FLAGS, 0, emit.sym("/"));
    }

    private int cpu() {
        int c = nextCpu;
        nextCpu = (nextCpu + 1) % cpus;
        return c;
    }

    long ino() {
        return nextIno++;
    }

    /** Address for a new mapping of {@code len} bytes, 2 MiB aligned, with a guard gap. */
    long addr(long len) {
        long a = nextAddr;
        nextAddr += align(len, HUGE) + HUGE;
        return a;
    }

    /** IO virtual address for a new DMA mapping. */
    long iova(long len) {
        long a = nextIova;
        nextIova += align(len, HUGE);
        return a;
    }

    /** A handle name unique in this trace, such as {@code vfio0}, interned. */
    Word handle(String prefix) {
        return emit.sym(prefix + nextHandle++);
    }

    void add(Actor a) {
        scheduler.add(a);
    }

    static long align(long v, long to) {
        return (v + to - 1) / to * to;
    }

    /** Exponentially distributed gap for {@code perSecond} events a second, at least one microsecond. */
    long gap(double perSecond) {
        if (perSecond <= 0) {
            return Actor.DONE;
        }
        double seconds = -Math.log(1.0 - rnd.nextDouble()) / perSecond;
        return Math.max(1_000L, Math.round(seconds * 1e6) * 1_000L);
    }

    /** The time of the next action after {@code now} at {@code perSecond}, or {@link Actor#DONE} for a zero rate. */
    long later(long now, double perSecond) {
        long g = gap(perSecond);
        return g == Actor.DONE ? Actor.DONE : now + g;
    }

    /** A uniformly chosen offset in {@code [0, span - len]}, aligned to {@code align}. */
    long offset(long span, long len, long align) {
        long slots = Math.max(1, (span - len) / align + 1);
        return rnd.nextLong(slots) * align;
    }

    /** A length in {@code [min, max]}, a multiple of the page size. */
    long length(long min, long max) {
        if (max <= min) {
            return min;
        }
        return min + rnd.nextLong((max - min) / PAGE + 1) * PAGE;
    }

    boolean chance(double p) {
        return p >= 1 || (p > 0 && rnd.nextDouble() < p);
    }
}
