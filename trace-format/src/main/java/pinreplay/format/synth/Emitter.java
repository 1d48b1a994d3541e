package pinreplay.format.synth;

import java.nio.charset.StandardCharsets;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.ValueType;

/**
 * Writes synthesized events as records, exactly as the parser would decode the same lines of text
 * (field order, value types, line numbers), so {@code synth --queue} equals {@code synth | ingest}.
 * Every method emits one line; nothing is allocated per event.
 */
public final class Emitter {
    private final EventWriter w;
    private long line;
    private long events;
    private long limit = Long.MAX_VALUE;
    private final byte[] scratch = new byte[512];

    final Word rw = new Word("rw");
    final Word shared = new Word("shared");
    final Word priv = new Word("private");
    final Word read = new Word("read");
    final Word write = new Word("write");
    final Word punchHole = new Word("punch_hole");
    final Word allocate = new Word("allocate");

    Emitter(EventWriter w) {
        this.w = w;
    }

    /** A word or handle for later events; call at set-up, not per event. */
    Word sym(String s) {
        return new Word(s);
    }

    private int id(Word word) {
        return word.id(w.symbols());
    }

    long events() {
        return events;
    }

    /** Lines beyond {@code n} events are dropped, as when a capture stops in the middle of an action. */
    void limit(long n) {
        limit = n;
    }

    void comment(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        w.begin(EventType.COMMENT, ++line);
        w.raw(b, 0, b.length);
        w.commit();
    }

    private EventWriter begin(EventType t, Task task, long now) {
        events++;
        return w.begin(t, ++line).ts(now, 0).pid(task.pid()).cpu(task.cpu())
                .irqFlags(task.irqFlags(), 0, task.irqFlags().length).comm(id(task.comm()));
    }

    private void done() {
        if (events > limit) {
            w.abort();
            events--;
            line--;
        } else {
            w.commit();
        }
    }

    // ---- files and address spaces (contract 2.1) ----

    void file(Task t, long now, long ino, Word fs, int dax, long size) {
        begin(EventType.FILE, t, now).field(Field.INO, ValueType.DEC, ino).field(Field.FS, ValueType.SYM, id(fs))
                .field(Field.DAX, ValueType.DEC, dax).field(Field.SIZE, ValueType.HEX, size);
        done();
    }

    /** An mmap; {@code ino < 0} is anonymous. Optional flags are emitted only when set. */
    void mmap(Task t, long now, long addr, long len, Word prot, Word flags, long ino, long pgoff,
            boolean hugetlb, boolean pfnmap, boolean populate) {
        EventWriter e = begin(EventType.MMAP, t, now).field(Field.ADDR, ValueType.HEX, addr)
                .field(Field.LEN, ValueType.HEX, len).field(Field.PROT, ValueType.SYM, id(prot))
                .field(Field.FLAGS, ValueType.SYM, id(flags));
        if (ino >= 0) {
            e.field(Field.INO, ValueType.DEC, ino).field(Field.PGOFF, ValueType.HEX, pgoff);
        }
        if (hugetlb) {
            e.field(Field.HUGETLB, ValueType.DEC, 1);
        }
        if (pfnmap) {
            e.field(Field.PFNMAP, ValueType.DEC, 1);
        }
        if (populate) {
            e.field(Field.POPULATE, ValueType.DEC, 1);
        }
        done();
    }

    void munmap(Task t, long now, long addr, long len) {
        begin(EventType.MUNMAP, t, now).field(Field.ADDR, ValueType.HEX, addr).field(Field.LEN, ValueType.HEX, len);
        done();
    }

    void fault(Task t, long now, long addr, long len, boolean isWrite) {
        begin(EventType.FAULT, t, now).field(Field.ADDR, ValueType.HEX, addr).field(Field.LEN, ValueType.HEX, len)
                .field(Field.WRITE, ValueType.DEC, isWrite ? 1 : 0);
        done();
    }

    void ftruncate(Task t, long now, long ino, long size) {
        begin(EventType.FTRUNCATE, t, now).field(Field.INO, ValueType.DEC, ino).field(Field.SIZE, ValueType.HEX, size);
        done();
    }

    void fallocate(Task t, long now, long ino, Word mode, long offset, long len) {
        begin(EventType.FALLOCATE, t, now).field(Field.INO, ValueType.DEC, ino).field(Field.MODE, ValueType.SYM, id(mode))
                .field(Field.OFFSET, ValueType.HEX, offset).field(Field.LEN, ValueType.HEX, len);
        done();
    }

    void writeback(Task t, long now, long ino) {
        begin(EventType.WRITEBACK, t, now).field(Field.INO, ValueType.DEC, ino);
        done();
    }

    // ---- pin calls (contract 2.2) ----

    void pinCall(EventType call, Task t, long now, long start, long nrPages, long follBits, Word handle) {
        begin(call, t, now).field(Field.START, ValueType.HEX, start).field(Field.NR_PAGES, ValueType.DEC, nrPages)
                .field(Field.GUP_FLAGS, ValueType.FOLL, follBits).field(Field.HANDLE, ValueType.SYM, id(handle));
        done();
    }

    void unpin(Task t, long now, Word handle, boolean dirty) {
        EventWriter e = begin(EventType.UNPIN_USER_PAGES, t, now).field(Field.HANDLE, ValueType.SYM, id(handle));
        if (dirty) {
            e.field(Field.DIRTY, ValueType.DEC, 1);
        }
        done();
    }

    // ---- device users (contract 2.3) ----

    void vfioDmaMap(Task t, long now, Word handle, long vaddr, long iova, long size, Word prot) {
        begin(EventType.VFIO_DMA_MAP, t, now).field(Field.HANDLE, ValueType.SYM, id(handle))
                .field(Field.VADDR, ValueType.HEX, vaddr).field(Field.IOVA, ValueType.HEX, iova)
                .field(Field.SIZE, ValueType.HEX, size).field(Field.PROT, ValueType.SYM, id(prot));
        done();
    }

    void rdmaRegMr(Task t, long now, Word handle, long addr, long len, Word access) {
        begin(EventType.RDMA_REG_MR, t, now).field(Field.HANDLE, ValueType.SYM, id(handle))
                .field(Field.ADDR, ValueType.HEX, addr).field(Field.LEN, ValueType.HEX, len)
                .field(Field.ACCESS, ValueType.SYM, id(access));
        done();
    }

    void ioUringRegister(Task t, long now, Word handle, long addr, long len) {
        begin(EventType.IO_URING_REGISTER_BUFFERS, t, now).field(Field.HANDLE, ValueType.SYM, id(handle))
                .field(Field.ADDR, ValueType.HEX, addr).field(Field.LEN, ValueType.HEX, len);
        done();
    }

    void dioSubmit(Task t, long now, Word handle, long ino, long offset, long len, long buf, boolean isRead) {
        begin(EventType.DIO_SUBMIT, t, now).field(Field.HANDLE, ValueType.SYM, id(handle))
                .field(Field.INO, ValueType.DEC, ino).field(Field.OFFSET, ValueType.HEX, offset)
                .field(Field.LEN, ValueType.HEX, len).field(Field.BUF, ValueType.HEX, buf)
                .field(Field.RW, ValueType.SYM, id(isRead ? read : write));
        done();
    }

    void dioComplete(Task t, long now, Word handle) {
        begin(EventType.DIO_COMPLETE, t, now).field(Field.HANDLE, ValueType.SYM, id(handle));
        done();
    }

    /** A device access through a registration: {@code at} is an iova (vfio) or an offset (others). */
    void dma(Task t, long now, boolean isWrite, Word handle, boolean byIova, long at, long len) {
        begin(isWrite ? EventType.DMA_WRITE : EventType.DMA_READ, t, now).field(Field.HANDLE, ValueType.SYM, id(handle))
                .field(byIova ? Field.IOVA : Field.OFFSET, ValueType.HEX, at).field(Field.LEN, ValueType.HEX, len);
        done();
    }

    // ---- real tracepoints: decoded fields plus the kernel's own payload text, as the parser keeps them ----

    /** {@code task_newtask: pid=%d comm=%s clone_flags=%lx oom_score_adj=%hd} (include/trace/events/task.h). */
    void taskNewtask(Task parent, long now, Task child, long cloneFlags) {
        int n = put(0, "pid=");
        n = putDec(n, child.pid());
        n = put(n, " comm=");
        n = putWord(n, child.comm());
        n = put(n, " clone_flags=");
        n = putHex(n, cloneFlags);
        n = put(n, " oom_score_adj=0");
        begin(EventType.TASK_NEWTASK, parent, now).field(Field.PID, ValueType.DEC, child.pid())
                .field(Field.COMM, ValueType.SYM, id(child.comm()))
                .field(Field.CLONE_FLAGS, ValueType.HEX_BARE, cloneFlags)
                .field(Field.OOM_SCORE_ADJ, ValueType.DEC, 0);
        w.raw(scratch, 0, n);
        done();
    }

    private int put(int n, String s) {
        for (int i = 0; i < s.length(); i++) {
            scratch[n++] = (byte) s.charAt(i);
        }
        return n;
    }

    private int putWord(int n, Word word) {
        System.arraycopy(word.bytes, 0, scratch, n, word.bytes.length);
        return n + word.bytes.length;
    }

    private int putDec(int n, long v) {
        if (v < 0) {
            scratch[n++] = '-';
            v = -v;
        }
        int start = n;
        do {
            scratch[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        reverse(start, n);
        return n;
    }

    private int putHex(int n, long v) {
        int start = n;
        do {
            scratch[n++] = (byte) "0123456789abcdef".charAt((int) (v & 15));
            v >>>= 4;
        } while (v != 0);
        reverse(start, n);
        return n;
    }

    private void reverse(int from, int to) {
        for (int i = from, j = to - 1; i < j; i++, j--) {
            byte t = scratch[i];
            scratch[i] = scratch[j];
            scratch[j] = t;
        }
    }

    /** mmap_lock_start_locking, _acquire_returned, _released (include/trace/events/mmap_lock.h, v5.10+). */
    enum Lock {
        START_LOCKING(EventType.MMAP_LOCK_START_LOCKING),
        ACQUIRE_RETURNED(EventType.MMAP_LOCK_ACQUIRE_RETURNED),
        RELEASED(EventType.MMAP_LOCK_RELEASED);

        final EventType type;

        Lock(EventType type) {
            this.type = type;
        }
    }

    /** {@code "mm=%p memcg_path=%s write=%s"} (+ {@code " success=%s"} on acquire_returned). */
    void mmapLock(Task t, long now, Lock what, boolean writeLock) {
        int n = put(0, "mm=");
        n = putHex16(n, t.mm());
        n = put(n, " memcg_path=");
        n = putWord(n, t.memcg());
        n = put(n, writeLock ? " write=true" : " write=false");
        EventWriter e = begin(what.type, t, now).field(Field.MM, ValueType.PTR, t.mm())
                .field(Field.MEMCG_PATH, ValueType.SYM, id(t.memcg()))
                .field(Field.WRITE, ValueType.BOOL, writeLock ? 1 : 0);
        if (what == Lock.ACQUIRE_RETURNED) {
            n = put(n, " success=true");
            e.field(Field.SUCCESS, ValueType.BOOL, 1);
        }
        w.raw(scratch, 0, n);
        done();
    }

    /** The three mmap_lock lines around an operation: call before, then {@link #unlock} after. */
    void lock(Task t, long now, boolean writeLock) {
        mmapLock(t, now, Lock.START_LOCKING, writeLock);
        mmapLock(t, now, Lock.ACQUIRE_RETURNED, writeLock);
    }

    void unlock(Task t, long now, boolean writeLock) {
        mmapLock(t, now, Lock.RELEASED, writeLock);
    }

    /** writeback_dirty_folio: {@code "bdi %s: ino=%lu index=%lu"} (include/trace/events/writeback.h, v5.16+). */
    void writebackDirtyFolio(Task t, long now, long ino, long index) {
        int n = put(0, "bdi 8:0: ino=");
        n = putDec(n, ino);
        n = put(n, " index=");
        n = putDec(n, index);
        begin(EventType.WRITEBACK_DIRTY_FOLIO, t, now).field(Field.BDI, ValueType.DEVNO, 8L << 32)
                .field(Field.INO, ValueType.DEC, ino).field(Field.INDEX, ValueType.DEC, index);
        w.raw(scratch, 0, n);
        done();
    }

    /** mm_filemap_add_to_page_cache: {@code "dev %d:%d ino %lx pfn=0x%lx ofs=%lu order=%u"} (include/trace/events/filemap.h). */
    void filemapAdd(Task t, long now, long ino, long pfn, long index) {
        int n = put(0, "dev 8:1 ino ");
        n = putHex(n, ino);
        n = put(n, " pfn=0x");
        n = putHex(n, pfn);
        n = put(n, " ofs=");
        n = putDec(n, index * Synth.PAGE);
        n = put(n, " order=0");
        begin(EventType.MM_FILEMAP_ADD_TO_PAGE_CACHE, t, now).field(Field.DEV, ValueType.DEVNO, 8L << 32 | 1)
                .field(Field.INO, ValueType.HEX_BARE, ino).field(Field.PFN, ValueType.HEX, pfn)
                .field(Field.OFS, ValueType.DEC, index * Synth.PAGE).field(Field.ORDER, ValueType.DEC, 0);
        w.raw(scratch, 0, n);
        done();
    }

    private int putHex16(int n, long v) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            scratch[n++] = (byte) "0123456789abcdef".charAt((int) ((v >>> shift) & 15));
        }
        return n;
    }

    /** The irq-info flags of process context and of a hard interrupt (completion handlers). */
    static final byte[] TASK_FLAGS = ".....".getBytes(StandardCharsets.US_ASCII);
    static final byte[] IRQ_FLAGS = "d.h1.".getBytes(StandardCharsets.US_ASCII);
}
