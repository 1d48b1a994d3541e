package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import pinreplay.replay.outcome.Outcome;

/** Issue 4's must-show: each injector, on the scenario traces, changes outcomes as the kernel would. */
class InjectedScenariosTest {
    private static final String BAR = Injected.file("vfio-pfnmap-bar.txt");
    private static final String MEMFILE = Injected.file("inject/memfile-ext4-pinned.txt");
    private static final String DIO_DAX = Injected.file("inject/dio-dax-inflight.txt");
    private static final String RDMA_FSDAX = Injected.file("inject/rdma-fsdax-mr.txt");
    /** vfio-pfnmap-bar.txt: the first vfio_dma_map (bar0, no PTEs yet: follow_fault_pfn()). */
    private static final int BAR0_MAP = 8;

    @Test
    void vfioPfnmapMapSucceedsAfterOneEagainRetry() {
        Injected r = Injected.replay(BAR, "6.15", 1, "mmap-unlock:fail-nth=1");
        Outcome map = r.call(BAR0_MAP, "vfio_dma_map");
        assertEquals(0, map.result, r.jsonl());
        assertEquals(1, map.retries);
        assertEquals(List.of(BAR0_MAP + ":mmap-unlock@fixup_user_fault"), r.sites());
        assertEquals("bar0", r.of(Outcome.Kind.INJECTION).get(0).handle);
        Outcome plain = Injected.replay(BAR, "6.15", 1).call(BAR0_MAP, "vfio_dma_map");
        assertTrue(map.latencyNs > plain.latencyNs, "the retry costs time");
    }

    @Test
    void vfioPfnmapRetryFindsTheVmaUnmappedAndFailsWithEfault() {
        Injected r = Injected.replay(BAR, "6.15", 1, "mmap-unlock:fail-nth=1,race=munmap");
        assertEquals("-EFAULT", r.result(BAR0_MAP, "vfio_dma_map"));
        assertEquals(1, r.call(BAR0_MAP, "vfio_dma_map").retries);
        assertEquals(List.of(), r.violationKinds());
    }

    @Test
    void faultNoRetryPolicyUsesTheStaleVma() {
        Injected r = Injected.replay(BAR, "6.15", 1, "mmap-unlock:fail-nth=1,race=remap",
                "vfio-pfnmap=fault-no-retry");
        assertEquals("0", r.result(BAR0_MAP, "vfio_dma_map"));
        assertEquals("stale-vma", r.violationKinds().get(0), r.jsonl());
        assertEquals("bar0", r.of(Outcome.Kind.VIOLATION).get(0).handle);
    }

    @Test
    void writebackCleaningBeforeTheDeviceWriteIsWriteToCleanFolioOn61() {
        Injected r = Injected.replay(MEMFILE, "6.1", 1, "writeback-clean:at=dma_write");
        assertEquals(List.of("write-to-clean-folio"), r.violationKinds(), r.jsonl());
        assertEquals(List.of("11:writeback-clean@folio_clear_dirty_for_io"), r.sites());
        assertTrue(r.of(Outcome.Kind.INJECTION).get(0).effect.contains("of inode 60"));
    }

    @Test
    void writebackCleaningFindsNothingPinnedOn65BecauseThePinIsRefused() {
        Injected r = Injected.replay(MEMFILE, "6.5", 1, "writeback-clean:at=dma_write");
        assertEquals("-EFAULT", r.result(10, "vfio_dma_map"));
        assertEquals(List.of(), r.sites());
        assertEquals(List.of(), r.violationKinds());
    }

    @Test
    void truncateUnderDmaWithDaxTruncateNoneCorruptsTheReallocatedBlock() {
        Injected r = Injected.replay(DIO_DAX, "5.10", 1, "truncate:at=file", "dax-truncate=none");
        assertEquals(List.of("13:truncate@do_truncate"), r.sites());
        assertEquals(List.of("dma-into-reallocated-block"), r.violationKinds(), r.jsonl());
        assertEquals(21, r.of(Outcome.Kind.VIOLATION).get(0).victimIno);
    }

    @Test
    void truncateUnderDmaWithoutReallocationIsDmaAfterFree() {
        Injected r = Injected.replay(DIO_DAX, "5.10", 1, "truncate:at=dio_complete", "dax-truncate=none");
        assertEquals(List.of("dma-after-free"), r.violationKinds(), r.jsonl());
    }

    @Test
    void truncateUnderDmaWithDaxTruncateFailIsEbusy() {
        Injected r = Injected.replay(DIO_DAX, "5.10", 1, "truncate:at=file", "dax-truncate=fail");
        assertTrue(r.of(Outcome.Kind.INJECTION).get(0).effect.endsWith(": -EBUSY"));
        assertEquals(List.of(), r.violationKinds());
    }

    @Test
    void truncateUnderDmaWithDaxTruncateWaitCompletesWhenTheReadDropsItsReferences() {
        Injected r = Injected.replay(DIO_DAX, "5.10", 1, "truncate:at=file", "dax-truncate=wait");
        Outcome t = r.call(13, "ftruncate");
        assertEquals(0, t.result);
        // it waited from its line until dio_complete released the pages
        assertTrue(t.latencyNs >= 200_004_200_000L - 200_000_300_000L, r.jsonl());
        assertEquals(List.of(), r.violationKinds());
        assertEquals(List.of(), r.of(Outcome.Kind.STALL));
    }

    @Test
    void truncateUnderALongtermPinWithDaxTruncateWaitStalls() {
        Injected r = Injected.replay(RDMA_FSDAX, "6.1", 1, "truncate:at=dma_write,times=1", "dax-truncate=wait",
                "longterm-fsdax=allow");
        List<Outcome> stalls = r.of(Outcome.Kind.STALL);
        assertEquals(1, stalls.size(), r.jsonl());
        assertEquals("mr0", stalls.get(0).waitingOn[0]);
    }

    @Test
    void truncateUnderDmaWithDaxTruncateRemapOrNodaxIsNoViolation() {
        for (String mode : List.of("remap", "nodax")) {
            Injected r = Injected.replay(DIO_DAX, "5.10", 1, "truncate:at=file", "dax-truncate=" + mode);
            assertEquals(List.of("13:truncate@do_truncate"), r.sites(), mode);
            assertEquals(List.of(), r.violationKinds(), mode + "\n" + r.jsonl());
        }
    }

    @Test
    void punchHoleUnderDmaFollowsTheSameRule() {
        Injected none = Injected.replay(DIO_DAX, "5.10", 1, "punch-hole:at=file,len=0x10000", "dax-truncate=none");
        assertEquals(List.of("13:punch-hole@vfs_fallocate"), none.sites());
        assertEquals(List.of("dma-into-reallocated-block"), none.violationKinds(), none.jsonl());
        Injected fail = Injected.replay(DIO_DAX, "5.10", 1, "punch-hole:at=file,len=0x10000", "dax-truncate=fail");
        assertTrue(fail.of(Outcome.Kind.INJECTION).get(0).effect.endsWith(": -EBUSY"), fail.jsonl());
    }

    @Test
    void sameSeedSameOutcomes() {
        String a = Injected.replay(Injected.file("gup-longterm-matrix.txt"), "6.15", 5, "migrate:probability=50")
                .jsonl();
        String b = Injected.replay(Injected.file("gup-longterm-matrix.txt"), "6.15", 5, "migrate:probability=50")
                .jsonl();
        assertEquals(a, b);
    }

    @Test
    void differentSeedsFireAtDifferentSites() {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            List<String> sites = Injected.replay(Injected.file("gup-longterm-matrix.txt"), "6.15", seed,
                    "migrate:probability=50").sites();
            assertTrue(!sites.isEmpty());
            seen.add(sites);
        }
        assertNotEquals(1, seen.size());
    }
}
