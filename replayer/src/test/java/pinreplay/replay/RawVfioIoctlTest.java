package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * vfio type1's VFIO_IOMMU_MAP_DMA and VFIO_IOMMU_UNMAP_DMA in a raw recording: the kprobe on vfio_iommu_type1_ioctl()
 * with the user's struct (+u fetches), the pin_user_pages_remote() calls of vaddr_get_pfns() inside a map, and the
 * ioctl()'s return, judged there as the native vfio_dma_map / vfio_dma_unmap: vfio_dma_do_map()'s checks, the pins,
 * vfio_lock_acct(); vfio_dma_do_unmap()'s. The lines follow the lab's vfio-matrix recordings on 6.1.176.
 */
class RawVfioIoctlTest {
    private static final String T = "        vfio-edu-203     (    203) [000] ";
    private static final String BUF = "7f68ab9e5000";
    private int clock = 100;
    /** FOLL_WRITE | FOLL_LONGTERM as the release encodes it (FOLL_LONGTERM: 0x10000 to 6.1, 0x100 from 6.2). */
    private String longtermWrite = "0x10001";

    private String at() {
        return String.format("%d.%06d: ", 11, clock++);
    }

    private String sys(String call) {
        return T + "...1.    " + at() + call;
    }

    private String line(String event) {
        return T + ".....    " + at() + event;
    }

    /** An anonymous private read-write mapping of 16 pages at {@link #BUF}. */
    private List<String> mapped() {
        List<String> l = new ArrayList<>();
        l.add("# tracer: nop");
        l.add(sys("sys_mmap(addr: 0, len: 10000, prot: 3, flags: 22, fd: ffffffff, off: 0)"));
        l.add(sys("sys_mmap -> 0x" + BUF));
        return l;
    }

    /** A syscall's return as 6.1 prints it: a negative errno as its u64. */
    private static String ret(long r) {
        return "0x" + Long.toHexString(r);
    }

    /** A MAP_DMA of {@code pages} pages of the buffer at {@code iova}, pinned in one call, returning {@code kernel}. */
    private List<String> map(String flags, long iova, int pages, boolean pin, long kernel) {
        List<String> l = new ArrayList<>();
        l.add(sys("sys_ioctl(fd: 3, cmd: 3b71, arg: 7fffae3a8dd0)"));
        l.add(line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) cmd=15217 flags="
                + flags + " at8=0x" + BUF + " at16=0x" + Long.toHexString(iova) + " at24=0x"
                + Long.toHexString(pages * 4096L)));
        if (pin) {
            l.add(line("p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x30) start=0x" + BUF + " nr_pages="
                    + pages + " gup_flags=" + longtermWrite));
            l.add(line("r_pin_user_pages_remote_0: (vaddr_get_pfns+0x7b/0x260 [vfio_iommu_type1] <- "
                    + "pin_user_pages_remote) ret=" + pages));
        }
        l.add(sys("sys_ioctl -> " + ret(kernel)));
        return l;
    }

    private List<String> unmap(long iova, long size, long kernel) {
        return List.of(sys("sys_ioctl(fd: 3, cmd: 3b72, arg: 7fffae3a8de0)"),
                line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) cmd=15218 "
                        + "flags=0x0 at8=0x" + Long.toHexString(iova) + " at16=0x" + Long.toHexString(size)
                        + " at24=0x0"),
                sys("sys_ioctl -> " + ret(kernel)));
    }

    private static List<Outcome> vfio(Replays r) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL
                && (o.event == EventType.VFIO_DMA_MAP || o.event == EventType.VFIO_DMA_UNMAP))
                .collect(Collectors.toList());
    }

    private static String results(List<Outcome> os) {
        return os.stream().map(o -> o.event.eventName() + "=" + o.result + (o.result == o.observed ? "" : "≠" + o.observed))
                .collect(Collectors.joining(" "));
    }

    private Replays replay(String kernel, List<List<String>> parts) {
        List<String> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return Replays.text(String.join("\n", all) + "\n", kernel, FaultPoints.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12", "7.2"})
    void mapsAndUnmapsAreJudgedAtTheIoctlsReturn(String kernel) {
        longtermWrite = kernel.equals("6.12") || kernel.equals("7.2") ? "0x101" : "0x10001";
        Replays r = replay(kernel, List.of(mapped(),
                map("0x3", 0x100000, 16, true, 0),
                // vfio_find_dma(): the same iova again, refused before any pin
                map("0x3", 0x100000, 16, false, -Errno.EEXIST),
                // "Unmap requests must fully cover previous mappings"
                unmap(0x100000, 0x1000, -Errno.EINVAL),
                unmap(0x100000, 0x10000, 0),
                // an unmap covering nothing succeeds
                unmap(0x100000, 0x10000, 0)));
        assertEquals("vfio_dma_map=0 vfio_dma_map=-17 vfio_dma_unmap=-22 vfio_dma_unmap=0 vfio_dma_unmap=0",
                results(vfio(r)), r.jsonl());
    }

    /**
     * A map of memory from before the recording (no mmap() of the buffer) that an earlier map's -EFAULT made the model
     * take as unmapped: the recording's pin got every page and the map succeeded, so the model's refusal of the pin is
     * the guess's, not the map's; the map is left unjudged and joins dma_list (lab, fuzz-dev-801 of 6.1 cut at 65 %).
     */
    @Test
    void aPinOnGuessedMemoryThatTheRecordingSaysSucceededDoesNotFailTheMap() {
        List<String> head = List.of("# tracer: nop");
        List<String> prot = List.of(sys("sys_mprotect(start: " + BUF + ", len: 10000, prot: 0)"), sys("sys_mprotect -> 0x0"));
        Replays r = replay("6.1", List.of(head, map("0x3", 0x100000, 16, true, 0), unmap(0x100000, 0x10000, 0), prot,
                map("0x3", 0x200000, 16, true, 0), unmap(0x200000, 0x1000, -Errno.EINVAL), unmap(0x200000, 0x10000, 0)));
        assertEquals("vfio_dma_map=0 vfio_dma_unmap=0 vfio_dma_unmap=-22 vfio_dma_unmap=0", results(vfio(r)), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * The program's marker of a map the recording says failed, on memory from before it that the model guessed (a
     * device's, after a read-only map's refused pin) and translated whole: vfio_dma_do_map() unwound
     * (vfio_remove_dma()), so no map stays at its iova (lab, fuzz-dev-801-markers of 6.1 cut at 65 %).
     */
    @Test
    void aMarkersMapTheRecordingSaysFailedOnGuessedMemoryLeavesNoMap() {
        List<String> readOnly = List.of(sys("sys_ioctl(fd: 3, cmd: 3b71, arg: 7fffae3a8dd0)"),
                line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) cmd=15217 "
                        + "flags=0x1 at8=0x" + BUF + " at16=0x200000 at24=0x10000"),
                line("p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x30) start=0x" + BUF + " nr_pages=16 "
                        + "gup_flags=0x10000"),
                line("r_pin_user_pages_remote_0: (vaddr_get_pfns+0x7b/0x260 [vfio_iommu_type1] <- "
                        + "pin_user_pages_remote) ret=-14"),
                sys("sys_ioctl -> " + ret(-Errno.EFAULT)),
                line("tracing_mark_write: vfio_dma_map: handle=d vaddr=0x" + BUF
                        + " iova=0x200000 size=0x10000 prot=r ret=-14"));
        Replays r = replay("6.1", List.of(List.of("# tracer: nop"), map("0x3", 0x100000, 16, true, 0),
                unmap(0x100000, 0x10000, 0), readOnly, unmap(0x200000, 0x1000, 0)));
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    /**
     * A read-only map of a page the model takes for the zero page, refused by RLIMIT_MEMLOCK: the unpin the recording
     * shows is put_pfn()'s (unpin_user_pages_dirty_lock()) as the map unwinds, not vaddr_get_pfns()' unpin_user_page()
     * of a zero page, so the page was the task's own and charged (lab, fuzz-dev-806 of 6.1 cut at 80 %).
     */
    @Test
    void anUnwindsUnpinDoesNotSayThePageWasTheZeroPage() {
        List<String> refused = List.of(line("tracing_mark_write: memlock: pid=203 rlimit=0 cap_ipc_lock=0 uid=1000 "
                        + "euid=1000 suid=1000"),
                sys("sys_ioctl(fd: 3, cmd: 3b71, arg: 7fffae3a8dd0)"),
                line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) cmd=15217 "
                        + "flags=0x1 at8=0x" + BUF + " at16=0x100000 at24=0x1000"),
                line("p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x30) start=0x" + BUF + " nr_pages=1 "
                        + "gup_flags=0x10000"),
                line("r_pin_user_pages_remote_0: (vaddr_get_pfns+0x7b/0x260 [vfio_iommu_type1] <- "
                        + "pin_user_pages_remote) ret=1"),
                line("p_unpin_user_pages_dirty_lock_0: (unpin_user_pages_dirty_lock+0x0/0x170) npages=1 make_dirty=0"),
                line("p_unpin_user_pages_0: (unpin_user_pages+0x0/0x120) npages=1"),
                sys("sys_ioctl -> " + ret(-Errno.ENOMEM)));
        Replays r = replay("6.1", List.of(mapped(), refused));
        assertEquals("vfio_dma_map=-12", results(vfio(r)), r.jsonl());
    }

    @Test
    void aMapWithoutReadOrWriteOrWithAnUnknownFlagIsRefused() {
        Replays r = replay("6.1", List.of(mapped(),
                map("0x0", 0x100000, 16, false, -Errno.EINVAL),
                map("0x13", 0x100000, 16, false, -Errno.EINVAL),
                // unaligned size
                List.of(sys("sys_ioctl(fd: 3, cmd: 3b71, arg: 7fffae3a8dd0)"),
                        line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) "
                                + "cmd=15217 flags=0x3 at8=0x" + BUF + " at16=0x100000 at24=0x1001"),
                        sys("sys_ioctl -> " + ret(-Errno.EINVAL)))));
        assertEquals("vfio_dma_map=-22 vfio_dma_map=-22 vfio_dma_map=-22", results(vfio(r)), r.jsonl());
    }

    @Test
    void aDivergentKernelResultIsReported() {
        // the kernel mapped an iova the model holds already: the model says -EEXIST
        Replays r = replay("6.1", List.of(mapped(), map("0x3", 0x100000, 16, true, 0),
                map("0x3", 0x100000, 16, true, 0)));
        assertEquals("vfio_dma_map=0 vfio_dma_map=-17≠0", results(vfio(r)), r.jsonl());
    }

    @Test
    void aVaddrUpdateAnUnmapWithFlagsAndOtherCommandsAreNotJudged() {
        Replays r = replay("6.1", List.of(mapped(), map("0x3", 0x100000, 16, true, 0),
                List.of(sys("sys_ioctl(fd: 3, cmd: 3b71, arg: 7fffae3a8dd0)"),
                        line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) "
                                + "cmd=15217 flags=0x4 at8=0x" + BUF + " at16=0x100000 at24=0x10000"),
                        sys("sys_ioctl -> 0x0"),
                        sys("sys_ioctl(fd: 3, cmd: 3b72, arg: 7fffae3a8de0)"),
                        line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) "
                                + "cmd=15218 flags=0x2 at8=0x0 at16=0x0 at24=0x0"),
                        sys("sys_ioctl -> 0x0"),
                        sys("sys_ioctl(fd: 3, cmd: 3b70, arg: 7fffae3a8de0)"),
                        line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) "
                                + "cmd=15216 flags=(fault) at8=(fault) at16=(fault) at24=(fault)"),
                        sys("sys_ioctl -> 0x0")),
                // VFIO_DMA_UNMAP_FLAG_ALL emptied the container: the same iova maps again
                map("0x3", 0x100000, 16, true, 0)));
        assertEquals("vfio_dma_map=0 vfio_dma_map=0", results(vfio(r)), r.jsonl());
    }

    @Test
    void theProgramsMarkerOfARecordedMapIsThatMap() {
        Replays r = replay("6.1", List.of(mapped(), map("0x3", 0x100000, 16, true, 0),
                List.of(line("tracing_mark_write: vfio_dma_map: handle=buf vaddr=0x" + BUF
                        + " iova=0x100000 size=0x10000 prot=rw ret=0")),
                unmap(0x100000, 0x10000, 0),
                List.of(line("tracing_mark_write: vfio_dma_unmap: handle=buf iova=0x100000 size=0x10000"))));
        assertEquals("vfio_dma_map=0 vfio_dma_map=0 vfio_dma_unmap=0 vfio_dma_unmap=0", results(vfio(r)), r.jsonl());
        assertTrue(r.violationKinds().isEmpty(), r.jsonl());
    }

    /**
     * vfio-cow's cow-ro in a raw recording: the buffer written before fork() (a fault the recording does not trace),
     * a read-only map after it, then the parent's write. The model first takes the untouched page for the zero page;
     * the recording says otherwise, since vaddr_get_pfns() unpins a zero page at once (6.0, 5.10.146+) and no unpin
     * followed. 5.10.223 copies the pinned page at the write (page_count() != 1: the device read the old 'A'); 6.1.176
     * had unshared it at the pin and reuses it (the device read 'B').
     */
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void aReadOnlyMapOfAPageTheTaskWroteUntracedIsNotTheZeroPage(String kernel) {
        Replays r = replay(kernel, List.of(mapped(), forkAndMapReadOnly(false)));
        assertEquals(kernel.equals("5.10") ? List.of("pin-lost-to-cow") : List.of(), r.violationKinds(), r.jsonl());
        if (kernel.equals("5.10")) {
            assertTrue(r.jsonl().contains("copied the pinned anonymous page"), r.jsonl());
        }
    }

    /** The same when the recording shows vaddr_get_pfns()' unpin of the zero page: the device keeps reading zeros. */
    @Test
    void aZeroPageVfioUnpinnedAtOnceIsLostToTheWrite() {
        Replays r = replay("6.1", List.of(mapped(), forkAndMapReadOnly(true)));
        assertEquals(List.of("pin-lost-to-cow"), r.violationKinds(), r.jsonl());
        assertTrue(r.jsonl().contains("replaced the zero page"), r.jsonl());
    }

    private List<String> forkAndMapReadOnly(boolean zeroUnpinned) {
        List<String> l = new ArrayList<>();
        l.add(line("task_newtask: pid=720 comm=vfio-edu clone_flags=1200000 oom_score_adj=0"));
        l.add(line("sched_process_fork: comm=vfio-edu pid=203 child_comm=vfio-edu child_pid=720"));
        l.add(sys("sys_ioctl(fd: 3, cmd: 3b71, arg: 7fffb86dbd90)"));
        l.add(line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x1900 [vfio_iommu_type1]) cmd=15217 "
                + "flags=0x1 at8=0x" + BUF + " at16=0x200000 at24=0x1000"));
        l.add(line("p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x30) start=0x" + BUF
                + " nr_pages=1 gup_flags=0x10000"));
        l.add(line("r_pin_user_pages_remote_0: (vaddr_get_pfns+0x7b/0x260 [vfio_iommu_type1] <- pin_user_pages_remote) "
                + "ret=1"));
        if (zeroUnpinned) {
            l.add(line("p_unpin_user_page_0: (unpin_user_page+0x0/0x20) page=0xffffea0000d2a040"));
        }
        l.add(sys("sys_ioctl -> 0x0"));
        l.add(T + "d....    " + at() + "page_fault_user: address=0x" + BUF + " ip=0x428389 error_code=0x7");
        return l;
    }

    /**
     * A process older than the recording may have mapped before it: a recorded -EEXIST or a bisecting unmap's -EINVAL
     * that no map the model knows explains is taken as such a map, and says so; after an execve() in the recording
     * the container is the recording's own: the unmap's -EINVAL diverges (the map, which shows no pin, is not judged).
     */
    @Test
    void mapsMadeBeforeTheRecordingExplainOnlyAnOlderProcesssRefusals() {
        Replays older = replay("6.1", List.of(mapped(), map("0x3", 0x100000, 16, false, -Errno.EEXIST),
                unmap(0x200000, 0x1000, -Errno.EINVAL)));
        assertEquals("vfio_dma_map=-17 vfio_dma_unmap=-22", results(vfio(older)), older.jsonl());
        assertTrue(vfio(older).stream().allMatch(o -> o.assumed != null && o.assumed.contains("before the recording")),
                older.jsonl());
        List<String> exec = new ArrayList<>(List.of("# tracer: nop",
                line("sched_process_exec: filename=/lab/run/vfio-edu pid=203 old_pid=203")));
        exec.addAll(mapped().subList(1, 3));
        Replays own = replay("6.1", List.of(exec, map("0x3", 0x100000, 16, false, -Errno.EEXIST),
                unmap(0x200000, 0x1000, -Errno.EINVAL)));
        assertEquals("vfio_dma_unmap=0≠-22", results(vfio(own)), own.jsonl());
    }

    /**
     * The unpins inside an unmap of a map made before the recording drop that map's pins, not the raw pins of a map
     * the recording showed: its buffer stays pinned, and MADV_DONTNEED of it drops pages the device still reaches.
     */
    @Test
    void anUnmapOfAMapMadeBeforeTheRecordingLeavesTheRecordedPinsHeld() {
        Replays r = replay("6.1", List.of(mapped(), map("0x3", 0x100000, 16, true, 0),
                List.of(sys("sys_ioctl(fd: 3, cmd: 3b72, arg: 7fffae3a8de0)"),
                        line("p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 [vfio_iommu_type1]) "
                                + "cmd=15218 flags=0x0 at8=0x900000 at16=0x10000 at24=0x0"),
                        line("p_unpin_user_pages_dirty_lock_0: (unpin_user_pages_dirty_lock+0x0/0x110) npages=16 "
                                + "make_dirty=1"),
                        sys("sys_ioctl -> 0x0"),
                        sys("sys_madvise(start: " + BUF + ", len_in: 10000, behavior: 4)"),
                        sys("sys_madvise -> 0x0"))));
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
    }
}
