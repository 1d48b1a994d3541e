package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueMetadata;

/**
 * watch against a queue the test writes event by event: each violation is printed once, in order, before the next
 * event is written (the writer flushes after each event, as ingest does when its input is idle).
 */
class WatchCommandTest {
    @TempDir
    Path tmp;

    /** The three seeds' races in one live trace (kernel 6.1): the violations come at lines 8, 11 and 17. */
    private static final List<String> LIVE = List.of(
            "          dbtool-3100    [002] .....   200.000000: file: ino=20 fs=ext4 dax=1 size=0x200000",
            "          dbtool-3100    [002] .....   200.000010: mmap: addr=0x7f1000000000 len=0x200000 prot=rw flags=shared ino=20 pgoff=0",
            "          dbtool-3100    [002] .....   200.000020: fault: addr=0x7f1000000000 len=0x10000 write=1",
            "          dbtool-3100    [002] .....   200.000030: file: ino=30 fs=xfs dax=0 size=0x100000",
            "          dbtool-3100    [002] .....   200.000100: dio_submit: handle=dio0 ino=30 offset=0 len=0x10000 buf=0x7f1000000000 rw=read",
            "          dbtool-3100    [002] .....   200.000150: munmap: addr=0x7f1000000000 len=0x200000",
            "         cleanup-3200    [000] .....   200.000160: ftruncate: ino=20 size=0",
            "          <idle>-0       [002] d.h1.   200.004200: dio_complete: handle=dio0",
            "        qemu-kvm-6100    [000] .....   400.000000: mmap: addr=0x7f3000000000 len=0x100000 prot=rw flags=shared ino=50 pgoff=0 pfnmap=1",
            "        qemu-kvm-6100    [000] .....   400.000100: vfio_dma_map: handle=bar0 vaddr=0x7f3000000000 iova=0x100000000 size=0x100000 prot=rw",
            "        qemu-kvm-6100    [000] .....   400.000200: munmap: addr=0x7f3000000000 len=0x100000",
            "        qemu-kvm-8100    [001] .....   500.000000: file: ino=60 fs=ext4 size=0x100000",
            "        qemu-kvm-8100    [001] .....   500.000010: mmap: addr=0x7f4000000000 len=0x100000 prot=rw flags=shared ino=60 pgoff=0",
            "        qemu-kvm-8100    [001] .....   500.000020: fault: addr=0x7f4000000000 len=0x1000 write=1",
            "        qemu-kvm-8100    [001] .....   500.000200: pin_user_pages_fast: start=0x7f4000000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=aif",
            "    kworker/u8:2-120     [000] .....   500.100000: writeback: ino=60",
            "        qemu-kvm-8100    [001] d.h1.   500.500000: dma_write: handle=aif offset=0 len=0x1000",
            "        qemu-kvm-8100    [001] .....   501.000000: unpin_user_pages: handle=aif dirty=1");
    private static final List<String> EXPECTED = List.of("line 8 ", "violation dma-after-free [dio0] at dio_complete",
            "line 11 ", "violation iommu-outlives-mapping [bar0] at munmap",
            "line 17 ", "violation write-to-clean-folio [aif] at dma_write");

    /** Writes LIVE's line {@code n} (1-based) with its line number, then flushes the partial block. */
    private static void write(EventWriter w, int n) {
        String text = "\n".repeat(n - 1) + LIVE.get(n - 1) + "\n";
        try {
            new TraceParser("live.txt", w, false).parse(Channels.newChannel(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w.flush();
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList()); // synchronized
    }

    /** Polls (no fixed sleep) until the watch printed {@code n} lines, failing if it ended or 30 s went by. */
    private static void awaitLines(ByteArrayOutputStream out, int n, CompletableFuture<Run> watch) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines(out).size() < n) {
            assertFalse(watch.isDone(), () -> "watch ended early: " + watch.join());
            assertTrue(System.nanoTime() < deadline, "no report within 30 s; got " + lines(out));
            Thread.sleep(5);
        }
    }

    private static CompletableFuture<Run> watch(ByteArrayOutputStream out, Path q, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "watch";
        args[1] = q.toString();
        args[2] = "--kernel";
        args[3] = "6.1";
        System.arraycopy(more, 0, args, 4, more.length);
        return CompletableFuture.supplyAsync(() -> Run.of("", out, args));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
    void eachViolationIsReportedOnceInOrderBeforeTheNextEvent() throws Exception {
        Path q = tmp.resolve("q");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Run> watch = watch(out, q);
        try (EventQueue queue = EventQueue.create(q, new QueueMetadata().source("live.txt"), false)) {
            EventWriter w = new EventWriter(queue.appender());
            int reported = 0;
            for (int n = 1; n <= LIVE.size(); n++) {
                write(w, n);
                if (n == 8 || n == 11 || n == 17) {
                    awaitLines(out, ++reported, watch);
                }
                // before the next event: exactly the violations so far, each once
                assertEquals(reported, lines(out).size(), () -> lines(out).toString());
            }
            w.finish();
        }
        Run r = watch.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        List<String> got = lines(out);
        assertEquals(3, got.size(), got.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(got.get(i).startsWith(EXPECTED.get(2 * i)) && got.get(i).contains(EXPECTED.get(2 * i + 1)),
                    got.get(i));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void exitOnEndsAtTheFirstViolationWhileTheWriterGoesOn() throws Exception {
        Path q = tmp.resolve("q");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventQueue queue = EventQueue.create(q, new QueueMetadata().source("live.txt"), false)) {
            EventWriter w = new EventWriter(queue.appender());
            CompletableFuture<Run> watch = watch(out, q, "--exit-on", "violation", "--format", "jsonl");
            for (int n = 1; n <= 8; n++) {
                write(w, n);
            }
            Run r = watch.get(60, TimeUnit.SECONDS);
            assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
            assertEquals(1, lines(out).size());
            assertTrue(lines(out).get(0).startsWith("{\"line\":8,") && lines(out).get(0).contains(
                    "\"violation\":\"dma-after-free\""), lines(out).toString());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWriterThatDiesIsTakenUpByTheNextWithoutRepeatingAFinding() throws Exception {
        Path q = tmp.resolve("q");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Run> watch = watch(out, q);
        try (EventQueue queue = EventQueue.create(q, new QueueMetadata().source("live.txt"), false)) {
            EventWriter w = new EventWriter(queue.appender());
            for (int n = 1; n <= 11; n++) {
                write(w, n);
            }
            awaitLines(out, 2, watch);
        } // closed without finishing: the writer is gone
        // the next writer (ingest --resume) rewrites the queue from the start and goes on
        try (EventQueue queue = EventQueue.replacing(q, new QueueMetadata().source("live.txt"),
                EventQueue.DEFAULT_CHRONICLE_BLOCK_SIZE)) {
            EventWriter w = new EventWriter(queue.appender());
            for (int n = 1; n <= LIVE.size(); n++) {
                write(w, n);
            }
            w.finish();
            queue.commit();
        }
        Run r = watch.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.FINDINGS, r.code(), r.err());
        assertTrue(r.err().contains("after 11 event(s)"), r.err());
        List<String> got = lines(out);
        assertEquals(3, got.size(), got.toString());
        assertTrue(got.get(2).contains("write-to-clean-folio"), got.toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anIngestThatStoppedEarlyEndsTheWatchWithExit3AfterItsFindings() throws Exception {
        Path trace = tmp.resolve("live.txt");
        java.nio.file.Files.writeString(trace, String.join("\n", LIVE.subList(0, 8)) + "\nthis line is not ftrace\n"
                + String.join("\n", LIVE.subList(8, LIVE.size())) + "\n");
        Path q = tmp.resolve("q");
        Run ingest = Run.of("", "ingest", trace.toString(), "--queue", q.toString());
        assertEquals(ExitCodes.BAD_INPUT, ingest.code(), ingest.err());

        Run r = Run.of("", "watch", q.toString(), "--kernel", "6.1");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err()); // the events after line 9 were never seen
        assertTrue(r.out().startsWith("line 8 ") && r.out().contains("dma-after-free"), r.out());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.err().contains("the ingest stopped early") && r.err().contains("up to line 8"), r.err());

        Run allowed = Run.of("", "watch", q.toString(), "--kernel", "6.1", "--allow-incomplete");
        assertEquals(ExitCodes.FINDINGS, allowed.code(), allowed.err());
        assertEquals(r.out(), allowed.out());
        assertTrue(allowed.err().contains("the ingest stopped early"), allowed.err());
    }
}
