package pinreplay.format.queue;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;

/**
 * What a queue holds, kept beside the Chronicle files in {@value #FILE_NAME}: the source, the format
 * version, who wrote it, whether the writer finished, and counts. The writer saves it when it creates
 * the queue ({@link State#WRITING}) and again when it finishes; each save replaces the file atomically,
 * so a reader sees the old or the new version, never a torn one. Keys are written in a fixed order and
 * without a date, so the same ingest writes the same file.
 */
public final class QueueMetadata {
    public static final String FILE_NAME = "pinreplay-queue.properties";
    private static final String BACKWARDS = "timestamps.backwards";
    private static final String BACKWARDS_LINE = "timestamps.backwards.first.line";

    /** How far the writer got. */
    public enum State {
        /** Still writing, or it crashed: no end marker yet. */
        WRITING("writing"),
        /** Every input line was stored, then the end marker. */
        COMPLETE("complete"),
        /**
         * The writer stopped early ({@link #stoppedAt()}): at a malformed line or a read error, then wrote
         * the end marker; or when the disk was full, after its last whole block (no end marker then).
         */
        STOPPED("stopped");

        private final String word;

        State(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static State of(String word) {
            for (State s : values()) {
                if (s.word.equals(word)) {
                    return s;
                }
            }
            return null;
        }
    }

    private String source = "";
    private int formatVersion = Record.FORMAT_VERSION;
    private String createdBy = "";
    private State state = State.WRITING;
    private String stoppedAt = "";
    private long blocks;
    private long lines;
    private long malformed;
    private long symbols;
    private final long[] events = new long[256];
    private long backwards;
    private long backwardsLine;

    public QueueMetadata source(String s) {
        source = s;
        return this;
    }

    public String source() {
        return source;
    }

    public int formatVersion() {
        return formatVersion;
    }

    /** Who wrote the queue, e.g. {@code pinreplay 0.1.0}. */
    public QueueMetadata createdBy(String s) {
        createdBy = s;
        return this;
    }

    public String createdBy() {
        return createdBy;
    }

    public State state() {
        return state;
    }

    /** Whether the writer got to its end marker (complete, or stopped at a malformed line). */
    public boolean finished() {
        return state != State.WRITING;
    }

    /** The error that stopped the writer, {@code FILE:LINE: ...}; empty unless {@link State#STOPPED}. */
    public String stoppedAt() {
        return stoppedAt;
    }

    public QueueMetadata complete() {
        state = State.COMPLETE;
        stoppedAt = "";
        return this;
    }

    public QueueMetadata stopped(String error) {
        state = State.STOPPED;
        stoppedAt = error;
        return this;
    }

    /** Blocks (Chronicle excerpts) before the end marker. */
    public long blocks() {
        return blocks;
    }

    public QueueMetadata blocks(long n) {
        blocks = n;
        return this;
    }

    /** Input lines read. */
    public long lines() {
        return lines;
    }

    public QueueMetadata lines(long n) {
        lines = n;
        return this;
    }

    /** Malformed lines skipped ({@code --lenient}). */
    public long malformed() {
        return malformed;
    }

    public QueueMetadata malformed(long n) {
        malformed = n;
        return this;
    }

    public long symbols() {
        return symbols;
    }

    public long count(EventType t) {
        return events[t.code()];
    }

    /** All records except symbol definitions. */
    public long records() {
        long n = 0;
        for (EventType t : EventType.values()) {
            if (t != EventType.SYMBOL) {
                n += events[t.code()];
            }
        }
        return n;
    }

    public QueueMetadata count(EventType t, long n) {
        if (t == EventType.SYMBOL) {
            symbols = n;
        } else {
            events[t.code()] = n;
        }
        return this;
    }

    /** Records whose timestamp is earlier than the one before on the same CPU. */
    public long backwards() {
        return backwards;
    }

    /** Source line of the first of those (0 when none). */
    public long firstBackwardsLine() {
        return backwardsLine;
    }

    /** Blocks, per-type counts and timestamp order of what the writer appended. */
    QueueMetadata countsFrom(Tally t, long blockCount) {
        for (EventType e : EventType.values()) {
            count(e, t.count(e));
        }
        blocks = blockCount;
        backwards = t.backwards();
        backwardsLine = t.firstBackwardsLine();
        return this;
    }

    /** Copies the per-type counts of everything {@code w} committed. */
    public QueueMetadata countsFrom(EventWriter w) {
        for (EventType t : EventType.values()) {
            count(t, w.count(t));
        }
        return this;
    }

    /** Saves to {@code dir}/{@value #FILE_NAME}, replacing any earlier version atomically. */
    public void save(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             Writer w = new java.io.OutputStreamWriter(java.nio.channels.Channels.newOutputStream(ch),
                     StandardCharsets.UTF_8)) {
            w.write(toText());
            w.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Whether {@code dir} has a metadata file, i.e. is a pinreplay queue. */
    public static boolean presentIn(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    /**
     * Loads {@code dir}/{@value #FILE_NAME}.
     *
     * @throws QueueException NOT_A_QUEUE when it is missing or unreadable, TOO_NEW when a newer
     *                        pinreplay wrote it
     */
    public static QueueMetadata load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE,
                    dir + ": not a pinreplay queue (no " + FILE_NAME + ")");
        } catch (IOException | IllegalArgumentException e) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE,
                    file + ": cannot read queue metadata: " + e.getMessage());
        }
        QueueMetadata m = new QueueMetadata();
        m.formatVersion = (int) number(file, p, "format.version");
        if (m.formatVersion > Record.FORMAT_VERSION) {
            throw new QueueException(QueueException.Reason.TOO_NEW, dir + ": queue format version "
                    + m.formatVersion + " is newer than this pinreplay reads (" + Record.FORMAT_VERSION
                    + "); use the pinreplay that wrote it (" + p.getProperty("created.by", "unknown") + ")");
        }
        if (m.formatVersion < 1) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE,
                    file + ": expected a format.version of 1 or more, got " + m.formatVersion);
        }
        if (m.formatVersion < Record.FORMAT_VERSION) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE, dir + ": queue format version "
                    + m.formatVersion + " is older than this pinreplay reads (" + Record.FORMAT_VERSION
                    + "): ingest its trace again (cat --format ftrace with the pinreplay that wrote it prints the trace)");
        }
        m.source = p.getProperty("source", "");
        m.createdBy = p.getProperty("created.by", "");
        String st = p.getProperty("state", "");
        m.state = State.of(st);
        if (m.state == null) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE,
                    file + ": expected state=writing|complete|stopped, got state=" + st);
        }
        m.stoppedAt = p.getProperty("stopped.at", "");
        m.blocks = number(file, p, "blocks");
        m.lines = number(file, p, "lines");
        m.malformed = number(file, p, "malformed");
        m.symbols = number(file, p, "symbols");
        for (EventType t : EventType.values()) {
            String v = p.getProperty("events." + t.eventName());
            if (v != null && t != EventType.SYMBOL) {
                m.events[t.code()] = number(file, p, "events." + t.eventName());
            }
        }
        if (p.getProperty(BACKWARDS) != null) {
            m.backwards = number(file, p, BACKWARDS);
            m.backwardsLine = number(file, p, BACKWARDS_LINE);
        }
        return m;
    }

    /** The file's text: fixed key order, event counts in {@link EventType} order, no date. */
    String toText() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("# pinreplay event queue: metadata (README, \"Queue directories\")\n");
        line(sb, "format.version", Integer.toString(formatVersion));
        line(sb, "created.by", createdBy);
        line(sb, "source", source);
        line(sb, "state", state.word());
        line(sb, "stopped.at", stoppedAt);
        line(sb, "blocks", Long.toString(blocks));
        line(sb, "lines", Long.toString(lines));
        line(sb, "malformed", Long.toString(malformed));
        line(sb, "records", Long.toString(records()));
        line(sb, "symbols", Long.toString(symbols));
        for (EventType t : EventType.values()) {
            if (t != EventType.SYMBOL && events[t.code()] != 0) {
                line(sb, "events." + t.eventName(), Long.toString(events[t.code()]));
            }
        }
        if (backwards != 0) {
            line(sb, BACKWARDS, Long.toString(backwards));
            line(sb, BACKWARDS_LINE, Long.toString(backwardsLine));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                case ' ' -> sb.append(i == 0 ? "\\ " : " ");
                default -> sb.append(c);
            }
        }
        sb.append('\n');
    }

    private static long number(Path file, Properties p, String key) {
        String v = p.getProperty(key);
        try {
            return Long.parseLong(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE,
                    file + ": expected " + key + "=<number>, got " + (v == null ? "nothing" : key + "=" + v));
        }
    }
}
