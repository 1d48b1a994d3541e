package pinreplay.format.print;

import pinreplay.format.Errno;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Foll;
import pinreplay.format.Record;
import pinreplay.format.ValueType;

/**
 * How timestamps and field values print, shared by {@link FtracePrinter} (text the parser reads
 * back to identical records) and {@link JsonlPrinter} (the same values as JSON).
 */
final class ValueText {
    private static final long NANOS = 1_000_000_000L;
    private static final String[] FOLL_NAMES = new String[64];

    static {
        for (int i = 0; i < 64; i++) {
            FOLL_NAMES[i] = Foll.names(1L << i);
        }
    }

    private ValueText() {
    }

    /**
     * The timestamp as stored: {@code %5lu.%06lu} (kernel trace_print_time()), 9 decimals with
     * {@link Record#B_TS_NANOS}, or the raw counter ({@code %12llu}). {@code padded} adds the kernel's
     * column widths; JSON wants the bare number.
     */
    static void timestamp(TextBuffer o, EventView e, boolean padded) {
        long ts = e.ts();
        if (e.bit(Record.B_TS_RAW)) {
            o.decPadded(ts, padded ? 12 : 0, ' ', false);
            return;
        }
        o.decPadded(ts / NANOS, padded ? 5 : 0, ' ', false);
        o.put('.');
        if (e.bit(Record.B_TS_NANOS)) {
            o.decPadded(ts % NANOS, 9, '0', false);
        } else {
            o.decPadded(ts % NANOS / 1000, 6, '0', false);
        }
    }

    /** The key of field {@code i}: a {@link Field} key or an unknown key's symbol. */
    static void key(TextBuffer o, EventView e, int i, boolean json) {
        int key = e.fieldKey(i);
        if (key < Field.COUNT) {
            if (json) {
                o.put('"');
                o.ascii(Field.of(key).key());
                o.put('"');
            } else {
                o.ascii(Field.of(key).key());
            }
        } else if (json) {
            o.jsonSymbol(e.keys(), key - Field.EXTRA_KEYS);
        } else {
            o.symbol(e.keys(), key - Field.EXTRA_KEYS);
        }
    }

    /** The value of field {@code i} in its stored type: trace text, or JSON. */
    static void value(TextBuffer o, EventView e, int i, boolean json) {
        long v = e.fieldValue(i);
        byte type = e.fieldType(i);
        boolean quoted = json && type != ValueType.DEC && type != ValueType.BOOL && type != ValueType.SYM;
        if (quoted) {
            o.put('"');
        }
        switch (type) {
            case ValueType.HEX -> {
                o.ascii("0x");
                o.hex(v, 0);
            }
            case ValueType.HEX_BARE -> {
                if (json) {
                    o.ascii("0x");
                }
                o.hex(v, 0);
            }
            case ValueType.PTR -> {
                if (json) {
                    o.ascii("0x");
                }
                o.hex(v, json ? 0 : 16);
            }
            case ValueType.ERRNO -> errno(o, v);
            case ValueType.SYM -> {
                if (json) {
                    o.jsonSymbol(e.symbols(), (int) v);
                } else {
                    o.symbol(e.symbols(), (int) v);
                }
            }
            case ValueType.FOLL -> foll(o, v);
            case ValueType.BOOL -> o.ascii(v != 0 ? "true" : "false");
            case ValueType.DEVNO -> {
                o.dec(v >>> 32);
                o.put(':');
                o.dec(v & 0xffffffffL);
            }
            default -> o.dec(v);
        }
        if (quoted) {
            o.put('"');
        }
    }

    private static void errno(TextBuffer o, long v) {
        String name = v < 0 && v > Integer.MIN_VALUE ? Errno.name((int) -v) : null;
        if (name == null) {
            o.dec(v);
        } else {
            o.put('-');
            o.ascii(name);
        }
    }

    /** {@code FOLL_WRITE|FOLL_LONGTERM} in bit order, as {@link Foll#names} spells them. */
    private static void foll(TextBuffer o, long bits) {
        if (bits == 0) {
            o.put('0');
            return;
        }
        boolean first = true;
        for (int i = 0; i < 64; i++) {
            if ((bits & (1L << i)) != 0) {
                if (!first) {
                    o.put('|');
                }
                o.ascii(FOLL_NAMES[i]);
                first = false;
            }
        }
    }
}
