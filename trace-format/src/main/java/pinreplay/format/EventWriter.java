package pinreplay.format;

/**
 * Builds records and packs them into blocks for a {@link BlockSink}. One record is built at a time:
 * {@link #begin}, header and field setters, then {@link #commit} (or {@link #abort}, which also
 * forgets the symbols the record interned). New symbols are written as {@link EventType#SYMBOL}
 * records just before the first record that uses them, so any reader that starts at the beginning
 * of a stream can resolve every id. Nothing is allocated per record.
 */
public final class EventWriter {
    /** Block capacity: one Chronicle excerpt. Large enough to amortise the per-excerpt cost. */
    public static final int BLOCK_SIZE = 256 << 10;
    /** Fields one record can carry. */
    public static final int MAX_FIELDS = 256;

    private final BlockSink sink;
    private final byte[] block = new byte[BLOCK_SIZE];
    private int used;

    private final SymbolTable symbols = new SymbolTable();
    private final SymbolTable keys = new SymbolTable();
    private int symbolsEmitted;
    private int keysEmitted;

    // The record being built.
    private boolean open;
    private int type;
    private int bits;
    private long line;
    private long ts;
    private int pid;
    private int tgid;
    private int cpu;
    /** {@link Record#NIRQ} and the flag characters after it, as the record's bytes 26 to 31 (little-endian, 48 bits). */
    private long irqWord;
    private int comm;
    private int nfields;
    /** The fields already in their record layout: {@link #commit} copies them in one go. */
    private final byte[] fields = new byte[MAX_FIELDS * Record.FIELD_SIZE];
    private final byte[] raw = new byte[Record.MAX_SIZE];
    private int rawLen;
    private int symbolMark;
    private int keyMark;

    private final long[] countsByType = new long[256];
    private long records;
    private long lastLine;

    public EventWriter(BlockSink sink) {
        this.sink = sink;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public SymbolTable keys() {
        return keys;
    }

    /** Starts a record; any record still open is discarded. */
    public EventWriter begin(EventType t, long sourceLine) {
        if (open) {
            abort();
        }
        open = true;
        type = t.code();
        line = sourceLine;
        bits = 0;
        ts = 0;
        pid = 0;
        tgid = 0;
        cpu = 0;
        irqWord = 0;
        comm = 0;
        nfields = 0;
        rawLen = 0;
        symbolMark = symbols.size();
        keyMark = keys.size();
        return this;
    }

    /** Changes the type of the open record (the parser learns it after the header). */
    public EventWriter type(EventType t) {
        type = t.code();
        return this;
    }

    public EventWriter ts(long value, int tsBits) {
        ts = value;
        bits = (bits & ~(Record.B_TS_NANOS | Record.B_TS_RAW)) | (tsBits & (Record.B_TS_NANOS | Record.B_TS_RAW));
        return this;
    }

    public EventWriter pid(int p) {
        pid = p;
        return this;
    }

    public EventWriter tgid(int t) {
        tgid = t;
        bits |= Record.B_TGID;
        return this;
    }

    public EventWriter cpu(int c) {
        cpu = c;
        return this;
    }

    public EventWriter bit(int b) {
        bits |= b;
        return this;
    }

    /** The irq-info flag characters ({@code d..2}, {@code .....}); 4 or 5 of them, or 6 or 7 {@link IrqFlags} packs. */
    public EventWriter irqFlags(byte[] b, int from, int to) {
        if (to - from > IrqFlags.PLAIN) {
            irqWord = IrqFlags.pack(b, from, to) << 8 | (to - from);
            return this;
        }
        int n = to - from;
        long w = 0;
        if (from + Long.BYTES <= b.length) {
            w = Record.i64(b, from) & ((1L << (n * 8)) - 1); // one load; n is at most 5
        } else {
            for (int i = n - 1; i >= 0; i--) {
                w = w << 8 | (b[from + i] & 0xff);
            }
        }
        irqWord = w << 8 | n;
        return this;
    }

    public EventWriter comm(int symbol) {
        comm = symbol;
        return this;
    }

    public EventWriter comm(byte[] b, int from, int to) {
        comm = symbols.intern(b, from, to);
        return this;
    }

    public EventWriter field(Field f, byte vtype, long value) {
        return field(f.ordinal(), vtype, value);
    }

    /** A field by raw key: a {@link Field} ordinal, or {@link Field#EXTRA_KEYS} + key symbol. */
    public EventWriter field(int key, byte vtype, long value) {
        if (nfields == MAX_FIELDS) {
            throw new IllegalStateException("more than " + MAX_FIELDS + " fields");
        }
        int f = nfields * Record.FIELD_SIZE;
        Record.putI32(fields, f, key & 0xffff | (vtype & 0xff) << 16); // key, type, then a zero byte
        Record.putI64(fields, f + 4, value);
        nfields++;
        return this;
    }

    /** A field whose key the decoder does not know; the key is interned in the key namespace. */
    public EventWriter unknownField(byte[] b, int from, int to, byte vtype, long value) {
        return field(Field.EXTRA_KEYS + keys.intern(b, from, to), vtype, value);
    }

    /** A symbol-valued field: interns {@code b[from, to)}. */
    public EventWriter symbolField(Field f, byte[] b, int from, int to) {
        return field(f.ordinal(), ValueType.SYM, symbols.intern(b, from, to));
    }

    public int fieldCount() {
        return nfields;
    }

    /** Copies the fields of the record just committed (or still open) into {@code dst}; returns how many. */
    public int fieldsInto(byte[] dst) {
        System.arraycopy(fields, 0, dst, 0, nfields * Record.FIELD_SIZE);
        return nfields;
    }

    /** Adds {@code n} fields {@link #fieldsInto} saved from a committed record (their symbols are the stream's). */
    public EventWriter fields(byte[] src, int n) {
        if (nfields + n > MAX_FIELDS) {
            throw new IllegalStateException("more than " + MAX_FIELDS + " fields");
        }
        System.arraycopy(src, 0, fields, nfields * Record.FIELD_SIZE, n * Record.FIELD_SIZE);
        nfields += n;
        return this;
    }

    /** Appends to the raw payload; returns false (and appends nothing) when it would not fit. */
    public boolean raw(byte[] b, int from, int to) {
        int n = to - from;
        if (rawLen + n > raw.length) {
            return false;
        }
        System.arraycopy(b, from, raw, rawLen, n);
        rawLen += n;
        return true;
    }

    /** Size the open record would have. */
    public int pendingSize() {
        return Record.HEADER + nfields * Record.FIELD_SIZE + rawLen;
    }

    /**
     * Writes the open record (after any symbols it introduced) into the block.
     *
     * @return false when the record is larger than {@link Record#MAX_SIZE}; it is then discarded
     */
    public boolean commit() {
        if (!open) {
            return false;
        }
        int size = pendingSize();
        if (size > Record.MAX_SIZE) {
            abort();
            return false;
        }
        open = false;
        emitNewSymbols();
        ensure(size);
        byte[] b = block;
        int o = used;
        // The header as five little-endian words (offsets 0, 8, 16, 24, 32 of the layout in Record).
        Record.putI64(b, o + Record.SIZE, size | (type & 0xffL) << 16 | (bits & 0xffL) << 24 | line << 32);
        Record.putI64(b, o + Record.TS, ts);
        Record.putI64(b, o + Record.PID, pid & 0xffffffffL | (long) tgid << 32);
        Record.putI64(b, o + Record.CPU, cpu & 0xffffL | irqWord << 16);
        Record.putI64(b, o + Record.COMM, comm & 0xffffffffL | (long) nfields << 32 | (long) rawLen << 48);
        int f = o + Record.HEADER + nfields * Record.FIELD_SIZE;
        System.arraycopy(fields, 0, b, o + Record.HEADER, nfields * Record.FIELD_SIZE);
        System.arraycopy(raw, 0, b, f, rawLen);
        used += size;
        countsByType[type]++;
        records++;
        if (line > lastLine) {
            lastLine = line;
        }
        return true;
    }

    /**
     * Appends a record another writer committed (a chunk parsed on another thread), with its symbol and
     * key ids mapped to this writer's ({@code symbolIds[local]}, {@code keyIds[local]}; the symbols were
     * interned here before) and its line moved by {@code lineShift}. Symbols new to this writer are
     * written first, as {@link #commit} does, so the blocks equal those of one writer doing all the work.
     */
    public void copy(byte[] src, int off, int[] symbolIds, int[] keyIds, long lineShift) {
        emitNewSymbols();
        int size = Record.u16(src, off + Record.SIZE);
        ensure(size);
        byte[] b = block;
        int o = used;
        System.arraycopy(src, off, b, o, size);
        long l = Record.u32(src, off + Record.LINE) + lineShift;
        Record.putI32(b, o + Record.LINE, (int) l);
        Record.putI32(b, o + Record.COMM, symbolIds[Record.i32(b, o + Record.COMM)]);
        int n = Record.u16(b, o + Record.NFIELDS);
        for (int f = o + Record.HEADER, end = f + n * Record.FIELD_SIZE; f < end; f += Record.FIELD_SIZE) {
            int key = Record.u16(b, f);
            if (key >= Field.EXTRA_KEYS) {
                Record.putU16(b, f, Field.EXTRA_KEYS + keyIds[key - Field.EXTRA_KEYS]);
            }
            if (b[f + 2] == ValueType.SYM) {
                Record.putI64(b, f + 4, symbolIds[(int) Record.i64(b, f + 4)]);
            }
        }
        used += size;
        countsByType[b[o + Record.TYPE] & 0xff]++;
        records++;
        if (l > lastLine) {
            lastLine = l;
        }
    }

    /** Discards the open record and the symbols it introduced. */
    public void abort() {
        open = false;
        symbols.truncate(Math.max(symbolMark, symbolsEmitted));
        keys.truncate(Math.max(keyMark, keysEmitted));
    }

    /** Hands the current partial block to the sink (a no-op when empty). */
    public void flush() {
        if (used > 0) {
            sink.onBlock(block, used);
            used = 0;
        }
    }

    /** Flushes and tells the sink the stream ended. */
    public void finish() {
        flush();
        sink.onEnd();
    }

    /** Records committed, by event type code (symbols included under their own type). */
    public long count(EventType t) {
        return countsByType[t.code()];
    }

    public long records() {
        return records;
    }

    /** Highest source line of a committed record. */
    public long lastLine() {
        return lastLine;
    }

    /** SYMBOL records for the keys, then the symbols, interned since the last record. */
    private void emitNewSymbols() {
        while (keysEmitted < keys.size()) {
            emitSymbol(keys, ++keysEmitted, Record.B_KEYS);
        }
        while (symbolsEmitted < symbols.size()) {
            emitSymbol(symbols, ++symbolsEmitted, 0);
        }
    }

    private void emitSymbol(SymbolTable table, int id, int extraBits) {
        int n = table.length(id);
        int size = Record.HEADER + Record.FIELD_SIZE + n;
        ensure(size);
        byte[] b = block;
        int o = used;
        java.util.Arrays.fill(b, o, o + Record.HEADER, (byte) 0);
        Record.putU16(b, o + Record.SIZE, size);
        b[o + Record.TYPE] = (byte) EventType.SYMBOL.code();
        b[o + Record.BITS] = (byte) extraBits;
        Record.putU16(b, o + Record.NFIELDS, 1);
        Record.putU16(b, o + Record.RAWLEN, n);
        int f = o + Record.HEADER;
        Record.putU16(b, f, Field.SYMBOL_ID.ordinal());
        b[f + 2] = ValueType.DEC;
        b[f + 3] = 0;
        Record.putI64(b, f + 4, id);
        table.copy(id, b, f + Record.FIELD_SIZE);
        used += size;
        countsByType[EventType.SYMBOL.code()]++;
    }

    private void ensure(int size) {
        if (used + size > BLOCK_SIZE) {
            flush();
        }
    }
}
