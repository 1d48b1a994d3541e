package pinreplay.format.queue;

import java.util.Arrays;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;

import static pinreplay.format.queue.CompactBlock.*;

/**
 * Writes a block of records in the {@link CompactBlock} layout. One encoder serves a whole queue, in
 * block order (it learns the queue's symbols as they are defined); its tables are reused from block to
 * block, so nothing is allocated per block or per record. A block that would not come out smaller,
 * or is not a clean sequence of records, is left to be stored as it is ({@link #encode} returns -1).
 *
 * <p>A record is first tried against the last shape of its event type (same header bits, fields and
 * payload template, checked in place); only a record that does not fit it builds its shape definition
 * and looks it up.
 */
final class BlockEncoder {
    private static final int TABLE = Integer.highestOneBit(MAX_RECORDS) * 4;
    private static final int MASK = TABLE - 1;
    /** Room past the block size: the record that crosses it is finished before the size is checked. */
    private static final int SLACK = 2 * Record.MAX_SIZE + 256;
    private static final int MAX_RECORD_FIELDS = Record.MAX_SIZE / Record.FIELD_SIZE + 1;
    /** Shapes remembered per event type (a tracepoint's formats, probe or marker forms). */
    private static final int RECENT = 4;

    private final byte[] out = new byte[EventWriter.BLOCK_SIZE + SLACK];
    private int pos;
    private final SymbolTable symbols = new SymbolTable();

    // Shapes of the block: definitions in the arena (gaps included), fields, a hash table of ids + 1.
    private final byte[] arena = new byte[EventWriter.BLOCK_SIZE + SLACK];
    private int arenaUsed;
    private final int[] shapeAt = new int[MAX_RECORDS];
    private final int[] shapeLen = new int[MAX_RECORDS];
    private final int[] shapeHash = new int[MAX_RECORDS];
    private final int[] shapeFirst = new int[MAX_RECORDS];
    private final int[] shapeFields = new int[MAX_RECORDS];
    private final int[] shapeGap = new int[MAX_RECORDS];
    private final int[] shapeTable = new int[TABLE];
    private int shapes;
    /**
     * Per field of a shape: the record's first word of the field, text or not, the last value and the
     * length of its text in the last payload.
     */
    private final int[] fieldWord = new int[MAX_FIELDS];
    private final boolean[] fieldEmbedded = new boolean[MAX_FIELDS];
    private final long[] last = new long[MAX_FIELDS];
    private final int[] lastText = new int[MAX_FIELDS];
    private int fields;
    /** Per shape with a template: where the payload of its last record starts in the block. */
    private final int[] shapeLastRaw = new int[MAX_RECORDS];
    /** Per gap of a shape's template: where its bytes are in the arena. */
    private final int[] gapAt = new int[MAX_FIELDS + MAX_RECORDS];
    private final int[] gapLen = new int[MAX_FIELDS + MAX_RECORDS];
    private int gaps;
    /** The shapes each event type used last in this block, most recent first; -1 when none. */
    private final int[] recent = new int[256 * RECENT];

    // Contexts of the block (task, pid, tgid, CPU, irq flags) and a hash table of their index + 1.
    private final int[] ctxPid = new int[MAX_RECORDS];
    private final int[] ctxTgid = new int[MAX_RECORDS];
    private final long[] ctxCpuIrq = new long[MAX_RECORDS];
    private final int[] ctxComm = new int[MAX_RECORDS];
    private final int[] ctxTable = new int[TABLE];
    private int contexts;
    private int prevCtx;

    // Payload strings of the block: where they are in the input, and a hash table of their index + 1.
    private final int[] strAt = new int[MAX_RECORDS];
    private final int[] strLen = new int[MAX_RECORDS];
    private final int[] strHash = new int[MAX_RECORDS];
    private final int[] strTable = new int[TABLE];
    private int strings;

    /** Hash table slots filled in this block, to clear them for the next. */
    private final int[] filled = new int[3 * MAX_RECORDS];
    private int filledCount;

    // The record being encoded.
    private byte[] in;
    private int type;
    private int bits;
    private int nf;
    private int f0;
    private int raw;
    private int rawEnd;
    private final byte[] desc = new byte[SLACK];
    private final byte[] txt = new byte[Record.MAX_SIZE + MAX_NUMBER_TEXT];
    private final int[] splitAt = new int[MAX_RECORD_FIELDS + 1];
    private final int[] splitLen = new int[MAX_RECORD_FIELDS + 1];
    private final boolean[] embedded = new boolean[MAX_RECORD_FIELDS];
    /** Per field of the record whose text is in its payload: the text's length. */
    private final int[] textLen = new int[MAX_RECORD_FIELDS];

    /** The encoded block, valid until the next {@link #encode}. */
    byte[] buffer() {
        return out;
    }

    /**
     * Encodes {@code src[0, length)} into {@link #buffer()}; returns the encoded length, or -1 when the
     * block is to be stored as it is (it would not shrink, or it is not a sequence of whole records).
     */
    int encode(byte[] src, int length) {
        reset();
        in = src;
        long prevLine = 0;
        long prevTs = 0;
        for (int o = 0; o < length; ) {
            if (length - o < Record.HEADER || pos > length) {
                return stored(length);
            }
            long w0 = Record.i64(in, o);
            int size = (int) (w0 & 0xffff);
            nf = Record.u16(in, o + Record.NFIELDS);
            int rawLen = Record.u16(in, o + Record.RAWLEN);
            if (size != Record.HEADER + nf * Record.FIELD_SIZE + rawLen || o + size > length || !cleanFields(o)) {
                return stored(length);
            }
            type = (int) (w0 >>> 16) & 0xff;
            bits = (int) (w0 >>> 24) & 0xff;
            long line = w0 >>> 32;
            long ts = Record.i64(in, o + Record.TS);
            long pidTgid = Record.i64(in, o + Record.PID);
            long cpuIrq = Record.i64(in, o + Record.CPU);
            int comm = Record.i32(in, o + Record.COMM);
            f0 = o + Record.HEADER;
            raw = f0 + nf * Record.FIELD_SIZE;
            rawEnd = raw + rawLen;
            int modes = (line == 0 ? LINE_ZERO : line == prevLine + 1 ? LINE_NEXT : LINE_DELTA)
                    | (ts == 0 ? TS_ZERO : TS_DELTA)
                    | (pidTgid == 0 && cpuIrq == 0 && comm == 0 ? CTX_NONE : CTX_REF);

            int shape = recentShape(modes);
            if (shape >= 0) {
                pos = putVarint(out, pos, shape);
            } else {
                shape = shape(modes); // written, with its definition when new
                remember(shape);
            }
            if ((modes & LINE_MASK) == LINE_DELTA) {
                pos = putVarint(out, pos, zigzag(line - (prevLine + 1)));
            }
            if (line != 0) {
                prevLine = line;
            }
            if (ts != 0) {
                pos = putVarint(out, pos, zigzag(ts - prevTs));
                prevTs = ts;
            }
            if ((modes & CTX_REF) != 0) {
                context((int) pidTgid, (int) (pidTgid >>> 32), cpuIrq, comm);
            }
            values(shape);
            int rawMode = arena[shapeAt[shape] + 2] & RAW_MASK;
            if (rawMode == RAW_STRING) {
                string(raw, rawLen);
            } else if (rawMode == RAW_TEMPLATE) {
                lastPayload(shape);
            }
            learn(symbols, in, o);
            o += size;
        }
        return pos < length ? pos : stored(length);
    }

    /** Whether the fields' reserved bytes are zero and their types ones a writer makes. */
    private boolean cleanFields(int o) {
        for (int f = o + Record.HEADER, end = f + nf * Record.FIELD_SIZE; f < end; f += Record.FIELD_SIZE) {
            if (in[f + 3] != 0 || in[f + 2] < 0) {
                return false;
            }
        }
        return true;
    }

    /** A shape of the record's type used lately that fits it (moved to the front), or -1. */
    private int recentShape(int modes) {
        int r = type * RECENT;
        for (int k = 0; k < RECENT; k++) {
            int s = recent[r + k];
            if (s < 0) {
                return -1;
            }
            if (fits(s, modes)) {
                for (int j = k; j > 0; j--) {
                    recent[r + j] = recent[r + j - 1];
                }
                recent[r] = s;
                return s;
            }
        }
        return -1;
    }

    private void remember(int s) {
        int r = type * RECENT;
        for (int j = RECENT - 1; j > 0; j--) {
            recent[r + j] = recent[r + j - 1];
        }
        recent[r] = s;
    }

    /**
     * Whether the payload of a record of type {@code t} is kept whole: comments, lines of other
     * tracers, unknown events and symbols hold no values of their own fields.
     */
    private static boolean whole(int t) {
        return t == EventType.SYMBOL.code() || t == EventType.COMMENT.code() || t == EventType.OTHER.code()
                || t == EventType.UNKNOWN.code();
    }

    /** Whether the record is written with shape {@code s}: the same header bits and fields, and its payload fits the template. */
    private boolean fits(int s, int modes) {
        int d = shapeAt[s];
        int shapeModes = arena[d + 2] & 0xff;
        if ((arena[d + 1] & 0xff) != bits || (shapeModes & ~RAW_MASK) != modes || nf != shapeFields[s]) {
            return false;
        }
        for (int i = 0, k = shapeFirst[s], f = f0; i < nf; i++, k++, f += Record.FIELD_SIZE) {
            if (Record.i32(in, f) != fieldWord[k]) {
                return false;
            }
        }
        switch (shapeModes & RAW_MASK) {
            case RAW_NONE:
                return raw == rawEnd;
            case RAW_TEMPLATE:
                return fitsTemplate(s);
            default:
                return whole(type); // other payloads kept whole may hold values found now: another shape
        }
    }

    /**
     * Whether the payload is the shape's gaps with this record's values printed between them. The last
     * record of the shape fitted the template, so its payload holds the same gaps, and the same text
     * for each value that did not change: those runs are compared with it in one go, and only a
     * changed value is printed.
     */
    private boolean fitsTemplate(int s) {
        int p = raw;
        int q = shapeLastRaw[s];
        int runP = p;
        int runQ = q;
        int g = shapeGap[s];
        for (int i = 0, k = shapeFirst[s], f = f0; i < nf; i++, k++, f += Record.FIELD_SIZE) {
            if (!fieldEmbedded[k]) {
                continue;
            }
            p += gapLen[g];
            q += gapLen[g++];
            long v = Record.i64(in, f + 4);
            if (v == last[k]) {
                textLen[i] = lastText[k];
                p += lastText[k];
                q += lastText[k];
                continue;
            }
            int t = text(v, in[f + 2], symbols, txt, 0);
            if (t < 0 || p + t > rawEnd || !same(in, runP, in, runQ, p - runP) || !same(in, p, txt, 0, t)) {
                return false;
            }
            textLen[i] = t;
            p += t;
            q += lastText[k];
            runP = p;
            runQ = q;
        }
        p += gapLen[g];
        q += gapLen[g];
        return p == rawEnd && same(in, runP, in, runQ, p - runP);
    }

    /** Remembers the record's payload and its values' text lengths for the next record of shape {@code s}. */
    private void lastPayload(int s) {
        shapeLastRaw[s] = raw;
        for (int i = 0, k = shapeFirst[s]; i < nf; i++, k++) {
            lastText[k] = textLen[i];
        }
    }

    /** The shape of the record, found by its definition or defined (and written) here. */
    private int shape(int modes) {
        int rawMode = raw == rawEnd ? RAW_NONE
                : !whole(type) && template() ? RAW_TEMPLATE : RAW_STRING;
        int d = 0;
        desc[d++] = (byte) type;
        desc[d++] = (byte) bits;
        desc[d++] = (byte) (modes | rawMode);
        d = putVarint(desc, d, nf);
        for (int i = 0, f = f0; i < nf; i++, f += Record.FIELD_SIZE) {
            d = putVarint(desc, d, Record.u16(in, f));
            desc[d++] = (byte) (in[f + 2] | (rawMode == RAW_TEMPLATE && embedded[i] ? EMBEDDED : 0));
        }
        int gapsFrom = d;
        int pieces = 0;
        if (rawMode == RAW_TEMPLATE) {
            pieces = 1;
            for (int i = 0; i < nf; i++) {
                pieces += embedded[i] ? 1 : 0;
            }
            for (int k = 0; k < pieces; k++) {
                d = putVarint(desc, d, splitLen[k]);
                System.arraycopy(in, splitAt[k], desc, d, splitLen[k]);
                d += splitLen[k];
            }
        }
        int h = hash(desc, 0, d);
        int i = h & MASK;
        for (; ; i = (i + 1) & MASK) {
            int s = shapeTable[i] - 1;
            if (s < 0) {
                break;
            }
            if (shapeHash[s] == h && shapeLen[s] == d && Arrays.equals(arena, shapeAt[s], shapeAt[s] + d, desc, 0, d)) {
                pos = putVarint(out, pos, s);
                return s;
            }
        }
        int s = shapes++;
        pos = putVarint(out, pos, s);
        System.arraycopy(desc, 0, out, pos, d);
        pos += d;
        int at = arenaUsed;
        System.arraycopy(desc, 0, arena, at, d);
        arenaUsed += d;
        shapeAt[s] = at;
        shapeLen[s] = d;
        shapeHash[s] = h;
        shapeTable[i] = s + 1;
        filled[filledCount++] = i;
        shapeFirst[s] = fields;
        shapeFields[s] = nf;
        for (int k = 0, f = f0; k < nf; k++, f += Record.FIELD_SIZE) {
            fieldWord[fields] = Record.i32(in, f);
            fieldEmbedded[fields] = rawMode == RAW_TEMPLATE && embedded[k];
            last[fields++] = 0;
        }
        shapeGap[s] = gaps;
        for (int k = 0, g = at + gapsFrom; k < pieces; k++) {
            int n = splitLen[k];
            g += varintLength(n);
            gapAt[gaps] = g;
            gapLen[gaps++] = n;
            g += n;
        }
        return s;
    }

    /**
     * Splits the payload around the text of the record's fields, each looked for after the one before;
     * true when at least one value was found.
     */
    private boolean template() {
        int p = raw;
        int k = 0;
        for (int i = 0, f = f0; i < nf; i++, f += Record.FIELD_SIZE) {
            embedded[i] = false;
            int n = text(Record.i64(in, f + 4), in[f + 2], symbols, txt, 0);
            int at = n < 0 ? -1 : indexOf(p, n);
            if (at >= 0) {
                embedded[i] = true;
                textLen[i] = n;
                splitAt[k] = p;
                splitLen[k++] = at - p;
                p = at + n;
            }
        }
        splitAt[k] = p;
        splitLen[k] = rawEnd - p;
        return k > 0;
    }

    /** First index of {@code txt[0, n)} in the payload from {@code from}, or -1. */
    private int indexOf(int from, int n) {
        if (n == 0) {
            return from;
        }
        byte first = txt[0];
        for (int i = from, end = rawEnd - n; i <= end; i++) {
            if (in[i] == first && Arrays.equals(in, i, i + n, txt, 0, n)) {
                return i;
            }
        }
        return -1;
    }

    private void values(int s) {
        for (int k = shapeFirst[s], end = k + nf, f = f0 + 4; k < end; k++, f += Record.FIELD_SIZE) {
            long v = Record.i64(in, f);
            pos = putVarint(out, pos, zigzag(v - last[k]));
            last[k] = v;
        }
    }

    /** The record's context: the previous record's, an earlier one of the block, or a new one. */
    private void context(int pid, int tgid, long cpuIrq, int comm) {
        if (prevCtx >= 0 && ctxPid[prevCtx] == pid && ctxTgid[prevCtx] == tgid && ctxCpuIrq[prevCtx] == cpuIrq
                && ctxComm[prevCtx] == comm) {
            out[pos++] = 0;
            return;
        }
        int i = ctxHash(pid, tgid, cpuIrq, comm) & MASK;
        for (; ; i = (i + 1) & MASK) {
            int c = ctxTable[i] - 1;
            if (c < 0) {
                break;
            }
            if (ctxPid[c] == pid && ctxTgid[c] == tgid && ctxCpuIrq[c] == cpuIrq && ctxComm[c] == comm) {
                pos = putVarint(out, pos, c + 1);
                prevCtx = c;
                return;
            }
        }
        int c = contexts++;
        ctxPid[c] = pid;
        ctxTgid[c] = tgid;
        ctxCpuIrq[c] = cpuIrq;
        ctxComm[c] = comm;
        ctxTable[i] = c + 1;
        filled[filledCount++] = TABLE + i;
        prevCtx = c;
        pos = putVarint(out, pos, c + 1);
        pos = putVarint(out, pos, zigzag(pid));
        pos = putVarint(out, pos, zigzag(tgid));
        pos = putVarint(out, pos, cpuIrq & 0xffff);
        pos = putVarint(out, pos, cpuIrq >>> 16);
        pos = putVarint(out, pos, comm & 0xffffffffL);
    }

    /** A payload kept as a string: a reference to an earlier one of the block, or the bytes. */
    private void string(int at, int n) {
        int h = hash(in, at, at + n);
        int i = h & MASK;
        for (; ; i = (i + 1) & MASK) {
            int s = strTable[i] - 1;
            if (s < 0) {
                break;
            }
            if (strHash[s] == h && strLen[s] == n && Arrays.equals(in, strAt[s], strAt[s] + n, in, at, at + n)) {
                pos = putVarint(out, pos, s + 1);
                return;
            }
        }
        int s = strings++;
        strAt[s] = at;
        strLen[s] = n;
        strHash[s] = h;
        strTable[i] = s + 1;
        filled[filledCount++] = 2 * TABLE + i;
        out[pos++] = 0;
        pos = putVarint(out, pos, n);
        System.arraycopy(in, at, out, pos, n);
        pos += n;
    }

    /** The block is stored as it is: its symbols are still learned, in order. */
    private int stored(int length) {
        for (int o = 0; o + Record.HEADER <= length; ) {
            int size = Record.u16(in, o + Record.SIZE);
            if (size < Record.HEADER || o + size > length) {
                break;
            }
            learn(symbols, in, o);
            o += size;
        }
        return -1;
    }

    private void reset() {
        for (int k = 0; k < filledCount; k++) {
            int t = filled[k];
            (t < TABLE ? shapeTable : t < 2 * TABLE ? ctxTable : strTable)[t & MASK] = 0;
        }
        filledCount = 0;
        Arrays.fill(recent, -1);
        pos = 0;
        shapes = 0;
        arenaUsed = 0;
        fields = 0;
        gaps = 0;
        contexts = 0;
        prevCtx = -1;
        strings = 0;
    }

    private static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int ctxHash(int pid, int tgid, long cpuIrq, int comm) {
        long h = pid * 0x9E3779B97F4A7C15L ^ tgid * 0xC2B2AE3D27D4EB4FL ^ cpuIrq * 0x165667B19E3779F9L
                ^ comm * 0x27D4EB2F165667C5L;
        return (int) (h ^ h >>> 29);
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0x811c9dc5;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = Record.i64(b, i);
            h = (h ^ (int) w ^ (int) (w >>> 32)) * 0x01000193;
        }
        for (; i < to; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ h >>> 15;
    }
}
