package pinreplay.format.parse;

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

    /** A malformed line and its {@code FILE:LINE: expected ..., got ...} message. */
    public record Problem(long line, String message) {
    }

    long lines;
    final long[] byType = new long[256];
    long malformed;
    final List<Problem> problems = new ArrayList<>(MAX_PROBLEMS);
    final SortedMap<String, Long> unknown = new TreeMap<>();
    String tracer;
    int cpus = -1;
    long entriesInBuffer = -1;
    long entriesWritten = -1;

    ParseStats() {
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
