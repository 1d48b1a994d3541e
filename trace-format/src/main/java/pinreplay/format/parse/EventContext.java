package pinreplay.format.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;

/**
 * The context columns of an event line, as kernel/trace/trace_output.c trace_print_context() prints
 * them (v4.x to v6.x): {@code TASK-PID}, optional {@code (TGID)}, {@code [CPU]}, optional irq flags
 * (4 or 5 characters; absent in {@code trace-cmd report}, and after a bare CPU in {@code trace-cmd report -l}),
 * then the timestamp and {@code ": "}.
 * Columns are found by their delimiters, never by position: padding differs between releases and
 * hand-trimmed samples. One instance is reused for every line.
 */
final class EventContext {
    private static final long NANOS = 1_000_000_000L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Malformed bad;
    private final SymbolCache symbols;
    private int commFrom;
    private int commTo;
    /** The task name's symbol once {@link #begin} interned it, kept by {@link #reuse}; 0: not yet. */
    private int comm;
    private int pid;
    private boolean hasTgid;
    private int tgid;
    private int cpu;
    private int flagsFrom;
    private int flagsTo;
    private long ts;
    private int tsBits;
    /**
     * The last line's bytes from its first non-blank up to its timestamp, still in the buffer at
     * {@code prefixFrom} ({@link #forgetColumns} when the buffer changes); {@code prefixLength} 0: none.
     * The column offsets above are relative to {@code prefixFrom}.
     */
    private int prefixFrom;
    private int prefixLength;

    EventContext(Malformed bad, SymbolCache symbols) {
        this.bad = bad;
        this.symbols = symbols;
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
     * Parses the timestamp of a line whose columns before it are byte for byte those of the last line
     * {@link #parse} remembered (real traces: one task on one CPU for many lines in a row), keeping
     * the task, pid, tgid, cpu and flags. Equal bytes give equal columns, and {@link #pidDash} finds
     * the same dash in them, and a digit after them ends the spaces before the timestamp as it did
     * there, so the result is the one a full parse would give. The task name's symbol is kept too.
     *
     * @return where the text after {@code "TIMESTAMP: "} starts, or -1 when the columns differ
     */
    int reuse(byte[] b, int from, int to) {
        int n = prefixLength;
        if (n == 0 || to - from <= n || !Bytes.isDigit(b[from + n]) || !samePrefix(b, from, n)) {
            return -1;
        }
        int shift = from - prefixFrom;
        prefixFrom = from;
        commFrom += shift;
        commTo += shift;
        flagsFrom += shift;
        flagsTo += shift;
        return Math.min(timestamp(b, from + n, to) + 2, to);
    }

    /** Whether {@code b[from, from + n)} equals the last line's prefix ({@code n >= 8}); a word per step, the last one overlapping. */
    private boolean samePrefix(byte[] b, int from, int n) {
        int p = prefixFrom;
        for (int i = 0; i < n - 8; i += 8) {
            if ((long) LONGS.get(b, p + i) != (long) LONGS.get(b, from + i)) {
                return false;
            }
        }
        return (long) LONGS.get(b, p + n - 8) == (long) LONGS.get(b, from + n - 8);
    }

    /** Forgets the last line's columns: the buffer that held them is refilled or replaced. */
    void forgetColumns() {
        prefixLength = 0;
    }

    /**
     * Parses the columns of {@code b[from, to)} whose pid follows {@code b[dash]}, in one pass.
     *
     * @param remember keep the columns for {@link #reuse}: {@code dash} is the first one {@link #pidDash}
     *                 finds without {@code latency}, so an equal prefix has it too
     * @return where the text after {@code "TIMESTAMP: "} starts
     */
    int parse(byte[] b, int from, int dash, int to, boolean remember) {
        prefixLength = 0;
        comm = 0;
        commFrom = from;
        commTo = dash;
        int i = dash + 1;
        long v = 0;
        for (; i < to && Bytes.isDigit(b[i]); i++) {
            v = v * 10 + (b[i] - '0');
        }
        if (i - dash - 1 > 9) {
            throw bad.at("expected a pid of at most 9 digits", dash + 1, i);
        }
        pid = (int) v;
        i = Bytes.skipSpaces(b, i, to);
        hasTgid = b[i] == '(';
        if (hasTgid) {
            i = Bytes.skipSpaces(b, tgid(b, i, to), to);
        }
        i = Bytes.skipSpaces(b, cpu(b, i, to), to);
        flagsFrom = flagsTo = i;
        // The irq-off flag column never starts with a digit; a timestamp always does.
        if (i < to && !Bytes.isDigit(b[i])) {
            int e = Bytes.tokenEnd(b, i, to);
            if ((e - i != 4 && e - i != 5) || b[e - 1] == ':') {
                throw bad.at("expected irq flags (4 or 5 characters) or TIMESTAMP:", i, e);
            }
            flagsTo = e;
            i = Bytes.skipSpaces(b, e, to);
        }
        int colon = timestamp(b, i, to);
        if (remember && i - from >= Long.BYTES) {
            prefixLength = i - from;
            prefixFrom = from;
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
            tgid = -1;
        } else {
            long v = close - i <= 9 ? Bytes.unsignedDec(b, i, close) : -1;
            if (v < 0) {
                throw bad.at("expected (TGID)", open, close + 1);
            }
            tgid = (int) v;
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
        cpu = (int) v;
        return bare ? d : d + 1;
    }

    /**
     * {@code "%5lu.%06lu:"} for ns clocks, 9 decimals from {@code trace-cmd report -t}, or a raw
     * counter; returns the index of the {@code ':'}.
     */
    private int timestamp(byte[] b, int t, int to) {
        long seconds = Words.digitsToDot(b, t, to); // the common "%5lu.%06lu:" read a word at a time
        if (seconds >= 0) {
            int f = t + (int) (seconds & 7) + 1;
            long micros = Words.sixDigits(b, f, to);
            if (micros >= 0 && colonEnds(b, f + 6, to)) {
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

    /** Whether {@code b[i]} is the {@code ':'} that ends the context columns (then a space or the end). */
    private static boolean colonEnds(byte[] b, int i, int to) {
        return i < to && b[i] == ':' && (i + 1 == to || b[i + 1] == ' ');
    }

    /**
     * Forgets the task name's symbol: a malformed line's record is aborted, and with it the symbols it
     * introduced.
     */
    void forgetSymbols() {
        comm = 0;
    }

    /** Starts a record of type {@code t} carrying these columns. */
    void begin(EventWriter out, EventType t, long line, byte[] b) {
        if (comm == 0) {
            comm = symbols.intern(b, commFrom, commTo);
        }
        out.begin(t, line).pid(pid).cpu(cpu).ts(ts, tsBits).comm(comm);
        if (hasTgid) {
            out.tgid(tgid);
        }
        if (flagsTo > flagsFrom) {
            out.irqFlags(b, flagsFrom, flagsTo);
        }
    }
}
