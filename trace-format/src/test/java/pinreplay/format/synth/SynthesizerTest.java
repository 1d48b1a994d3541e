package pinreplay.format.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.format.EventReader;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;

class SynthesizerTest {

    private static byte[] bytes(String scenario, Map<String, String> params, long seed, long events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventWriter w = new EventWriter((buf, len) -> out.write(buf, 0, len));
        Scenario sc = Synthesizer.scenario(scenario);
        Synthesizer.run(sc, sc.params().set(params), seed, events, 0, w);
        w.finish();
        return out.toByteArray();
    }

    private static Map<EventType, Integer> types(String scenario, Map<String, String> params, long events) {
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        long[] last = {0, 0};
        EventReader r = new EventReader(ev -> {
            counts.merge(ev.type(), 1, Integer::sum);
            assertTrue(ev.line() > last[0], "lines increase");
            last[0] = ev.line();
            if (ev.type() != EventType.COMMENT) {
                assertTrue(ev.ts() >= last[1], "time never goes back");
                assertEquals(0, ev.ts() % 1000, "whole microseconds, so six decimals print it exactly");
                last[1] = ev.ts();
            }
        });
        EventWriter w = new EventWriter(r);
        Scenario sc = Synthesizer.scenario(scenario);
        Synthesizer.run(sc, sc.params().set(params), 7, events, 0, w);
        w.finish();
        return counts;
    }

    @Test
    void sameSeedGivesSameBytesAndAnotherSeedDoesNot() {
        byte[] a = bytes("mixed", Map.of(), 42, 20_000);
        assertArrayEquals(a, bytes("mixed", Map.of(), 42, 20_000));
        assertFalse(java.util.Arrays.equals(a, bytes("mixed", Map.of(), 43, 20_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu-vfio", "qemu-virtual-pmem", "rdma-mr", "io-uring-fixed", "odirect", "dax-truncate",
        "vfio-pfnmap", "gup-writeback", "mixed"})
    void everyScenarioGivesTheSameBytesForTheSameSeed(String scenario) {
        byte[] a = bytes(scenario, Map.of(), 9, 5_000);
        assertArrayEquals(a, bytes(scenario, Map.of(), 9, 5_000));
        assertFalse(java.util.Arrays.equals(a, bytes(scenario, Map.of(), 10, 5_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemu-vfio", "qemu-virtual-pmem", "rdma-mr", "io-uring-fixed", "odirect", "dax-truncate",
        "vfio-pfnmap", "gup-writeback", "mixed"})
    void everyScenarioStreamsExactlyTheRequestedNumberOfEvents(String scenario) {
        Map<EventType, Integer> c = types(scenario, Map.of(), 5_000);
        int events = c.values().stream().mapToInt(Integer::intValue).sum() - c.getOrDefault(EventType.COMMENT, 0);
        assertEquals(5_000, events);
    }

    @Test
    void qemuVfioMapsAllGuestRamOnceThenDmasAndHousekeeps() {
        Map<EventType, Integer> c = types("qemu-vfio", Map.of("share", "on", "writeback-rate", "100",
                "punch-hole-rate", "10", "vcpus", "4"), 20_000);
        assertEquals(1, c.get(EventType.VFIO_DMA_MAP));
        assertEquals(4, c.get(EventType.TASK_NEWTASK), "one per vCPU thread");
        assertTrue(c.get(EventType.DMA_WRITE) > c.get(EventType.DMA_READ), "dma-write=0.7");
        assertTrue(c.get(EventType.WRITEBACK) > 0);
        assertTrue(c.get(EventType.FALLOCATE) > 0);
        assertTrue(c.get(EventType.FAULT) > 0);
    }

    @Test
    void tmpfsGuestRamGetsNoWritebackPasses() {
        Map<EventType, Integer> c = types("qemu-vfio", Map.of("fs", "tmpfs", "writeback-rate", "100"), 5_000);
        assertFalse(c.containsKey(EventType.WRITEBACK), "shmem has no writeback to clean its folios");
    }

    @Test
    void aZeroRateSilencesAnActorWithoutDisturbingTime() {
        Map<EventType, Integer> c = types("qemu-vfio", Map.of("dma-rate", "0", "cpu-rate", "0", "writeback-rate", "10"), 200);
        assertFalse(c.containsKey(EventType.DMA_WRITE));
        assertFalse(c.containsKey(EventType.FAULT));
        assertTrue(c.get(EventType.WRITEBACK) > 180, "all but the set-up lines");
    }

    @Test
    void directIoSlotsAlternateSubmitAndComplete() {
        Map<EventType, Integer> c = types("odirect", Map.of("iodepth", "4"), 10_001);
        int submits = c.get(EventType.DIO_SUBMIT);
        int completes = c.get(EventType.DIO_COMPLETE);
        assertTrue(submits - completes >= 0 && submits - completes <= 4, "at most iodepth in flight");
    }

    @Test
    void vfioPfnmapUnmapsTheBarWhenAsked() {
        Map<EventType, Integer> c = types("vfio-pfnmap", Map.of("unmap-bar", "1", "unmap-after", "0.01"), 5_000);
        assertEquals(1, c.get(EventType.MUNMAP));
        assertEquals(2, c.get(EventType.VFIO_DMA_MAP), "guest RAM and the peer BAR");
    }

    @Test
    void durationBoundsTraceTime() {
        long[] lastTs = {0};
        long[] firstDma = {0};
        EventWriter w = new EventWriter(new EventReader(ev -> {
            if (ev.type() == EventType.DMA_WRITE || ev.type() == EventType.DMA_READ) {
                if (firstDma[0] == 0) {
                    firstDma[0] = ev.ts();
                }
                lastTs[0] = ev.ts();
            }
        }));
        Scenario sc = Synthesizer.scenario("rdma-mr");
        long n = Synthesizer.run(sc, sc.params().set(Map.of()), 1, 0, 100_000_000L, w);
        w.finish();
        assertTrue(lastTs[0] - firstDma[0] <= 100_000_000L, "0.1 s of trace time");
        assertTrue(n > 500 && n < 4_000, "2 regions x 5000/s for 0.1 s, got " + n);
    }

    @Test
    void badParametersAreRejectedBeforeAnyEvent() {
        Scenario sc = Synthesizer.scenario("qemu-vfio");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sc.params().set(Map.of("fs", "ntfs")));
        assertEquals("qemu-vfio: fs must be one of ext4|xfs|btrfs|tmpfs|hugetlbfs|devdax, got 'ntfs'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sc.params().set(Map.of("colour", "red")));
        assertTrue(e.getMessage().startsWith("scenario qemu-vfio has no parameter 'colour'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sc.params().set(Map.of("size", "lots")));
        assertEquals("qemu-vfio: size must be a number or a size like 4G, got 'lots'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Synthesizer.scenario("nope"));
        assertTrue(e.getMessage().startsWith("unknown scenario 'nope' (scenarios: qemu-vfio, "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mixed.weights("odirect:x"));
        assertEquals("mixed: mix weight must be a whole number, got 'odirect:x'", e.getMessage());
    }

    @Test
    void handlesAreReusedSoLongRunsKeepABoundedSymbolTable() {
        EventReader r = new EventReader(ev -> { });
        EventWriter w = new EventWriter(r);
        Scenario sc = Synthesizer.scenario("mixed");
        Synthesizer.run(sc, sc.params().set(Map.of()), 3, 300_000, 0, w);
        w.finish();
        assertTrue(r.symbols().size() < 200, "symbols: " + r.symbols().size());
    }

    @Test
    void steadyStateAllocatesNothingPerEvent() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        EventWriter w = new EventWriter((buf, len) -> { });
        Scenario sc = Synthesizer.scenario("qemu-vfio");
        Params p = sc.params().set(Map.of("writeback-rate", "50", "punch-hole-rate", "5"));
        Synthesizer.run(sc, p, 1, 200_000, 0, w);
        long before = mx.getCurrentThreadAllocatedBytes();
        Synthesizer.run(sc, p, 1, 1_000_000, 0, w);
        long perEvent = (mx.getCurrentThreadAllocatedBytes() - before) / 1_000_000;
        assertTrue(perEvent < 1, "bytes allocated per event: " + perEvent);
    }

    @Test
    void everyScenarioIsListedWithParameters() {
        List<Scenario> all = Synthesizer.SCENARIOS;
        assertEquals(9, all.size());
        for (Scenario sc : all) {
            assertFalse(sc.description().isBlank());
            assertFalse(sc.params().specs().isEmpty(), sc.name());
        }
        assertTrue(Synthesizer.scenario("gup-writeback").params().specs().stream()
                .anyMatch(s -> s.name().equals("call") && s.choices().contains("pin_user_pages_remote")));
    }
}
