package pinreplay.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording script run against a fake tracefs: what it writes, that it removes everything it created when
 * the recording ends, when set-up fails half-way and when interrupted, and that it refuses clearly.
 */
class RecordScriptTest {
    private static final List<String> FUNCTIONS = List.of("pin_user_pages", "pin_user_pages_fast",
            "get_user_pages_fast", "unpin_user_pages", "io_pin_pages", "vfio_iommu_type1_ioctl [vfio_iommu_type1]");
    private static final List<String> EVENTS = List.of("syscalls:sys_enter_mmap", "syscalls:sys_exit_mmap",
            "sched:sched_process_exec", "mmap_lock:mmap_lock_start_locking", "writeback:writeback_dirty_folio");

    @TempDir
    Path tmp;
    private FakeTracefs fs;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("0".equals(run(List.of("id", "-u"), null).out.strip()), "the script checks for root; CI runs as root");
        fs = new FakeTracefs(tmp, FUNCTIONS, EVENTS);
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(List<String> argv, Path path) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (path != null) {
            pb.environment().put("PATH", path + ":" + System.getenv("PATH"));
        }
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("script did not end");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path script(List<String> command) throws IOException {
        KernelOffer offer = KernelOffer.fromTracefs(fs.root, "6.1.0-50-amd64");
        String text = RecordScript.render(ProbeSet.choose(offer), new RecordScript.Request(fs.root.toString(), "pinreplay",
                tmp.resolve("run.trace").toString(), List.of(), command, 0, 1024));
        Path s = tmp.resolve("record.sh");
        Files.writeString(s, text, StandardCharsets.UTF_8);
        return s;
    }

    private List<String> kprobeEvents() throws IOException {
        return Files.readAllLines(fs.root.resolve("kprobe_events"));
    }

    /** Every definition written to kprobe_events is followed by its removal. */
    private void assertEveryProbeRemoved() throws IOException {
        List<String> lines = kprobeEvents();
        List<String> defined = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("p:") || l.startsWith("r:")) {
                defined.add(l.substring(2, l.indexOf(' ')));
            }
        }
        assertFalse(defined.isEmpty(), lines.toString());
        for (String d : defined) {
            assertTrue(lines.contains("-:" + d), d + " was not removed: " + lines);
        }
    }

    @Test
    void aRecordingWritesTheHeaderAndRemovesWhatItCreated() throws IOException {
        Result r = run(List.of("/bin/sh", script(List.of("/bin/sh", "-c", "exit 0")).toString()), fs.bin);
        assertEquals(0, r.code, r.err);
        String trace = Files.readString(tmp.resolve("run.trace"));
        assertTrue(trace.startsWith("# pinreplay record: version=1\n# pinreplay record: release="), trace);
        assertTrue(trace.matches("(?s).*\n# pinreplay record: thp=(always|madvise|never)\n.*"), trace); // this machine's THP mode
        assertTrue(trace.contains("# pinreplay record: probe p:pinreplay/p_pin_user_pages_fast_0 pin_user_pages_fast"
                + " start=$arg1:x64 nr_pages=$arg2:s32 gup_flags=$arg3:x32\n"), trace);
        assertTrue(trace.contains("# pinreplay record: event syscalls:sys_enter_mmap\n"), trace);
        assertTrue(trace.contains("# pinreplay record: mount "), "the mounts are snapshotted");
        if (Files.isDirectory(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB"))) {
            assertTrue(trace.matches("(?s).*\n# pinreplay record: hugepages size=2048kB nr=\\d+ free=\\d+ resv=\\d+"
                    + " default=[01] surplus=\\d+ overcommit=\\d+\n.*"), "the machine's hstates and pools: " + trace);
        }
        assertTrue(java.util.regex.Pattern.compile("0\\.000000: memlock: pid=\\d+ rlimit=(\\d+|unlimited) cap_ipc_lock=[01] "
                + "uid=\\d+ euid=\\d+ suid=\\d+ locked_vm=\\d+ pinned_vm=\\d+\n").matcher(trace).find(),
                "the shell that forks the command says what the memlock charge reads: " + trace);
        assertEveryProbeRemoved();
        assertFalse(Files.exists(fs.instance()) && Files.readString(fs.instance().resolve("tracing_on")).strip().equals("1"));
        assertEquals("1", Files.readString(fs.instance().resolve("events/syscalls/sys_exit_mmap/enable")).strip(),
                "the fake keeps what was enabled (a real instance is removed)");
        assertEquals("0", Files.readString(fs.instance().resolve("events/enable")).strip(), "every event disabled at the end");
        assertEquals("mono", Files.readString(fs.instance().resolve("trace_clock")).strip());
    }

    /**
     * The snapshot of a process's smaps: a mapping whose KernelPageSize is above 4 kB is hugetlbfs, and its file line
     * says the huge page size (hstate_vma()'s, vma_kernel_pagesize()) as pagesize= in bytes: a 1 GiB MAP_HUGETLB mapping
     * and a 2 MiB memfd. Run on fixture files in place of /proc.
     */
    @Test
    void theSnapshotSaysAHugetlbFilesPageSize() throws Exception {
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("4242"));
        Files.writeString(proc.resolve("4242/mountinfo"), "22 1 0:22 / /mnt/huge rw,relatime - hugetlbfs hugetlbfs rw,pagesize=1024M\n");
        Files.writeString(proc.resolve("4242/smaps"), String.join("\n",
                "7f0040000000-7f0080000000 rw-p 00000000 00:0f 1361                       /anon_hugepage (deleted)",
                "Size:            1048576 kB", "KernelPageSize:  1048576 kB", "VmFlags: rd wr mr mw me de ht",
                "7f0080000000-7f0080200000 rw-s 00000000 00:10 1362                       /memfd:m (deleted)",
                "Size:               2048 kB", "KernelPageSize:     2048 kB", "VmFlags: rd wr sh mr mw me ms de ht", ""));
        String text = RecordScript.render(ProbeSet.choose(KernelOffer.fromTracefs(fs.root, "6.1.0-50-amd64")),
                new RecordScript.Request(fs.root.toString(), "pinreplay", tmp.resolve("run.trace").toString(), List.of(),
                        List.of("true"), 0, 1024));
        int from = text.indexOf("snapshot() {");
        String fn = text.substring(from, text.indexOf("\n}\n", from) + 3).replace("/proc/", proc + "/");
        Path s = tmp.resolve("snap.sh");
        Files.writeString(s, fn + "snapshot 4242\n", StandardCharsets.UTF_8);
        Result r = run(List.of("/bin/sh", s.toString()), null);
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("file: ino=1361 fs=hugetlbfs dax=0 size=1073741824 dev=0:15 pagesize=1073741824\n"), r.out);
        assertTrue(r.out.contains("file: ino=1362 fs=hugetlbfs dax=0 size=2097152 dev=0:16 pagesize=2097152\n"), r.out);
    }

    /**
     * --pid: every thread of the process goes into set_event_pid (trace_ignore_this_task() filters on the thread id),
     * and its mappings are snapshotted with what smaps' VmFlags say (an mlock()ed VMA is locked=1).
     */
    @Test
    void anAttachFollowsEveryThreadAndSnapshotsLockedMemory() throws Exception {
        Path prog = tmp.resolve("locked.c");
        Files.writeString(prog, String.join("\n", "#include <sys/mman.h>", "#include <unistd.h>", "#include <pthread.h>",
                "static void *nap(void *a) { sleep(20); return a; }",
                "int main(void) { char *p = mmap(0, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);",
                "  mlock(p, 65536); pthread_t t; pthread_create(&t, 0, nap, 0); sleep(20); return 0; }", ""));
        Result cc = run(List.of("gcc", "-o", tmp.resolve("locked").toString(), prog.toString(), "-lpthread"), null);
        assumeTrue(cc.code == 0, "a C compiler: " + cc.err);
        Process target = new ProcessBuilder(tmp.resolve("locked").toString()).start();
        try {
            long pid = target.pid();
            for (int i = 0; i < 250 && threads(pid) < 2; i++) {
                Thread.sleep(20);
            }
            KernelOffer offer = KernelOffer.fromTracefs(fs.root, "6.1.0-50-amd64");
            String text = RecordScript.render(ProbeSet.choose(offer), new RecordScript.Request(fs.root.toString(),
                    "pinreplay", tmp.resolve("run.trace").toString(), List.of((int) pid), List.of(), 1, 1024));
            Path s = tmp.resolve("record.sh");
            Files.writeString(s, text, StandardCharsets.UTF_8);
            Result r = run(List.of("/bin/sh", s.toString()), fs.bin);
            assertEquals(0, r.code, r.err);
            assertEquals(2, Files.readAllLines(fs.instance().resolve("set_event_pid")).size(), "both threads");
            String trace = Files.readString(tmp.resolve("run.trace"));
            assertTrue(java.util.regex.Pattern.compile("vma: mm=" + pid + " start=0x[0-9a-f]+ end=0x[0-9a-f]+ prot=rw"
                    + " flags=private locked=1\n").matcher(trace).find(), trace);
        } finally {
            target.destroyForcibly();
        }
    }

    private static long threads(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return s.count();
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    @Test
    void eventsTheRingBufferOverwroteAreReportedAtTheEnd() throws IOException {
        String inst = fs.instance().toString();
        Result r = run(List.of("/bin/sh", script(List.of("/bin/sh", "-c", "/bin/mkdir -p " + inst + "/per_cpu/cpu0 "
                + inst + "/per_cpu/cpu1 && printf 'entries: 3\\noverrun: 7\\n' > " + inst + "/per_cpu/cpu0/stats"
                + " && printf 'entries: 1\\noverrun: 2\\n' > " + inst + "/per_cpu/cpu1/stats")).toString()), fs.bin);
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("pinreplay record: the ring buffer overwrote 9 events before they were read"), r.err);
    }

    @Test
    void aFailureHalfWayThroughSetUpStillRemovesEveryProbe() throws IOException {
        Path s = script(List.of("/bin/true"));
        // the kernel refusing an event: its enable file cannot be written
        String text = Files.readString(s).replace("mkdir \"$I\" || refuse", "mkdir \"$I\" && /bin/mkdir -p "
                + "\"$I/events/sched/sched_process_exec/enable/x\" || refuse");
        Files.writeString(s, text);
        Result r = run(List.of("/bin/sh", s.toString()), fs.bin);
        assertEquals(5, r.code, r.err);
        assertTrue(r.err.contains("pinreplay record: cannot write '1' to ") && r.err.contains("sched_process_exec/enable"), r.err);
        assertEveryProbeRemoved();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
    void anInterruptedRecordingTearsDownAndExits130() throws Exception {
        Path s = script(List.of("/bin/sleep", "30"));
        // A shell cannot trap a signal ignored when it starts (POSIX trap), and Maven started in the background by a
        // shell without job control hands SIGINT down ignored: the script gets it back at its default.
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", "setsid", "/bin/sh", s.toString());
        pb.environment().put("PATH", fs.bin + ":" + System.getenv("PATH"));
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile());
        Process p = pb.start();
        // Interrupted once the command runs, as by Ctrl-C: a SIGINT that comes while the shell forks the command
        // (just after tracing_on) is acted on only when the command ends, 30 s later.
        while (p.isAlive() && p.descendants().noneMatch(h -> h.info().command().orElse("").endsWith("/sleep"))) {
            Thread.sleep(20);
        }
        Path pipe = fs.instance().resolve("tracing_on");
        assertEquals("1", Files.readString(pipe).strip(), Files.readString(tmp.resolve("log")));
        new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ended");
        assertEquals(130, p.exitValue(), Files.readString(tmp.resolve("log")));
        assertEveryProbeRemoved();
        assertEquals("0", Files.readString(pipe).strip());
    }

    @Test
    void refusesWithoutTracefsAndWhenAnotherRecordingRuns() throws IOException {
        Path s = script(List.of("/bin/true"));
        Files.createDirectories(fs.instance());
        Result busy = run(List.of("/bin/sh", s.toString()), fs.bin);
        assertEquals(5, busy.code);
        assertTrue(busy.err.contains("exists: another recording is running"), busy.err);
        assertEquals(List.of(), kprobeEvents(), "nothing was written");
        Files.delete(fs.instance());
        Files.delete(fs.root.resolve("instances"));
        Result none = run(List.of("/bin/sh", s.toString()), fs.bin);
        assertEquals(5, none.code);
        assertTrue(none.err.contains("no tracefs at " + fs.root), none.err);
    }

    /**
     * A script chosen for a kernel with kprobes, run on one without (no kprobe_events: CONFIG_KPROBE_EVENTS is off):
     * it records the events alone, says so on stderr and in the header, and writes no probe.
     */
    @Test
    void aTargetWithoutKprobeEventsIsRecordedFromItsEventsAlone() throws IOException {
        Path s = script(List.of("/bin/true"));
        Files.delete(fs.root.resolve("kprobe_events"));
        Result r = run(List.of("/bin/sh", s.toString()), fs.bin);
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("pinreplay record: note: no kprobes: the pinning calls themselves"), r.err);
        assertTrue(r.err.contains("(the kernel has no kprobe events (CONFIG_KPROBE_EVENTS))"), r.err);
        String trace = Files.readString(tmp.resolve("run.trace"));
        assertTrue(trace.contains("# pinreplay record: kprobes=none (the kernel has no kprobe events (CONFIG_KPROBE_EVENTS))\n"), trace);
        assertFalse(trace.contains("# pinreplay record: probe "), trace);
        assertTrue(trace.contains("# pinreplay record: event syscalls:sys_enter_mmap\n"), trace);
        assertFalse(Files.exists(fs.root.resolve("kprobe_events")), "no probe was written");
    }
}
