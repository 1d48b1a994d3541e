package pinreplay.replay.explore;

import java.util.Arrays;

import pinreplay.format.EventHandler;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;

/**
 * A trace held in memory for exploration: the records of its events in recorded order (copied out of the
 * reader's blocks), the comment lines before its first event (the reproducers' header), and the symbol
 * tables they were read with. Fill it as the {@link EventHandler} of an {@code EventReader}; comments,
 * unknown events and other lines between events are dropped (the replayer passes them through).
 */
public final class TraceEvents implements EventHandler {
    private byte[] data = new byte[1 << 16];
    private int used;
    private int[] offsets = new int[256];
    private int count;
    private int[] header = new int[16];
    private int headerCount;
    private SymbolTable symbols;
    private SymbolTable keys;

    @Override
    public void onEvent(EventView v) {
        symbols = v.symbols();
        keys = v.keys();
        EventType t = v.type();
        if (t == EventType.COMMENT) {
            if (count == 0) {
                header = grow(header, headerCount);
                header[headerCount++] = copy(v);
            }
            return;
        }
        if (t.kind() == EventType.Kind.META) {
            return;
        }
        offsets = grow(offsets, count);
        offsets[count++] = copy(v);
    }

    private int copy(EventView v) {
        int size = v.size();
        if (used + size > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, used + size));
        }
        System.arraycopy(v.buffer(), v.offset(), data, used, size);
        int at = used;
        used += size;
        return at;
    }

    private static int[] grow(int[] a, int n) {
        return n < a.length ? a : Arrays.copyOf(a, a.length * 2);
    }

    /** Events in recorded order. */
    public int size() {
        return count;
    }

    public byte[] data() {
        return data;
    }

    /** Offset of event {@code i}'s record in {@link #data()}. */
    public int offset(int i) {
        return offsets[i];
    }

    public int recordSize(int i) {
        return Record.u16(data, offsets[i] + Record.SIZE);
    }

    public long ts(int i) {
        return Record.i64(data, offsets[i] + Record.TS);
    }

    public long line(int i) {
        return Record.u32(data, offsets[i] + Record.LINE);
    }

    public int headerLines() {
        return headerCount;
    }

    public int headerOffset(int i) {
        return header[i];
    }

    /** A view over this trace's records (wrap it at {@link #offset}). */
    public EventView view() {
        return new EventView(symbols != null ? symbols : new SymbolTable(), keys != null ? keys : new SymbolTable());
    }

    public SymbolTable symbols() {
        return symbols;
    }

    /** The event name of event {@code i} as the trace prints it. */
    public String eventName(int i) {
        return EventType.ofCode(data[offsets[i] + Record.TYPE]).eventName();
    }
}
