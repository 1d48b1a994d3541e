package pinreplay.format;

import java.util.Arrays;

/**
 * A flyweight over one record in a block: {@link #wrap} points it at the bytes and indexes the
 * known fields, the getters read primitives. One instance is reused for every record; nothing is
 * allocated per event. Symbol-valued fields resolve through {@link #symbols()}.
 */
public final class EventView {
    private byte[] buf;
    private int off;
    private EventType type;
    private final SymbolTable symbols;
    private final SymbolTable keys;

    // Index of known fields: slot[f] = field position + 1 when stamp[f] == generation.
    private final int[] stamp = new int[Field.COUNT];
    private final int[] slot = new int[Field.COUNT];
    private int generation;

    public EventView(SymbolTable symbols, SymbolTable keys) {
        this.symbols = symbols;
        this.keys = keys;
    }

    /** Points the view at the record at {@code buf[offset]}. */
    public EventView wrap(byte[] b, int offset) {
        buf = b;
        off = offset;
        type = EventType.ofCode(b[offset + Record.TYPE]);
        if (++generation == 0) {
            Arrays.fill(stamp, 0);
            generation = 1;
        }
        int n = fieldCount();
        int f = offset + Record.HEADER;
        for (int i = 0; i < n; i++, f += Record.FIELD_SIZE) {
            int key = Record.u16(b, f);
            if (key < Field.COUNT && stamp[key] != generation) {
                stamp[key] = generation;
                slot[key] = i;
            }
        }
        return this;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public SymbolTable keys() {
        return keys;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int size() {
        return Record.u16(buf, off + Record.SIZE);
    }

    public EventType type() {
        return type;
    }

    public int bits() {
        return buf[off + Record.BITS] & 0xff;
    }

    public boolean bit(int b) {
        return (bits() & b) != 0;
    }

    /** 1-based source line, 0 when the record has none. */
    public long line() {
        return Record.u32(buf, off + Record.LINE);
    }

    /** Timestamp in nanoseconds (or the raw counter when {@link Record#B_TS_RAW}). */
    public long ts() {
        return Record.i64(buf, off + Record.TS);
    }

    public int pid() {
        return Record.i32(buf, off + Record.PID);
    }

    public boolean hasTgid() {
        return bit(Record.B_TGID);
    }

    public int tgid() {
        return Record.i32(buf, off + Record.TGID);
    }

    public int cpu() {
        return Record.u16(buf, off + Record.CPU);
    }

    public int irqFlagCount() {
        return buf[off + Record.NIRQ];
    }

    public byte irqFlag(int i) {
        if (irqFlagCount() > IrqFlags.PLAIN) {
            return IrqFlags.unpack(Record.i64(buf, off + Record.NIRQ) >>> 8, i);
        }
        return buf[off + Record.IRQ + i];
    }

    /** The task name symbol, 0 when absent. */
    public int comm() {
        return Record.i32(buf, off + Record.COMM);
    }

    public int fieldCount() {
        return Record.u16(buf, off + Record.NFIELDS);
    }

    /** Key of the i-th field: a {@link Field} ordinal, or {@link Field#EXTRA_KEYS} + key symbol. */
    public int fieldKey(int i) {
        return Record.u16(buf, fieldAt(i));
    }

    public byte fieldType(int i) {
        return buf[fieldAt(i) + 2];
    }

    public long fieldValue(int i) {
        return Record.i64(buf, fieldAt(i) + 4);
    }

    /** The text of a field key: the {@link Field} key or the unknown key's symbol. */
    public String keyName(int key) {
        return key < Field.COUNT ? Field.of(key).key() : keys.string(key - Field.EXTRA_KEYS);
    }

    public boolean has(Field f) {
        return stamp[f.ordinal()] == generation;
    }

    /** Value of field {@code f}; call {@link #has} first, or use {@link #get(Field, long)}. */
    public long get(Field f) {
        return fieldValue(slot[f.ordinal()]);
    }

    public long get(Field f, long otherwise) {
        return has(f) ? fieldValue(slot[f.ordinal()]) : otherwise;
    }

    /** The value type of field {@code f} ({@link ValueType}); -1 when absent. */
    public byte typeOf(Field f) {
        return has(f) ? fieldType(slot[f.ordinal()]) : -1;
    }

    /** The symbol id of field {@code f}, 0 when absent or not a symbol. */
    public int symbol(Field f) {
        return has(f) && fieldType(slot[f.ordinal()]) == ValueType.SYM ? (int) get(f) : 0;
    }

    /** Whether field {@code f} is the word {@code word} (e.g. {@code prot=rw}). */
    public boolean is(Field f, String word) {
        return symbols.is(symbol(f), word);
    }

    public int rawOffset() {
        return off + Record.HEADER + fieldCount() * Record.FIELD_SIZE;
    }

    public int rawLength() {
        return Record.u16(buf, off + Record.RAWLEN);
    }

    /** The raw payload as a String (allocates; for printing and tests). */
    public String rawString() {
        return new String(buf, rawOffset(), rawLength(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The event's name as it appears in text ({@link Field#EVENT_NAME} for unknown events and probes). */
    public String eventName() {
        int s = symbol(Field.EVENT_NAME);
        return s != 0 ? symbols.string(s) : type.eventName();
    }

    private int fieldAt(int i) {
        return off + Record.HEADER + i * Record.FIELD_SIZE;
    }
}
