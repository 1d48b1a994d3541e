package pinreplay.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The binary record layout (format version {@link #FORMAT_VERSION}). Records are packed back to back
 * in blocks, the unit the parser hands on and the replayer reads; all integers little-endian. In a queue
 * each block is one Chronicle excerpt, stored in the compact layout of {@code queue.CompactBlock} and
 * given back exactly as here.
 *
 * <pre>
 * off size
 *   0  u16  record size in bytes, header included
 *   2  u8   event type code ({@link EventType#code()})
 *   3  u8   bits: {@link #B_TGID} {@link #B_MARKER} {@link #B_TS_NANOS} {@link #B_TS_RAW} {@link #B_PROBE} {@link #B_KEYS}
 *   4  u32  source line (1-based; 0 for records that have no line, e.g. symbols)
 *   8  i64  timestamp: nanoseconds, or the raw counter with {@link #B_TS_RAW}
 *  16  i32  pid
 *  20  i32  tgid ({@link #B_TGID}); -1 when printed as "(-----)"
 *  24  u16  cpu
 *  26  u8   number of irq-info flag characters: 0 (trace-cmd report), 4 or 5; 6 or 7 (PREEMPT_RT) packed
 *  27  u8[5] the flag characters, or 6 or 7 of them 5 bits each ({@link IrqFlags})
 *  32  u32  comm, a symbol id (0: none)
 *  36  u16  number of fields
 *  38  u16  raw payload length
 *  40  fields, 12 bytes each: u16 key, u8 value type, u8 0, i64 value
 *      then the raw payload bytes (comments, unknown events, tracepoint payloads, symbol text)
 * </pre>
 *
 * A field key below {@link Field#EXTRA_KEYS} is a {@link Field} ordinal; above, a key symbol (a key the
 * decoder does not know, kept so it prints back). A {@link EventType#SYMBOL} record defines symbol
 * {@link Field#SYMBOL_ID} as its raw bytes, in the key namespace when {@link #B_KEYS} is set.
 */
public final class Record {
    /**
     * Written into queue metadata and every block, and checked on open; bump on any change of this
     * layout or the queue's ({@code queue.CompactBlock}). 3: blocks stored compact (2: as laid out here).
     */
    public static final int FORMAT_VERSION = 3;

    public static final int SIZE = 0, TYPE = 2, BITS = 3, LINE = 4, TS = 8, PID = 16, TGID = 20, CPU = 24,
            NIRQ = 26, IRQ = 27, COMM = 32, NFIELDS = 36, RAWLEN = 38, HEADER = 40, FIELD_SIZE = 12;

    public static final int B_TGID = 1, B_MARKER = 2, B_TS_NANOS = 4, B_TS_RAW = 8, B_PROBE = 16, B_KEYS = 32;

    /** Largest record: sizes are u16. */
    public static final int MAX_SIZE = 0xffff;

    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Record() {
    }

    public static int u16(byte[] b, int off) {
        return (short) I16.get(b, off) & 0xffff;
    }

    public static int i32(byte[] b, int off) {
        return (int) I32.get(b, off);
    }

    public static long u32(byte[] b, int off) {
        return (int) I32.get(b, off) & 0xffffffffL;
    }

    public static long i64(byte[] b, int off) {
        return (long) I64.get(b, off);
    }

    public static void putU16(byte[] b, int off, int v) {
        I16.set(b, off, (short) v);
    }

    public static void putI32(byte[] b, int off, int v) {
        I32.set(b, off, v);
    }

    public static void putI64(byte[] b, int off, long v) {
        I64.set(b, off, v);
    }
}
