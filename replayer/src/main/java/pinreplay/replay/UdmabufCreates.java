package pinreplay.replay;

import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.replay.dev.Udmabuf;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.range.LongObjectMap;

/**
 * udmabuf as a raw recording shows it: a kprobe on udmabuf_create() with the list's flags and item count and its first
 * item (memfd, offset, size), dma_buf_fd() naming the dma-buf it made, its kretprobe (the fd or -errno), and
 * release_udmabuf() at that dma-buf's last reference. Judged at the return as the native {@code udmabuf_create} is
 * ({@link Udmabuf#create}). Not judged: a list of more than one item (the probe reads the first), a memfd the
 * recording did not show created (or whose seals or size it did not show), a release before 6.11 (page references).
 * <p>
 * A program's {@code udmabuf_create} marker written after such a call is that call: {@link #adopt} hands it the judged
 * result, so the memfd is not pinned a second time.
 */
final class UdmabufCreates {
    private static final int ITEMS = 0, MEMFD = 1, OFFSET = 2, SIZE = 3, TS = 4, STATE = 5, DMABUF = 6, RESULT = 7;
    private static final long IDLE = 0, INSIDE = 1, RETURNED = 2;
    /** Per pid: the call's item count, first item, entry timestamp, state, the dma-buf dma_buf_fd() named, result. */
    private final LongObjectMap<long[]> calls = new LongObjectMap<>();
    private final Kernel k;
    private final Syscalls syscalls;

    UdmabufCreates(Kernel k, Syscalls syscalls) {
        this.k = k;
        this.syscalls = syscalls;
    }

    /** A kprobe on udmabuf_create(), dma_buf_fd() or release_udmabuf() in task {@code v.pid()}. */
    void probe(EventView v) {
        int f = v.symbol(Field.FUNC);
        if (v.symbols().is(f, "release_udmabuf")) {
            k.udmabuf.releaseRecorded(v.get(Field.DMABUF, 0));
            return;
        }
        long[] c = calls.computeIfAbsent(v.pid(), p -> new long[8]);
        if (v.symbols().is(f, "dma_buf_fd")) {
            if (c[STATE] == INSIDE) {
                c[DMABUF] = v.get(Field.DMABUF, 0);
            }
            return;
        }
        boolean read = v.has(Field.ITEMS) && v.has(Field.MEMFD) && v.has(Field.OFFSET) && v.has(Field.SIZE);
        c[ITEMS] = read ? v.get(Field.ITEMS) : -1;
        c[MEMFD] = v.get(Field.MEMFD, -1);
        c[OFFSET] = v.get(Field.OFFSET, 0);
        c[SIZE] = v.get(Field.SIZE, 0);
        c[TS] = v.ts();
        c[STATE] = INSIDE;
        c[DMABUF] = 0;
    }

    /** Whether a kretprobe is udmabuf_create()'s. */
    static boolean isReturn(EventView v) {
        return v.symbols().is(v.symbol(Field.FUNC), "udmabuf_create");
    }

    /** The entry timestamp of task {@code pid}'s udmabuf_create() now returning, 0 when its kprobe was not seen. */
    long enteredAt(int pid) {
        long[] c = calls.get(pid);
        return c == null || c[STATE] != INSIDE ? 0 : c[TS];
    }

    /**
     * The kretprobe: the model's result of task {@code pid}'s udmabuf_create() (0 for a dma-buf), or {@link
     * Syscalls#UNJUDGED}. The argument checks need nothing else; the memfd's own checks need the file the recording
     * showed behind the fd.
     */
    long exit(int pid, Mm mm, long ret) {
        long[] c = calls.get(pid);
        if (ret >= 0) {
            // udmabuf_create() returns dma_buf_fd()'s fd (5.10-7.2): the list's size when one item made it
            syscalls.dmabufInstalled(mm, ret, c != null && c[STATE] == INSIDE && c[ITEMS] == 1 ? c[SIZE] : -1);
        }
        if (c == null || c[STATE] != INSIDE || !k.profile.udmabufPins || c[ITEMS] != 1) {
            if (c != null) {
                c[STATE] = IDLE;
                unfollowed(c, ret);
            }
            return Syscalls.UNJUDGED;
        }
        c[STATE] = RETURNED;
        Inode memfd = syscalls.fileOf(mm, c[MEMFD]);
        boolean argsOnly = memfd == null || memfd.undescribed || memfd.sizeUnknown
                || (memfd.isShmem() || memfd.isHugetlbfs()) && memfd.seals < 0;
        if (argsOnly) {
            long r = Udmabuf.checkArgs(c[OFFSET], c[SIZE]);
            c[RESULT] = r != 0 ? r : Syscalls.UNJUDGED;
            unfollowed(c, ret);
            return c[RESULT];
        }
        c[RESULT] = k.udmabuf.create(mm, 0, memfd, c[OFFSET], c[SIZE], memfd.seals);
        if (c[RESULT] == 0 && c[DMABUF] != 0) {
            k.udmabuf.installed(c[DMABUF]);
        } else {
            unfollowed(c, ret);
        }
        return c[RESULT];
    }

    /** The kernel made a dma-buf ({@code ret} an fd) whose pins the model did not take: its release will say when they go. */
    private void unfollowed(long[] c, long ret) {
        if (ret >= 0 && c[DMABUF] != 0) {
            k.udmabuf.unfollowed(c[DMABUF]);
        }
    }

    /**
     * The judged result of task {@code pid}'s last udmabuf_create() when it was of {@code [offset, offset + size)} and no
     * marker took it yet, else {@link Syscalls#UNJUDGED} (the marker's dma-buf is then made by the model itself).
     */
    long adopt(int pid, long offset, long size) {
        long[] c = calls.get(pid);
        if (c == null || c[STATE] != RETURNED || c[OFFSET] != offset || c[SIZE] != size) {
            return Syscalls.UNJUDGED;
        }
        c[STATE] = IDLE;
        return c[RESULT];
    }
}
