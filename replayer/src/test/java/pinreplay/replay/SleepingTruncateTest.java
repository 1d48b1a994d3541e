package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * A task asleep in xfs_break_dax_layouts() / ext4_break_layouts() cannot make its next call until it
 * wakes: the shrink-then-regrow a host tool traces runs in that order even when the replayed release
 * makes the shrink wait.
 */
class SleepingTruncateTest {
    private static final String TRACE = String.join("\n",
            "# tracer: nop",
            "          dbtool-3100    [002] .....   200.000000: file: ino=20 fs=xfs dax=1 size=0x200000",
            "          dbtool-3100    [002] .....   200.000010: mmap: addr=0x7f1000000000 len=0x200000 prot=rw flags=shared ino=20 pgoff=0",
            "          dbtool-3100    [002] .....   200.000020: file: ino=21 fs=xfs dax=1 size=0",
            "          dbtool-3100    [002] .....   200.000030: file: ino=30 fs=ext4 dax=0 size=0x100000",
            "          dbtool-3100    [002] .....   200.000100: dio_submit: handle=dio0 ino=30 offset=0 len=0x10000 buf=0x7f10001f0000 rw=read",
            "        truncate-3200    [000] .....   200.000200: ftruncate: ino=20 size=0x100000",
            "        truncate-3200    [000] .....   200.000250: ftruncate: ino=20 size=0x200000",
            "        truncate-3200    [000] .....   200.000300: fallocate: ino=21 mode=allocate offset=0 len=0x100000",
            "          <idle>-0       [002] d.h1.   200.004200: dio_complete: handle=dio0",
            "          dbtool-3100    [002] .....   200.005000: dio_submit: handle=dio1 ino=30 offset=0 len=0x10000 buf=0x7f10001f0000 rw=read",
            "          <idle>-0       [002] d.h1.   200.006000: dio_complete: handle=dio1",
            "");

    @ParameterizedTest
    @CsvSource({"5.15,", "6.1,dax-truncate-wakeup=ideal", "7.2,"})
    void theRegrowAfterASleepingShrinkRunsWhenItWakesSoTheFileEndsFullSize(String kernel, String policy) {
        Replays r = Replays.text(TRACE, kernel, FaultPoints.NONE, policy == null ? new String[0] : new String[] {policy});
        Outcome shrink = r.call(7);
        Outcome regrow = r.call(8);
        assertEquals(0, shrink.result);
        assertEquals(0, regrow.result);
        assertTrue(shrink.latencyNs >= 4_000_000L, "the shrink slept until the O_DIRECT completion: " + r.jsonl());
        assertTrue(regrow.latencyNs >= 3_900_000L, "the regrow waited behind it");
        assertTrue(r.outcomes.indexOf(shrink) < r.outcomes.indexOf(regrow), "reported in the order they ran");
        assertEquals(0, r.call(11).result, "the second I/O lands inside the regrown file, not past EOF: " + r.jsonl());
        assertTrue(r.violations().isEmpty(), r.jsonl());
        assertTrue(r.stalls().isEmpty());
    }

    /**
     * 6.1.y: the O_DIRECT completion drops the last reference with folio_put_refs(), so wake_up_var() never runs;
     * the shrink sleeps past the end of the trace (in the lab, until a signal) and the calls behind it with it.
     */
    @Test
    void on61TheCompletionDoesNotWakeTheShrinkAndTheStallNamesTheMissedWakeup() {
        Replays r = Replays.text(TRACE, "6.1", FaultPoints.NONE);
        assertEquals(3, r.stalls().size(), r.jsonl());
        Outcome shrink = r.stalls().get(0);
        assertEquals(7, shrink.line);
        assertEquals("dax-wakeup-missed", shrink.cause);
        assertEquals(0, shrink.waitingOn.length);
        // dio1 faults the page back in and drops it the same way: still no wake-up
        assertTrue(shrink.detail.contains("dio1 (line 12)"), shrink.detail);
        assertTrue(r.stalls().stream().allMatch(s -> s.cause.equals("dax-wakeup-missed")));
        assertEquals(0, r.call(11).result, "the second I/O still runs: its task does not sleep");
        assertTrue(r.violations().isEmpty(), r.jsonl());
    }

    @Test
    void callsQueuedBehindATruncateThatNeverWakesAreStalledToo() {
        String neverCompletes = TRACE.lines().filter(l -> !l.contains("dio_complete: handle=dio0"))
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        Replays r = Replays.text(neverCompletes, "6.1", FaultPoints.NONE);
        assertEquals(3, r.stalls().size(), "the shrink, and the regrow and fallocate queued behind it: " + r.jsonl());
        assertTrue(r.stalls().stream().allMatch(s -> java.util.List.of(s.waitingOn).contains("dio0")));
        assertTrue(r.stalls().stream().allMatch(s -> s.cause.equals("pins-held")));
    }
}
