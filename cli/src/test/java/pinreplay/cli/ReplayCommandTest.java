package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    private static String trace(String name) throws Exception {
        return Files.readString(Path.of("..", "traces", name));
    }

    @Test
    void violationsExitOneAndJsonlIsByteIdenticalAcrossRuns() throws Exception {
        String t = trace("dio-dax-truncate.txt");
        Run a = Run.of(t, "replay", "-", "--kernel", "4.14", "--format", "jsonl");
        Run b = Run.of(t, "replay", "-", "--kernel", "4.14", "--format", "jsonl");
        assertEquals(ExitCodes.FINDINGS, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().contains("\"violation\":\"dma-into-reallocated-block\""), a.out());
        assertTrue(a.out().contains("\"victim_ino\":21"), a.out());
    }

    @Test
    void aStallIsReportedAndAFindingOnlyWhenFailOnNamesIt() throws Exception {
        String t = trace("dax-truncate-longterm-stall.txt");
        Run plain = Run.of(t, "replay", "-", "--kernel", "6.1", "--policy", "longterm-fsdax=allow");
        assertEquals(ExitCodes.OK, plain.code(), plain.out() + plain.err());
        assertTrue(plain.out().contains("Stalls: 1"), plain.out());
        Run strict = Run.of(t, "replay", "-", "--kernel", "6.1", "--policy", "longterm-fsdax=allow",
                "--fail-on", "violation,divergence,stall");
        assertEquals(ExitCodes.FINDINGS, strict.code());
    }

    @Test
    void jsonIsOneDocument() throws Exception {
        Run r = Run.of(trace("qemu-memfile-ext4.txt"), "replay", "-", "--kernel", "6.1", "--format", "json");
        assertTrue(r.out().startsWith("{\"profile\":\"6.1\""), r.out());
        assertEquals(1, r.out().strip().lines().count());
        assertTrue(r.out().contains("\"write-to-clean-folio\""));
    }

    @Test
    void badKernelOrPolicyIsAUsageError() {
        assertEquals(ExitCodes.USAGE, Run.of("", "replay", "-", "--kernel", "six").code());
        Run p = Run.of("", "replay", "-", "--policy", "dax-truncate=sometimes");
        assertEquals(ExitCodes.USAGE, p.code());
        assertTrue(p.err().contains("dax-truncate expects one of"), p.err());
        assertEquals(ExitCodes.USAGE, Run.of("", "replay").code());
    }

    @Test
    void malformedInputExitsThreeWithFileAndLine() {
        Run r = Run.of("  app-1 [000] .....  1.000000: vfio_dma_map: vaddr=0x1000\n", "replay", "-");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("<stdin>:1:"), r.err());
    }

    @Test
    void hgrmWritesPercentileDistributions(@TempDir Path dir) throws Exception {
        Path h = dir.resolve("lat.hgrm");
        Run r = Run.of(trace("qemu-vfio-fsdax.txt"), "replay", "-", "--hgrm", h.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String text = Files.readString(h);
        assertTrue(text.contains("# vfio_dma_map"), text);
        assertTrue(text.contains("Value     Percentile TotalCount 1/(1-Percentile)"), text);
    }

    @Test
    void profilesListsRulesAndMarksARelease() {
        Run t = Run.of("", "profiles", "--kernel", "6.1");
        assertEquals(ExitCodes.OK, t.code());
        assertTrue(t.out().contains("* io-uring-file-backed-check"), t.out());
        assertTrue(t.out().contains("  writable-file-mapping-allowed"), t.out());
        Run j = Run.of("", "profiles", "--format", "json");
        assertTrue(j.out().contains("\"name\":\"vfio-follow-fault-pfn\""), j.out());
    }

    @Test
    void profilesShowTheRangeTo72AndTheKernelBugsOfARelease() {
        Run t = Run.of("", "profiles", "--kernel", "6.1");
        assertTrue(t.out().startsWith("Modelled releases 4.14 to 7.2 (default 7.2)"), t.out());
        assertTrue(t.out().contains("* bio-release-misses-dax-wakeup"), t.out());
        assertTrue(t.out().contains("* dax-layout-busy-mapping-mapped"), t.out());
        assertTrue(t.out().contains("policy: dax-truncate-wakeup=missed|ideal"), t.out());
        Run newest = Run.of("", "profiles", "--kernel", "7.2");
        assertTrue(newest.out().contains("  dax-layout-busy-mapping-mapped"), newest.out());
        assertTrue(newest.out().contains("* longterm-pinnable-fsdax"), newest.out());
        assertTrue(Run.of("", "profiles", "--format", "json").out().startsWith("{\"oldest\":\"4.14\",\"newest\":\"7.2\""));
    }

    @Test
    void aQueueReplaysLikeItsText(@TempDir Path dir) throws Exception {
        String t = trace("qemu-memfile-ext4.txt");
        Path q = dir.resolve("q");
        assertEquals(ExitCodes.OK, Run.of(t, "ingest", "-", "--queue", q.toString()).code());
        Run fromQueue = Run.of("", "replay", "--queue", q.toString(), "--kernel", "6.1", "--format", "jsonl");
        Run fromText = Run.of(t, "replay", "-", "--kernel", "6.1", "--format", "jsonl");
        assertEquals(ExitCodes.FINDINGS, fromQueue.code(), fromQueue.err());
        assertEquals(fromText.out(), fromQueue.out());
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "replay", "--queue", dir.resolve("none").toString()).code());
    }

    /** Many blocks, decoded on one thread and replayed on another: the same outcomes, and a bad block named. */
    @Test
    void aQueueOfManyBlocksReplaysLikeItsTextAndADamagedBlockIsNamed(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("t.txt");
        assertEquals(ExitCodes.OK, Run.of("", "synth", "mixed", "--seed", "3", "--events", "40000", "-o",
                text.toString()).code());
        Path q = dir.resolve("q");
        assertEquals(ExitCodes.OK, Run.of("", "ingest", text.toString(), "--queue", q.toString()).code());
        Run fromQueue = Run.of("", "replay", "--queue", q.toString(), "--format", "jsonl");
        Run fromText = Run.of("", "replay", text.toString(), "--format", "jsonl");
        assertEquals(fromText.code(), fromQueue.code(), fromQueue.err());
        assertEquals(fromText.out(), fromQueue.out());

        Path cq4;
        try (Stream<Path> files = Files.list(q)) {
            cq4 = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        byte[] all = Files.readAllBytes(cq4);
        String bytes = new String(all, StandardCharsets.ISO_8859_1);
        int at = -1;
        for (int block = 0; block <= 3; block++) { // the excerpt of block 3
            at = bytes.indexOf("PRQ1", at + 1);
            assertTrue(at >= 0, "fewer than four blocks");
        }
        try (RandomAccessFile f = new RandomAccessFile(cq4.toFile(), "rw")) {
            f.seek(at + 64); // a byte of the compact payload, past the excerpt header
            f.write(all[at + 64] ^ 0x55);
        }
        Run damaged = Run.of("", "replay", "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, damaged.code(), damaged.err());
        assertEquals("pinreplay: " + q + ": corrupt queue: block 3 fails its checksum\n", damaged.err());
    }
}
