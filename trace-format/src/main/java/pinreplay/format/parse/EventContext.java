package pinreplay.format.parse;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;

/**
 * The context columns of an event line, as kernel/trace/trace_output.c trace_print_context() prints
 * them (v4.x to v6.x): {@code TASK-PID}, optional {@code (TGID)}, {@code [CPU]}, optional irq flags
 * (4 or 5 characters; absent in {@code trace-cmd report}), then the timestamp and {@code ": "}.
 * Columns are found by their delimiters, never by position: padding differs between releases and
 * hand-trimmed samples. One instance is reused for every line.
 */
final class EventContext {
    private static final long NANOS = 1_000_000_000L;

    private final Malformed bad;
    private int commFrom;
    private int commTo;
    private int pid;
    private boolean hasTgid;
    private int tgid;
    private int cpu;
    private int flagsFrom;
    private int flagsTo;
    private long ts;
    private int tsBits;

    EventContext(Malformed bad) {
        this.bad = bad;
    }

    /**
     * The {@code '-'} before the pid in {@code b[from, to)}: the first {@code -DIGITS} followed by
     * spaces and then {@code '['} or {@code '('} (or, for a latency-format line, a digit: the CPU).
     * Task names may hold spaces and dashes ({@code jbd2/sda16-8-587}). Returns -1 when there is none.
     */
    static int pidDash(byte[] b, int from, int to, boolean latency) {
        for (int i = from + 1; i < to - 1; i++) {
            if (b[i] != '-' || !Bytes.isDigit(b[i + 1])) {
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
     * Parses the columns of {@code b[from, to)} whose pid follows {@code b[dash]}.
     *
     * @return where the text after {@code "TIMESTAMP: "} starts
     */
    int parse(byte[] b, int from, int dash, int to) {
        commFrom = from;
        commTo = dash;
        int i = Bytes.skipDigits(b, dash + 1, to);
        if (i - dash - 1 > 9) {
            throw bad.at("expected a pid of at most 9 digits", dash + 1, i);
        }
        pid = (int) Bytes.unsignedDec(b, dash + 1, i);
        i = Bytes.skipSpaces(b, i, to);
        hasTgid = b[i] == '(';
        if (hasTgid) {
            i = tgid(b, i, to);
        }
        i = cpu(b, i, to);
        int t = Bytes.skipSpaces(b, i, to);
        int e = Bytes.tokenEnd(b, t, to);
        flagsFrom = flagsTo = t;
        if (e == t || b[e - 1] != ':') {
            if (e - t != 4 && e - t != 5) {
                throw bad.at("expected irq flags (4 or 5 characters) or TIMESTAMP:", t, e);
            }
            flagsTo = e;
            t = Bytes.skipSpaces(b, e, to);
            e = Bytes.tokenEnd(b, t, to);
        }
        timestamp(b, t, e);
        return e < to ? e + 1 : to;
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
        return Bytes.skipSpaces(b, close + 1, to);
    }

    /** {@code "[%03d]"}. */
    private int cpu(byte[] b, int i, int to) {
        int close = Bytes.indexOf(b, i, Math.min(to, i + 8), (byte) ']');
        long v = i < to && b[i] == '[' && close > i + 1 ? Bytes.unsignedDec(b, i + 1, close) : -1;
        if (v < 0 || v > 0xffff) {
            throw bad.at("expected [CPU]", i, Bytes.tokenEnd(b, i, to));
        }
        cpu = (int) v;
        return close + 1;
    }

    /** {@code "%5lu.%06lu:"} for ns clocks, 9 decimals from {@code trace-cmd report -t}, or a raw counter. */
    private void timestamp(byte[] b, int t, int e) {
        int colon = e - 1;
        int dot = Bytes.indexOf(b, t, colon, (byte) '.');
        if (dot < 0) {
            ts = Bytes.unsignedDec(b, t, colon);
            tsBits = Record.B_TS_RAW;
        } else {
            long secs = dot - t <= 10 ? Bytes.unsignedDec(b, t, dot) : -1;
            long frac = Bytes.unsignedDec(b, dot + 1, colon);
            int decimals = colon - dot - 1;
            if (secs < 0 || frac < 0 || (decimals != 6 && decimals != 9)) {
                ts = -1;
            } else {
                ts = secs * NANOS + (decimals == 6 ? frac * 1000 : frac);
                tsBits = decimals == 9 ? Record.B_TS_NANOS : 0;
            }
        }
        if (ts < 0 || colon < t || b[colon] != ':') {
            throw bad.at("expected TIMESTAMP: with 6 or 9 decimals or a raw counter", t, e);
        }
    }

    /** Starts a record of type {@code t} carrying these columns. */
    void begin(EventWriter out, EventType t, long line, byte[] b) {
        out.begin(t, line).pid(pid).cpu(cpu).ts(ts, tsBits).comm(b, commFrom, commTo);
        if (hasTgid) {
            out.tgid(tgid);
        }
        if (flagsTo > flagsFrom) {
            out.irqFlags(b, flagsFrom, flagsTo);
        }
    }
}
