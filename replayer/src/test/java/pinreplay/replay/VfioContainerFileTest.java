package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A vfio container is the open /dev/vfio/vfio file: execve() keeps it (not close-on-exec), fork() shares it
 * (dup_fd()), so vfio_dma_do_map() finds the maps already in it (-EEXIST), and the new image's exit releases them.
 */
class VfioContainerFileTest {
    private static final String P = "            prog-607     (    607) [001] .....    93.";
    private static final String MAP = P + "300000: mmap: addr=0x7f52c13a3000 len=0x4000 prot=rw flags=private";
    private static final String FAULT = P + "300100: fault: addr=0x7f52c13a3000 len=0x4000 write=1";

    private static Replays replay(String kernel, String... lines) {
        return Replays.text(String.join("\n", lines) + "\n", kernel, FaultPoints.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "7.2"})
    void theNewImageMapsIntoTheSameContainer(String kernel) {
        Replays r = replay(kernel, MAP, FAULT,
                P + "373507: vfio_dma_map: handle=a vaddr=0x7f52c13a3000 iova=0x200000 size=0x4000 prot=rw",
                P + "500000: sched_process_exec: filename=/usr/bin/other pid=607 old_pid=607",
                "           other-607     (    607) [001] .....    93.600000: mmap: addr=0x7f0000000000 len=0x4000 prot=rw"
                        + " flags=private",
                "           other-607     (    607) [001] .....    93.600200: vfio_dma_map: handle=b vaddr=0x7f0000000000"
                        + " iova=0x200000 size=0x4000 prot=rw");
        assertEquals("-EEXIST", r.result(6), r.jsonl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "7.2"})
    void aForkedChildMapsIntoItsParentsContainer(String kernel) {
        Replays r = replay(kernel, MAP, FAULT,
                P + "373507: vfio_dma_map: handle=a vaddr=0x7f52c13a3000 iova=0x200000 size=0x4000 prot=rw",
                P + "400000: task_newtask: pid=608 comm=prog clone_flags=1200000 oom_score_adj=0",
                P + "400010: sched_process_fork: comm=prog pid=607 child_comm=prog child_pid=608",
                "            prog-608     (    608) [000] .....    93.600000: mmap: addr=0x7f0000000000 len=0x4000 prot=rw"
                        + " flags=private",
                "            prog-608     (    608) [000] .....    93.600200: vfio_dma_map: handle=b vaddr=0x7f0000000000"
                        + " iova=0x200000 size=0x4000 prot=rw");
        assertEquals("-EEXIST", r.result(7), r.jsonl());
    }

    /** The read-only map made before the exec is released at the new image's exit: the child's write reuses the page. */
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void theNewImagesExitReleasesTheMapsMadeBeforeTheExec(String kernel) {
        Replays r = replay(kernel, MAP, FAULT,
                P + "300200: task_newtask: pid=608 comm=prog clone_flags=1200000 oom_score_adj=0",
                P + "300210: sched_process_fork: comm=prog pid=607 child_comm=prog child_pid=608",
                P + "373507: vfio_dma_map: handle=ro vaddr=0x7f52c13a3000 iova=0x200000 size=0x4000 prot=r ret=0",
                P + "500000: sched_process_exec: filename=/usr/bin/other pid=607 old_pid=607",
                "           other-607     (    607) [001] .....    93.600000: sched_process_exit: comm=other pid=607 prio=120",
                "            prog-608     (    608) [000] .....    94.000000: fault: addr=0x7f52c13a3000 len=0x4000 write=1");
        assertEquals(List.of(), r.violationKinds(), r.jsonl());
    }
}
