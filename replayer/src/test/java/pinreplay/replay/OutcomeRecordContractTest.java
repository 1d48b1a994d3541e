package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.outcome.JsonlWriter;
import pinreplay.replay.outcome.Outcome;

/** docs/replay.md, Outcome records: the fields of each outcome record kind, as {@code --format jsonl} prints them. */
class OutcomeRecordContractTest {
    private static final String HEADER = "# tracer: nop\n#\n";

    private static String json(Outcome o) {
        return JsonlWriter.format(o);
    }

    private static void assertMatches(String regex, String json) {
        assertTrue(Pattern.compile(regex).matcher(json).find(), json + "\n  should match " + regex);
    }

    @Test
    void everyRecordHasLineTsAndPidAndACallHasResultLatencyRetriesAndObserved() {
        Replays r = Replays.text(HEADER
                + "         app-100     [000] .....   1.000001: mmap: addr=0x10000000 len=0x4000 prot=r flags=private\n"
                + "         app-100     [000] .....   1.000002: pin_user_pages: start=0x10000000 nr_pages=4 "
                + "gup_flags=FOLL_WRITE handle=h ret=4\n"
                + "         app-100     [000] .....   1.000003: pin_user_pages: start=0x20000000 nr_pages=1 "
                + "gup_flags=FOLL_WRITE handle=g ret=-EFAULT\n", "6.15", FaultPoints.NONE);
        String partial = json(r.call(4));
        assertMatches("^\\{\"line\":4,\"ts\":1\\.000002,\"pid\":100,", partial);
        assertMatches("\"event\":\"pin_user_pages\"", partial);
        assertMatches("\"result\":\"-EFAULT\",", partial);
        assertMatches("\"latency_us\":[0-9]+\\.[0-9]{3},\"retries\":0", partial);
        assertMatches("\"observed\":4,\"agrees\":false", partial);
        String failed = json(r.call(5));
        assertMatches("\"result\":\"-EFAULT\"", failed);
        assertMatches("\"observed\":\"-EFAULT\",\"agrees\":true", failed);
        assertEquals(1, r.summary.divergences);
    }

    @Test
    void aViolationNamesItsKindHandleAndDetail() {
        Replays r = Replays.text(HEADER
                + "         app-100     [000] .....   1.000001: unpin_user_pages: handle=never\n", "6.15", FaultPoints.NONE);
        List<Outcome> v = r.violations();
        assertEquals(1, v.size(), r.jsonl());
        String j = json(v.get(0));
        assertMatches("^\\{\"line\":3,\"ts\":1\\.000001,\"pid\":100,", j);
        assertMatches("\"violation\":\"unbalanced-unpin\",\"handle\":\"never\",\"detail\":\"[^\"]+\"", j);
    }

    @Test
    void aStallNamesTheBlockedEventWhatItWaitsOnAndForHowLong() {
        Replays r = Replays.file("dax-truncate-longterm-stall.txt", "6.1", "longterm-fsdax=allow", "dax-truncate=wait");
        List<Outcome> s = r.stalls();
        assertEquals(1, s.size(), r.jsonl());
        String j = json(s.get(0));
        assertMatches("^\\{\"line\":" + Lines.of("dax-truncate-longterm-stall.txt", "ftruncate:") + ",\"ts\":300\\.100000,"
                + "\"pid\":7200,", j);
        assertMatches("\"stall\":\"ftruncate\",\"waiting_on\":\\[\"mr0\"\\],\"blocked_us\":[0-9]+\\.[0-9]{3}", j);
    }

    @Test
    void anInjectionNamesTheFaultAndWhatItDid() {
        FaultPoints nowait = new FaultPoints() {
            @Override
            public boolean faultinPageNowait(Mm mm, long addr) {
                return true;
            }

            @Override
            public String firing() {
                return "nowait-retry";
            }
        };
        Replays r = Replays.text(HEADER
                + "         app-100     [000] .....   1.000001: mmap: addr=0x10000000 len=0x4000 prot=rw flags=private\n"
                + "         app-100     [000] .....   1.000002: get_user_pages: start=0x10000000 nr_pages=4 "
                + "gup_flags=FOLL_WRITE|FOLL_NOWAIT handle=h\n", "6.15", nowait);
        Outcome inj = r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.INJECTION).findFirst()
                .orElseThrow(() -> new AssertionError(r.jsonl()));
        // faultin_page(): VM_FAULT_RETRY under RETRY_NOWAIT is -EBUSY, which __get_user_pages() turns into 0
        assertEquals("0", r.result(4));
        String j = json(inj);
        assertMatches("^\\{\"line\":4,\"ts\":1\\.000002,\"pid\":100,", j);
        assertMatches("\"injected\":\"nowait-retry\",\"point\":\"faultin_page\"", j);
        assertMatches("\"effect\":\"[^\"]+\"", j);
    }
}
