package pinreplay.format.parse;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

import pinreplay.format.EventType;

/** What one {@link TraceParser#parse} saw: counts by record type, unknown events by name, malformed lines. */
public final class ParseStats {
    /** Messages kept for the first malformed lines of a lenient parse. */
    public static final int MAX_PROBLEMS = 10;
    private static final byte[] TRACER = Bytes.ascii("# tracer: ");
    private static final byte[] ENTRIES = Bytes.ascii("# entries-in-buffer/entries-written: ");
    private static final byte[] CPUS = Bytes.ascii("#P:");

    /** A malformed line and its {@code FILE:LINE: expected ..., got ...} message. */
    public record Problem(long line, String message) {
    }

    long lines;
    final long[] byType = new long[256];
    long malformed;
    /** The line that ended the input without a newline (0: none): a copy cut short ends so. */
    long unterminated;
    String source;
    final List<Problem> problems = new ArrayList<>(MAX_PROBLEMS);
    final SortedMap<String, Long> unknown = new TreeMap<>();
    String tracer;
    int cpus = -1;
    long entriesInBuffer = -1;
    long entriesWritten = -1;

    ParseStats() {
    }

    /** The tracer name, {@code entries-in-buffer/entries-written} and {@code #P} of a trace file header. */
    void headerLine(byte[] buf, int from, int to) {
        if (Bytes.startsWith(buf, from, to, TRACER) && tracer == null) {
            tracer = new String(buf, from + TRACER.length, to - from - TRACER.length,
                    StandardCharsets.UTF_8).trim();
        } else if (Bytes.startsWith(buf, from, to, ENTRIES) && entriesInBuffer < 0) {
            int a = from + ENTRIES.length;
            int slash = Bytes.skipDigits(buf, a, to);
            int w = Bytes.skipDigits(buf, slash + 1, to);
            if (slash < to && buf[slash] == '/') {
                entriesInBuffer = Bytes.unsignedDec(buf, a, slash);
                entriesWritten = Bytes.unsignedDec(buf, slash + 1, w);
            }
            int p = Bytes.find(buf, w, to, CPUS);
            if (p >= 0) {
                long n = Bytes.unsignedDec(buf, p + CPUS.length, Bytes.skipDigits(buf, p + CPUS.length, to));
                cpus = (int) Math.min(n, Integer.MAX_VALUE);
            }
        }
    }

    /**
     * Events a {@code trace} file's header says are gone: {@code entries-written} less {@code entries-in-buffer} of a
     * {@code # entries-in-buffer/entries-written: N/M} line (overwritten by the ring buffer, or consumed by a
     * trace_pipe reader, before the file was read); 0 for any other line.
     */
    public static long overwritten(String line) {
        ParseStats s = new ParseStats();
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        s.headerLine(b, 0, b.length);
        return s.entriesInBuffer >= 0 && s.entriesWritten > s.entriesInBuffer ? s.entriesWritten - s.entriesInBuffer : 0;
    }

    /** {@code cpus=N} of a trace-cmd report preamble line. */
    void preambleLine(byte[] buf, int from, int to) {
        long n = MetaLines.cpus(buf, from, to);
        if (n >= 0 && cpus < 0) {
            cpus = (int) Math.min(n, Integer.MAX_VALUE);
        }
    }

    /**
     * Adds the counts of a chunk parsed apart, whose lines follow the {@code lineShift} lines already
     * counted here. Header facts are not taken from the chunk: the caller feeds its comment lines to
     * {@link #headerLine} and {@link #preambleLine} in input order.
     */
    void addChunk(ParseStats chunk, long lineShift, String source) {
        lines += chunk.lines;
        for (int i = 0; i < byType.length; i++) {
            byType[i] += chunk.byType[i];
        }
        malformed += chunk.malformed;
        if (chunk.unterminated > 0) {
            unterminated = chunk.unterminated + lineShift;
            this.source = source;
        }
        for (Problem p : chunk.problems) {
            if (problems.size() == MAX_PROBLEMS) {
                break;
            }
            String detail = p.message().substring((source + ":" + p.line() + ": ").length());
            long at = p.line() + lineShift;
            problems.add(new Problem(at, source + ":" + at + ": " + detail));
        }
        chunk.unknown.forEach((name, n) -> unknown.merge(name, n, Long::sum));
    }

    /** Lines read, blank and malformed ones included. */
    public long lines() {
        return lines;
    }

    /** Records written of type {@code t} (symbol definitions are not counted). */
    public long records(EventType t) {
        return byType[t.code()];
    }

    /** All records written. */
    public long records() {
        long n = 0;
        for (long c : byType) {
            n += c;
        }
        return n;
    }

    /** {@code #} lines and trace-cmd preamble lines. */
    public long comments() {
        return records(EventType.COMMENT);
    }

    /** Events the model does not use, by name, sorted by name. */
    public SortedMap<String, Long> unknownEvents() {
        return Collections.unmodifiableSortedMap(unknown);
    }

    /** Lines skipped as malformed (lenient parse). */
    public long malformed() {
        return malformed;
    }

    /** The first {@value #MAX_PROBLEMS} malformed lines, in input order. */
    public List<Problem> firstMalformed() {
        return Collections.unmodifiableList(problems);
    }

    /** Names the first skipped lines of a lenient parse on {@code err}, then how many more there were. */
    public void printSkipped(PrintWriter err) {
        for (Problem p : problems) {
            err.println("pinreplay: skipped " + p.message());
        }
        long more = malformed - problems.size();
        if (more > 0) {
            err.println("pinreplay: skipped " + more + " more malformed lines");
        }
        if (unterminated > 0) {
            err.println("pinreplay: warning: " + source + ":" + unterminated + ": the last line has no newline: the input"
                    + " may be cut short, and that line with it");
        }
    }

    /** The tracer named by {@code # tracer: NAME}. */
    public String tracer() {
        return tracer;
    }

    /** Online CPUs from the header's {@code #P:N} or trace-cmd's {@code cpus=N}. */
    public OptionalInt cpus() {
        return cpus < 0 ? OptionalInt.empty() : OptionalInt.of(cpus);
    }

    /** {@code entries-in-buffer} from the header. */
    public OptionalLong entriesInBuffer() {
        return entriesInBuffer < 0 ? OptionalLong.empty() : OptionalLong.of(entriesInBuffer);
    }

    /** {@code entries-written} from the header; more than in the buffer means events were overwritten. */
    public OptionalLong entriesWritten() {
        return entriesWritten < 0 ? OptionalLong.empty() : OptionalLong.of(entriesWritten);
    }

    /** A stable, human-readable summary (types in code order, names sorted). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("lines ").append(lines).append(", records ").append(records());
        for (EventType t : EventType.values()) {
            if (byType[t.code()] > 0) {
                sb.append("\n  ").append(t.eventName()).append(' ').append(byType[t.code()]);
            }
        }
        for (Map.Entry<String, Long> e : unknown.entrySet()) {
            sb.append("\n  unknown event ").append(e.getKey()).append(' ').append(e.getValue());
        }
        if (tracer != null) {
            sb.append("\n  tracer ").append(tracer);
        }
        if (cpus >= 0) {
            sb.append("\n  cpus ").append(cpus);
        }
        if (entriesInBuffer >= 0) {
            sb.append("\n  entries ").append(entriesInBuffer).append('/').append(entriesWritten);
        }
        if (malformed > 0) {
            sb.append("\n  malformed ").append(malformed);
            for (Problem p : problems) {
                sb.append("\n    ").append(p.message());
            }
        }
        return sb.toString();
    }
}
