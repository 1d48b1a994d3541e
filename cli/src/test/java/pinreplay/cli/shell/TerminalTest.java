package pinreplay.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.cli.ExitCodes;
import pinreplay.cli.Main;
import pinreplay.replay.run.TraceSource;

/** The interactive side on JLine terminals built over byte streams: completion, the prompt loop, colour. */
class TerminalTest {
    private static final String VFIO = Path.of("..", "traces", "qemu-vfio-fsdax.txt").toString();

    private static Terminal dumb(String input, ByteArrayOutputStream out) throws IOException {
        return new DumbTerminal(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
    }

    private static List<String> complete(LineReader r, Completers c, String line) {
        ParsedLine parsed = r.getParser().parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> found = new ArrayList<>();
        c.complete(r, parsed, found);
        return found.stream().map(Candidate::value).toList();
    }

    @Test
    void completionOffersCommandsEventsAndLiveState(@TempDir Path dir) throws IOException {
        Harness h = new Harness("4.14");
        h.run("load " + VFIO);
        h.run("step 3");
        try (Terminal t = dumb("", new ByteArrayOutputStream())) {
            Completers c = new Completers(h.session, h.dispatcher);
            LineReader r = Repl.reader(t, c, dir.resolve("history"));
            List<String> first = complete(r, c, "");
            for (String w : new String[] {"step", "run", "back", "show", "replay", "profiles", "help", "exit",
                    "vfio_dma_map:", "pin_user_pages:"}) {
                assertTrue(first.contains(w), w + " in " + first);
            }
            assertFalse(first.contains("shell"), first.toString());
            assertEquals(StateView.SUBJECTS, complete(r, c, "show "));
            assertEquals(List.of("12"), complete(r, c, "show file "));
            assertEquals(List.of("4242"), complete(r, c, "show page 0x7f0000000000 "));
            assertEquals(List.of("handle=vfio0"), complete(r, c, "dma_write: handle="));
            List<String> fields = complete(r, c, "dma_write: handle=vfio0 ");
            assertTrue(fields.contains("iova=") && fields.contains("len="), fields.toString());
            assertFalse(fields.contains("handle="), fields.toString());
            assertEquals(List.of("fs=ext4", "fs=xfs", "fs=btrfs", "fs=tmpfs", "fs=hugetlbfs", "fs=devdax", "fs=other"),
                    complete(r, c, "file: ino=9 fs="));
            assertTrue(complete(r, c, "set kernel ").containsAll(List.of("4.14", "6.15")));
            assertTrue(complete(r, c, "set policy ").contains("longterm-fsdax=allow"));
            assertEquals(pinreplay.inject.Injectors.NAMES, complete(r, c, "inject add "));
            List<String> keys = complete(r, c, "inject add mmap-unlock:fail-nth=1,");
            assertTrue(keys.contains("mmap-unlock:fail-nth=1,race=") && keys.contains("mmap-unlock:fail-nth=1,verbose="),
                    keys.toString());
            assertFalse(keys.contains("mmap-unlock:fail-nth=1,fail-nth="), "a key given already: " + keys);
            assertFalse(keys.contains("mmap-unlock:fail-nth=1,size="), "truncate's key: " + keys);
            assertEquals(List.of("mmap-unlock:race=none", "mmap-unlock:race=munmap", "mmap-unlock:race=mprotect",
                    "mmap-unlock:race=remap"), complete(r, c, "inject add mmap-unlock:race="));
            assertTrue(complete(r, c, "break event ").contains("ftruncate"));
            assertEquals(List.of("until"), complete(r, c, "run "));
            assertEquals(Condition.WORDS, complete(r, c, "run until "));
            assertTrue(complete(r, c, "replay --ker").contains("--kernel="), complete(r, c, "replay --ker").toString());
            assertTrue(complete(r, c, "step --he").contains("--help"));
        }
    }

    @Test
    void completionOffersAliasesWatchTargetsAndConditionKeysWithDescriptions(@TempDir Path dir) throws IOException {
        Harness h = new Harness("4.14");
        h.run("load " + VFIO);
        h.run("step 3");
        try (Terminal t = dumb("", new ByteArrayOutputStream())) {
            Completers c = new Completers(h.session, h.dispatcher);
            LineReader r = Repl.reader(t, c, dir.resolve("history"));
            List<Candidate> first = candidates(r, c, "");
            for (String w : new String[] {"s", "n", "c", "b", "d", "i", "p", "bt", "l", "rs", "rc", "q", "watch",
                    "info", "where", "list", "reverse-continue"}) {
                assertTrue(first.stream().anyMatch(x -> x.value().equals(w)), w);
            }
            assertEquals("step", first.stream().filter(x -> x.value().equals("s")).findFirst().orElseThrow().descr());
            assertEquals(Watch.TARGETS, complete(r, c, "watch "));
            assertTrue(candidates(r, c, "watch ").stream().allMatch(x -> x.descr() != null));
            assertTrue(candidates(r, c, "show ").stream().allMatch(x -> x.descr() != null));
            assertEquals(List.of("vfio0"), complete(r, c, "watch handle "));
            assertEquals(List.of("12"), complete(r, c, "watch inode "));
            assertEquals(List.of("0x7f0000000000-0x7f0040000000"), complete(r, c, "watch range "));
            assertTrue(complete(r, c, "info ").containsAll(List.of("breakpoints", "watchpoints", "injectors", "pins")));
            List<String> keys = complete(r, c, "b event dma_write ");
            assertTrue(keys.containsAll(List.of("if", "handle=", "iova=", "pid=", "comm=")), keys.toString());
            assertFalse(complete(r, c, "break event dma_write handle=vfio0 ").contains("handle="));
            assertEquals(List.of("handle=vfio0"), complete(r, c, "break event dma_write if handle="));
            assertEquals(List.of("until"), complete(r, c, "back "));
            assertEquals(Condition.WORDS, complete(r, c, "back until "));
            assertTrue(complete(r, c, "c until event ").contains("vfio_dma_map"));
        }
    }

    private static List<Candidate> candidates(LineReader r, Completers c, String line) {
        ParsedLine parsed = r.getParser().parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> found = new ArrayList<>();
        c.complete(r, parsed, found);
        return found;
    }

    @Test
    void theLoopShowsThePositionInThePromptAndKeepsHistory(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Terminal t = dumb("step 3\nshow handles\nnosuch\n", bytes)) {
            assertFalse(Repl.colour(t, null), "a dumb terminal has no colour");
            ShellOut out = new ShellOut(t.writer(), false);
            Session s = new Session(out);
            s.configure("4.14", List.of(), 0, List.of());
            s.load(TraceSource.text(VFIO, null));
            Dispatcher d = new Dispatcher(s, Main.commandLine(new ByteArrayInputStream(new byte[0]),
                    new ByteArrayOutputStream()), t.writer());
            Path history = dir.resolve("history");
            // The input ends without 'exit': end of input (Ctrl-D) leaves.
            int code = Repl.run(t, Repl.reader(t, new Completers(s, d), history), d, s, false);
            assertEquals(ExitCodes.OK, code);
            String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("pinreplay[4.14]> "), text);
            assertTrue(text.contains("pinreplay[4.14] line 17 100.000100> "), text);
            assertTrue(text.contains("vfio0            vfio     mm 1"), text);
            assertTrue(text.contains("expected a command ('help' lists them)"), text);
            assertFalse(text.contains("\u001b["), "no escape codes on a dumb terminal");
            assertEquals(List.of("step 3", "show handles", "nosuch"), Files.readAllLines(history).stream()
                    .map(l -> l.substring(l.indexOf(':') + 1)).toList());
        }
    }

    @Test
    void colourOnlyOnACapableTerminalWithoutNoColor() throws IOException {
        try (Terminal t = new DumbTerminal("test", "xterm-256color", new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
            assertTrue(Repl.colour(t, null));
            assertTrue(Repl.colour(t, ""));
            assertFalse(Repl.colour(t, "1"));
        }
        StringWriter w = new StringWriter();
        new ShellOut(new PrintWriter(w, true), true).alert("!! violation");
        assertEquals("\u001b[31m!! violation\u001b[0m" + System.lineSeparator(), w.toString());
    }
}
