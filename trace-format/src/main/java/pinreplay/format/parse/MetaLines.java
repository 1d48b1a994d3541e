package pinreplay.format.parse;

/**
 * Recognizers for lines that are not events of the trace's own layout: {@code trace-cmd report}'s
 * preamble, the ring buffer's lost-events notice, and lines of other tracers (function_graph,
 * latency format). Each takes {@code b[from, to)} and allocates nothing.
 */
final class MetaLines {
    private static final byte[] VERSION = Bytes.ascii("version = ");
    private static final byte[] CPU_SP = Bytes.ascii("CPU ");
    private static final byte[] IS_EMPTY = Bytes.ascii(" is empty");
    private static final byte[] CPUS = Bytes.ascii("cpus=");
    private static final byte[] CPU_COLON = Bytes.ascii("CPU:");
    private static final byte[] LOST = Bytes.ascii(" [LOST ");
    private static final byte[] EVENTS = Bytes.ascii(" EVENTS]");
    private static final byte[] DROPPED = Bytes.ascii(" EVENTS DROPPED]");
    private static final byte[] DROPPED_UNCOUNTED = Bytes.ascii(" [EVENTS DROPPED]");
    private static final byte[] SUBBUFFER_START = Bytes.ascii(" [SUBBUFFER START]");

    private MetaLines() {
    }

    /** trace-cmd report's preamble: {@code version = 6}, {@code CPU 0 is empty}, {@code cpus=4}. */
    static boolean isPreamble(byte[] b, int from, int to) {
        if (Bytes.startsWith(b, from, to, VERSION)) {
            return Bytes.unsignedDec(b, from + VERSION.length, to) >= 0;
        }
        if (Bytes.startsWith(b, from, to, CPU_SP)) {
            int d = Bytes.skipDigits(b, from + CPU_SP.length, to);
            return d > from + CPU_SP.length && Bytes.equals(b, d, to, IS_EMPTY);
        }
        return cpus(b, from, to) >= 0;
    }

    /** N of a {@code cpus=N} line, or -1. */
    static long cpus(byte[] b, int from, int to) {
        return Bytes.startsWith(b, from, to, CPUS) ? Bytes.unsignedDec(b, from + CPUS.length, to) : -1;
    }

    static boolean isLostEvents(byte[] b, int from, int to) {
        return Bytes.startsWith(b, from, to, CPU_COLON);
    }

    /** The CPU of {@code CPU:%d [LOST %lu EVENTS]} (kernel/trace/trace.c print_trace_line), or -1. */
    static long lostCpu(byte[] b, int from, int to) {
        int d = Bytes.skipDigits(b, from + CPU_COLON.length, to);
        return lost(b, from, to) >= 0 ? Bytes.unsignedDec(b, from + CPU_COLON.length, d) : -1;
    }

    /**
     * The count of {@code CPU:%d [LOST %lu EVENTS]}, or of trace-cmd report's {@code CPU:%d [%lld EVENTS DROPPED]}
     * (trace-read.c trace_show_data()), or -1.
     */
    static long lost(byte[] b, int from, int to) {
        int d = Bytes.skipDigits(b, from + CPU_COLON.length, to);
        if (d == from + CPU_COLON.length || d + 2 > to || b[d] != ' ' || b[d + 1] != '[') {
            return -1;
        }
        if (Bytes.startsWith(b, d, to, LOST)) {
            int n = d + LOST.length;
            int e = Bytes.skipDigits(b, n, to);
            return e > n && Bytes.equals(b, e, to, EVENTS) ? Bytes.unsignedDec(b, n, e) : -1;
        }
        int e = Bytes.skipDigits(b, d + 2, to);
        return e > d + 2 && Bytes.equals(b, e, to, DROPPED) ? Bytes.unsignedDec(b, d + 2, e) : -1;
    }

    /** trace-cmd report's other per-CPU notices: {@code CPU:%d [EVENTS DROPPED]}, {@code CPU:%d [SUBBUFFER START]}. */
    static boolean isCpuNotice(byte[] b, int from, int to) {
        int d = Bytes.skipDigits(b, from + CPU_COLON.length, to);
        return d > from + CPU_COLON.length
                && (Bytes.equals(b, d, to, DROPPED_UNCOUNTED) || Bytes.startsWith(b, d, to, SUBBUFFER_START));
    }

    /**
     * A line of another tracer, {@code b[from]} being its first non-blank byte: function_graph
     * ({@code 1)  |  f() {}, the {@code -----} context-switch banner, {@code funcgraph-abstime}'s
     * {@code 3383.541213 |   1) ...}) or the latency format ({@code ps-6143    2d...    0us!: ...}).
     */
    static boolean isOtherTracer(byte[] b, int from, int to) {
        return isFunctionGraph(b, from, to) || isLatencyFormat(b, from, to);
    }

    /** kernel/trace/trace_functions_graph.c print_graph_cpu() ({@code " %*d) "}), banners, abstime. */
    private static boolean isFunctionGraph(byte[] b, int from, int to) {
        int d = Bytes.skipDigits(b, from, to);
        if (d > from && d < to && b[d] == ')') {
            return true;
        }
        if (d > from && d < to && b[d] == '.') {
            int f = Bytes.skipDigits(b, d + 1, to);
            int bar = Bytes.skipSpaces(b, f, to);
            return f > d + 1 && bar > f && bar < to && b[bar] == '|';
        }
        int dashes = from;
        while (dashes < to && b[dashes] == '-') {
            dashes++;
        }
        return dashes - from >= 4 && Bytes.skipSpaces(b, dashes, to) == to;
    }

    /** kernel/trace/trace_output.c trace_print_lat_context(): {@code "%8.8s-%-7d %3d"} + flags + {@code " %4lldus%c: "}. */
    private static boolean isLatencyFormat(byte[] b, int from, int to) {
        int dash = EventContext.pidDash(b, from, to, true);
        if (dash < 0) {
            return false;
        }
        int cpuFlags = Bytes.skipSpaces(b, Bytes.skipDigits(b, dash + 1, to), to);
        int time = Bytes.skipSpaces(b, Bytes.tokenEnd(b, cpuFlags, to), to);
        int us = Bytes.skipDigits(b, time, to);
        return us > time && us + 2 <= to && b[us] == 'u' && b[us + 1] == 's';
    }
}
