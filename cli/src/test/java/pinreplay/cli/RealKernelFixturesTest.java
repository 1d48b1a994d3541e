package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import pinreplay.format.parse.RecordingHeader;

/**
 * Every recording the kernel lab captured from a real kernel ({@code traces/real/RELEASE/*.txt}, boots under
 * qemu by scripts/kernel-lab.sh) replays under its release with every result the kernel recorded agreeing, and
 * without guessing what a file opened during the recording is, nor the RLIMIT_MEMLOCK charge's inputs (the snapshot's
 * memlock line, fork(), execve(), prlimit64() and setresuid() say them).
 */
class RealKernelFixturesTest {
    private static final Path REAL = Path.of("..", "traces", "real");
    /** scripts/host-lab.sh's recordings of the same scenarios on a machine's own kernel (one without kprobes). */
    private static final Path REAL_HOST = Path.of("..", "traces", "real-host");

    @TestFactory
    Stream<DynamicTest> everyRecordedResultAgrees() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path root : List.of(REAL, REAL_HOST)) {
            try (Stream<Path> releases = Files.list(root)) {
                for (Path dir : releases.filter(Files::isDirectory).sorted().toList()) {
                    try (Stream<Path> traces = Files.list(dir)) {
                        for (Path t : traces.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                            tests.add(DynamicTest.dynamicTest(root.getFileName() + "/" + dir.getFileName() + "/"
                                    + t.getFileName(), () -> agrees(t, dir.getFileName().toString())));
                        }
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no recording under " + REAL);
        return tests.stream();
    }

    /**
     * A kernel without kprobes (6.18.44, CONFIG_KPROBE_EVENTS off): its recordings say so in the header, and what their
     * syscalls show is still judged (madvise(), io_uring_register(), F_ADD_SEALS, and the markers' calls).
     */
    @Test
    void aRecordingWithoutKprobesIsJudgedFromItsSyscalls() throws IOException {
        Path raw = REAL_HOST.resolve("6.18/madvise-matrix.txt");
        assertTrue(Files.readString(raw, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("\n# pinreplay record: kprobes=none (the kernel has no kprobe events (CONFIG_KPROBE_EVENTS))\n"));
        Run run = Run.of("", "replay", raw.toString(), "--format", "jsonl");
        assertTrue(run.err().contains("was recorded without kprobes (the kernel has no kprobe events"
                + " (CONFIG_KPROBE_EVENTS)): the pinning calls themselves"), run.err());
        assertTrue(run.out().lines().filter(l -> l.contains("\"event\":\"madvise\"") && l.contains("\"agrees\":true"))
                .count() >= 500, run.out());
    }

    /**
     * The madvise-matrix recordings judge every madvise() (raw: at sys_exit_madvise; with markers also each marker),
     * and the registered buffer advised away with MADV_DONTNEED and MADV_REMOVE is reported.
     */
    @TestFactory
    Stream<DynamicTest> madviseIsJudgedOnEveryRelease() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> releases = Files.list(REAL)) {
            for (Path dir : releases.filter(Files::isDirectory).sorted().toList()) {
                for (String name : List.of("madvise-matrix.txt", "madvise-matrix-markers.txt")) {
                    Path t = dir.resolve(name);
                    long atLeast = name.contains("markers") ? 1100 : 550;
                    if (Files.exists(t)) {
                        tests.add(DynamicTest.dynamicTest(dir.getFileName() + "/" + name,
                                () -> madviseJudged(t, dir.getFileName().toString(), atLeast)));
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no madvise-matrix recording under " + REAL);
        return tests.stream();
    }

    private static void madviseJudged(Path trace, String release, long atLeast) throws IOException {
        Run run = Run.of("", "replay", trace.toString(), "--kernel", kernel(trace, release), "--format", "jsonl");
        List<String> madvise = run.out().lines().filter(l -> l.contains("\"event\":\"madvise\"")
                && l.contains("\"observed\"")).toList();
        assertTrue(madvise.size() >= atLeast, madvise.size() + " madvise() results judged in " + trace);
        assertEquals(List.of(), madvise.stream().filter(l -> l.contains("\"agrees\":false")).toList());
        assertEquals(2, run.out().lines().filter(l -> l.contains("\"violation\":\"pinned-page-discarded\"")).count(),
                "MADV_DONTNEED and MADV_REMOVE of the registered buffers in " + trace);
    }

    /**
     * The stable update the recording's header names ({@code update=5.10.223}: rules backported later, such as
     * 5.10.241's MADV_REMOVE, do not apply to it), else the release of its directory.
     */
    private static String kernel(Path trace, String release) throws IOException {
        try (Stream<String> lines = Files.lines(trace, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.limit(3).map(RecordingHeader::releaseOf).filter(r -> r != null && r.startsWith(release + "."))
                    .findFirst().orElse(release);
        }
    }

    private static void agrees(Path trace, String release) throws IOException {
        Run run = Run.of("", "replay", trace.toString(), "--kernel", kernel(trace, release), "--format", "jsonl",
                "--fail-on", "divergence");
        assertEquals(ExitCodes.OK, run.code(), run.err());
        long observed = run.out().lines().filter(l -> l.contains("\"observed\"")).count();
        // without kprobes a raw recording of O_DIRECT or writeback may show no call the model judges
        boolean kprobes = !Files.readString(trace, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("\n# pinreplay record: kprobes=none");
        assertTrue(observed > 0 || !kprobes, "no call with a recorded result in " + trace);
        assertEquals(List.of(), run.out().lines().filter(l -> l.contains("\"agrees\":false")).toList());
        // the filesystems' mmap hooks said what each file opened during the recording is; vfio-pfnmap's BAR is
        // mmap()ed from a device fd (VFIO_GROUP_GET_DEVICE_FD), through no filesystem, and stays a guess
        boolean bar = trace.getFileName().toString().startsWith("vfio-pfnmap");
        assertEquals(List.of(), run.out().lines().filter(l -> l.contains("\"assumed\":\"file-"))
                .filter(l -> !(bar && l.contains("\"assumed\":\"file-is-device\""))).toList(),
                "a file's kind guessed from a result in " + trace);
        assertEquals(List.of(), run.out().lines().filter(l -> l.contains("\"assumed\":\"RLIMIT_MEMLOCK")
                || l.contains("\"assumed\":\"CAP_IPC_LOCK")).toList(), "a memlock input guessed in " + trace);
        // raw memlock-vfio judges MAP_DMA from vfio_iommu_type1_ioctl()'s kprobe (Debian inlines vfio_dma_do_map())
        String name = trace.getFileName().toString();
        if (name.startsWith("memlock-")) {
            assertTrue(run.out().lines()
                    .anyMatch(l -> l.contains("\"result\":\"-ENOMEM\"") && l.contains("\"agrees\":true")),
                    "no RLIMIT_MEMLOCK refusal judged in " + trace);
        }
    }
}
