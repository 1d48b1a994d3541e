package pinreplay.format.synth;

/**
 * A task as trace lines show it: comm, pid, tgid, the CPU it runs on. Created at set-up, never per event.
 *
 * @param mm    the mm as {@code %p} prints it (a 32-bit hash on 64-bit kernels); threads share it
 * @param memcg the memory cgroup path the mmap_lock tracepoints print
 */
public record Task(int pid, int tgid, Word comm, int cpu, byte[] irqFlags, long mm, Word memcg) {
}
