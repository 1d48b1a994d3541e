package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pinreplay.format.EventType.DIO_COMPLETE;
import static pinreplay.format.EventType.DIO_SUBMIT;
import static pinreplay.format.EventType.FTRUNCATE;
import static pinreplay.format.EventType.RDMA_REG_MR;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.outcome.Outcome;

/**
 * {@code synth dax-truncate} and {@code synth odirect} replayed (seed 001; fs/dax.c dax_layout_busy_page(), a Debian 6.1.192 run):
 * short pins on DAX blocks under each {@code dax-truncate} behaviour, long pins that block truncate
 * forever, and page-cache truncates that never wait.
 */
class SynthDaxTruncateReplayTest {
    private static final Set<String> LOST_BLOCKS = Set.of("dma-into-reallocated-block", "dma-after-free");

    @ParameterizedTest
    @CsvSource({"xfs,truncate-rate=40,4.14,1", "xfs,truncate-rate=40,4.17,2", "ext4,truncate-rate=40,4.18,3",
        "xfs,punch-hole-rate=40,4.14,4", "xfs,truncate-rate=40,6.15,5"})
    void withoutBreakLayoutsODirectLandsInFreedOrReallocatedBlocks(String fs, String rate, String kernel, long seed) {
        String[] policy = kernel.equals("6.15") ? new String[] {"dax-truncate=none"} : new String[0];
        Replays r = Replays.synth("dax-truncate", "fs=" + fs + "," + rate + ",truncate-rate=" + rateOf(rate, "truncate"),
                seed, 4000, kernel, policy);
        assertTrue(r.kinds().contains("dma-into-reallocated-block"), r.kinds().toString());
        assertTrue(LOST_BLOCKS.containsAll(r.kinds()), r.kinds().toString());
        assertTrue(r.stalls().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"xfs,4.18,1,", "xfs,6.15,2,", "ext4,4.19,3,", "ext4,5.15,4,", "ext4,6.1,4,dax-truncate-wakeup=ideal",
        "xfs,7.2,5,"})
    void breakLayoutsWaitsForShortPinsAndLosesNothing(String fs, String kernel, long seed, String policy) {
        Replays r = Replays.synth("dax-truncate", "fs=" + fs + ",truncate-rate=40", seed, 4000, kernel,
                policy == null ? new String[0] : new String[] {policy});
        assertEquals(Set.of("0"), r.results(FTRUNCATE));
        assertEquals(Set.of(), r.kinds(), r.jsonl());
        assertTrue(r.stalls().isEmpty());
        assertTrue(r.outcomes.stream().anyMatch(o -> o.event == FTRUNCATE && o.latencyNs > 10_000),
                "some truncate slept until an O_DIRECT completion");
    }

    /**
     * 6.1.y's __bio_release_pages() puts O_DIRECT's references with folio_put_refs(): the truncate sleeping on the
     * page is never woken, so it and the calls its task makes after it stall, with the cause named.
     */
    @ParameterizedTest
    @CsvSource({"ext4,4", "xfs,5"})
    void on61TheODirectCompletionNeverWakesTheTruncate(String fs, long seed) {
        Replays r = Replays.synth("dax-truncate", "fs=" + fs + ",truncate-rate=40", seed, 4000, "6.1");
        assertTrue(!r.stalls().isEmpty(), r.jsonl());
        Outcome first = r.stalls().get(0);
        assertEquals(FTRUNCATE, first.event);
        assertEquals("dax-wakeup-missed", first.cause);
        assertTrue(first.detail.contains("folio_put_refs()"), first.detail);
        assertTrue(r.stalls().stream().allMatch(o -> o.cause.equals("dax-wakeup-missed")), r.jsonl());
        assertEquals(Set.of(), r.kinds(), "blocks stay allocated while it sleeps: nothing is lost");
    }

    @ParameterizedTest
    @CsvSource({"1", "2"})
    void failPolicyRefusesBusyTruncatesWithEbusy(long seed) {
        Replays r = Replays.synth("dax-truncate", "truncate-rate=40", seed, 4000, "6.15", "dax-truncate=fail");
        assertEquals(Set.of("-EBUSY", "0"), r.results(FTRUNCATE));
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"remap,1", "nodax,2"})
    void remapAndNodaxPoliciesNeitherWaitNorLoseBlocks(String policy, long seed) {
        Replays r = Replays.synth("dax-truncate", "truncate-rate=40", seed, 4000, "4.14", "dax-truncate=" + policy);
        assertEquals(Set.of("0"), r.results(FTRUNCATE));
        assertEquals(Set.of(), r.kinds());
        assertTrue(r.stalls().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"6.1,1", "4.18,2"})
    void aLongTermPinOnTheDaxFileBlocksTruncateForever(String kernel, long seed) {
        Replays r = Replays.synth("dax-truncate", "longterm=1", seed, 4000, kernel, "longterm-fsdax=allow");
        assertEquals(Set.of("0"), r.results(RDMA_REG_MR));
        assertTrue(!r.stalls().isEmpty());
        assertEquals(FTRUNCATE, r.stalls().get(0).event, "the first truncate sleeps; the task's later calls queue");
        assertTrue(List.of(r.stalls().get(0).waitingOn).stream().anyMatch(h -> h.startsWith("mr")));
        assertTrue(r.results(FTRUNCATE).isEmpty(), "no truncate ever completes");
    }

    @ParameterizedTest
    @CsvSource({"4.18,1", "5.10,2", "6.15,3"})
    void aLongTermPinOnTheDaxFileIsRefused(String kernel, long seed) {
        Replays r = Replays.synth("dax-truncate", "longterm=1", seed, 4000, kernel);
        assertEquals(Set.of("-EOPNOTSUPP"), r.results(RDMA_REG_MR));
        assertTrue(r.stalls().isEmpty());
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"none,4.14,1", "wait,6.15,2", "fail,6.15,3", "remap,6.15,4", "nodax,6.15,5"})
    void odirectIntoAnFsdaxBufferFollowsTheDaxTruncatePolicy(String policy, String kernel, long seed) {
        Replays r = Replays.synth("odirect", "buf=fsdax,share=on,truncate=buf,file-size=8M,buf-size=2M,truncate-rate=50",
                seed, 4000, kernel, "dax-truncate=" + policy);
        Set<String> truncates = r.results(FTRUNCATE);
        switch (policy) {
            case "none" -> assertTrue(r.kinds().contains("dma-into-reallocated-block"), r.kinds().toString());
            case "fail" -> assertEquals(Set.of("-EBUSY", "0"), truncates);
            default -> assertEquals(Set.of("0"), truncates);
        }
        if (!policy.equals("none")) {
            assertEquals(Set.of(), r.kinds());
        }
        assertTrue(LOST_BLOCKS.containsAll(r.kinds()), r.kinds().toString());
        assertTrue(r.stalls().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"file,ext4,anon,4.14,1", "file,xfs,anon,6.15,2", "buf,ext4,ext4,6.1,3", "buf,ext4,ext4,6.15,4",
        "file,ext4,fsdax,6.15,5"})
    void pageCacheTruncatesNeverWaitAndLoseNothing(String target, String fs, String buf, String kernel, long seed) {
        Replays r = Replays.synth("odirect", "file-size=8M,buf-size=2M,share=on,truncate-rate=50,truncate=" + target
                + ",fs=" + fs + ",buf=" + buf, seed, 4000, kernel);
        assertEquals(Set.of("0"), r.results(FTRUNCATE));
        if (target.equals("file")) {
            // a read past the shrunk end is 0 (iomap_dio_rw(): nothing at or past i_size is read)
            assertEquals(Set.of("0"), r.results(DIO_SUBMIT));
            assertTrue(Set.of(">0", "0").containsAll(r.results(DIO_COMPLETE)), r.results(DIO_COMPLETE).toString());
            assertTrue(r.results(DIO_COMPLETE).contains(">0"));
        } else {
            // a buffer page beyond the shrunk EOF: the GUP fault gets VM_FAULT_SIGBUS, so -EFAULT, and the request
            // completes with that errno
            assertTrue(Set.of("0", "-EFAULT").containsAll(r.results(DIO_SUBMIT)), r.results(DIO_SUBMIT).toString());
            assertTrue(Set.of(">0", "-EFAULT").containsAll(r.results(DIO_COMPLETE)), r.results(DIO_COMPLETE).toString());
        }
        assertEquals(Set.of(), r.kinds());
        assertTrue(r.outcomes.stream().filter(o -> o.event == FTRUNCATE).allMatch(o -> o.latencyNs < 10_000_000),
                "appendix C: an ext4 truncate does not wait for O_DIRECT in flight");
    }

    private static String rateOf(String given, String which) {
        return given.startsWith(which) ? given.substring(given.indexOf('=') + 1) : "0";
    }
}
