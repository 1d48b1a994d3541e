package pinreplay.format.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.IrqFlags;
import pinreplay.format.Record;

/**
 * The context columns of an event line, as kernel/trace/trace_output.c trace_print_context() prints
 * them (v4.x to v6.x): {@code TASK-PID}, optional {@code (TGID)}, {@code [CPU]}, optional irq flags
 * (4 or 5 characters, 6 or 7 on PREEMPT_RT before 6.12; absent in {@code trace-cmd report}, and after a bare CPU in {@code trace-cmd report -l}),
 * then the timestamp and {@code ": "}.
 * Columns are found by their delimiters, never by position: padding differs between releases and
 * hand-trimmed samples. One instance is reused for every line.
 */
final class EventContext {
    private static final long NANOS = 1_000_000_000L;
    /** {@code ": "} in the top two bytes of a little-endian word. */
    private static final long COLON_SPACE = 0x203a;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Remembered lines, by a hash of their first 16 bytes; a power of two. */
    private static final int SLOTS = 64;

    private final Malformed bad;
    private final SymbolCache symbols;
    private final Columns[] remembered = new Columns[SLOTS];
    /** The columns of a line too short to have a slot, or of a latency-format line: never remembered. */
    private final Columns scratch = new Columns();
    /** The columns of the line being parsed. */
    private Columns cur = scratch;
    /** Counts the times the buffer changed: a slot remembered in an earlier generation is stale. */
    private long generation;
    private long ts;
    private int tsBits;
    /** The last seconds {@link #seconds} read: their digits and dot as masked from a word, and the value. */
    private long dotMask;
    private long dotWord = -1;
    private long dotSeconds;

    /**
     * The context columns of one line, as offsets into the buffer, where that line's bytes stay until
     * {@link #forgetColumns}. {@code prefixLength} bytes from {@code prefixFrom} (its first non-blank up
     * to its timestamp) are what {@link #reuse} compares; 0: not remembered.
     */
    private static final class Columns {
        long generation;
        int prefixFrom;
        int prefixLength;
        int commFrom;
        int commTo;
        /** The task name's symbol once {@link #begin} interned it; 0: not yet. */
        int comm;
        int pid;
        boolean hasTgid;
        int tgid;
        int cpu;
        int flagsFrom;
        int flagsTo;
    }

    EventContext(Malformed bad, SymbolCache symbols) {
        this.bad = bad;
        this.symbols = symbols;
        for (int i = 0; i < SLOTS; i++) {
            remembered[i] = new Columns();
        }
    }

    /**
     * The {@code '-'} before the pid in {@code b[from, to)}: the first {@code -DIGITS} followed by
     * spaces and then {@code '['} or {@code '('} (or, for a latency-format line, a digit: the CPU).
     * Task names may hold spaces and dashes ({@code jbd2/sda16-8-587}). Returns -1 when there is none.
     */
    static int pidDash(byte[] b, int from, int to, boolean latency) {
        for (int i = Bytes.nextDash(b, from + 1, to); i < to - 1; i = Bytes.nextDash(b, i + 1, to)) {
            if (!Bytes.isDigit(b[i + 1])) {
                continue;
            }
            int j = Bytes.skipDigits(b, i + 1, to);
            if (j == to || b[j] != ' ') {
                continue;
            }
            int k = Bytes.skipSpaces(b, j, to);
            if (k < to && (latency ? Bytes.isDigit(b[k]) : b[k] == '[' || b[k] == '(')) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses the timestamp of a line whose columns before it are byte for byte those of a line
     * {@link #parse} remembered (real traces: a few tasks, each on one CPU for many lines), keeping
     * the task, pid, tgid, cpu and flags. Equal bytes give equal columns, and {@link #pidDash} finds
     * the same dash in them, and a digit after them ends the spaces before the timestamp as it did
     * there, so the result is the one a full parse would give. The task name's symbol is kept too.
     *
     * @return where the text after {@code "TIMESTAMP: "} starts, or -1 when no remembered line has these columns
     */
    int reuse(byte[] b, int from, int to) {
        Columns c = slot(b, from, to);
        int n = c.prefixLength;
        if (n == 0 || c.generation != generation || to - from <= n || !Bytes.isDigit(b[from + n])
                || !samePrefix(b, c.prefixFrom, from, n)) {
            return -1;
        }
        cur = c;
        return Math.min(timestamp(b, from + n, to) + 2, to);
    }

    /** The slot of the line at {@code b[from, to)}: by its first 16 bytes, or {@link #scratch} for a shorter line. */
    private Columns slot(byte[] b, int from, int to) {
        if (to - from < 2 * Long.BYTES) {
            return scratch;
        }
        long first = (long) LONGS.get(b, from);
        long second = (long) LONGS.get(b, from + Long.BYTES);
        return remembered[Words.hash(first, second, 0, SLOTS - 1)];
    }

    /** Whether {@code b[from, from + n)} equals {@code b[p, p + n)} ({@code n >= 8}); a word per step, the last one overlapping. */
    private static boolean samePrefix(byte[] b, int p, int from, int n) {
        for (int i = 0; i < n - 8; i += 8) {
            if ((long) LONGS.get(b, p + i) != (long) LONGS.get(b, from + i)) {
                return false;
            }
        }
        return (long) LONGS.get(b, p + n - 8) == (long) LONGS.get(b, from + n - 8);
    }

    /** Forgets the remembered lines' columns: the buffer that held them is refilled or replaced. */
    void forgetColumns() {
        generation++;
    }

    /**
     * Parses the columns of {@code b[from, to)} whose pid follows {@code b[dash]}, in one pass.
     *
     * @param remember keep the columns for {@link #reuse}: {@code dash} is the first one {@link #pidDash}
     *                 finds without {@code latency}, so an equal prefix has it too
     * @return where the text after {@code "TIMESTAMP: "} starts
     */
    int parse(byte[] b, int from, int dash, int to, boolean remember) {
        Columns c = remember ? slot(b, from, to) : scratch;
        cur = c;
        c.prefixLength = 0;
        c.comm = 0;
        c.commFrom = from;
        c.commTo = dash;
        int i = dash + 1;
        long v = 0;
        for (; i < to && Bytes.isDigit(b[i]); i++) {
            v = v * 10 + (b[i] - '0');
        }
        if (i - dash - 1 > 9) {
            throw bad.at("expected a pid of at most 9 digits", dash + 1, i);
        }
        c.pid = (int) v;
        i = Bytes.skipSpaces(b, i, to);
        c.hasTgid = b[i] == '(';
        if (c.hasTgid) {
            i = Bytes.skipSpaces(b, tgid(b, i, to), to);
        }
        i = Bytes.skipSpaces(b, cpu(b, i, to), to);
        c.flagsFrom = c.flagsTo = i;
        // The irq-off flag column never starts with a digit; a timestamp always does.
        if (i < to && !Bytes.isDigit(b[i])) {
            int e = Bytes.tokenEnd(b, i, to);
            if ((e - i != 4 && e - i != 5 && !IrqFlags.packable(b, i, e)) || b[e - 1] == ':') {
                throw bad.at("expected irq flags (4 or 5 characters, 6 or 7 of PREEMPT_RT's) or TIMESTAMP:", i, e);
            }
            c.flagsTo = e;
            i = Bytes.skipSpaces(b, e, to);
        }
        int colon = timestamp(b, i, to);
        if (c != scratch && i - from >= Long.BYTES) {
            c.generation = generation;
            c.prefixFrom = from;
            c.prefixLength = i - from;
        }
        return Math.min(colon + 2, to);
    }

    /** {@code "(%7d)"}, {@code "(%5d)"}, or dashes when the TGID is unknown. */
    private int tgid(byte[] b, int open, int to) {
        int i = Bytes.skipSpaces(b, open + 1, to);
        int close = Bytes.indexOf(b, i, to, (byte) ')');
        if (close < 0) {
            throw bad.at("expected (TGID)", open, Bytes.tokenEnd(b, open, to));
        }
        if (i < close && b[i] == '-') {
            int d = i;
            while (d < close && b[d] == '-') {
                d++;
            }
            if (d != close) {
                throw bad.at("expected (TGID)", open, close + 1);
            }
            cur.tgid = -1;
        } else {
            long v = close - i <= 9 ? Bytes.unsignedDec(b, i, close) : -1;
            if (v < 0) {
                throw bad.at("expected (TGID)", open, close + 1);
            }
            cur.tgid = (int) v;
        }
        return close + 1;
    }

    /** {@code "[%03d]"}, or {@code trace-cmd report -l}'s bare {@code "%3d"} with the latency flags right after it. */
    private int cpu(byte[] b, int i, int to) {
        boolean bare = i < to && Bytes.isDigit(b[i]);
        int s = bare ? i : i + 1;
        int d = s;
        long v = 0;
        for (; d < to && d < s + 6 && Bytes.isDigit(b[d]); d++) {
            v = v * 10 + (b[d] - '0');
        }
        if (i >= to || !bare && b[i] != '[' || d == s || d == to || (bare ? Bytes.isDigit(b[d]) : b[d] != ']')
                || v > 0xffff) {
            throw bad.at("expected [CPU]", i, Bytes.tokenEnd(b, i, to));
        }
        cur.cpu = (int) v;
        return bare ? d : d + 1;
    }

    /**
     * {@code "%5lu.%06lu:"} for ns clocks, 9 decimals from {@code trace-cmd report -t}, or a raw
     * counter; returns the index of the {@code ':'}.
     */
    private int timestamp(byte[] b, int t, int to) {
        long seconds = seconds(b, t, to); // the common "%5lu.%06lu: " read a word at a time
        if (seconds >= 0) {
            int f = t + (int) (seconds & 7) + 1;
            long w = f + Long.BYTES <= to ? (long) LONGS.get(b, f) : 0;
            long micros = w >>> 48 == COLON_SPACE ? Words.sixDigits(w) : -1; // the microseconds and ": " in one word
            if (micros >= 0) {
                ts = (seconds >>> 3) * NANOS + micros * 1000;
                tsBits = 0;
                return f + 6;
            }
        }
        int i = t;
        long secs = 0;
        for (; i < to && i - t < 19 && Bytes.isDigit(b[i]); i++) {
            secs = secs * 10 + (b[i] - '0');
        }
        int digits = i - t;
        if (i < to && b[i] == '.' && digits > 0 && digits <= 10) {
            int f = ++i;
            long micros = Words.sixDigits(b, f, to);
            if (micros >= 0 && colonEnds(b, f + 6, to)) {
                ts = secs * NANOS + micros * 1000;
                tsBits = 0;
                return f + 6;
            }
            long frac = 0;
            for (; i < to && i - f < 9 && Bytes.isDigit(b[i]); i++) {
                frac = frac * 10 + (b[i] - '0');
            }
            int decimals = i - f;
            if ((decimals == 6 || decimals == 9) && colonEnds(b, i, to)) {
                ts = secs * NANOS + (decimals == 6 ? frac * 1000 : frac);
                tsBits = decimals == 9 ? Record.B_TS_NANOS : 0;
                return i;
            }
        } else if (digits > 0 && secs >= 0 && colonEnds(b, i, to)) {
            ts = secs;
            tsBits = Record.B_TS_RAW;
            return i;
        }
        throw bad.at("expected TIMESTAMP: with 6 or 9 decimals or a raw counter", t, Bytes.tokenEnd(b, t, to));
    }

    /**
     * {@link Words#digitsToDot} of {@code b[t]}, remembered: the lines of a trace share the seconds of
     * their timestamps for thousands of lines, so a word whose digits and dot equal the last ones has
     * their value.
     */
    private long seconds(byte[] b, int t, int to) {
        if (t + Long.BYTES <= to && ((long) LONGS.get(b, t) & dotMask) == dotWord) {
            return dotSeconds;
        }
        long s = Words.digitsToDot(b, t, to);
        if (s >= 0) {
            dotMask = -1L >>> (56 - 8 * (s & 7)); // the digits and the dot
            dotWord = (long) LONGS.get(b, t) & dotMask;
            dotSeconds = s;
        }
        return s;
    }

    /** Whether {@code b[i]} is the {@code ':'} that ends the context columns (then a space or the end). */
    private static boolean colonEnds(byte[] b, int i, int to) {
        return i < to && b[i] == ':' && (i + 1 == to || b[i + 1] == ' ');
    }

    /**
     * Forgets the task names' symbols: a malformed line's record is aborted, and with it the symbols it
     * introduced.
     */
    void forgetSymbols() {
        scratch.comm = 0;
        for (Columns c : remembered) {
            c.comm = 0;
        }
    }

    /** Starts a record of type {@code t} carrying these columns. */
    void begin(EventWriter out, EventType t, long line, byte[] b) {
        Columns c = cur;
        if (c.comm == 0) {
            c.comm = symbols.intern(b, c.commFrom, c.commTo);
        }
        out.begin(t, line).pid(c.pid).cpu(c.cpu).ts(ts, tsBits).comm(c.comm);
        if (c.hasTgid) {
            out.tgid(c.tgid);
        }
        if (c.flagsTo > c.flagsFrom) {
            out.irqFlags(b, c.flagsFrom, c.flagsTo);
        }
    }
}
