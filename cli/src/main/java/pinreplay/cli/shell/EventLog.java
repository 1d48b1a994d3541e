package pinreplay.cli.shell;

import java.util.Arrays;

import pinreplay.format.BlockSink;
import pinreplay.format.EventType;
import pinreplay.format.Record;

/**
 * An append-only, in-memory list of binary event records (the session's trace, its typed events).
 * Symbol records are not kept: every record of a session is written by one
 * {@link pinreplay.format.EventWriter}, whose symbol table resolves them all.
 */
final class EventLog implements BlockSink {
    private byte[] data = new byte[1 << 16];
    private int used;
    private int[] offsets = new int[1024];
    private int count;

    @Override
    public void onBlock(byte[] buf, int length) {
        int o = 0;
        while (o + Record.HEADER <= length) {
            int size = Record.u16(buf, o + Record.SIZE);
            if (buf[o + Record.TYPE] != (byte) EventType.SYMBOL.code()) {
                append(buf, o, size);
            }
            o += size;
        }
    }

    /** Copies one record of {@code size} bytes at {@code buf[off]}. */
    void append(byte[] buf, int off, int size) {
        if (used + size > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, used + size));
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        System.arraycopy(buf, off, data, used, size);
        offsets[count++] = used;
        used += size;
    }

    /** Appends record {@code i} of {@code other}. */
    void appendFrom(EventLog other, int i) {
        append(other.data, other.offset(i), other.size(i));
    }

    int count() {
        return count;
    }

    /** The buffer holding every record; valid until the next append. */
    byte[] data() {
        return data;
    }

    int offset(int i) {
        return offsets[i];
    }

    int size(int i) {
        return Record.u16(data, offsets[i] + Record.SIZE);
    }

    EventType type(int i) {
        return EventType.ofCode(data[offsets[i] + Record.TYPE]);
    }

    long line(int i) {
        return Record.u32(data, offsets[i] + Record.LINE);
    }

    /** Rewrites the source line of record {@code i}. */
    void setLine(int i, long line) {
        Record.putI32(data, offsets[i] + Record.LINE, (int) line);
    }

    /** Forgets every record from index {@code n} on (typed events undone by {@code back}). */
    void truncate(int n) {
        if (n < count) {
            used = n == 0 ? 0 : offsets[n];
            count = n;
        }
    }
}
