package pinreplay.format.queue;

import pinreplay.format.Record;
import pinreplay.format.SymbolTable;

import static pinreplay.format.queue.CompactBlock.*;

/**
 * Gives back the records of a {@link CompactBlock}, byte for byte as the writer packed them. One decoder
 * reads a whole queue from its first block (it learns the queue's symbols as they are defined, and
 * {@link #stored} tells it about blocks stored as they are); nothing is allocated per block or record.
 * A block that does not decode throws {@link IllegalStateException} or an index exception: the reader
 * reports the queue corrupt (its checksum has already passed, so only a writer bug gets there).
 */
final class BlockDecoder {
    private static final byte SYMBOL = (byte) pinreplay.format.EventType.SYMBOL.code();

    private final SymbolTable symbols = new SymbolTable();

    private final byte[] sType = new byte[MAX_RECORDS];
    private final byte[] sBits = new byte[MAX_RECORDS];
    private final byte[] sModes = new byte[MAX_RECORDS];
    private final int[] sFields = new int[MAX_RECORDS];
    private final int[] sFirst = new int[MAX_RECORDS];
    private final int[] sGap = new int[MAX_RECORDS];
    private int shapes;
    /** Per field of a shape: {@code key | type << 16} (the record's first word of the field), text or not, last value. */
    private final int[] fieldWord = new int[MAX_FIELDS];
    private final boolean[] fieldEmbedded = new boolean[MAX_FIELDS];
    private final long[] last = new long[MAX_FIELDS];
    private int fields;
    private final int[] gapAt = new int[MAX_FIELDS + MAX_RECORDS];
    private final int[] gapLen = new int[MAX_FIELDS + MAX_RECORDS];
    private int gaps;

    private final int[] ctxPid = new int[MAX_RECORDS];
    private final int[] ctxTgid = new int[MAX_RECORDS];
    private final long[] ctxCpuIrq = new long[MAX_RECORDS];
    private final int[] ctxComm = new int[MAX_RECORDS];
    private int contexts;

    private final int[] strAt = new int[MAX_RECORDS];
    private final int[] strLen = new int[MAX_RECORDS];
    private int strings;

    private byte[] in;
    private byte[] out;
    private int at;
    private long prevLine;
    private long prevTs;
    private int prevCtx;

    /** A block stored as it is: its symbols are learned. */
    void stored(byte[] b, int length) {
        for (int o = 0; o + Record.HEADER <= length; ) {
            int size = Record.u16(b, o + Record.SIZE);
            if (size < Record.HEADER || o + size > length) {
                return;
            }
            learn(symbols, b, o);
            o += size;
        }
    }

    /** Decodes {@code src[0, length)} into {@code out}; returns the length of the block. */
    int decode(byte[] src, int length, byte[] out) {
        in = src;
        this.out = out;
        at = 0;
        shapes = fields = gaps = contexts = strings = 0;
        prevLine = 0;
        prevTs = 0;
        prevCtx = -1;
        int o = 0;
        while (at < length) {
            o = record(o);
        }
        return o;
    }

    /** Decodes the record at the current byte into {@code out[o]}; returns the offset after it. */
    private int record(int o) {
        long id = varint();
        if (id == shapes) {
            define();
        } else if (id > shapes) {
            throw new IllegalStateException("shape " + id + " of " + shapes + " at byte " + at);
        }
        int s = (int) id;
        int modes = sModes[s];
        long line = line(modes);
        long ts = 0;
        if ((modes & TS_DELTA) != 0) {
            ts = prevTs + unzigzag(varint());
            prevTs = ts;
        }
        int c = (modes & CTX_REF) != 0 ? context() : -1;
        int f = values(s, o + Record.HEADER);
        int r = switch (modes & RAW_MASK) {
            case RAW_TEMPLATE -> template(s, o, f);
            case RAW_STRING -> string(f);
            case RAW_NONE -> f;
            default -> throw new IllegalStateException("payload mode " + (modes & RAW_MASK));
        };
        int size = r - o;
        if (size > Record.MAX_SIZE) {
            throw new IllegalStateException("a record of " + size + " bytes");
        }
        Record.putI64(out, o, size | (sType[s] & 0xffL) << 16 | (sBits[s] & 0xffL) << 24 | line << 32);
        Record.putI64(out, o + Record.TS, ts);
        if (c < 0) {
            Record.putI64(out, o + Record.PID, 0);
            Record.putI64(out, o + Record.CPU, 0);
            Record.putI32(out, o + Record.COMM, 0);
        } else {
            Record.putI64(out, o + Record.PID, ctxPid[c] & 0xffffffffL | (long) ctxTgid[c] << 32);
            Record.putI64(out, o + Record.CPU, ctxCpuIrq[c]);
            Record.putI32(out, o + Record.COMM, ctxComm[c]);
        }
        Record.putI32(out, o + Record.NFIELDS, sFields[s] | (r - f) << 16);
        if (sType[s] == SYMBOL) {
            learn(symbols, out, o);
        }
        return r;
    }

    private long line(int modes) {
        long line = switch (modes & LINE_MASK) {
            case LINE_NEXT -> prevLine + 1;
            case LINE_ZERO -> 0;
            case LINE_DELTA -> prevLine + 1 + unzigzag(varint());
            default -> throw new IllegalStateException("line mode 3");
        };
        if (line != 0) {
            prevLine = line;
        }
        return line;
    }

    /** The record's context: the previous one, an earlier one of the block, or a new one defined here. */
    private int context() {
        long ref = varint();
        int c = ref == 0 ? prevCtx : (int) ref - 1;
        if (c == contexts) {
            ctxPid[c] = (int) unzigzag(varint());
            ctxTgid[c] = (int) unzigzag(varint());
            ctxCpuIrq[c] = varint() | varint() << 16;
            ctxComm[c] = (int) varint();
            contexts++;
        } else if (c < 0 || c > contexts) {
            throw new IllegalStateException("context " + ref + " of " + contexts);
        }
        prevCtx = c;
        return c;
    }

    /** The fields of shape {@code s} from {@code out[f]}; returns the offset after them. */
    private int values(int s, int f) {
        byte[] b = in;
        int a = at;
        for (int i = sFirst[s], end = i + sFields[s]; i < end; i++, f += Record.FIELD_SIZE) {
            long z = b[a++];
            if (z < 0) { // more than one byte: the rest of the varint
                z &= 0x7f;
                for (int shift = 7; ; shift += 7) {
                    byte x = b[a++];
                    z |= (long) (x & 0x7f) << shift;
                    if (x >= 0) {
                        break;
                    }
                    if (shift >= 63) {
                        throw new IllegalStateException("a varint of more than 10 bytes");
                    }
                }
            }
            long v = last[i] + unzigzag(z);
            last[i] = v;
            Record.putI32(out, f, fieldWord[i]);
            Record.putI64(out, f + 4, v);
        }
        at = a;
        return f;
    }

    /** The payload rebuilt from the shape's template and the values at {@code out[o + HEADER]}. */
    private int template(int s, int o, int r) {
        int g = sGap[s];
        for (int i = sFirst[s], end = i + sFields[s], v = o + Record.HEADER + 4; i < end; i++, v += Record.FIELD_SIZE) {
            if (fieldEmbedded[i]) {
                copy(in, gapAt[g], out, r, gapLen[g]);
                r += gapLen[g++];
                r = text(Record.i64(out, v), fieldWord[i] >>> 16, symbols, out, r);
                if (r < 0) {
                    throw new IllegalStateException("a value without text in a template");
                }
            }
        }
        copy(in, gapAt[g], out, r, gapLen[g]);
        return r + gapLen[g];
    }

    /** A payload kept whole: new bytes, or a string of the block before. */
    private int string(int r) {
        long ref = varint();
        if (ref == 0) {
            int n = (int) varint();
            System.arraycopy(in, at, out, r, n);
            at += n;
            strAt[strings] = r;
            strLen[strings++] = n;
            return r + n;
        }
        int k = (int) ref - 1;
        if (k >= strings) {
            throw new IllegalStateException("string " + ref + " of " + strings);
        }
        System.arraycopy(out, strAt[k], out, r, strLen[k]);
        return r + strLen[k];
    }

    /** A shape definition at the current byte. */
    private void define() {
        int s = shapes++;
        sType[s] = in[at++];
        sBits[s] = in[at++];
        sModes[s] = in[at++];
        int nf = (int) varint();
        sFields[s] = nf;
        sFirst[s] = fields;
        int embedded = 0;
        for (int i = 0; i < nf; i++) {
            int key = (int) varint();
            int t = in[at++] & 0xff;
            fieldWord[fields] = key & 0xffff | (t & ~EMBEDDED) << 16;
            fieldEmbedded[fields] = (t & EMBEDDED) != 0;
            last[fields++] = 0;
            if ((t & EMBEDDED) != 0) {
                embedded++;
            }
        }
        sGap[s] = gaps;
        if ((sModes[s] & RAW_MASK) == RAW_TEMPLATE) {
            for (int k = 0; k <= embedded; k++) {
                int n = (int) varint();
                gapAt[gaps] = at;
                gapLen[gaps++] = n;
                at += n;
            }
        }
    }

    private long varint() {
        byte b0 = in[at];
        if (b0 >= 0) {
            at++;
            return b0;
        }
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in[at++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("a varint of more than 10 bytes");
    }
}
