package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * The two fs-DAX truncate bugs real kernels have, reproduced by default in the releases that have them and named
 * in the outcome, with the ideal behaviour as a policy: dax_layout_busy_page_range()'s mapping_mapped() early
 * return (4.18-6.14) and 6.1.y's O_DIRECT completion that never wakes the truncate (__bio_release_pages()).
 */
class DaxTruncateKernelBugsTest {
    /** O_DIRECT reads a disk file into a DAX file's mapping, the mapping goes, the DAX file is truncated. */
    private static final String[] AFTER_MUNMAP = {
        "file: ino=20 fs=xfs dax=1 size=0x10000",
        "mmap: addr=0x7f1000000000 len=0x10000 prot=rw flags=shared ino=20",
        "file: ino=30 fs=ext4 dax=0 size=0x10000",
        "dio_submit: handle=dio0 ino=30 offset=0 len=0x10000 buf=0x7f1000000000 rw=read",
        "munmap: addr=0x7f1000000000 len=0x10000",
        "ftruncate: ino=20 size=0",
        "file: ino=21 fs=xfs dax=1 size=0x10000",
        "dio_complete: handle=dio0",
    };

    private static Replays replay(String[] events, String kernel, String... policies) {
        return Replays.text(Replays.lines(events), kernel, FaultPoints.NONE, policies);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"4.18", "5.10", "6.1", "6.14"})
    void untilThe615ATruncateAfterMunmapFreesBlocksUnderDmaAndTheViolationNamesWhy(String kernel) {
        Replays r = replay(AFTER_MUNMAP, kernel);
        Outcome t = r.call(6);
        assertEquals(0, t.result);
        assertTrue(t.latencyNs < 1_000_000, "it did not wait: " + t.latencyNs);
        List<Outcome> v = r.violations();
        assertEquals(1, v.size(), r.jsonl());
        assertEquals("dma-into-reallocated-block", v.get(0).violation);
        assertEquals(21, v.get(0).victimIno);
        assertEquals(8, v.get(0).line);
        assertTrue(v.get(0).detail.contains("the truncate at line 6 did not wait")
                && v.get(0).detail.contains("mapping_mapped()"), v.get(0).detail);
    }

    /**
     * The freed blocks go back to the same file at the same offsets: first fit hands them out again. The device still
     * writes into storage that was freed and reallocated; that the new owner is the old one changes nothing.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"4.18,1", "6.1,1", "6.14,1", "6.15,0", "7.2,0"})
    void blocksReallocatedToTheSameFilePageAreStillFreedUnderTheDma(String kernel, int violations) {
        String[] sameFile = AFTER_MUNMAP.clone();
        sameFile[6] = "fallocate: ino=20 offset=0 len=0x10000 mode=allocate";
        Replays r = replay(sameFile, kernel);
        List<Outcome> v = r.violations();
        assertEquals(violations, v.size(), r.jsonl());
        if (violations == 1) {
            assertEquals("dma-into-reallocated-block", v.get(0).violation);
            assertEquals(20, v.get(0).victimIno);
        }
    }

    /** Only the punched half was freed and reallocated: a device write into the kept half is no violation. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1,1", "6.15,0"})
    void aPunchFreesOnlyItsRangeUnderAPin(String kernel, int violations) {
        Replays kept = replay(punchThenDmaWriteAt(0), kernel);
        assertTrue(kept.violations().isEmpty(), kept.jsonl());
        Replays punched = replay(punchThenDmaWriteAt(0x8000), kernel);
        assertEquals(violations, punched.violations().size(), punched.jsonl());
        if (violations == 1) {
            assertEquals("dma-into-reallocated-block", punched.violations().get(0).violation);
            assertEquals(20, punched.violations().get(0).victimIno);
        }
    }

    private static String[] punchThenDmaWriteAt(long offset) {
        return new String[] {
            "file: ino=20 fs=xfs dax=1 size=0x10000",
            "mmap: addr=0x7f1000000000 len=0x10000 prot=rw flags=shared ino=20",
            "fault: addr=0x7f1000000000 len=0x10000 write=1",
            "pin_user_pages: start=0x7f1000000000 nr_pages=16 gup_flags=FOLL_WRITE handle=p",
            "munmap: addr=0x7f1000000000 len=0x10000",
            "fallocate: ino=20 offset=0x8000 len=0x8000 mode=punch_hole",
            "fallocate: ino=20 offset=0x8000 len=0x8000 mode=allocate",
            "dma_write: handle=p offset=0x%x len=0x1000".formatted(offset),
            "unpin_user_pages: handle=p",
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"6.15,", "7.2,", "6.14,dax-busy-unmapped=check", "5.10,dax-busy-unmapped=check"})
    void from615OrWithTheCheckPolicyTheTruncateWaitsForTheDmaAndLosesNothing(String kernel, String policy) {
        Replays r = policy == null ? replay(AFTER_MUNMAP, kernel) : replay(AFTER_MUNMAP, kernel, policy);
        Outcome t = r.call(6);
        assertEquals(0, t.result);
        assertTrue(t.latencyNs >= 2_000, "it slept until the completion two events later: " + t.latencyNs);
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertTrue(r.stalls().isEmpty(), r.jsonl());
    }

    @Test
    void theSkipPolicyPutsTheHoleBackInto615() {
        assertEquals(List.of("dma-into-reallocated-block"),
                replay(AFTER_MUNMAP, "6.15", "dax-busy-unmapped=skip").violationKinds());
    }

    @Test
    void aTruncateOfAStillMappedFileWaitsEvenBefore615() {
        String[] mapped = AFTER_MUNMAP.clone();
        mapped[4] = "fault: addr=0x7f1000000000 len=0x1000 write=0";
        Replays r = replay(mapped, "6.14");
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertTrue(r.call(6).latencyNs >= 2_000);
    }

    /** O_DIRECT into a DAX file's mapping with a truncate of that file overlapping it (the lab's 6.1 scenario). */
    private static final String[] OVERLAPPING = {
        "file: ino=20 fs=ext4 dax=1 size=0x10000",
        "mmap: addr=0x7f1000000000 len=0x10000 prot=rw flags=shared ino=20",
        "file: ino=30 fs=ext4 dax=0 size=0x10000",
        "dio_submit: handle=dio0 ino=30 offset=0 len=0x10000 buf=0x7f1000000000 rw=read",
        "ftruncate: ino=20 size=0",
        "dio_complete: handle=dio0",
    };

    /** 6.1.y's __bio_release_pages() puts the references with folio_put_refs(): no wake_up_var(), a stall. */
    @Test
    void on61TheTruncateIsNeverWokenAndStallsWithTheMissedWakeupNamed() {
        Replays r = replay(OVERLAPPING, "6.1");
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.line == 5), r.jsonl());
        assertEquals(1, r.stalls().size(), r.jsonl());
        Outcome s = r.stalls().get(0);
        assertEquals(5, s.line);
        assertEquals("dax-wakeup-missed", s.cause);
        assertEquals(0, s.waitingOn.length, "nothing holds the page: only the wake-up is missing");
        assertTrue(s.detail.contains("dio0 (line 6)") && s.detail.contains("wake_up_var()"), s.detail);
        assertTrue(r.violations().isEmpty(), "the blocks stay allocated while it sleeps");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"6.0,", "6.2,", "6.15,", "5.10,", "6.1,dax-truncate-wakeup=ideal"})
    void elsewhereOrWithTheIdealPolicyTheCompletionWakesTheTruncate(String kernel, String policy) {
        Replays r = policy == null ? replay(OVERLAPPING, kernel) : replay(OVERLAPPING, kernel, policy);
        assertEquals(0, r.call(5).result);
        assertTrue(r.call(5).latencyNs >= 1_000, "it slept until the completion");
        assertTrue(r.stalls().isEmpty(), r.jsonl());
    }

    @Test
    void theMissedPolicyReproducesTheBugElsewhere() {
        Replays r = replay(OVERLAPPING, "6.15", "dax-truncate-wakeup=missed");
        assertEquals(List.of("dax-wakeup-missed"), r.stalls().stream().map(o -> o.cause).toList());
    }

    /** A stall behind a pin that is never dropped is the kernel's intended wait: cause pins-held, holder named. */
    @Test
    void aStallBehindAHeldPinNamesTheHolder() {
        String[] neverCompletes = java.util.Arrays.copyOf(OVERLAPPING, 5);
        Outcome s = replay(neverCompletes, "6.1").stalls().get(0);
        assertEquals("pins-held", s.cause);
        assertEquals(List.of("dio0"), List.of(s.waitingOn));
        assertEquals(null, s.detail);
    }

    /**
     * Only the page the truncate sleeps on can wake it: a pin on another page of the file dropped later (with a
     * wake-up) does not end a sleep whose own page went idle without one.
     */
    @Test
    void aWakeupOnAnotherPageDoesNotEndTheSleep() {
        Replays r = replay(new String[] {
            OVERLAPPING[0], OVERLAPPING[1], OVERLAPPING[2],
            "dio_submit: handle=dio0 ino=30 offset=0 len=0x1000 buf=0x7f1000000000 rw=read",
            "pin_user_pages: start=0x7f1000004000 nr_pages=1 gup_flags=FOLL_WRITE handle=p",
            "ftruncate: ino=20 size=0",
            "dio_complete: handle=dio0",
            "unpin_user_pages: handle=p",
        }, "6.1");
        assertEquals(1, r.stalls().size(), r.jsonl());
        assertEquals("dax-wakeup-missed", r.stalls().get(0).cause);
    }
}
