package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.campaign.Json;
import pinreplay.replay.outcome.JsonText;

/** {@code pinreplay diff}: one trace under two runs in-process, two outcome files, formats and exit codes. */
class DiffCommandTest {
    private static final String SEED_004 = "../traces/qemu-memfile-ext4.txt";
    private static final String FSDAX = "../traces/qemu-vfio-fsdax.txt";

    @TempDir
    Path dir;

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n"));
    }

    @Test
    void seed004OnTwoReleasesShowsEveryChangedCallAndExitsOne() {
        Run r = Run.of("", "diff", SEED_004, "--kernel", "6.1", "--against-kernel", "6.15");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertEquals(List.of(
                "--- ../traces/qemu-memfile-ext4.txt under 6.1",
                "+++ ../traces/qemu-memfile-ext4.txt under 6.15",
                "line 11 vfio_dma_map [ram-shared]: result 0 -> -EFAULT; latency 22875.200 -> 0.600 us",
                "line 12 pin_user_pages_fast [aif-shared]: result 1 -> -EFAULT; latency 0.315 -> 0.300 us",
                "line 20 writeback: latency 65536.300 -> 256.300 us",
                "line 22 dma_write [ram-shared]: result 4096 -> -EFAULT; violation write-to-clean-folio -> none; "
                        + "latency 0.300 -> 0.000 us",
                "  - write-to-clean-folio: DMA write through ram-shared into the page-cache folio of inode 60 offset 8192 "
                        + "after writeback cleaned it and write-protected its PTEs; the filesystem never sees this write "
                        + "(no page_mkwrite)",
                "line 24 unpin_user_pages [aif-shared]: result 0 -> -EINVAL; latency 0.320 -> 0.300 us",
                "5 of 16 calls differ (result 4, violation 1, latency 5); violations 1 -> 0, stalls 0 -> 0"),
                lines(r.out()));
    }

    @Test
    void aRunAgainstItselfIsEqualAndExitsZero() {
        Run r = Run.of("", "diff", SEED_004, "--kernel", "6.1", "--against-kernel", "6.1.50");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().endsWith("no difference in 16 calls; violations 1 -> 1, stalls 0 -> 0\n"), r.out());
    }

    @Test
    void aPolicyOfRunBAloneTurnsTheTruncateIntoEbusy() {
        Run r = Run.of("", "diff", FSDAX, "--kernel", "4.14", "--against-policy", "dax-truncate=fail");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.out().contains("+++ ../traces/qemu-vfio-fsdax.txt under 4.14 {dax-truncate=fail}\n"), r.out());
        assertTrue(r.out().contains("line 19 ftruncate: result 0 -> -EBUSY; latency 5243.200 -> 0.300 us\n"), r.out());
        assertTrue(r.out().contains("line 23 dma_write [vfio0]: violation dma-into-reallocated-block -> none\n"), r.out());
    }

    @Test
    void againstPolicyNoneDropsRunAsPolicies() {
        Run r = Run.of("", "diff", FSDAX, "--kernel", "4.14", "--policy", "dax-truncate=fail", "--against-policy", "none");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.out().contains("line 19 ftruncate: result -EBUSY -> 0;"), r.out());
    }

    @Test
    void anInjectionInRunBShowsItsRetryAndWhatItInjected() {
        Run r = Run.of("", "diff", "../traces/vfio-pfnmap-bar.txt", "--kernel", "6.15",
                "--against-inject", "mmap-unlock:fail-nth=1,race=munmap", "--seed", "1");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.out().contains("+++ ../traces/vfio-pfnmap-bar.txt under 6.15 with mmap-unlock:fail-nth=1,race=munmap\n"
                + "line 8 vfio_dma_map [bar0]: result 0 -> -EFAULT; retries 0 -> 1; latency 11.840 -> 2.620 us\n"
                + "  + injected mmap-unlock at fixup_user_fault: unlocked\n"), r.out());
        assertTrue(r.out().endsWith("injections 0 -> 1\n"), r.out());
    }

    @Test
    void aTruncateThatWaitsInOneRunIsStillListedInLineOrder() {
        Run r = Run.of("", "diff", FSDAX, "--kernel", "4.14", "--against-policy", "dax-truncate=wait");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        List<String> rows = lines(r.out()).stream().filter(l -> l.startsWith("line ")).toList();
        assertEquals(List.of("line 19 ftruncate: latency 5243.200 -> 510486.080 us",
                "line 23 dma_write [vfio0]: violation dma-into-reallocated-block -> none",
                "line 24 vfio_dma_unmap [vfio0]: latency 5243.180 -> 10486.080 us"), rows);
    }

    @Test
    void aStallInOneRunIsAStallChange() {
        Run r = Run.of("", "diff", "../traces/dax-truncate-longterm-stall.txt", "--kernel", "4.14",
                "--against-policy", "dax-truncate=wait");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.out().contains("line 11 ftruncate: result 0 -> none; stall none -> waiting on mr0 (blocked "
                + "2000000.000 us); latency 2.880 us -> none\n"), r.out());
        assertTrue(r.out().endsWith("stalls 0 -> 1\n"), r.out());
    }

    @Test
    void jsonlCarriesReplaysOwnRecordsOfBothRunsAndTheTotals() {
        Run r = Run.of("", "diff", SEED_004, "--kernel", "6.1", "--against-kernel", "6.15", "--format", "jsonl");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        List<String> replayA = lines(Run.of("", "replay", SEED_004, "--kernel", "6.1", "--format", "jsonl").out());
        List<String> replayB = lines(Run.of("", "replay", SEED_004, "--kernel", "6.15", "--format", "jsonl").out());
        List<String> out = lines(r.out());
        assertEquals(6, out.size(), r.out());
        for (String row : out.subList(0, 5)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parse(row);
            for (Object rec : (List<?>) m.get("a")) {
                assertTrue(replayA.contains(JsonText.writeCompact(rec)), row);
            }
            for (Object rec : (List<?>) m.get("b")) {
                assertTrue(replayB.contains(JsonText.writeCompact(rec)), row);
            }
        }
        assertTrue(out.get(3).startsWith("{\"line\":22,\"event\":\"dma_write\",\"handle\":\"ram-shared\","
                + "\"changed\":[\"result\",\"violation\",\"latency\"],\"a\":[{\"line\":22,"), out.get(3));
        assertEquals("{\"summary\":{\"a\":\"../traces/qemu-memfile-ext4.txt under 6.1\",\"b\":\"../traces/qemu-memfile-ext4.txt"
                + " under 6.15\",\"calls\":16,\"differ\":5,\"changed\":{\"presence\":0,\"result\":4,\"retries\":0,"
                + "\"violation\":1,\"stall\":0,\"latency\":5},\"violations\":[1,0],\"stalls\":[0,0],\"injections\":[0,0]}}",
                out.get(5));
    }

    @Test
    void twoRecordedFilesGiveTheSameRowsAsTheTraceReplayedTwice() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(a, Run.of("", "replay", FSDAX, "--kernel", "4.14", "--format", "jsonl").out());
        Files.writeString(b, Run.of("", "replay", FSDAX, "--kernel", "4.14", "--policy", "dax-truncate=wait",
                "--format", "jsonl").out());
        Run files = Run.of("", "diff", a.toString(), b.toString());
        Run trace = Run.of("", "diff", FSDAX, "--kernel", "4.14", "--against-policy", "dax-truncate=wait");
        assertEquals(ExitCodes.FINDINGS, files.code(), files.err());
        assertTrue(files.out().startsWith("--- " + a + "\n+++ " + b + "\n"), files.out());
        assertEquals(lines(trace.out()).subList(2, lines(trace.out()).size()),
                lines(files.out()).subList(2, lines(files.out()).size()));
        Run same = Run.of(Files.readString(a), "diff", "-", a.toString());
        assertEquals(ExitCodes.OK, same.code(), same.err());
        assertTrue(same.out().startsWith("--- <stdin>\n"), same.out());
    }

    @Test
    void aCallInOneFileOnlyIsListedAsSuch() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(a, "{\"line\":3,\"ts\":1.000000,\"pid\":1,\"event\":\"mmap\",\"result\":0,\"latency_us\":0.300,"
                + "\"retries\":0}\n{\"line\":4,\"ts\":1.000000,\"pid\":1,\"event\":\"munmap\",\"result\":0,"
                + "\"latency_us\":0.300,\"retries\":0}\n");
        Files.writeString(b, "{\"line\":3,\"ts\":1.000000,\"pid\":1,\"event\":\"mmap\",\"result\":0,\"latency_us\":0.300,"
                + "\"retries\":0}\n");
        Run r = Run.of("", "diff", a.toString(), b.toString());
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.out().contains("line 4 munmap: only in A (result 0, 0.300 us)\n"
                + "1 of 2 calls differs (in one run only 1);"), r.out());
    }

    @Test
    void htmlIsOnePageWithBothRunsSideBySideAndTheChangesMarked() {
        Run r = Run.of("", "diff", SEED_004, "--kernel", "6.1", "--against-kernel", "6.15", "--format", "html");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        String h = r.out();
        assertTrue(h.startsWith("<!DOCTYPE html>"), h);
        assertTrue(h.endsWith("</html>\n"), h);
        assertFalse(h.contains("<script") || h.contains("http") || h.contains("<link"), h);
        assertTrue(h.contains("<th>A: ../traces/qemu-memfile-ext4.txt under 6.1</th><th>B: ../traces/qemu-memfile-ext4.txt"
                + " under 6.15</th>"), h);
        assertTrue(h.contains("<td>22</td><td><code>dma_write</code> <span class=\"muted\">[ram-shared]</span></td>"
                + "<td class=\"a\">result <span class=\"ch\">4096</span>, <span class=\"ch\">0.300 us</span><span class=\"v\">"
                + "<span class=\"ch\">violation write-to-clean-folio</span>: DMA write through"), h);
        assertTrue(h.contains("<span class=\"v\"><span class=\"ch\">no violation</span></span>"), h);
        assertTrue(h.contains("<b>5 of 16 calls differ (result 4, violation 1, latency 5); violations 1 -&gt; 0"), h);
        assertEquals(5, h.split("<tr><td>", -1).length - 1, h);
    }

    @Test
    void allListsEqualCallsToo() {
        Run r = Run.of("", "diff", SEED_004, "--kernel", "6.1", "--against-kernel", "6.15", "--all");
        assertEquals(16, lines(r.out()).stream().filter(l -> l.startsWith("line ")).count(), r.out());
        assertTrue(r.out().contains("line 8 file: = result 0, 0.000 us\n"), r.out());
    }

    @Test
    void standardInputIsReadOnceForBothRuns() throws Exception {
        Run r = Run.of(Files.readString(Path.of(SEED_004)), "diff", "-", "--kernel", "6.1", "--against-kernel", "6.15");
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.out().contains("5 of 16 calls differ"), r.out());
    }

    @Test
    void usageErrorsExitTwo() {
        Run none = Run.of("", "diff", SEED_004);
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().contains("expected what run B changes (--against-kernel, --against-policy or "
                + "--against-inject), or two outcome files"), none.err());
        Run files = Run.of("", "diff", "a.jsonl", "b.jsonl", "--against-kernel", "6.1");
        assertEquals(ExitCodes.USAGE, files.code());
        assertTrue(files.err().contains("two outcome files are compared as recorded"), files.err());
        Run mixed = Run.of("", "diff", SEED_004, "--against-policy", "none", "--against-policy", "memlock=64m");
        assertEquals(ExitCodes.USAGE, mixed.code());
        assertTrue(mixed.err().contains("--against-policy none stands alone"), mixed.err());
        Run kernel = Run.of("", "diff", SEED_004, "--against-kernel", "2.6");
        assertEquals(ExitCodes.USAGE, kernel.code());
        assertTrue(kernel.err().contains("2.6"), kernel.err());
        Run inject = Run.of("", "diff", SEED_004, "--against-inject", "nosuch");
        assertEquals(ExitCodes.USAGE, inject.code());
    }

    @Test
    void aFileThatIsNotOutcomeRecordsExitsThreeNamingFileAndLine() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Files.writeString(a, "{\"line\":3,\"ts\":1.000000,\"pid\":1,\"event\":\"mmap\",\"result\":0,\"latency_us\":0.300,"
                + "\"retries\":0}\n{\"summary\":1}\n");
        Run r = Run.of("", "diff", a.toString(), SEED_004);
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains(SEED_004 + ":1: expected an outcome record of 'replay --format jsonl', got "
                + "'# tracer: nop'"), r.err());
        Run second = Run.of("", "diff", a.toString(), a.toString());
        assertEquals(ExitCodes.BAD_INPUT, second.code());
        assertTrue(second.err().contains(a + ":2: expected an outcome record"), second.err());
        Run missing = Run.of("", "diff", a.toString(), dir.resolve("nope.jsonl").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("nope.jsonl: no such file"), missing.err());
    }

    @Test
    void aTraceWithNothingToReplayExitsThree() {
        Run r = Run.of("# only a comment\n", "diff", "-", "--against-kernel", "6.1");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("<stdin>: no event to replay"), r.err());
    }
}
