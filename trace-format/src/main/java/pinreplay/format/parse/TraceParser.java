package pinreplay.format.parse;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.format.TraceFormatException;
import pinreplay.format.ValueType;

/**
 * Streams ftrace text ({@code trace}, {@code trace_pipe}, {@code trace-cmd report}; the contract in
 * docs/trace-format.md) into an {@link EventWriter}: one record per meaningful line, carrying its
 * 1-based line number. The text is scanned as bytes in one reused buffer; in the steady state no
 * line allocates anything (a new symbol does, once).
 *
 * <p>A malformed line is, by default, an error: the partial record is dropped, every earlier record
 * is flushed to the sink, and a {@link TraceFormatException} says {@code FILE:LINE: expected ...,
 * got ...}. A lenient parser skips such lines and reports them in {@link ParseStats}.
 *
 * <p>One parser reads one source; {@link #parse} flushes the writer but does not finish it.
 */
public final class TraceParser {
    /** The source name of standard input, in {@code FILE:LINE:} messages and a queue's metadata. */
    public static final String STDIN = "<stdin>";
    /** The longest line a record can hold verbatim. */
    public static final int MAX_LINE = Record.MAX_SIZE - Record.HEADER;
    private static final String EXPECTED_SHORTER = "expected a line of at most " + MAX_LINE + " bytes";
    private static final String EXPECTED_SMALLER = "expected a record of at most " + Record.MAX_SIZE + " bytes";
    private static final String EXPECTED_LF = "expected lines ending in \\n or \\r\\n (this file ends them with a"
            + " carriage return alone: convert it with tr '\\r' '\\n')";
    private static final String EXPECTED_TEXT = "expected trace text (ftrace's trace or trace_pipe, trace-cmd report)";
    private static final int BUFFER = 1 << 20;
    private static final byte[] TRACING_MARK_WRITE = Bytes.ascii("tracing_mark_write");
    /** The native events, whose names a line cut short may end in. */
    private static final EventType[] NATIVE = java.util.Arrays.stream(EventType.values())
            .filter(t -> t.isNative() && t.kind() != EventType.Kind.META).toArray(EventType[]::new);
    private static final byte[] PRINT = Bytes.ascii("print");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String source;
    private final EventWriter out;
    private final boolean lenient;
    private final byte[] own = new byte[BUFFER];
    private final ByteBuffer window = ByteBuffer.wrap(own);
    /** The bytes being parsed: {@link #own}, or a chunk parsed where it lies ({@link #parseChunk}). */
    private byte[] buf = own;
    private final Malformed bad = new Malformed();
    private final SymbolCache symbols;
    private final EventContext ctx;
    private final NativeDecoder natives;
    private final ProbeDecoder probes;
    private final TracepointDecoder tracepoints;
    private final SyscallDecoder syscalls;
    private ParseStats stats;
    private long[] unknownBySymbol = new long[64];
    private long line;
    /** Whether the input's first line was checked for CR-only line endings (or this parse starts later). */
    private boolean lineEndsChecked;

    // Checkpoints (ingest --resume): none unless asked for, so a replay of text pays nothing.
    private Checkpoint.Sink checkpoints;
    private final CRC32C crc = new CRC32C();
    /** Input offset of {@code own[0]}. */
    private long consumed;
    /** Index in {@link #own} up to which the bytes are in {@link #crc}. */
    private int hashed;
    private long lastCheckpoint;

    /**
     * @param sourceName the file name used in error messages
     * @param lenient    skip malformed lines instead of failing on the first one
     */
    public TraceParser(String sourceName, EventWriter out, boolean lenient) {
        this(sourceName, out, lenient, new ParseStats(), 0, 0);
    }

    /**
     * Takes a parse up again at {@code c}: the input handed to {@link #parse} is the rest after
     * {@code c.offset()} bytes, its lines are numbered from {@code c.lines() + 1} and the malformed
     * count goes on from {@code c.malformed()}.
     */
    public TraceParser from(Checkpoint c) {
        line = c.lines();
        consumed = c.offset();
        lastCheckpoint = c.offset();
        lineEndsChecked = c.offset() > 0;
        stats.malformed = c.malformed();
        return this;
    }

    /** Reports a {@link Checkpoint} to {@code sink} each time the parser has used up its buffer. */
    public TraceParser checkpoints(Checkpoint.Sink sink) {
        checkpoints = sink;
        return this;
    }

    /** Goes on from line {@code linesBefore}, byte {@code offset}, of a parse whose counts so far are {@code stats}. */
    TraceParser(String sourceName, EventWriter out, boolean lenient, ParseStats stats, long linesBefore, long offset) {
        this.stats = stats;
        this.line = linesBefore;
        this.consumed = offset;
        this.lastCheckpoint = offset;
        this.lineEndsChecked = linesBefore > 0 || offset > 0;
        this.source = sourceName;
        this.out = out;
        this.lenient = lenient;
        this.symbols = new SymbolCache(out);
        this.ctx = new EventContext(bad, symbols);
        this.natives = new NativeDecoder(out, bad, symbols);
        this.probes = new ProbeDecoder(out, natives, symbols);
        this.tracepoints = new TracepointDecoder(out, symbols);
        this.syscalls = new SyscallDecoder(out, symbols);
    }

    /**
     * Starts on a chunk of a parallel parse: lines count from 1 again, counts from zero; symbols stay.
     * Only the input's first chunk has its first line checked for CR line ends, as one parser would.
     */
    void nextChunk(boolean first) {
        line = 0;
        lineEndsChecked = !first;
        stats = new ParseStats();
        Arrays.fill(unknownBySymbol, 0);
    }

    /**
     * Reads {@code in} to its end. Lines may end in LF or CRLF and may be split across reads.
     *
     * @throws TraceFormatException on the first malformed line, unless lenient
     */
    public ParseStats parse(ReadableByteChannel in) throws IOException {
        int start = 0;
        int scan = 0;
        int end = 0;
        long overlong = -1; // bytes already dropped of a line longer than the buffer
        boolean eof = false;
        while (true) {
            int nl = newline(scan, end);
            if (nl >= 0) {
                if (overlong >= 0) {
                    tooLong(overlong + nl - start);
                    overlong = -1;
                } else {
                    line(start, nl);
                }
                start = scan = nl + 1;
            } else if (eof) {
                if (overlong >= 0) {
                    tooLong(overlong + end - start);
                } else if (start < end) {
                    line(start, end);
                    stats.unterminated = line;
                    stats.source = source;
                }
                break;
            } else {
                if (overlong < 0 && checkpoints != null) {
                    checkpoint(start); // every line before start is in the writer
                }
                ctx.forgetColumns(); // the bytes of the last line move or are overwritten
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    consumed += start;
                    hashed -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    int cr = overlong < 0 && !lineEndsChecked ? firstLine(line + 1, 0, end) : -1;
                    if (cr >= 0 && !lenient) {
                        line++; // a CR-only file: its first "line" fills the buffer
                        malformed(bad.at(EXPECTED_LF, 0, cr + 1));
                    }
                    if (checkpoints != null) {
                        crc.update(buf, hashed, end - hashed);
                    }
                    consumed += end;
                    hashed = 0;
                    overlong = Math.max(overlong, 0) + end;
                    end = 0;
                }
                scan = end;
                window.limit(buf.length).position(end);
                int n = in.read(window);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
            }
        }
        return finish();
    }

    /**
     * Parses {@code chunk[0, length)}, whole lines but perhaps the last, where it lies (a chunk of a
     * {@link ParallelParser}: no copy into the parser's own buffer).
     */
    ParseStats parseChunk(byte[] chunk, int length) {
        buf = chunk;
        ctx.forgetColumns();
        try {
            int start = 0;
            for (int nl = newline(0, length); nl >= 0; nl = newline(start, length)) {
                line(start, nl);
                start = nl + 1;
            }
            if (start < length) {
                line(start, length);
                stats.unterminated = line; // a chunk ends mid-line only at the end of the input
                stats.source = source;
            }
        } finally {
            buf = own;
            ctx.forgetColumns();
        }
        return finish();
    }

    /** Tells the sink that the lines before {@code buf[at]} are parsed, with the CRC of their bytes since the last time. */
    private void checkpoint(int at) {
        if (consumed + at == lastCheckpoint) {
            return;
        }
        crc.update(buf, hashed, at - hashed);
        hashed = at;
        lastCheckpoint = consumed + at;
        checkpoints.reached(new Checkpoint(line, lastCheckpoint, (int) crc.getValue(), stats.malformed));
        crc.reset();
    }

    /**
     * Checks the input's first line, {@code lineNo}: binary input (a compressed file, trace-cmd's trace.dat) is
     * refused even when lenient, as no line of it is text; the line tells the line ends, since a serious trace
     * never has a CR alone. Returns the index of such a CR, or -1.
     */
    private int firstLine(long lineNo, int from, int to) {
        String binary = BinaryInput.kind(buf, from, to);
        if (binary != null) {
            throw new TraceFormatException(source, lineNo, EXPECTED_TEXT, binary);
        }
        return loneCr(from, to);
    }

    /** Index of the first {@code '\r'} in {@code buf[from, to)} that no {@code '\n'} follows, or -1. */
    private int loneCr(int from, int to) {
        lineEndsChecked = true;
        for (int i = from; i < to; i++) {
            if (buf[i] == '\r' && (i + 1 == to || buf[i + 1] != '\n')) {
                return i;
            }
        }
        return -1;
    }

    private ParseStats finish() {
        out.flush();
        stats.lines = line;
        for (int id = 1; id < unknownBySymbol.length; id++) {
            if (unknownBySymbol[id] > 0) {
                stats.unknown.merge(out.symbols().string(id), unknownBySymbol[id], Long::sum);
            }
        }
        return stats;
    }

    /** The next {@code '\n'} in {@code buf[from, to)}, or -1; eight bytes per step (SWAR zero-byte test). */
    private int newline(int from, int to) {
        byte[] b = buf;
        int i = from;
        for (; i + 2 * Long.BYTES <= to; i += 2 * Long.BYTES) { // two words per step: one branch for 16 bytes
            long w = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
            long v = (long) LONGS.get(b, i + Long.BYTES) ^ 0x0a0a0a0a0a0a0a0aL;
            long found = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            long next = (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
            if ((found | next) != 0) {
                return found != 0 ? i + (Long.numberOfTrailingZeros(found) >>> 3)
                        : i + Long.BYTES + (Long.numberOfTrailingZeros(next) >>> 3);
            }
        }
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
            long found = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void line(int from, int to) {
        line++;
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        try {
            if (!lineEndsChecked) {
                int cr = firstLine(line, from, to);
                if (cr >= 0) {
                    throw bad.at(EXPECTED_LF, from, cr + 1);
                }
            }
            dispatch(from, to);
        } catch (Malformed m) {
            malformed(m);
        }
    }

    private void tooLong(long length) {
        line++;
        malformed(bad.tooLong(EXPECTED_SHORTER, length));
    }

    private void malformed(Malformed m) {
        out.abort();
        ctx.forgetSymbols();
        stats.malformed++;
        if (!lenient) {
            out.flush();
            throw new TraceFormatException(source, line, m.expected(), m.found(buf));
        }
        if (stats.problems.size() < ParseStats.MAX_PROBLEMS) {
            stats.problems.add(new ParseStats.Problem(line,
                    source + ":" + line + ": " + m.expected() + ", got " + m.found(buf)));
        }
    }

    private void dispatch(int from, int to) {
        if (to - from > MAX_LINE) {
            throw bad.tooLong(EXPECTED_SHORTER, to - from);
        }
        int p = Bytes.skipSpaces(buf, from, to);
        if (p == to || buf[p] < ' ' && Bytes.blank(buf, p, to)) { // a tab or form feed first: maybe white space only
            return; // blank: the printers recreate it from the gap in line numbers
        }
        byte first = buf[from];
        if (first == '#' || buf[p] == '#') {
            stats.headerLine(buf, from, to);
            verbatim(EventType.COMMENT, from, to);
        } else if (first == 'C' && MetaLines.isLostEvents(buf, from, to)) {
            lostEvents(from, to);
        } else if ((first == 'C' || first == 'c' || first == 'v') && MetaLines.isPreamble(buf, from, to)) {
            stats.preambleLine(buf, from, to);
            verbatim(EventType.COMMENT, from, to);
        } else {
            int q = ctx.reuse(buf, p, to);
            int dash;
            if (q >= 0) {
                event(from, q, to);
            } else if ((dash = EventContext.pidDash(buf, p, to, false)) >= 0) {
                event(from, ctx.parse(buf, p, dash, to, true), to);
            } else if (MetaLines.isOtherTracer(buf, p, to)) {
                verbatim(EventType.OTHER, from, to);
            } else if ((dash = EventContext.pidDash(buf, p, to, true)) >= 0) {
                // trace-cmd report -l: "%8.8s-%-5d %3d" then the latency flags, an absolute timestamp and the event
                event(from, ctx.parse(buf, p, dash, to, false), to);
            } else {
                throw bad.at("expected an event line TASK-PID [CPU] TIMESTAMP: EVENT: PAYLOAD", p, to);
            }
        }
    }

    /**
     * Whether {@link #dispatch} reads {@code line} as an event (or lost-events notice) rather than a blank line,
     * a comment or trace-cmd's preamble and notices, which are kept verbatim: the one classification for tools
     * that edit a trace line by line.
     */
    public static boolean isEventLine(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        int to = b.length;
        int p = Bytes.skipSpaces(b, 0, to);
        if (Bytes.blank(b, p, to) || b[p] == '#') {
            return false;
        }
        if (b[0] == 'C' && MetaLines.isLostEvents(b, 0, to)) {
            return MetaLines.lostCpu(b, 0, to) >= 0 || !MetaLines.isCpuNotice(b, 0, to);
        }
        return !((b[0] == 'C' || b[0] == 'c' || b[0] == 'v') && MetaLines.isPreamble(b, 0, to));
    }

    /** Whether {@code line} opens with ftrace's {@code TASK-PID [CPU]} columns, as {@link #dispatch} finds them. */
    public static boolean hasContext(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return EventContext.pidDash(b, Bytes.skipSpaces(b, 0, b.length), b.length, false) >= 0;
    }

    private void verbatim(EventType t, int from, int to) {
        out.begin(t, line);
        raw(from, to);
        commit(t);
    }

    /** {@code CPU:%d [LOST %lu EVENTS]}: the ring buffer overwrote events. */
    private void lostEvents(int from, int to) {
        long cpu = MetaLines.lostCpu(buf, from, to);
        if (cpu < 0 && MetaLines.isCpuNotice(buf, from, to)) {
            // trace-cmd report's "CPU:%d [EVENTS DROPPED]" (count unknown) and "CPU:%d [SUBBUFFER START]"
            verbatim(EventType.COMMENT, from, to);
            return;
        }
        if (cpu < 0 || cpu > 0xffff) {
            throw bad.at("expected CPU:N [LOST M EVENTS]", from, to);
        }
        out.begin(EventType.LOST_EVENTS, line).cpu((int) cpu)
                .field(Field.LOST, ValueType.DEC, MetaLines.lost(buf, from, to));
        raw(from, to);
        commit(EventType.LOST_EVENTS);
    }

    /** A line with the context columns, parsed; the text after them starts at {@code q}. */
    private void event(int from, int q, int to) {
        if (q == to) {
            throw bad.at("expected EVENT: after the timestamp", q, to);
        }
        int n = Bytes.nameEnd(buf, q, to);
        EventType sc = SyscallDecoder.ftraceForm(buf, q, to);
        if (sc != null) {
            ctx.begin(out, sc, line, buf);
            if (syscalls.ftrace(sc, buf, q, to)) {
                raw(q, to);
                commit(sc);
                return;
            }
            out.abort();
        }
        if (n == to && cutNativeName(q, to)) {
            // "500.000100: vfio_dma_": a line cut short (an interrupted copy of trace_pipe), not a function's name
            throw bad.at("expected EVENT: PAYLOAD (the line looks cut short)", q, to);
        }
        if (n == q || n == to || buf[n] != ':' || (n + 1 < to && buf[n + 1] != ' ')) {
            // function tracer "func <-parent", syscall "sys_write -> 0x1" or "sys_write(fd: 1, ...)"
            ctx.begin(out, EventType.OTHER, line, buf);
            raw(from, to);
            commit(EventType.OTHER);
            return;
        }
        int payload = Math.min(n + 2, to);
        // trace-cmd report pads event names to 20 columns (libtraceevent print_event_name())
        int p1 = Bytes.skipSpaces(buf, payload, to);
        EventType t = EventNames.event(buf, q, n);
        int close = ProbeDecoder.probeEnd(buf, p1, to);
        if (t == null && Bytes.equals(buf, q, n, TRACING_MARK_WRITE)) {
            marker(q, n, p1, to);
        } else if (t == null && Bytes.equals(buf, q, n, PRINT) && isMarker(p1, to)) {
            // trace-cmd report shows a trace_marker write as ftrace's print event: "print: tracing_mark_write: TEXT"
            int m = p1 + TRACING_MARK_WRITE.length;
            marker(p1, m, Math.min(m + 2, to), to);
        } else if (close >= 0) {
            probe(q, n, p1, close, to);
        } else if (t == null && (sc = SyscallDecoder.rawForm(buf, q, n)) != null) {
            ctx.begin(out, sc, line, buf);
            if (syscalls.raw(sc, buf, q, n, p1, to)) {
                raw(payload, to);
                commit(sc);
            } else {
                out.abort();
                unknown(q, n, payload, to);
            }
        } else if (t == null && (sc = SyscallDecoder.namedForm(buf, q, n)) != null) {
            ctx.begin(out, sc, line, buf);
            if (syscalls.named(sc, buf, q, n, p1, to)) {
                raw(payload, to);
                commit(sc);
            } else {
                out.abort();
                unknown(q, n, payload, to);
            }
        } else if (t == null) {
            unknown(q, n, payload, to);
        } else if (t.isNative()) {
            nativeEvent(t, 0, p1, to);
        } else {
            ctx.begin(out, t, line, buf);
            if (tracepoints.decode(t, buf, p1, to)) {
                raw(payload, to);
                commit(t);
                tracepoints.committed(t, buf, p1, to);
            } else {
                unknown(q, n, payload, to);
            }
        }
    }

    /** Whether {@code buf[from, to)} is a native event's name or the start of one, with nothing after it. */
    private boolean cutNativeName(int from, int to) {
        outer:
        for (EventType t : NATIVE) {
            String name = t.eventName();
            if (to - from > name.length()) {
                continue;
            }
            for (int i = from; i < to; i++) {
                if (buf[i] != name.charAt(i - from)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void nativeEvent(EventType t, int bits, int from, int to) {
        ctx.begin(out, t, line, buf);
        out.bit(bits);
        natives.reset();
        natives.decode(t, buf, from, to, false);
        commit(t);
    }

    /** Whether {@code buf[from, to)} opens with {@code tracing_mark_write: }. */
    private boolean isMarker(int from, int to) {
        int m = from + TRACING_MARK_WRITE.length;
        return m < to && buf[m] == ':' && (m + 1 == to || buf[m + 1] == ' ')
                && Bytes.equals(buf, from, m, TRACING_MARK_WRITE);
    }

    /** {@code tracing_mark_write: TEXT}: a native event line written by user space, or any other text. */
    private void marker(int nameFrom, int nameTo, int from, int to) {
        int m = from;
        while (m < to && buf[m] != ':' && buf[m] != ' ') {
            m++;
        }
        EventType t = m < to && buf[m] == ':' && (m + 1 == to || buf[m + 1] == ' ')
                ? EventNames.event(buf, from, m) : null;
        if (t != null && t.isNative()) {
            nativeEvent(t, Record.B_MARKER, Math.min(m + 2, to), to);
        } else {
            unknown(nameFrom, nameTo, from, to);
        }
    }

    /** {@code EVENT: (sym+off/size) args} or {@code EVENT: (caller+off/size <- fn) args}. */
    private void probe(int nameFrom, int nameTo, int open, int close, int to) {
        int arrow = ProbeDecoder.arrow(buf, open + 1, close);
        int fnLimit = close;
        if (arrow < 0 && ProbeDecoder.arrowAfter(buf, close, to)) { // "(caller+off/size) <- fn args", as some copies print it
            arrow = close + 1;
            fnLimit = to;
        }
        if (arrow < 0) {
            EventType t = ProbeDecoder.pinCall(buf, nameFrom, nameTo,
                    open + 1, ProbeDecoder.symbolEnd(buf, open + 1, close));
            if (t != null) {
                ctx.begin(out, t, line, buf);
                out.bit(Record.B_PROBE);
                try {
                    probes.kprobe(t, buf, nameFrom, nameTo, open, close, to);
                } catch (Malformed m) {
                    // a probe on a pin function whose arguments are not the call's (another fetcharg set): kept, unread
                    out.abort();
                    ctx.forgetSymbols();
                    unknown(nameFrom, nameTo, open, to);
                    return;
                }
                commit(t);
                return;
            }
            int symFrom = open + 1;
            int symTo = ProbeDecoder.symbolEnd(buf, open + 1, close);
            EventType entry = ProbeDecoder.entryProbe(buf, symFrom, symTo);
            if (entry == null) { // trace-cmd report's bare address: the default event name p_SYM_OFFS names the function
                symFrom = ProbeDecoder.defaultNameFrom(buf, nameFrom, nameTo);
                symTo = ProbeDecoder.defaultNameTo(buf, nameFrom, nameTo);
                entry = ProbeDecoder.entryProbe(buf, symFrom, symTo);
            }
            if (entry != null) {
                ctx.begin(out, entry, line, buf);
                probes.entry(entry, buf, nameFrom, nameTo, symFrom, symTo, close + 1, to);
                raw(open, to);
                commit(entry);
                return;
            }
        } else {
            int fn = arrow + 4;
            int fnEnd = ProbeDecoder.symbolEnd(buf, fn, fnLimit);
            // a pin call's return, ib_umem_get()'s (the umem or an ERR_PTR, judged as rdma_reg_mr), udmabuf_create()'s or
            // fixup_user_fault()'s
            boolean onFn = ProbeDecoder.isPinCall(buf, fn, fnEnd) || ProbeDecoder.returnRead(buf, fn, fnEnd);
            int dFrom = ProbeDecoder.defaultNameFrom(buf, nameFrom, nameTo);
            int dTo = ProbeDecoder.defaultNameTo(buf, nameFrom, nameTo);
            boolean onName = !onFn && ProbeDecoder.isPinCall(buf, nameFrom, nameTo);
            if (onFn || onName || ProbeDecoder.isPinCall(buf, dFrom, dTo) || ProbeDecoder.returnRead(buf, dFrom, dTo)) {
                ctx.begin(out, EventType.KRETPROBE, line, buf);
                if (probes.kretprobe(buf, nameFrom, nameTo, onFn ? fn : onName ? nameFrom : dFrom,
                        onFn ? fnEnd : onName ? nameTo : dTo, open, close, fnLimit == close ? close + 1 : fnEnd, to)) {
                    raw(open, to);
                    commit(EventType.KRETPROBE);
                    return;
                }
            }
        }
        unknown(nameFrom, nameTo, open, to);
    }

    /** An event the model does not use: its name and verbatim payload, counted by name. */
    private void unknown(int nameFrom, int nameTo, int from, int to) {
        ctx.begin(out, EventType.UNKNOWN, line, buf);
        int name = symbols.intern(buf, nameFrom, nameTo);
        out.field(Field.EVENT_NAME, ValueType.SYM, name);
        raw(from, to);
        commit(EventType.UNKNOWN);
        if (name >= unknownBySymbol.length) {
            unknownBySymbol = Arrays.copyOf(unknownBySymbol, Math.max(name + 1, unknownBySymbol.length * 2));
        }
        unknownBySymbol[name]++;
    }

    private void raw(int from, int to) {
        if (!out.raw(buf, from, to)) {
            throw bad.tooLong(EXPECTED_SMALLER, (long) out.pendingSize() + to - from);
        }
    }

    private void commit(EventType t) {
        if (!out.commit()) {
            throw bad.tooLong(EXPECTED_SMALLER, out.pendingSize()); // the refused record's size, still known
        }
        stats.byType[t.code()]++;
    }
}
