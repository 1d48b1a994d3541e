package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventType;
import pinreplay.format.queue.QueueMetadata;

class IngestCommandTest {
    static final String TRACE = """
            # tracer: nop
            #
                    qemu-kvm-4242    [001] .....   100.000100: vfio_dma_map: handle=vfio0 vaddr=0x7f0000000000 iova=0x0 size=0x40000000 prot=rw
                    qemu-kvm-4242    [001] .....   100.000200: dma_write: handle=vfio0 iova=0x1000 len=4096
                    qemu-kvm-4242    [000] ...1.   100.000300: mmap_lock_start_locking: mm=000000006515cb1f memcg_path=/ write=false
                    qemu-kvm-4242    [000] ...1.   100.000400: ext4_da_write_begin: dev 253,0 ino 12 pos 0 len 4096

                         fio-5150    [002] .....   100.000500: pin_user_pages_fast: start=0x7e0000000000 nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p0 ret=16
                         fio-5150    [002] .....   100.000600: unpin_user_pages: handle=p0 dirty=1
            """;
    static final String BAD_LINE_4 = """
                    qemu-kvm-4242    [001] .....   100.000100: vfio_dma_map: handle=a vaddr=0x1000 iova=0x0 size=0x1000
                    qemu-kvm-4242    [001] .....   100.000200: dma_write: handle=a iova=0x0 len=64
                    qemu-kvm-4242    [001] .....   100.000300: dma_write: handle=a iova=0x40 len=64
                    qemu-kvm-4242    [001] .....   100.000400: vfio_dma_map: handle=b vaddr=zzz iova=0x0 size=0x1000
                    qemu-kvm-4242    [001] .....   100.000500: dma_write: handle=a iova=0x80 len=64
            """;

    @TempDir
    Path tmp;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void ingestStoresEveryLineAndCountsThemInTheMetadata() throws IOException {
        Path q = tmp.resolve("q");
        Run r = Run.of("", "ingest", file("trace.txt", TRACE).toString(), "--queue", q.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "quiet when stderr is not a terminal and -v is not given");
        QueueMetadata m = QueueMetadata.load(q);
        assertEquals(QueueMetadata.State.COMPLETE, m.state());
        assertEquals(tmp.resolve("trace.txt").toString(), m.source());
        assertTrue(m.createdBy().startsWith("pinreplay "), m.createdBy());
        assertEquals(9, m.lines());
        assertEquals(1, m.count(EventType.VFIO_DMA_MAP));
        assertEquals(1, m.count(EventType.PIN_USER_PAGES_FAST));
        assertEquals(1, m.count(EventType.UNKNOWN));
        assertEquals(2, m.count(EventType.COMMENT));
        assertEquals(8, m.records());
    }

    @Test
    void verboseIngestPrintsOneSummaryLine() throws IOException {
        Run r = Run.of("", "ingest", file("trace.txt", TRACE).toString(), "--queue", tmp.resolve("q").toString(), "-v");
        assertEquals(0, r.code());
        assertTrue(Pattern.matches("pinreplay: ingested 6 events \\(1 unknown, 0 skipped\\) from .*trace\\.txt into .*q"
                + " in \\d+\\.\\d\\d s\\R", r.err()), r.err());
    }

    /** The queue file's bytes, the metadata file, exit code and stderr of one ingest. */
    private String ingestWithThreads(Path trace, String threads, String... more) throws IOException {
        Path q = tmp.resolve("q" + threads + more.length);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "ingest", trace.toString(), "--queue", q.toString(), "--threads", threads));
        args.addAll(java.util.List.of(more));
        Run r = Run.of("", args.toArray(new String[0]));
        StringBuilder sb = new StringBuilder().append(r.code()).append('\n').append(r.err()).append('\n');
        try (java.util.stream.Stream<Path> files = Files.list(q)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().endsWith(".cq4") || f.getFileName().toString().endsWith(".properties")) {
                    sb.append(f.getFileName()).append(' ').append(java.util.Arrays.hashCode(Files.readAllBytes(f)))
                            .append(' ').append(Files.size(f)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    @Test
    void parallelIngestWritesTheQueueOfASerialOneWithTheSameErrors() throws IOException {
        String body = TRACE.substring(TRACE.indexOf("        qemu"));
        StringBuilder big = new StringBuilder(TRACE);
        for (int i = 0; i < 30_000; i++) {
            big.append(body);
            if (i == 20_000 || i == 25_000) {
                big.append("hello world\n");
            }
        }
        Path trace = file("big.txt", big.toString());
        assertTrue(Files.size(trace) > 3 * pinreplay.format.parse.ParallelParser.DEFAULT_CHUNK);
        String strict = ingestWithThreads(trace, "1");
        assertTrue(strict.startsWith("3\n") && strict.contains("big.txt:140017: expected an event line"), strict);
        assertEquals(strict.replace(tmp.resolve("q10").toString(), "Q"),
                ingestWithThreads(trace, "2").replace(tmp.resolve("q20").toString(), "Q"));
        String lenient = ingestWithThreads(trace, "1", "--lenient");
        assertTrue(lenient.contains("big.txt:175018: expected an event line"), lenient);
        assertEquals(lenient.replace(tmp.resolve("q11").toString(), "Q"),
                ingestWithThreads(trace, "3", "--lenient").replace(tmp.resolve("q31").toString(), "Q"));
    }

    @Test
    void ingestReadsStandardInputForDash() {
        Path q = tmp.resolve("q");
        Run r = Run.of(TRACE, "ingest", "-", "--queue", q.toString());
        assertEquals(0, r.code(), r.err());
        QueueMetadata m = QueueMetadata.load(q);
        assertEquals("<stdin>", m.source());
        assertEquals(1, m.count(EventType.DMA_WRITE));
    }

    @Test
    void malformedLineStopsTheIngestWithExit3AndKeepsTheEventsBeforeIt() throws IOException {
        Path q = tmp.resolve("q");
        Path bad = file("bad.txt", BAD_LINE_4);
        Run r = Run.of("", "ingest", bad.toString(), "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("pinreplay: " + bad + ":4: expected a number for vaddr, got \"zzz\"\n", r.err());

        Run cat = Run.of("", "cat", "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, cat.code(), "a prefix is not the whole trace");
        assertEquals(BAD_LINE_4.lines().limit(3).map(l -> l + "\n").reduce("", String::concat), cat.out());
        assertEquals("pinreplay: " + q + ": the ingest stopped early: " + bad + ":4: expected a number for vaddr,"
                + " got \"zzz\"; the queue holds its first 1 block, 3 records up to line 3\n", cat.err());
        Run allowed = Run.of("", "cat", "--queue", q.toString(), "--allow-incomplete");
        assertEquals(ExitCodes.OK, allowed.code());
        assertEquals(cat.out(), allowed.out());
        assertEquals(cat.err(), allowed.err());
        QueueMetadata m = QueueMetadata.load(q);
        assertEquals(QueueMetadata.State.STOPPED, m.state());
        assertEquals(2, m.count(EventType.DMA_WRITE));
    }

    @Test
    void lenientIngestSkipsMalformedLinesAndReportsThem() throws IOException {
        Path q = tmp.resolve("q");
        Path bad = file("bad.txt", BAD_LINE_4);
        Run r = Run.of("", "ingest", bad.toString(), "--queue", q.toString(), "--lenient");
        assertEquals(0, r.code());
        assertEquals("pinreplay: skipped " + bad + ":4: expected a number for vaddr, got \"zzz\"\n", r.err());
        QueueMetadata m = QueueMetadata.load(q);
        assertEquals(QueueMetadata.State.COMPLETE, m.state());
        assertEquals(1, m.malformed());
        assertEquals(3, m.count(EventType.DMA_WRITE));
    }

    @Test
    void existingQueueIsRefusedWithExit4UnlessForced() throws IOException {
        Path q = tmp.resolve("q");
        String trace = file("trace.txt", TRACE).toString();
        assertEquals(0, Run.of("", "ingest", trace, "--queue", q.toString()).code());
        Run again = Run.of("", "ingest", trace, "--queue", q.toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, again.code());
        assertEquals("pinreplay: " + q + ": already holds a queue (use --force to replace it)\n", again.err());

        Run forced = Run.of("", "ingest", file("bad.txt", BAD_LINE_4).toString(), "--queue", q.toString(),
                "--force", "--lenient");
        assertEquals(0, forced.code(), forced.err());
        assertEquals(3, QueueMetadata.load(q).count(EventType.DMA_WRITE), "the new trace replaced the old");
    }

    @Test
    void missingInputExits3WithoutCreatingTheQueue() {
        Path q = tmp.resolve("q");
        Run r = Run.of("", "ingest", tmp.resolve("nosuch.txt").toString(), "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("pinreplay: " + tmp.resolve("nosuch.txt") + ": no such file\n", r.err());
        assertFalse(Files.exists(q));
    }

    @Test
    void unwritableQueueLocationExits4() throws IOException {
        Path notADir = file("plain", "x");
        Run r = Run.of("", "ingest", file("trace.txt", TRACE).toString(), "--queue", notADir.resolve("q").toString());
        assertEquals(ExitCodes.OUTPUT_ERROR, r.code());
        assertTrue(r.err().startsWith("pinreplay: " + notADir.resolve("q") + ": cannot create the queue directory: "),
                r.err());
    }
    @Test
    void crOnlyLineEndsAreRefusedNamingTheFile() throws IOException {
        Path mac = file("mac.txt", TRACE.replace("\n", "\r"));
        Run r = Run.of("", "ingest", mac.toString(), "--queue", tmp.resolve("q").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("pinreplay: " + mac + ":1: expected lines ending in \\n or \\r\\n (this file ends them with a"
                + " carriage return alone: convert it with tr '\\r' '\\n'), got \"# tracer: nop?\"\n", r.err());
    }

    @Test
    void timestampsGoingBackOnOneCpuAreStoredButNeverSilently() throws IOException {
        String back = TRACE.replace("100.000200: dma_write", "099.000200: dma_write");
        Path q = tmp.resolve("q");
        Path trace = file("back.txt", back);
        Run r = Run.of("", "ingest", trace.toString(), "--queue", q.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("pinreplay: warning: timestamps go back in time 1 times on one CPU (first at " + trace + ":4);"
                + " events are replayed in file order\n", r.err());
        QueueMetadata m = QueueMetadata.load(q);
        assertEquals(1, m.backwards());
        assertEquals(4, m.firstBackwardsLine());
        assertEquals(0, Run.of("", "ingest", file("t.txt", TRACE).toString(), "--queue", tmp.resolve("ok").toString())
                .err().length(), "in order: nothing to say");
    }

    @Test
    void replayOfAStoppedQueueSaysHowFarItGoesAndExits3UnlessAllowed() throws IOException {
        Path q = tmp.resolve("q");
        Path bad = file("bad.txt", BAD_LINE_4);
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "ingest", bad.toString(), "--queue", q.toString()).code());
        String says = "pinreplay: " + q + ": the ingest stopped early: " + bad + ":4: expected a number for vaddr, got"
                + " \"zzz\"; the queue holds its first 1 block, 3 records up to line 3\n";
        Run strict = Run.of("", "replay", "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, strict.code());
        assertTrue(strict.err().endsWith(says), strict.err());
        Run allowed = Run.of("", "replay", "--queue", q.toString(), "--allow-incomplete");
        assertTrue(allowed.code() != ExitCodes.BAD_INPUT, allowed.err());
        assertTrue(allowed.err().contains(says), allowed.err());
    }
}
