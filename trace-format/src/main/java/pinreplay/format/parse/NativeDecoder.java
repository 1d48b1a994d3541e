package pinreplay.format.parse;

import java.util.Arrays;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.Madv;
import pinreplay.format.ValueType;

/**
 * The {@code key=value} payload of a native event (docs/trace-format.md section 3), from a bare line, a
 * trace marker or a kprobe on a pin function. Known keys are checked against what they must hold
 * ({@link FieldKeys}); unknown keys are kept. After the payload, the event's required fields must
 * all be there. Duplicate known keys are refused: a reader would only ever see the first.
 */
final class NativeDecoder {
    /** The ordinals of each event type's required fields. */
    private static final int[][] REQUIRED = new int[256][];

    static {
        for (EventType t : EventType.values()) {
            REQUIRED[t.code()] = java.util.Arrays.stream(t.required()).mapToInt(Field::ordinal).toArray();
        }
    }

    private static final int ADVICE = Field.ADVICE.ordinal();

    private final EventWriter out;
    private final Malformed bad;
    private final SymbolCache symbols;
    private final Value v = new Value();
    private final int[] seen = new int[Field.COUNT];
    private int generation;
    /** Decoding a kprobe on a pin call: its arguments may carry other names ({@link ProbeArgs}). */
    private boolean aliases;

    NativeDecoder(EventWriter out, Malformed bad, SymbolCache symbols) {
        this.out = out;
        this.bad = bad;
        this.symbols = symbols;
    }

    /** Decodes a kprobe's arguments: as {@link #decode}, with {@link ProbeArgs}' other names for the pin call's fields. */
    void decodeProbe(EventType t, byte[] b, int from, int to, boolean bareHex) {
        aliases = true;
        try {
            decode(t, b, from, to, bareHex);
        } finally {
            aliases = false;
        }
    }

    /** Starts the field set of a new record. */
    void reset() {
        if (++generation == 0) {
            Arrays.fill(seen, 0);
            generation = 1;
        }
    }

    /** Notes a field the caller added itself (the probe columns), so the payload cannot repeat it. */
    void mark(Field f) {
        seen[f.ordinal()] = generation;
    }

    /**
     * Decodes {@code b[from, to)} into the open record of type {@code t}.
     *
     * @param probe kprobe arguments: bare numbers are hex (kprobetrace's default x-types)
     */
    void decode(EventType t, byte[] b, int from, int to, boolean probe) {
        from = Bytes.skipSpaces(b, from, to);
        for (int i = from; i < to; i = Bytes.skipSpaces(b, i, to)) {
            int eq = Bytes.keyEnd(b, i, to);
            if (eq == i || eq == to || b[eq] != '=') {
                throw bad.at("expected KEY=VALUE", i, Bytes.tokenEnd(b, i, to));
            }
            if (out.fieldCount() == EventWriter.MAX_FIELDS) {
                throw bad.at("expected at most " + EventWriter.MAX_FIELDS + " fields", i, to);
            }
            int k = aliases ? ProbeArgs.alias(t, b, i, eq) : -1;
            if (k < 0) {
                k = FieldKeys.ordinal(b, i, eq);
            }
            i = k >= 0 ? known(k, b, i, eq + 1, to, probe) : v.addExtra(out, symbols, b, i, eq, to, probe);
        }
        for (int k : REQUIRED[t.code()]) {
            if (seen[k] != generation) {
                throw bad.at("expected %s= in a %s event", key(k), t.eventName(), from, to);
            }
        }
        if ((t == EventType.DMA_WRITE || t == EventType.DMA_READ)
                && seen[Field.IOVA.ordinal()] != generation && seen[Field.OFFSET.ordinal()] != generation) {
            throw bad.at("expected iova= or offset= in a %s event", t.eventName(), from, to);
        }
    }

    /** Adds the known field of ordinal {@code k} whose value starts at {@code b[from]}; returns where the token ends. */
    private int known(int k, byte[] b, int keyFrom, int from, int to, boolean probe) {
        if (seen[k] == generation) {
            throw bad.at("expected one %s= per event", key(k), keyFrom, Bytes.tokenEnd(b, from, to));
        }
        seen[k] = generation;
        switch (FieldKeys.kind(k)) {
            case FieldKeys.WORD:
                int e = Bytes.tokenEnd(b, from, to);
                if (from == e) {
                    throw bad.at("expected a word for %s", key(k), from, e);
                }
                if (k == ADVICE && Madv.of(b, from, e) < 0) {
                    throw bad.at("expected a MADV_* name in lower case (dontneed, populate_write, ...) or a number for "
                            + "advice", from, e);
                }
                out.field(k, ValueType.SYM, symbols.intern(b, from, e));
                return e;
            case FieldKeys.NUMBER:
                if (!number(b, from, to, probe)) {
                    throw bad.at("expected a number for %s", key(k), from, Bytes.tokenEnd(b, from, to));
                }
                break;
            case FieldKeys.RESULT:
                if (!number(b, from, to, probe) && !v.errno(b, from, to)) {
                    throw bad.at("expected a count or -ERRNO for %s", key(k), from, Bytes.tokenEnd(b, from, to));
                }
                break;
            case FieldKeys.GUP_FLAGS:
                if (!number(b, from, to, probe) && !v.foll(b, from, to)) {
                    throw bad.at("expected FOLL_* names joined by | or a number for %s", key(k), from,
                            Bytes.tokenEnd(b, from, to));
                }
                break;
            default:
                if (!scan(b, from, to, probe)) {
                    int w = Bytes.tokenEnd(b, from, to);
                    out.field(k, ValueType.SYM, symbols.intern(b, from, w));
                    return w;
                }
        }
        out.field(k, v.type, v.value);
        return v.end;
    }

    private static String key(int k) {
        return FieldKeys.field(k).key();
    }

    private boolean number(byte[] b, int from, int to, boolean probe) {
        return probe ? v.scanProbe(b, from, to) : v.hex0x(b, from, to) || v.dec(b, from, to) || v.nil(b, from, to);
    }

    private boolean scan(byte[] b, int from, int to, boolean probe) {
        return probe ? v.scanProbe(b, from, to) : v.scanNative(b, from, to);
    }
}
