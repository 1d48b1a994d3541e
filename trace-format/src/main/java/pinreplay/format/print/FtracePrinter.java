package pinreplay.format.print;

import java.io.OutputStream;

import pinreplay.format.EventHandler;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Record;

/**
 * Prints records as ftrace text that {@code TraceParser} reads back to identical records. Lines are
 * laid out as kernel/trace/trace_output.c trace_print_context() does ({@code %16s-%-7d}, the TGID
 * column when the record has one, {@code [%03d]}, the irq flags when present, the timestamp in its
 * stored precision); native events print as canonical {@code key=value} in stored order, in their
 * probe or trace-marker form when they came that way; everything kept verbatim prints verbatim.
 * Blank lines fill gaps in line numbers, so a re-parse numbers every record the same way.
 */
public final class FtracePrinter implements EventHandler {
    private static final String MARKER = "tracing_mark_write: ";

    private final TextBuffer o;
    private long lastLine;

    public FtracePrinter(OutputStream out) {
        this.o = new TextBuffer(out);
    }

    @Override
    public void onEvent(EventView e) {
        long line = e.line();
        for (long gap = lastLine + 1; line > 0 && gap < line; gap++) {
            o.put('\n');
        }
        lastLine = Math.max(lastLine, line);
        EventType t = e.type();
        if (t == EventType.COMMENT || t == EventType.OTHER || t == EventType.LOST_EVENTS) {
            o.put(e.buffer(), e.rawOffset(), e.rawLength());
        } else {
            context(e);
            if (t.isNative()) {
                nativeEvent(e);
            } else if ((t == EventType.SYSCALL_ENTER || t == EventType.SYSCALL_EXIT) && e.symbol(Field.EVENT_NAME) == 0) {
                o.put(e.buffer(), e.rawOffset(), e.rawLength()); // ftrace's own "sys_mmap(...)", "sys_mmap -> 0x..."
            } else {
                name(e);
                o.ascii(": ");
                o.put(e.buffer(), e.rawOffset(), e.rawLength());
            }
        }
        o.put('\n');
    }

    @Override
    public void onEnd() {
        flush();
    }

    /** Writes out what is buffered (e.g. while following a queue whose writer is idle). */
    public void flush() {
        o.flush();
    }

    /** {@code "%16s-%-7d "}, {@code "(%7d) "}, {@code "[%03d] "}, flags, {@code "%5lu.%06lu: "}. */
    private void context(EventView e) {
        int comm = e.comm();
        if (comm == 0) {
            o.repeat(' ', 11);
            o.ascii("<...>");
        } else {
            o.repeat(' ', 16 - e.symbols().length(comm));
            o.symbol(e.symbols(), comm);
        }
        o.put('-');
        o.decPadded(e.pid(), 7, ' ', true);
        o.put(' ');
        if (e.hasTgid()) {
            o.put('(');
            if (e.tgid() < 0) {
                o.ascii("-------");
            } else {
                o.decPadded(e.tgid(), 7, ' ', false);
            }
            o.ascii(") ");
        }
        o.put('[');
        o.decPadded(e.cpu(), 3, '0', false);
        o.ascii("] ");
        int flags = e.irqFlagCount();
        if (flags > 0) {
            for (int i = 0; i < flags; i++) {
                o.put((char) e.irqFlag(i));
            }
            o.put(' ');
        }
        ValueText.timestamp(o, e, true);
        o.ascii(": ");
    }

    /** The event's own name: the canonical one, or the one the trace used ({@link Field#EVENT_NAME}). */
    private void name(EventView e) {
        int name = e.symbol(Field.EVENT_NAME);
        if (name != 0) {
            o.symbol(e.symbols(), name);
        } else {
            o.ascii(e.type().eventName());
        }
    }

    private void nativeEvent(EventView e) {
        boolean probe = e.bit(Record.B_PROBE);
        if (e.bit(Record.B_MARKER)) {
            o.ascii(MARKER);
        }
        name(e);
        o.ascii(": ");
        boolean first = true;
        if (probe) {
            o.put('(');
            o.symbol(e.symbols(), e.symbol(Field.PROBE));
            o.put(')');
            first = false;
        }
        for (int i = 0, n = e.fieldCount(); i < n; i++) {
            int key = e.fieldKey(i);
            if (probe && (key == Field.PROBE.ordinal() || key == Field.EVENT_NAME.ordinal())) {
                continue;
            }
            if (!first) {
                o.put(' ');
            }
            first = false;
            ValueText.key(o, e, i, false);
            o.put('=');
            ValueText.value(o, e, i, false);
        }
    }
}
