package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * Memory nobody described may predate the recording, and a recorded result that found it mapped makes the model
 * assume it (anonymous memory); memory the recording itself unmapped is described as absent: a result that found it
 * mapped is a divergence, never an assumption, until a mapping there.
 */
class UnmappedByRecordingTest {
    private static Replays pinAfter(String... before) {
        String[] lines = new String[before.length + 1];
        System.arraycopy(before, 0, lines, 0, before.length);
        lines[before.length] = "pin_user_pages_fast: start=0x40000000 nr_pages=2 gup_flags=FOLL_WRITE handle=p ret=2";
        return Replays.text(Replays.lines(lines), "6.1", FaultPoints.NONE);
    }

    @Test
    void memoryNobodyDescribedIsAssumedFromTheResult() {
        Replays r = pinAfter("mmap: addr=0x50000000 len=0x1000 prot=rw flags=private");
        assertEquals("2", r.result(2), r.jsonl());
        assertEquals("anonymous", r.call(2).assumed, r.jsonl());
    }

    @Test
    void memoryTheRecordingUnmappedIsNot() {
        Replays r = pinAfter("mmap: addr=0x40000000 len=0x2000 prot=rw flags=private",
                "munmap: addr=0x40000000 len=0x2000");
        assertEquals("-EFAULT", r.result(3), r.jsonl());
        assertNull(r.call(3).assumed, r.jsonl());
    }

    @Test
    void untilSomethingIsMappedThereAgain() {
        Replays r = pinAfter("munmap: addr=0x40000000 len=0x2000",
                "mmap: addr=0x40000000 len=0x2000 prot=rw flags=private");
        assertEquals("2", r.result(3), r.jsonl());
        assertNull(r.call(3).assumed, r.jsonl());
    }

    @Test
    void aForkedChildLacksWhatItsParentUnmapped() {
        Replays r = Replays.text(Replays.lines(
                "mmap: addr=0x40000000 len=0x2000 prot=rw flags=private",
                "munmap: addr=0x40000000 len=0x2000")
                + " app-100 [000] ..... 2.000000: sched_process_fork: comm=app pid=100 child_comm=app child_pid=101\n"
                + " app-101 [000] ..... 2.000001: pin_user_pages_fast: start=0x40000000 nr_pages=2 gup_flags=FOLL_WRITE"
                + " handle=p ret=2\n", "6.1", FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(4), r.jsonl());
        assertNull(r.call(4).assumed, r.jsonl());
    }
}
