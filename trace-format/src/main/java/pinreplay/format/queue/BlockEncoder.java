package pinreplay.format.queue;

import java.util.Arrays;

import pinreplay.format.EventWriter;
import pinreplay.format.Record;
import pinreplay.format.SymbolTable;

import static pinreplay.format.queue.CompactBlock.*;

/**
 * Writes a block of records in the {@link CompactBlock} layout. One encoder serves a whole queue, in
 * block order (it learns the queue's symbols as they are defined); its tables are reused from block to
 * block, so nothing is allocated per block or per record. A block that would not come out smaller,
 * or is not a clean sequence of records, is left to be stored as it is ({@link #encode} returns -1).
 */
final class BlockEncoder {
    private static final int TABLE = Integer.highestOneBit(MAX_RECORDS) * 4;
    private static final int MASK = TABLE - 1;
    /** Room past the block size: the record that crosses it is finished before the size is checked. */
    private static final int SLACK = 2 * Record.MAX_SIZE + 256;

    private final byte[] out = new byte[EventWriter.BLOCK_SIZE + SLACK];
    private final SymbolTable symbols = new SymbolTable();

    // Shapes of the block: their definitions in the arena, a hash table of ids + 1, each field's last value.
    private final byte[] arena = new byte[EventWriter.BLOCK_SIZE + SLACK];
    private int arenaUsed;
    private final int[] shapeAt = new int[MAX_RECORDS];
    private final int[] shapeLen = new int[MAX_RECORDS];
    private final int[] shapeHash = new int[MAX_RECORDS];
    private final int[] shapeSlot = new int[MAX_RECORDS];
    private final int[] shapeTable = new int[TABLE];
    private int shapes;
    private final long[] last = new long[MAX_FIELDS];
    private int slots;

    // Contexts of the block (task, pid, tgid, CPU, irq flags) and a hash table of their index + 1.
    private final int[] ctxPid = new int[MAX_RECORDS];
    private final int[] ctxTgid = new int[MAX_RECORDS];
    private final long[] ctxCpuIrq = new long[MAX_RECORDS];
    private final int[] ctxComm = new int[MAX_RECORDS];
    private final int[] ctxTable = new int[TABLE];
    private int contexts;

    // Payload strings of the block: where they are in the input, and a hash table of their index + 1.
    private final int[] strAt = new int[MAX_RECORDS];
    private final int[] strLen = new int[MAX_RECORDS];
    private final int[] strHash = new int[MAX_RECORDS];
    private final int[] strTable = new int[TABLE];
    private int strings;

    // The record being encoded: its shape definition, and the payload split around its values.
    private final byte[] desc = new byte[SLACK];
    private final byte[] txt = new byte[Record.MAX_SIZE + MAX_NUMBER_TEXT];
    private final int[] gapAt = new int[Record.MAX_SIZE / Record.FIELD_SIZE + 2];
    private final int[] gapLen = new int[Record.MAX_SIZE / Record.FIELD_SIZE + 2];
    private final boolean[] embedded = new boolean[Record.MAX_SIZE / Record.FIELD_SIZE + 1];

    /** The encoded block, valid until the next {@link #encode}. */
    byte[] buffer() {
        return out;
    }

    /**
     * Encodes {@code in[0, length)} into {@link #buffer()}; returns the encoded length, or -1 when the
     * block is to be stored as it is (it would not shrink, or it is not a sequence of whole records).
     */
    int encode(byte[] in, int length) {
        reset();
        int pos = 0;
        long prevLine = 0;
        long prevTs = 0;
        int prevCtx = -1;
        for (int o = 0; o < length; ) {
            if (length - o < Record.HEADER || pos > length) {
                return stored(in, length);
            }
            long w0 = Record.i64(in, o);
            int size = (int) (w0 & 0xffff);
            int nf = Record.u16(in, o + Record.NFIELDS);
            int rawLen = Record.u16(in, o + Record.RAWLEN);
            if (size != Record.HEADER + nf * Record.FIELD_SIZE + rawLen || o + size > length) {
                return stored(in, length);
            }
            int type = (int) (w0 >>> 16) & 0xff;
            int bits = (int) (w0 >>> 24) & 0xff;
            long line = w0 >>> 32;
            long ts = Record.i64(in, o + Record.TS);
            int pid = Record.i32(in, o + Record.PID);
            int tgid = Record.i32(in, o + Record.TGID);
            long cpuIrq = Record.i64(in, o + Record.CPU);
            int comm = Record.i32(in, o + Record.COMM);
            int f0 = o + Record.HEADER;
            int raw = f0 + nf * Record.FIELD_SIZE;
            for (int f = f0; f < raw; f += Record.FIELD_SIZE) {
                if (in[f + 3] != 0 || in[f + 2] < 0) {
                    return stored(in, length); // bytes the layout keeps zero, or a type no writer makes
                }
            }
            int rawMode = rawLen == 0 ? RAW_NONE : template(in, f0, nf, raw, raw + rawLen) ? RAW_TEMPLATE : RAW_STRING;
            int modes = (line == 0 ? LINE_ZERO : line == prevLine + 1 ? LINE_NEXT : LINE_DELTA)
                    | (ts == 0 ? TS_ZERO : TS_DELTA)
                    | (pid == 0 && tgid == 0 && cpuIrq == 0 && comm == 0 ? CTX_NONE : CTX_REF)
                    | rawMode;

            // The shape: found, or defined here.
            int d = 0;
            desc[d++] = (byte) type;
            desc[d++] = (byte) bits;
            desc[d++] = (byte) modes;
            d = putVarint(desc, d, nf);
            for (int i = 0, f = f0; i < nf; i++, f += Record.FIELD_SIZE) {
                d = putVarint(desc, d, Record.u16(in, f));
                desc[d++] = (byte) (in[f + 2] | (rawMode == RAW_TEMPLATE && embedded[i] ? EMBEDDED : 0));
            }
            if (rawMode == RAW_TEMPLATE) {
                for (int k = 0, n = gapCount(nf); k < n; k++) {
                    d = putVarint(desc, d, gapLen[k]);
                    System.arraycopy(in, gapAt[k], desc, d, gapLen[k]);
                    d += gapLen[k];
                }
            }
            int shape = findShape(d);
            if (shape < 0) {
                shape = shapes;
                pos = putVarint(out, pos, shape);
                System.arraycopy(desc, 0, out, pos, d);
                pos += d;
                defineShape(d, nf);
            } else {
                pos = putVarint(out, pos, shape);
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
                int c = findContext(pid, tgid, cpuIrq, comm);
                if (c >= 0 && c == prevCtx) {
                    out[pos++] = 0;
                } else if (c >= 0) {
                    pos = putVarint(out, pos, c + 1);
                } else {
                    c = contexts;
                    pos = putVarint(out, pos, c + 1);
                    pos = putVarint(out, pos, zigzag(pid));
                    pos = putVarint(out, pos, zigzag(tgid));
                    pos = putVarint(out, pos, cpuIrq & 0xffff);
                    pos = putVarint(out, pos, cpuIrq >>> 16);
                    pos = putVarint(out, pos, comm & 0xffffffffL);
                    defineContext(pid, tgid, cpuIrq, comm);
                }
                prevCtx = c;
            }
            for (int i = 0, s = shapeSlot[shape], f = f0 + 4; i < nf; i++, s++, f += Record.FIELD_SIZE) {
                long v = Record.i64(in, f);
                pos = putVarint(out, pos, zigzag(v - last[s]));
                last[s] = v;
            }
            if (rawMode == RAW_STRING) {
                pos = string(in, raw, rawLen, pos);
            }
            learn(symbols, in, o);
            o += size;
        }
        return pos < length ? pos : stored(in, length);
    }

    /** The block is stored as it is: its symbols are still learned, in order. */
    private int stored(byte[] in, int length) {
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

    /**
     * Splits the payload {@code in[from, to)} around the text of the fields at {@code in[f0]}, each
     * looked for after the one before; true when at least one value was found.
     */
    private boolean template(byte[] in, int f0, int nf, int from, int to) {
        int p = from;
        int k = 0;
        for (int i = 0, f = f0; i < nf; i++, f += Record.FIELD_SIZE) {
            embedded[i] = false;
            long v = Record.i64(in, f + 4);
            int n = text(v, in[f + 2], symbols, txt, 0);
            if (n < 0) {
                continue;
            }
            int at = indexOf(in, p, to, n);
            if (at < 0) {
                continue;
            }
            embedded[i] = true;
            gapAt[k] = p;
            gapLen[k] = at - p;
            k++;
            p = at + n;
        }
        gapAt[k] = p;
        gapLen[k] = to - p;
        return k > 0;
    }

    private int gapCount(int nf) {
        int n = 1;
        for (int i = 0; i < nf; i++) {
            if (embedded[i]) {
                n++;
            }
        }
        return n;
    }

    /** First index of {@code txt[0, n)} in {@code b[from, to)}, or -1. */
    private int indexOf(byte[] b, int from, int to, int n) {
        if (n == 0) {
            return from;
        }
        byte first = txt[0];
        for (int i = from, last = to - n; i <= last; i++) {
            if (b[i] == first && Arrays.equals(b, i, i + n, txt, 0, n)) {
                return i;
            }
        }
        return -1;
    }

    private int findShape(int d) {
        int h = hash(desc, 0, d);
        for (int i = h & MASK; ; i = (i + 1) & MASK) {
            int s = shapeTable[i] - 1;
            if (s < 0) {
                return -1;
            }
            if (shapeHash[s] == h && shapeLen[s] == d
                    && Arrays.equals(arena, shapeAt[s], shapeAt[s] + d, desc, 0, d)) {
                return s;
            }
        }
    }

    private void defineShape(int d, int nf) {
        int s = shapes++;
        System.arraycopy(desc, 0, arena, arenaUsed, d);
        shapeAt[s] = arenaUsed;
        shapeLen[s] = d;
        arenaUsed += d;
        int h = hash(desc, 0, d);
        shapeHash[s] = h;
        shapeSlot[s] = slots;
        Arrays.fill(last, slots, slots + nf, 0L);
        slots += nf;
        int i = h & MASK;
        while (shapeTable[i] != 0) {
            i = (i + 1) & MASK;
        }
        shapeTable[i] = s + 1;
    }

    private int findContext(int pid, int tgid, long cpuIrq, int comm) {
        for (int i = ctxHash(pid, tgid, cpuIrq, comm) & MASK; ; i = (i + 1) & MASK) {
            int c = ctxTable[i] - 1;
            if (c < 0) {
                return -1;
            }
            if (ctxPid[c] == pid && ctxTgid[c] == tgid && ctxCpuIrq[c] == cpuIrq && ctxComm[c] == comm) {
                return c;
            }
        }
    }

    private void defineContext(int pid, int tgid, long cpuIrq, int comm) {
        int c = contexts++;
        ctxPid[c] = pid;
        ctxTgid[c] = tgid;
        ctxCpuIrq[c] = cpuIrq;
        ctxComm[c] = comm;
        int i = ctxHash(pid, tgid, cpuIrq, comm) & MASK;
        while (ctxTable[i] != 0) {
            i = (i + 1) & MASK;
        }
        ctxTable[i] = c + 1;
    }

    /** A payload kept as a string: a reference to an earlier one of the block, or the bytes. */
    private int string(byte[] in, int at, int n, int pos) {
        int h = hash(in, at, at + n);
        int i = h & MASK;
        for (; ; i = (i + 1) & MASK) {
            int s = strTable[i] - 1;
            if (s < 0) {
                break;
            }
            if (strHash[s] == h && strLen[s] == n && Arrays.equals(in, strAt[s], strAt[s] + n, in, at, at + n)) {
                return putVarint(out, pos, s + 1);
            }
        }
        int s = strings++;
        strAt[s] = at;
        strLen[s] = n;
        strHash[s] = h;
        strTable[i] = s + 1;
        out[pos++] = 0;
        pos = putVarint(out, pos, n);
        System.arraycopy(in, at, out, pos, n);
        return pos + n;
    }

    private void reset() {
        Arrays.fill(shapeTable, 0);
        Arrays.fill(ctxTable, 0);
        Arrays.fill(strTable, 0);
        shapes = 0;
        arenaUsed = 0;
        slots = 0;
        contexts = 0;
        strings = 0;
    }

    private static int ctxHash(int pid, int tgid, long cpuIrq, int comm) {
        long h = (pid * 0x9E3779B97F4A7C15L) ^ (tgid * 0xC2B2AE3D27D4EB4FL) ^ (cpuIrq * 0x165667B19E3779F9L)
                ^ (comm * 0x27D4EB2F165667C5L);
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
