package pinreplay.format.queue;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;
import pinreplay.format.ValueType;

/**
 * How a block of records is stored in the queue: the same records as {@link Record} lays them out in
 * memory, written as what varies from one record to the next. {@link BlockEncoder} writes it, {@link
 * BlockDecoder} gives back the exact bytes of the block. Integers are unsigned LEB128 varints; a
 * signed difference is zigzag-encoded first. Every table below starts empty with each block, except
 * the symbols, which are the queue's (learned from its {@link EventType#SYMBOL} records, in order).
 *
 * <pre>
 * record:  varint shape        an id below the shapes defined so far, or the next id followed by its definition
 *          [line]              {@link #LINE_DELTA}: zigzag(line - (previous non-zero line + 1))
 *          [timestamp]         {@link #TS_DELTA}: zigzag(ts - previous non-zero ts)
 *          [context]           {@link #CTX_REF}: varint: 0 the previous record's, k the k-th context of the block,
 *                              contexts + 1 a new one: zigzag pid, zigzag tgid, varint cpu, varint irq word, varint comm
 *          values              per field: zigzag(value - the same field's value in the last record of this shape)
 *          [payload]           {@link #RAW_STRING}: varint 0, varint length, bytes (a new string) or k (the k-th)
 * shape:   u8 type, u8 bits, u8 modes (line 2 bits, ts 1, context 1, payload 2), varint field count,
 *          per field: varint key, u8 value type | 0x80 when the value's text is part of the payload,
 *          {@link #RAW_TEMPLATE}: the payload's text between those values, one more piece than values:
 *          varint length, bytes each
 * </pre>
 *
 * A tracepoint's payload is kept verbatim for printing, but its values are the record's fields: the
 * template stores only the text around them ({@code "mm="}, {@code " memcg_path="}...) once per shape,
 * and the decoder prints each value back ({@link #text}). Any split of the payload at found values
 * rebuilds it exactly, so finding a value's text early (inside a key) only costs another shape.
 */
final class CompactBlock {
    static final int LINE_NEXT = 0, LINE_ZERO = 1, LINE_DELTA = 2;
    static final int TS_ZERO = 0, TS_DELTA = 4;
    static final int CTX_NONE = 0, CTX_REF = 8;
    static final int RAW_NONE = 0, RAW_TEMPLATE = 16, RAW_STRING = 32;
    static final int LINE_MASK = 3, RAW_MASK = 48;
    /** Value type bit of a shape's field: its text is in the payload. */
    static final int EMBEDDED = 0x80;

    /** Upper bound of records (so of shapes, contexts, strings) in one block. */
    static final int MAX_RECORDS = EventWriter.BLOCK_SIZE / Record.HEADER + 1;
    /** Upper bound of fields in one block. */
    static final int MAX_FIELDS = EventWriter.BLOCK_SIZE / Record.FIELD_SIZE + 1;
    /** Longest text of an embeddable value other than a symbol (a DEVNO: 10 + 1 + 10 digits). */
    static final int MAX_NUMBER_TEXT = 24;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    /** 10^i for i < 19: the powers a positive long can reach. */
    private static final long[] POWERS = new long[19];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private CompactBlock() {
    }

    /** Copies {@code n} bytes; a loop for the few bytes of a template's piece, where a call costs more. */
    static void copy(byte[] src, int from, byte[] dst, int to, int n) {
        if (n > 16) {
            System.arraycopy(src, from, dst, to, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[to + i] = src[from + i];
        }
    }

    /**
     * Whether {@code a[from, from + n)} equals {@code b[at, at + n)}: a word per step for the tens of
     * bytes of a payload's run, the last word overlapping; bytes under a word, where a call costs more.
     */
    static boolean same(byte[] a, int from, byte[] b, int at, int n) {
        if (n >= Long.BYTES) {
            for (int i = 0; i < n - Long.BYTES; i += Long.BYTES) {
                if (Record.i64(a, from + i) != Record.i64(b, at + i)) {
                    return false;
                }
            }
            return Record.i64(a, from + n - Long.BYTES) == Record.i64(b, at + n - Long.BYTES);
        }
        for (int i = 0; i < n; i++) {
            if (a[from + i] != b[at + i]) {
                return false;
            }
        }
        return true;
    }

    static long zigzag(long v) {
        return v << 1 ^ v >> 63;
    }

    static long unzigzag(long v) {
        return v >>> 1 ^ -(v & 1);
    }

    /** Writes {@code v} as an unsigned varint at {@code b[off]}; returns the offset after it. */
    static int putVarint(byte[] b, int off, long v) {
        while ((v & ~0x7fL) != 0) {
            b[off++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }

    /**
     * The text of value {@code v} of type {@code vtype} written at {@code out[off]} (symbols from
     * {@code symbols}): the end offset, or -1 when this type's text is not rebuilt from its value
     * (errno names, FOLL flags, a symbol not defined yet). The printers' forms: decimal, {@code 0x}
     * and bare hex, 16-digit pointers, {@code true}/{@code false}, {@code major:minor}.
     */
    static int text(long v, int vtype, SymbolTable symbols, byte[] out, int off) {
        switch (vtype) {
            case ValueType.DEC:
                return dec(v, out, off);
            case ValueType.HEX:
                out[off] = '0';
                out[off + 1] = 'x';
                return hex(v, 0, out, off + 2);
            case ValueType.HEX_BARE:
                return hex(v, 0, out, off);
            case ValueType.PTR:
                return hex(v, 16, out, off);
            case ValueType.BOOL:
                byte[] w = v != 0 ? TRUE : FALSE;
                System.arraycopy(w, 0, out, off, w.length);
                return off + w.length;
            case ValueType.DEVNO:
                off = dec(v >>> 32, out, off);
                out[off] = ':';
                return dec(v & 0xffffffffL, out, off + 1);
            case ValueType.SYM:
                return v >= 1 && v <= symbols.size() ? off + symbols.copy((int) v, out, off) : -1;
            default:
                return -1;
        }
    }

    /**
     * Learns the symbol a {@link EventType#SYMBOL} record at {@code b[o]} defines, when it is the next
     * one of the value namespace (key symbols are never part of a payload).
     */
    static void learn(SymbolTable symbols, byte[] b, int o) {
        if ((b[o + Record.TYPE] & 0xff) != EventType.SYMBOL.code() || (b[o + Record.BITS] & Record.B_KEYS) != 0
                || Record.u16(b, o + Record.NFIELDS) == 0 || Record.u16(b, o + Record.HEADER) != Field.SYMBOL_ID.ordinal()
                || Record.i64(b, o + Record.HEADER + 4) != symbols.size() + 1) {
            return;
        }
        int from = o + Record.HEADER + Record.u16(b, o + Record.NFIELDS) * Record.FIELD_SIZE;
        symbols.add(b, from, from + Record.u16(b, o + Record.RAWLEN));
    }

    private static int dec(long v, byte[] out, int off) {
        if (v < 0) {
            return negative(v, out, off);
        }
        int n = 1;
        while (n < POWERS.length && v >= POWERS[n]) {
            n++;
        }
        int i = off + n;
        while (v >= 100) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            out[--i] = (byte) ('0' + r % 10);
            out[--i] = (byte) ('0' + r / 10);
            v = q;
        }
        if (v >= 10) {
            out[--i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        out[--i] = (byte) ('0' + v);
        return off + n;
    }

    private static int negative(long v, byte[] out, int off) {
        out[off++] = '-';
        int n = 1;
        for (long u = v / 10; u != 0; u /= 10) {
            n++;
        }
        long u = v;
        for (int i = off + n - 1; i >= off; i--) {
            out[i] = (byte) ('0' + Math.abs(u % 10));
            u /= 10;
        }
        return off + n;
    }

    private static int hex(long v, int width, byte[] out, int off) {
        int n = Math.max(width, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
        n = Math.max(n, 1);
        for (int i = off + n - 1; i >= off; i--) {
            out[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return off + n;
    }
}
