package pinreplay.format.print;

import java.io.OutputStream;

import pinreplay.format.EventHandler;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Record;

/**
 * One JSON object per event, for jq:
 * {@code {"line":3,"ts":100.000100,"comm":"qemu-kvm","pid":4242,"cpu":1,"event":"vfio_dma_map","args":{...}}}.
 * Values keep their stored type: decimal numbers as JSON numbers, hex and pointers as {@code "0x.."}
 * strings, errnos as {@code "-EFAULT"}, FOLL flags by name, device numbers as {@code "253:6"}.
 * Events kept verbatim (unknown events, tracepoints, other tracers' lines) add {@code "payload"}.
 * Comments are skipped.
 */
public final class JsonlPrinter implements EventHandler {
    private final TextBuffer o;

    public JsonlPrinter(OutputStream out) {
        this.o = new TextBuffer(out);
    }

    @Override
    public void onEvent(EventView e) {
        EventType t = e.type();
        if (t == EventType.COMMENT) {
            return;
        }
        o.ascii("{\"line\":");
        o.dec(e.line());
        if (e.comm() != 0) {
            o.ascii(",\"ts\":");
            ValueText.timestamp(o, e, false);
            o.ascii(",\"comm\":");
            o.jsonSymbol(e.symbols(), e.comm());
            o.ascii(",\"pid\":");
            o.dec(e.pid());
            if (e.hasTgid()) {
                o.ascii(",\"tgid\":");
                o.dec(e.tgid());
            }
        }
        if (e.comm() != 0 || t == EventType.LOST_EVENTS) {
            o.ascii(",\"cpu\":");
            o.dec(e.cpu());
        }
        o.ascii(",\"event\":");
        int name = t.isNative() ? 0 : e.symbol(Field.EVENT_NAME);
        if (name != 0) {
            o.jsonSymbol(e.symbols(), name);
        } else {
            o.put('"');
            o.ascii(t.eventName());
            o.put('"');
        }
        if (e.bit(Record.B_MARKER)) {
            o.ascii(",\"marker\":true");
        }
        args(e, t.isNative());
        if (!t.isNative() && t != EventType.LOST_EVENTS) {
            o.ascii(",\"payload\":");
            o.jsonString(e.buffer(), e.rawOffset(), e.rawLength());
        }
        o.put('}');
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

    /** {@code "args":{...}} in stored order; the event name of a non-native event is already printed. */
    private void args(EventView e, boolean keepEventName) {
        boolean open = false;
        for (int i = 0, n = e.fieldCount(); i < n; i++) {
            if (!keepEventName && e.fieldKey(i) == Field.EVENT_NAME.ordinal()) {
                continue;
            }
            o.ascii(open ? "," : ",\"args\":{");
            open = true;
            ValueText.key(o, e, i, true);
            o.put(':');
            ValueText.value(o, e, i, true);
        }
        if (open) {
            o.put('}');
        }
    }
}
