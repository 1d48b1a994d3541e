package pinreplay.format.parse;

import java.util.Arrays;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.format.ValueType;

/**
 * Typed fields from the TP_printk output of the real tracepoints the model uses (include/trace/events/
 * mmap_lock.h, filemap.h, writeback.h, sched.h, task.h). Each format is matched in the kernel's own order; a payload that does not
 * match returns false and the caller keeps the line as an unknown event (formats vary by kernel,
 * never an error). Keys after the known ones are kept as extra fields. The caller also keeps the
 * payload verbatim, so the line prints back byte for byte.
 */
final class TracepointDecoder {
    private static final byte[] BDI = Bytes.ascii("bdi ");
    private static final byte[] COLON_SP = Bytes.ascii(": ");
    private static final byte[] DEV = Bytes.ascii("dev ");
    private static final byte[] INO = Bytes.ascii(" ino ");
    private static final byte[] SP_WRITE = Bytes.ascii(" write=");
    private static final byte[] SP_PID = Bytes.ascii(" pid=");
    private static final byte[] SP_CHILD_PID = Bytes.ascii(" child_pid=");
    private static final byte[] FILENAME = Bytes.ascii("filename=");
    private static final byte[] SP_CLONE_FLAGS = Bytes.ascii(" clone_flags=");
    private static final byte[] RING = Bytes.ascii("ring ");
    private static final byte[] C_REQ = Bytes.ascii(", req ");
    private static final byte[] C_OP = Bytes.ascii(", op ");
    private static final byte[] C_DATA = Bytes.ascii(", data ");
    private static final byte[] C_USER_DATA = Bytes.ascii(", user_data ");
    private static final byte[] C_OPCODE = Bytes.ascii(", opcode ");
    private static final byte[] C_FLAGS = Bytes.ascii(", flags ");
    private static final byte[] C_NON_BLOCK = Bytes.ascii(", non block ");
    private static final byte[] C_SQ_THREAD = Bytes.ascii(", sq_thread ");
    private static final byte[] C_RESULT = Bytes.ascii(", result ");
    private static final byte[] C_CFLAGS = Bytes.ascii(", cflags ");

    /** Payloads longer than this, or with more fields, are not remembered. */
    private static final int MEMO_BYTES = 160, MEMO_FIELDS = 12;

    private final EventWriter out;
    private final SymbolCache symbols;
    private final Value v = new Value();
    /**
     * The last committed payload of each tracepoint type and the fields it gave: a payload equal to it (mmap_lock's
     * events repeat theirs for as long as one task holds or waits for its lock) takes the same fields without a scan.
     * Each type's buffers are allocated at its first payload.
     */
    private final byte[][] memoPayload = new byte[EventType.values().length][];
    private final int[] memoLength = new int[EventType.values().length];
    private final byte[][] memoFields = new byte[EventType.values().length][];
    private final int[] memoCount = new int[EventType.values().length];
    private byte[] b;
    private int pos;
    private int end;

    TracepointDecoder(EventWriter out, SymbolCache symbols) {
        this.out = out;
        this.symbols = symbols;
    }

    /** Adds the typed fields of tracepoint {@code t}'s payload {@code b[from, to)} to the open record. */
    boolean decode(EventType t, byte[] buf, int from, int to) {
        int m = t.ordinal();
        byte[] last = memoPayload[m];
        if (last != null && memoLength[m] == to - from && Arrays.equals(buf, from, to, last, 0, to - from)) {
            out.fields(memoFields[m], memoCount[m]);
            return true;
        }
        b = buf;
        pos = from;
        end = to;
        switch (t) {
            case MMAP_LOCK_START_LOCKING:
            case MMAP_LOCK_ACQUIRE_RETURNED:
            case MMAP_LOCK_RELEASED:
                return mmapLock() && rest();
            case WRITEBACK_DIRTY_FOLIO:
            case WRITEBACK_DIRTY_PAGE:
            case FOLIO_WAIT_WRITEBACK:
            case WAIT_ON_PAGE_WRITEBACK:
                return writebackFolio() && rest();
            case MM_FILEMAP_ADD_TO_PAGE_CACHE:
            case MM_FILEMAP_DELETE_FROM_PAGE_CACHE:
                return filemapOpPageCache() && rest();
            case SCHED_PROCESS_FORK:
                return schedProcessFork() && rest();
            case TASK_NEWTASK:
                return taskNewtask() && rest();
            case SCHED_PROCESS_EXIT:
                return schedProcessExit() && rest();
            case PAGE_FAULT_USER:
                return pageFaultUser() && rest();
            case SCHED_PROCESS_EXEC:
                return schedProcessExec() && rest();
            case IO_URING_SUBMIT_SQE:
            case IO_URING_SUBMIT_REQ:
                return ioUringSubmit();
            case IO_URING_COMPLETE:
                return ioUringComplete();
            default:
                return false;
        }
    }

    /**
     * Remembers the payload {@code buf[from, to)} of a tracepoint record of type {@code t} just committed, with its
     * fields: only once committed, as an aborted record's symbols are forgotten.
     */
    void committed(EventType t, byte[] buf, int from, int to) {
        int m = t.ordinal();
        int n = to - from;
        if (n > MEMO_BYTES || out.fieldCount() > MEMO_FIELDS) {
            memoLength[m] = -1;
            return;
        }
        if (memoPayload[m] == null) {
            memoPayload[m] = new byte[MEMO_BYTES];
            memoFields[m] = new byte[MEMO_FIELDS * Record.FIELD_SIZE];
        }
        System.arraycopy(buf, from, memoPayload[m], 0, n);
        memoLength[m] = n;
        memoCount[m] = out.fieldsInto(memoFields[m]);
    }

    /**
     * include/trace/events/mmap_lock.h: {@code "mm=%p memcg_path=%s write=%s"} (v5.10; a trailing
     * {@code \n} in the first release), {@code memcg_id=%llu} instead of the path since ~v6.13, and
     * {@code " success=%s"} on acquire_returned.
     */
    private boolean mmapLock() {
        if (!key(Field.MM) || !ptr(Field.MM)) {
            return false;
        }
        if (sepKey(Field.MEMCG_PATH)) {
            if (!string(Field.MEMCG_PATH, SP_WRITE)) {
                return false;
            }
        } else if (!sepKey(Field.MEMCG_ID) || !number(Field.MEMCG_ID, ValueType.DEC)) {
            return false;
        }
        if (!sepKey(Field.WRITE) || !bool(Field.WRITE)) {
            return false;
        }
        return !sepKey(Field.SUCCESS) || bool(Field.SUCCESS);
    }

    /**
     * include/trace/events/writeback.h writeback_folio_template (writeback_page_template before
     * ~v5.16): {@code "bdi %s: ino=%lu index=%lu"}; the bdi is {@code 8:0} or a name like {@code (unknown)}.
     */
    private boolean writebackFolio() {
        if (!literal(BDI)) {
            return false;
        }
        int colon = Bytes.find(b, pos, end, COLON_SP);
        if (colon <= pos) {
            return false;
        }
        if (v.devno(b, pos, colon)) {
            out.field(Field.BDI, v.type, v.value);
        } else {
            symbols.field(Field.BDI, b, pos, colon);
        }
        pos = colon + COLON_SP.length;
        return key(Field.INO) && number(Field.INO, ValueType.DEC)
                && sepKey(Field.INDEX) && number(Field.INDEX, ValueType.DEC);
    }

    /**
     * include/trace/events/filemap.h mm_filemap_op_page_cache: {@code "dev %d:%d ino %lx page=%p
     * pfn=%lu ofs=%lu"} (to ~v5.x), {@code "dev %d:%d ino %lx pfn=0x%lx ofs=%lu order=%u"} (folios).
     * The inode number is hex without prefix; ofs is a byte offset.
     */
    private boolean filemapOpPageCache() {
        if (!literal(DEV)) {
            return false;
        }
        if (!v.devno(b, pos, end) || !add(Field.DEV)) {
            return false;
        }
        if (!literal(INO) || !number(Field.INO, ValueType.HEX_BARE)) {
            return false;
        }
        if (sepKey(Field.PAGE)) {
            return ptr(Field.PAGE) && sepKey(Field.PFN) && number(Field.PFN, ValueType.DEC)
                    && sepKey(Field.OFS) && number(Field.OFS, ValueType.DEC);
        }
        return sepKey(Field.PFN) && number(Field.PFN, ValueType.HEX)
                && sepKey(Field.OFS) && number(Field.OFS, ValueType.DEC)
                && sepKey(Field.ORDER) && number(Field.ORDER, ValueType.DEC);
    }

    /** include/trace/events/sched.h: {@code "comm=%s pid=%d child_comm=%s child_pid=%d"}. */
    private boolean schedProcessFork() {
        return key(Field.COMM) && string(Field.COMM, SP_PID)
                && sepKey(Field.PID) && number(Field.PID, ValueType.DEC)
                && sepKey(Field.CHILD_COMM) && string(Field.CHILD_COMM, SP_CHILD_PID)
                && sepKey(Field.CHILD_PID) && number(Field.CHILD_PID, ValueType.DEC);
    }

    /** include/trace/events/task.h: {@code "pid=%d comm=%s clone_flags=%lx oom_score_adj=%hd"}. */
    private boolean taskNewtask() {
        return key(Field.PID) && number(Field.PID, ValueType.DEC)
                && sepKey(Field.COMM) && string(Field.COMM, SP_CLONE_FLAGS)
                && sepKey(Field.CLONE_FLAGS) && number(Field.CLONE_FLAGS, ValueType.HEX_BARE)
                && sepKey(Field.OOM_SCORE_ADJ) && number(Field.OOM_SCORE_ADJ, ValueType.DEC);
    }

    /**
     * include/trace/events/sched.h sched_process_template: {@code "comm=%s pid=%d prio=%d"}; sched_process_exit adds
     * {@code " group_dead=%s"} in later releases (7.2 prints it).
     */
    private boolean schedProcessExit() {
        return key(Field.COMM) && string(Field.COMM, SP_PID)
                && sepKey(Field.PID) && number(Field.PID, ValueType.DEC)
                && sepKey(Field.PRIO) && number(Field.PRIO, ValueType.DEC)
                && (!sepKey(Field.GROUP_DEAD) || bool(Field.GROUP_DEAD));
    }

    /** include/trace/events/sched.h: {@code "filename=%s pid=%d old_pid=%d"}; the file name may hold spaces. */
    private boolean schedProcessExec() {
        if (!literal(FILENAME)) {
            return false;
        }
        int e = Bytes.findSpaced(b, pos, end, SP_PID);
        if (e < 0) {
            return false;
        }
        pos = e;
        return sepKey(Field.PID) && number(Field.PID, ValueType.DEC)
                && (!sepKey(Field.OLD_PID) || number(Field.OLD_PID, ValueType.DEC));
    }

    /** arch/x86/include/asm/trace/exceptions.h: {@code "address=%ps ip=%ps error_code=0x%lx"}. */
    private boolean pageFaultUser() {
        return key(Field.ADDRESS) && addressOrSymbol(Field.ADDRESS)
                && sepKey(Field.IP) && addressOrSymbol(Field.IP)
                && sepKey(Field.ERROR_CODE) && number(Field.ERROR_CODE, ValueType.HEX);
    }

    /**
     * include/trace/events/io_uring.h io_uring_submit_sqe: {@code "ring %p, req %p, op %d, data 0x%llx, flags %u, non
     * block %d, sq_thread %d"} (5.10), {@code "ring %p, req %p, user_data 0x%llx, opcode %s, flags 0x%x, non block %d,
     * sq_thread %d"} (6.1); io_uring_submit_req: {@code "ring %p, req %p, user_data 0x%llx, opcode %s, flags 0x%llx,
     * sq_thread %d"} (6.12, 7.2).
     */
    private boolean ioUringSubmit() {
        if (!literal(RING) || !upToComma(Field.RING, Value::ptr) || !literal(C_REQ) || !upToComma(Field.REQ, Value::ptr)) {
            return false;
        }
        if (literal(C_OP)) {
            if (!upToComma(Field.OPCODE, Value::dec) || !literal(C_DATA) || !upToComma(Field.USER_DATA, Value::hex0x)) {
                return false;
            }
        } else if (!literal(C_USER_DATA) || !upToComma(Field.USER_DATA, Value::hex0x) || !literal(C_OPCODE)
                || !symbolToComma(Field.OPCODE)) {
            return false;
        }
        if (!literal(C_FLAGS) || !upToComma(Field.FLAGS, Value::hex0x) && !upToComma(Field.FLAGS, Value::dec)) {
            return false;
        }
        if (literal(C_NON_BLOCK) && !upToComma(null, Value::dec)) {
            return false;
        }
        return literal(C_SQ_THREAD) && upToComma(Field.SQ_THREAD, Value::dec) && pos == end;
    }

    /**
     * include/trace/events/io_uring.h io_uring_complete: {@code "ring %p, user_data 0x%llx, result %d, cflags %x"} (5.10),
     * {@code "ring %p, req %p, user_data 0x%llx, result %d, cflags 0x%x extra1 %llu extra2 %llu "} (6.1 to 7.2: the
     * extras, a big CQE's, are kept in the verbatim payload only).
     */
    private boolean ioUringComplete() {
        if (!literal(RING) || !upToComma(Field.RING, Value::ptr)) {
            return false;
        }
        if (literal(C_REQ) && !upToComma(Field.REQ, Value::ptr)) {
            return false;
        }
        return literal(C_USER_DATA) && upToComma(Field.USER_DATA, Value::hex0x)
                && literal(C_RESULT) && upToComma(Field.RESULT, Value::dec)
                && literal(C_CFLAGS) && (upToComma(Field.CFLAGS, Value::hex0x) || upToComma(Field.CFLAGS, Value::hexBare));
    }

    /** A value in io_uring's {@code "name value, "} style, scanned by {@code scan} up to the comma; null: not kept. */
    private boolean upToComma(Field f, Scan scan) {
        int e = commaOrSpace();
        if (!scan.scan(v, b, pos, e)) {
            return false;
        }
        if (f != null) {
            out.field(f, v.type, v.value);
        }
        pos = e;
        return true;
    }

    /** A word up to the comma ({@code %s} of an opcode's name), kept as a symbol. */
    private boolean symbolToComma(Field f) {
        int e = commaOrSpace();
        if (e == pos) {
            return false;
        }
        symbols.field(f, b, pos, e);
        pos = e;
        return true;
    }

    private int commaOrSpace() {
        int e = pos;
        while (e < end && b[e] != ',' && b[e] != ' ') {
            e++;
        }
        return e;
    }

    /** One of {@link Value}'s scanners. */
    private interface Scan {
        boolean scan(Value v, byte[] b, int from, int to);
    }

    /** Keys beyond the known format (a newer kernel, an unmerged patch's {@code ip=}), kept as extra fields. */
    private boolean rest() {
        while (pos < end) {
            if (b[pos] != ' ') {
                return false;
            }
            pos = Bytes.skipSpaces(b, pos, end);
            if (pos == end) {
                return true;
            }
            int e = Bytes.tokenEnd(b, pos, end);
            int eq = Bytes.indexOf(b, pos, e, (byte) '=');
            if (eq <= pos || out.fieldCount() == EventWriter.MAX_FIELDS) {
                return false;
            }
            v.addExtra(out, symbols, b, pos, eq, e, false);
            pos = e;
        }
        return true;
    }

    private boolean literal(byte[] lit) {
        if (!Bytes.startsWith(b, pos, end, lit)) {
            return false;
        }
        pos += lit.length;
        return true;
    }

    /** {@code key=} at the cursor. */
    private boolean key(Field f) {
        if (!FieldKeys.startsWithKeyEq(f, b, pos, end)) {
            return false;
        }
        pos += FieldKeys.bytes(f).length + 1;
        return true;
    }

    /** {@code " key="} at the cursor; the cursor stays put when it is not there. */
    private boolean sepKey(Field f) {
        if (pos >= end || b[pos] != ' ') {
            return false;
        }
        pos++;
        if (key(f)) {
            return true;
        }
        pos--;
        return false;
    }

    /** A string that runs to {@code stop} (task names may hold spaces). */
    private boolean string(Field f, byte[] stop) {
        int e = Bytes.findSpaced(b, pos, end, stop);
        if (e < 0) {
            return false;
        }
        symbols.field(f, b, pos, e);
        pos = e;
        return true;
    }

    private boolean number(Field f, byte type) {
        boolean ok = type == ValueType.DEC ? v.dec(b, pos, end)
                : type == ValueType.HEX ? v.hex0x(b, pos, end) : v.hexBare(b, pos, end);
        return ok && add(f);
    }

    private boolean ptr(Field f) {
        return v.ptr(b, pos, end) && add(f);
    }

    private boolean bool(Field f) {
        return v.bool(b, pos, end) && add(f);
    }

    /** {@code %ps}: a user address prints as {@code 0x...}, a kernel one as a symbol. */
    private boolean addressOrSymbol(Field f) {
        if (v.hex0x(b, pos, end)) {
            return add(f);
        }
        int e = Bytes.tokenEnd(b, pos, end);
        if (e == pos) {
            return false;
        }
        symbols.field(f, b, pos, e);
        pos = e;
        return true;
    }

    /** Adds the value just scanned and moves past it. */
    private boolean add(Field f) {
        out.field(f, v.type, v.value);
        pos = v.end;
        return true;
    }
}
