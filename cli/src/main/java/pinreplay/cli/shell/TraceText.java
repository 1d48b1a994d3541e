package pinreplay.cli.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

import pinreplay.cli.OutputException;
import pinreplay.format.EventView;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;
import pinreplay.format.TraceFormatException;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.print.FtracePrinter;

/** The session's events as trace text: typed lines in, printed events and saved traces out. */
final class TraceText {
    /** The source name of typed events, and how they print in place of a line number. */
    static final String TYPED = "typed";

    private static final Pattern FTRACE_HEADER = Pattern.compile(
            "#\\s*|# tracer: .*|# entries-in-buffer/.*|#.*=>.*|#\\s+TASK-PID.*|#[\\s|/]*(delay)?\\s*");

    private TraceText() {
    }

    /**
     * Whether {@code line} is a native event typed directly: {@code NAME: key=value...}, or a whole
     * trace line with its {@code TASK-PID [CPU] TS:} context.
     */
    static boolean isEvent(String line) {
        String s = line.strip();
        int colon = s.indexOf(':');
        if (colon > 0 && Condition.eventType(s.substring(0, colon)) != null) {
            return true;
        }
        return TraceParser.hasContext(line);
    }

    /**
     * Whether a comment is part of the header ftrace writes at the top of a {@code trace} file
     * (kernel/trace/trace.c print_trace_header(), print_event_info()): {@code # tracer:}, the entry counts, the
     * column legend, bare {@code #} lines. {@code step} passes them silently; a trace's own comments are printed.
     */
    static boolean isFtraceHeader(String comment) {
        return FTRACE_HEADER.matcher(comment).matches();
    }

    /** The ftrace context a bare typed event gets: {@code comm-pid [cpu] seconds.nanoseconds: }. */
    static String context(String comm, int pid, int cpu, long ts) {
        return String.format(Locale.ROOT, "%s-%d [%03d] %d.%09d: ", comm, pid, cpu, ts / 1_000_000_000L,
                ts % 1_000_000_000L);
    }

    /** The parser's error for a typed line, without the {@code typed:1: } it names the line by. */
    static TraceFormatException typedError(TraceFormatException e) {
        String m = e.getMessage();
        String prefix = TYPED + ":1: ";
        return new TraceFormatException(m.startsWith(prefix) ? m.substring(prefix.length()) : m);
    }

    /** Nanoseconds as ftrace prints seconds, {@code 100.000100}. */
    static String seconds(long ns) {
        return String.format(Locale.ROOT, "%d.%06d", ns / 1_000_000_000L, ns % 1_000_000_000L / 1000);
    }

    /**
     * Writes every record of {@code log} (trace events up to the position and typed ones, in the order
     * applied) as ftrace text numbered from line 1: a trace that replays to the same state.
     */
    static void save(EventLog log, SymbolTable symbols, SymbolTable keys, Path file) {
        try (OutputStream os = Files.newOutputStream(file)) {
            FtracePrinter p = new FtracePrinter(os);
            byte[] scratch = new byte[Record.MAX_SIZE];
            EventView v = new EventView(symbols, keys);
            for (int i = 0; i < log.count(); i++) {
                System.arraycopy(log.data(), log.offset(i), scratch, 0, log.size(i));
                Record.putI32(scratch, Record.LINE, i + 1);
                p.onEvent(v.wrap(scratch, 0));
            }
            p.flush();
        } catch (IOException | UncheckedIOException e) {
            throw new OutputException(file + ": cannot write: " + e.getMessage());
        }
    }

    /** Record {@code i} of {@code log} as its trace line, after its source line ({@code typed} when none). */
    static String eventLine(EventLog log, int i, SymbolTable symbols, SymbolTable keys) {
        byte[] scratch = Arrays.copyOfRange(log.data(), log.offset(i), log.offset(i) + log.size(i));
        long line = Record.u32(scratch, Record.LINE);
        // Line 0: the printer fills no gap before it.
        Record.putI32(scratch, Record.LINE, 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FtracePrinter p = new FtracePrinter(bytes);
        p.onEvent(new EventView(symbols, keys).wrap(scratch, 0));
        p.flush();
        return (line == 0 ? TYPED : String.valueOf(line)) + ": " + bytes.toString(StandardCharsets.UTF_8).strip();
    }
}
