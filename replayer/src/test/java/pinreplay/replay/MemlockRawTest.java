package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.replay.outcome.Outcome;

/**
 * The raw memlock-matrix recordings (traces/real): the charge's inputs come from the snapshot's memlock line, fork()
 * and execve(), prlimit64() with do_prlimit()'s kprobe and setresuid(); io_uring_register() and ib_umem_get() are
 * judged on them, -ENOMEM and -EPERM included, with nothing assumed.
 */
class MemlockRawTest {
    private static List<Outcome> judged(Replays r, EventType t) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.event == t && o.hasObserved).toList();
    }

    @Test
    void everyRegistrationOfTheUserIsJudgedOnWhatTheRecordingShows() {
        Replays r = Replays.file("real/6.12/memlock-matrix.txt", "6.12");
        List<Outcome> uring = judged(r, EventType.IO_URING_REGISTER_BUFFERS);
        List<Outcome> rdma = judged(r, EventType.RDMA_REG_MR);
        assertEquals(12, uring.size(), r.jsonl());
        assertEquals(4, uring.stream().filter(o -> o.result == -pinreplay.format.Errno.ENOMEM).count());
        assertEquals(8, rdma.size());
        assertEquals(1, rdma.stream().filter(o -> o.result == -pinreplay.format.Errno.EPERM).count());
        assertTrue(uring.stream().allMatch(o -> o.agrees() && o.assumed == null), r.jsonl());
        assertTrue(rdma.stream().allMatch(o -> o.agrees() && o.assumed == null), r.jsonl());
    }

    /**
     * 7.2 charges no pinned_vm for a root-made ring: 7.2's recording differs under 6.12's rules on the MR that only
     * that charge refuses; 6.12's under 7.2's leaves that refusal (before any pin, on what 7.2 does not count) unjudged.
     */
    @Test
    void theReleasesDifferOnARootRingsPinnedVm() {
        Replays back = Replays.file("real/7.2/memlock-matrix.txt", "6.12");
        assertEquals(1, back.outcomes.stream().filter(o -> o.hasObserved && !o.agrees()).count(), back.jsonl());
        Replays r = Replays.file("real/6.12/memlock-matrix.txt", "7.2");
        assertEquals(7, judged(r, EventType.RDMA_REG_MR).size(), r.jsonl());
    }
}
