package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventType;
import pinreplay.format.queue.QueueMetadata;

/** {@code ingest --force} replaces a queue only when the new one is done; {@code --resume} finishes a stopped one. */
class ForceAndResumeTest {
    @TempDir
    Path tmp;

    private List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path queue(String name, String trace) throws IOException {
        Path q = tmp.resolve(name);
        Run r = Run.of("", "ingest", Files.writeString(tmp.resolve(name + ".txt"), trace).toString(), "--queue", q.toString());
        assertEquals(0, r.code(), r.err());
        return q;
    }

    @Test
    void forceWithAFailingInputKeepsTheOldQueue() throws IOException {
        Path q = queue("q", IngestCommandTest.TRACE);
        String before = Run.of("", "cat", "--queue", q.toString()).out();
        Path bad = Files.writeString(tmp.resolve("bad.txt"), IngestCommandTest.BAD_LINE_4);
        Run forced = Run.of("", "ingest", bad.toString(), "--queue", q.toString(), "--force");
        assertEquals(ExitCodes.BAD_INPUT, forced.code());
        assertEquals("pinreplay: " + bad + ":4: expected a number for vaddr, got \"zzz\"\n", forced.err());
        Run after = Run.of("", "cat", "--queue", q.toString());
        assertEquals(0, after.code(), after.err());
        assertEquals(before, after.out(), "the old queue, whole");
        assertEquals(List.of("bad.txt", "q", "q.txt"), entries(), "no half-built queue left beside it");
    }

    @Test
    void forceReplacesTheQueueOnceTheNewOneIsComplete() throws IOException {
        Path q = queue("q", IngestCommandTest.TRACE);
        Path other = Files.writeString(tmp.resolve("other.txt"), IngestCommandTest.BAD_LINE_4.lines().limit(3)
                .map(l -> l + "\n").reduce("", String::concat));
        Run forced = Run.of("", "ingest", other.toString(), "--queue", q.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertEquals(2, QueueMetadata.load(q).count(EventType.DMA_WRITE));
        assertEquals(List.of("other.txt", "q", "q.txt"), entries());
    }

    @Test
    void aQueueThatIsASymbolicLinkIsRefusedAndItsTargetKept() throws IOException {
        Path real = queue("real", IngestCommandTest.TRACE);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        Path other = Files.writeString(tmp.resolve("other.txt"), IngestCommandTest.TRACE.replace("vfio0", "vfio9"));
        for (String force : List.of("--lenient", "--force")) {
            Run r = Run.of("", "ingest", other.toString(), "--queue", link.toString(), force);
            assertEquals(ExitCodes.OUTPUT_ERROR, r.code(), force);
            assertEquals("pinreplay: " + link + ": is a symbolic link; a queue is written only into a directory of its"
                    + " own (give the directory itself, not a link to it)\n", r.err());
        }
        assertTrue(Run.of("", "cat", "--queue", real.toString()).out().contains("vfio0"), "the target is untouched");
        assertTrue(Files.isSymbolicLink(link));
    }

    /** A trace of several MiB (several checkpoints) with a malformed line in its middle. */
    private String bigTrace(boolean broken) throws IOException {
        Path t = tmp.resolve("synth.txt");
        assertEquals(0, Run.of("", "synth", "mixed", "--seed", "4", "--events", "60000", "-o", t.toString()).code());
        List<String> lines = Files.readAllLines(t);
        Files.delete(t);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(broken && i == 40_000 ? lines.get(i).replace(": ", ":: ").replace("[0", "[x") : lines.get(i))
                    .append('\n');
        }
        return sb.toString();
    }

    @Test
    void resumeAfterTheMalformedLineIsFixedWritesTheQueueOfTheFixedFile() throws IOException {
        Path trace = Files.writeString(tmp.resolve("t.txt"), bigTrace(true));
        Path q = tmp.resolve("q");
        Run stopped = Run.of("", "ingest", trace.toString(), "--queue", q.toString(), "--threads", "2");
        assertEquals(ExitCodes.BAD_INPUT, stopped.code());
        assertTrue(stopped.err().startsWith("pinreplay: " + trace + ":40001: expected "), stopped.err());

        Files.writeString(trace, bigTrace(false)); // fixed in place
        Run resumed = Run.of("", "ingest", trace.toString(), "--queue", q.toString(), "--resume", "-v");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().startsWith("pinreplay: resuming " + q + " at " + trace + ":"), resumed.err());
        long resumedAt = Long.parseLong(resumed.err().replaceAll("(?s).* at " + java.util.regex.Pattern.quote(trace.toString())
                + ":(\\d+) .*", "$1"));
        assertTrue(resumedAt > 10_000 && resumedAt <= 40_001, "from a checkpoint before the bad line: " + resumedAt);

        Path fresh = tmp.resolve("fresh");
        assertEquals(0, Run.of("", "ingest", trace.toString(), "--queue", fresh.toString()).code());
        assertEquals(Files.readString(fresh.resolve(QueueMetadata.FILE_NAME)), Files.readString(q.resolve(QueueMetadata.FILE_NAME)));
        assertEquals(Run.of("", "cat", "--queue", fresh.toString(), "--format", "jsonl").out(),
                Run.of("", "cat", "--queue", q.toString(), "--format", "jsonl").out());
        assertEquals(List.of("fresh", "q", "t.txt"), entries());
    }

    @Test
    void resumeRefusesAnotherInputAndLeavesTheQueueAsItWas() throws IOException {
        Path trace = Files.writeString(tmp.resolve("t.txt"), bigTrace(true));
        Path q = tmp.resolve("q");
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "ingest", trace.toString(), "--queue", q.toString()).code());
        String before = Files.readString(q.resolve(QueueMetadata.FILE_NAME));
        Path other = Files.writeString(tmp.resolve("other.txt"), bigTrace(false).replace("qemu", "QEMU"));
        Run r = Run.of("", "ingest", other.toString(), "--queue", q.toString(), "--resume");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().matches("pinreplay: " + other + ": is not the input the interrupted ingest read: it differs"
                + " before byte \\d+ \\(line \\d+\\); ingest --force starts over\\n"), r.err());
        assertEquals(before, Files.readString(q.resolve(QueueMetadata.FILE_NAME)));
        assertEquals(List.of("other.txt", "q", "t.txt"), entries());
    }

    @Test
    void resumeSaysWhatItCannotDo() throws IOException {
        Path q = queue("q", IngestCommandTest.TRACE);
        Run done = Run.of("", "ingest", tmp.resolve("q.txt").toString(), "--queue", q.toString(), "--resume");
        assertEquals(0, done.code());
        assertEquals("pinreplay: " + q + ": already complete; nothing to resume\n", done.err());

        Run stdin = Run.of(IngestCommandTest.TRACE, "ingest", "-", "--queue", q.toString(), "--resume");
        assertEquals(ExitCodes.USAGE, stdin.code());
        assertTrue(stdin.err().startsWith("pinreplay ingest: --resume needs the trace FILE: standard input cannot be"
                + " read again"), stdin.err());

        Path piped = tmp.resolve("piped");
        Path bad = Files.writeString(tmp.resolve("bad.txt"), IngestCommandTest.BAD_LINE_4);
        assertEquals(ExitCodes.BAD_INPUT, Run.of(IngestCommandTest.BAD_LINE_4, "ingest", "-", "--queue", piped.toString()).code());
        Run fromStdin = Run.of("", "ingest", bad.toString(), "--queue", piped.toString(), "--resume");
        assertEquals(ExitCodes.BAD_INPUT, fromStdin.code());
        assertEquals("pinreplay: " + piped + ": was ingested from standard input, which cannot be read again; ingest"
                + " FILE --queue " + piped + " --force starts over\n", fromStdin.err());

        Path strict = tmp.resolve("strict");
        assertEquals(ExitCodes.BAD_INPUT, Run.of("", "ingest", bad.toString(), "--queue", strict.toString()).code());
        Run lenient = Run.of("", "ingest", bad.toString(), "--queue", strict.toString(), "--resume", "--lenient");
        assertEquals(ExitCodes.USAGE, lenient.code());
        assertTrue(lenient.err().startsWith("pinreplay ingest: --lenient: " + strict + " was ingested strictly;"),
                lenient.err());

        Run both = Run.of("", "ingest", bad.toString(), "--queue", strict.toString(), "--resume", "--force");
        assertEquals(ExitCodes.USAGE, both.code());
    }
}
