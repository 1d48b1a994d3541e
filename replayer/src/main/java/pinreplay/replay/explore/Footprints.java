package pinreplay.replay.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.replay.mm.MemMap;

/**
 * What each event of a trace touches, read from its fields before any replay, and the relations the explorer
 * derives from it (docs/explore.md):
 * <ul>
 * <li>steps: an event, or a task's events inside its write-held {@code mmap_lock} (mmap_write_lock() to
 * mmap_write_unlock(), the tracepoints of include/trace/events/mmap_lock.h), which no other task's event enters;</li>
 * <li>dependence: two steps of one task, or touching a common resource (overlapping pages of one mm, an inode,
 * its filesystem's blocks, a handle, a vfio container), do not commute; events the model cannot place (syscalls,
 * probes, fork/exec/exit, snapshot {@code vma} lines) touch everything;</li>
 * <li>happens-before: a step that uses a mapping, file or registration comes after the step that created it;</li>
 * <li>windows: a pin or {@code vfio_dma_map} that may drop {@code mmap_lock} in its fault path
 * (fixup_user_fault(), faultin_page()), paired with another task's munmap, anonymous mmap or read-only mprotect of
 * the same pages, which could run while the lock is dropped.</li>
 * </ul>
 */
public final class Footprints {
    private static final long TAG_INO = 1L << 56, TAG_HANDLE = 2L << 56, TAG_FS = 3L << 56, TAG_VFIO = 4L << 56,
            TAG_MMLOCK = 5L << 56, VALUE = (1L << 56) - 1;

    /** Window kinds: what the racing event does inside the window (the mmap-unlock injector's races). */
    public static final int RACE_MUNMAP = 1, RACE_REMAP = 2, RACE_MPROTECT = 3;

    final int events;
    /** Steps in recorded order of their first event; each step's events in program order. */
    int[][] steps;
    int[] stepTask;
    /** Per task (index), its steps in program order. */
    int[][] taskSteps;
    /** Hard predecessors of each step (other tasks' steps it must follow). */
    int[][] preds;
    /** Window pairs: the step that may drop mmap_lock, the step that runs inside. */
    int[] windowE;
    int[] windowF;
    /** Per event: its race kind when it can race inside a window, 0 otherwise. */
    final int[] race;

    private final boolean[] global;
    private final long[][] keys;
    /** Per event: (mm, firstPage, endPage) triples. */
    private final long[][] ranges;
    /** Per event: its own {@code ino=}, -1 when none. */
    private final long[] directInos;

    private Footprints(int n) {
        events = n;
        global = new boolean[n];
        keys = new long[n][];
        ranges = new long[n][];
        race = new int[n];
        directInos = new long[n];
        Arrays.fill(directInos, -1);
    }

    /** Whether a step of {@code step} touches everything (an event the model cannot place). */
    boolean stepGlobal(int step) {
        for (int e : steps[step]) {
            if (global[e]) {
                return true;
            }
        }
        return false;
    }

    /** The discrete resources (inode, handle, filesystem, vfio container, mmap_lock) of event {@code e}, sorted. */
    long[] keys(int e) {
        return keys[e];
    }

    /** The (mm, firstPage, endPage) triples of event {@code e}, or null. */
    long[] ranges(int e) {
        return ranges[e];
    }

    public int stepCount() {
        return steps.length;
    }

    public int taskCount() {
        return taskSteps.length;
    }

    public int windowCount() {
        return windowE.length;
    }

    /**
     * Whether steps {@code a} and {@code b} do not commute: one task's, one created what the other uses, or a
     * resource in common. Computed when asked (the search asks about its few sleeping steps), so a long trace
     * needs no matrix.
     */
    public boolean dependent(int a, int b) {
        return a == b || stepTask[a] == stepTask[b] || Explorer.contains(preds[a], preds[a].length, b)
                || Explorer.contains(preds[b], preds[b].length, a) || conflict(steps[a], steps[b]);
    }

    /** Reads the footprints of every event of {@code t}. */
    public static Footprints of(TraceEvents t) {
        int n = t.size();
        Footprints f = new Footprints(n);
        EventView v = t.view();
        int[] pid = new int[n];
        long[] mm = new long[n];
        EventType[] type = new EventType[n];
        boolean[] writeLock = new boolean[n];
        boolean[] writeUnlock = new boolean[n];
        List<long[]> mmaps = new ArrayList<>(); // {event, mm, lo, hi, ino or -1}
        Map<Long, List<Integer>> files = new HashMap<>(); // ino -> file events
        Map<Long, Long> fsOfIno = new HashMap<>();
        Map<Long, Boolean> daxIno = new HashMap<>();
        Map<Integer, List<Integer>> registrations = new HashMap<>(); // handle -> registering events
        for (int i = 0; i < n; i++) {
            v.wrap(t.data(), t.offset(i));
            pid[i] = v.pid();
            type[i] = v.type();
            mm[i] = mmOf(v);
            f.direct(i, v, mm[i]);
            EventType ty = type[i];
            if (ty == EventType.MMAP) {
                long[] r = f.ranges[i];
                mmaps.add(new long[] {i, r[0], r[1], r[2], v.has(Field.INO) ? v.get(Field.INO) : -1});
            } else if (ty == EventType.FILE) {
                files.computeIfAbsent(v.get(Field.INO), k -> new ArrayList<>()).add(i);
                fsOfIno.put(v.get(Field.INO), (long) v.symbol(Field.FS));
                daxIno.merge(v.get(Field.INO), v.get(Field.DAX, 0) != 0, Boolean::logicalOr);
            }
            if (registers(ty) && v.symbol(Field.HANDLE) != 0) {
                registrations.computeIfAbsent(v.symbol(Field.HANDLE), k -> new ArrayList<>()).add(i);
            }
            if (ty == EventType.MMAP_LOCK_ACQUIRE_RETURNED || ty == EventType.MMAP_LOCK_RELEASED) {
                boolean write = v.get(Field.WRITE, 0) != 0 && v.get(Field.SUCCESS, 1) != 0;
                writeLock[i] = write && ty == EventType.MMAP_LOCK_ACQUIRE_RETURNED;
                writeUnlock[i] = write && ty == EventType.MMAP_LOCK_RELEASED;
            }
        }
        // closure: pages -> the files mapped there; files -> their filesystem's blocks; a handle's users -> what
        // its registrations touched
        for (int i = 0; i < n; i++) {
            f.keys[i] = f.closed(i, type[i], mmaps, fsOfIno, daxIno);
        }
        long[][] own = f.keys.clone();
        long[][] ownRanges = f.ranges.clone();
        for (int i = 0; i < n; i++) {
            int h = handleOf(own[i]);
            List<Integer> regs = h == 0 ? null : registrations.get(h);
            if (regs != null && !registers(type[i])) {
                for (int r : regs) {
                    f.keys[i] = union(f.keys[i], own[r]);
                    f.ranges[i] = concat(f.ranges[i], ownRanges[r]);
                }
            }
        }
        f.relate(pid, mm, type, writeLock, writeUnlock, mmaps, files, registrations, ownRanges);
        return f;
    }

    /** Groups the events into steps, and finds the steps' hard predecessors and the windows. */
    private void relate(int[] pid, long[] mm, EventType[] type, boolean[] writeLock, boolean[] writeUnlock,
            List<long[]> mmaps, Map<Long, List<Integer>> files, Map<Integer, List<Integer>> registrations,
            long[][] ownRanges) {
        int n = events;
        // tasks in order of first appearance; steps (write-held mmap_lock regions grouped)
        Map<Integer, Integer> taskIndex = new HashMap<>();
        List<List<Integer>> stepList = new ArrayList<>();
        List<Integer> stepTaskList = new ArrayList<>();
        Map<Integer, Integer> openRegion = new HashMap<>(); // task -> its step while write-held
        int[] stepOfEvent = new int[n];
        for (int i = 0; i < n; i++) {
            int task = taskIndex.computeIfAbsent(pid[i], p -> taskIndex.size());
            Integer open = openRegion.get(task);
            int s;
            if (open != null) {
                s = open;
                stepList.get(s).add(i);
            } else {
                s = stepList.size();
                stepList.add(new ArrayList<>(List.of(i)));
                stepTaskList.add(task);
            }
            stepOfEvent[i] = s;
            if (writeLock[i]) {
                openRegion.put(task, s);
            } else if (writeUnlock[i]) {
                openRegion.remove(task);
            }
        }
        int ns = stepList.size();
        steps = new int[ns][];
        stepTask = new int[ns];
        List<List<Integer>> perTask = Stream.<List<Integer>>generate(ArrayList::new).limit(taskIndex.size()).toList();
        for (int s = 0; s < ns; s++) {
            steps[s] = stepList.get(s).stream().mapToInt(Integer::intValue).toArray();
            stepTask[s] = stepTaskList.get(s);
            perTask.get(stepTask[s]).add(s);
        }
        taskSteps = perTask.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        // happens-before from creation: the nearest earlier mmap of the pages, file of the inode, registration of
        // the handle
        List<TreeSet<Integer>> predSets = Stream.generate(TreeSet<Integer>::new).limit(ns).toList();
        for (int i = 0; i < n; i++) {
            TreeSet<Integer> p = predSets.get(stepOfEvent[i]);
            if (type[i] != EventType.MMAP) {
                long[] r = ownRanges[i];
                for (int k = 0; r != null && k < r.length; k += 3) {
                    int c = nearestMmap(mmaps, i, r[k], r[k + 1], r[k + 2]);
                    if (c >= 0) {
                        p.add(stepOfEvent[c]);
                    }
                }
            }
            if (type[i] != EventType.FILE) {
                for (long key : keys[i]) {
                    if ((key & ~VALUE) == TAG_INO && directIno(i, key)) {
                        int c = nearestBefore(files.get(key & VALUE), i);
                        if (c >= 0) {
                            p.add(stepOfEvent[c]);
                        }
                    }
                }
            }
            int h = handleOf(keys[i]);
            if (h != 0 && !registers(type[i])) {
                int c = nearestBefore(registrations.get(h), i);
                if (c >= 0) {
                    p.add(stepOfEvent[c]);
                }
            }
        }
        // program order already holds a task's own steps
        preds = IntStream.range(0, ns).mapToObj(s -> predSets.get(s).stream().filter(q -> stepTask[q] != stepTask[s])
                .mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        // windows
        IntStream.Builder we = IntStream.builder();
        IntStream.Builder wf = IntStream.builder();
        for (int e = 0; e < ns; e++) {
            if (steps[e].length != 1 || !mayDropLock(type[steps[e][0]])) {
                continue;
            }
            int ee = steps[e][0];
            for (int s = 0; s < ns; s++) {
                if (steps[s].length != 1 || stepTask[s] == stepTask[e]) {
                    continue;
                }
                int fe = steps[s][0];
                if (race[fe] != 0 && mm[fe] == mm[ee] && overlapsSameMm(ownRanges[ee], ownRanges[fe])) {
                    we.add(e);
                    wf.add(s);
                }
            }
        }
        windowE = we.build().toArray();
        windowF = wf.build().toArray();
    }

    /** Whether the inode key came from the event's own {@code ino=} (not the closure): set in {@link #direct}. */
    private boolean directIno(int i, long key) {
        return directInos[i] == (key & VALUE);
    }

    private boolean conflict(int[] a, int[] b) {
        for (int x : a) {
            for (int y : b) {
                if (global[x] || global[y] || intersects(keys[x], keys[y]) || overlapsSameMm(ranges[x], ranges[y])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The event's own resources; syscalls, probes and task lifecycle events are global. */
    private void direct(int i, EventView v, long mm) {
        long[] k = new long[0];
        long[] r = null;
        EventType t = v.type();
        int handle = v.symbol(Field.HANDLE);
        switch (t) {
            case FILE -> k = new long[] {TAG_FS | v.symbol(Field.FS) & VALUE};
            case MMAP, MUNMAP, MPROTECT, MIGRATE -> r = range(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, 0));
            case FAULT -> r = range(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, MemMap.PAGE_SIZE));
            case FTRUNCATE, FALLOCATE, WRITEBACK -> {
            }
            case GET_USER_PAGES, GET_USER_PAGES_FAST, GET_USER_PAGES_REMOTE, GET_USER_PAGES_LONGTERM, PIN_USER_PAGES,
                    PIN_USER_PAGES_FAST, PIN_USER_PAGES_REMOTE -> {
                if (v.bit(Record.B_PROBE)) {
                    global[i] = true;
                }
                r = range(mm, v.get(Field.START, 0), v.get(Field.NR_PAGES, 1) << MemMap.PAGE_SHIFT);
            }
            case VFIO_DMA_MAP -> {
                r = range(mm, v.get(Field.VADDR, 0), v.get(Field.SIZE, 0));
                k = new long[] {TAG_VFIO | mm & VALUE};
            }
            case VFIO_DMA_UNMAP -> k = new long[] {TAG_VFIO | mm & VALUE};
            case RDMA_REG_MR, IO_URING_REGISTER_BUFFERS -> r = range(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, 0));
            case DIO_SUBMIT -> r = range(mm, v.get(Field.BUF, 0), v.get(Field.LEN, 0));
            case DMA_WRITE, DMA_READ -> {
                if (v.has(Field.IOVA)) {
                    k = new long[] {TAG_VFIO | mm & VALUE};
                }
            }
            case UNPIN_USER_PAGES, PUT_PAGE, RDMA_DEREG_MR, IO_URING_UNREGISTER_BUFFERS, DIO_COMPLETE -> {
            }
            case MMAP_LOCK_START_LOCKING, MMAP_LOCK_ACQUIRE_RETURNED, MMAP_LOCK_RELEASED ->
                    k = new long[] {TAG_MMLOCK | mm & VALUE};
            default -> global[i] = true;
        }
        if (v.has(Field.INO) && t.isNative()) {
            directInos[i] = v.get(Field.INO);
            k = union(k, new long[] {TAG_INO | v.get(Field.INO) & VALUE});
        }
        if (handle != 0) {
            k = union(k, new long[] {TAG_HANDLE | handle});
        }
        keys[i] = k;
        ranges[i] = r;
        if (t == EventType.MUNMAP) {
            race[i] = RACE_MUNMAP;
        } else if (t == EventType.MMAP && !v.has(Field.INO)) {
            race[i] = RACE_REMAP;
        } else if (t == EventType.MPROTECT && v.symbols().string(v.symbol(Field.PROT)).indexOf('w') < 0) {
            race[i] = RACE_MPROTECT;
        }
    }

    /**
     * The event's keys plus the files mapped over its pages, and the blocks of their filesystem where blocks can
     * change hands under it: events that allocate or free blocks (file, ftruncate, fallocate), and any access to an
     * fs-DAX file, whose pages are those blocks.
     */
    private long[] closed(int i, EventType t, List<long[]> mmaps, Map<Long, Long> fsOfIno, Map<Long, Boolean> daxIno) {
        boolean blocks = t == EventType.FILE || t == EventType.FTRUNCATE || t == EventType.FALLOCATE;
        long[] k = keys[i];
        long[] r = ranges[i];
        for (int j = 0; r != null && j < r.length; j += 3) {
            for (long[] m : mmaps) {
                if (m[4] >= 0 && m[1] == r[j] && m[2] < r[j + 2] && r[j + 1] < m[3]) {
                    k = union(k, new long[] {TAG_INO | m[4] & VALUE});
                }
            }
        }
        for (long key : k.clone()) {
            if ((key & ~VALUE) == TAG_INO) {
                Long fs = fsOfIno.get(key & VALUE);
                if (fs != null && (blocks || daxIno.getOrDefault(key & VALUE, false))) {
                    k = union(k, new long[] {TAG_FS | fs & VALUE});
                }
            }
        }
        return k;
    }

    /** The mm an event acts on: {@code mm=PID}, else its thread group (TGID column), else its pid. */
    private static long mmOf(EventView v) {
        if (v.type().isNative() && v.has(Field.MM)) {
            long m = v.get(Field.MM);
            if (m > 0 && m < (1L << 32)) {
                return m;
            }
        }
        return v.hasTgid() && v.tgid() > 0 ? v.tgid() : v.pid();
    }

    private static long[] range(long mm, long addr, long len) {
        long lo = addr >>> MemMap.PAGE_SHIFT;
        long hi = len <= 0 ? lo + 1 : Math.max(lo + 1, (addr + len + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT);
        return new long[] {mm, lo, hi};
    }

    private static boolean registers(EventType t) {
        return switch (t) {
            case GET_USER_PAGES, GET_USER_PAGES_FAST, GET_USER_PAGES_REMOTE, GET_USER_PAGES_LONGTERM, PIN_USER_PAGES,
                    PIN_USER_PAGES_FAST, PIN_USER_PAGES_REMOTE, VFIO_DMA_MAP, RDMA_REG_MR, IO_URING_REGISTER_BUFFERS,
                    DIO_SUBMIT -> true;
            default -> false;
        };
    }

    private static boolean mayDropLock(EventType t) {
        return switch (t) {
            case VFIO_DMA_MAP, GET_USER_PAGES, GET_USER_PAGES_REMOTE, GET_USER_PAGES_LONGTERM, PIN_USER_PAGES,
                    PIN_USER_PAGES_REMOTE, RDMA_REG_MR, IO_URING_REGISTER_BUFFERS -> true;
            default -> false;
        };
    }

    private static int handleOf(long[] k) {
        for (long key : k) {
            if ((key & ~VALUE) == TAG_HANDLE) {
                return (int) (key & VALUE);
            }
        }
        return 0;
    }

    private static int nearestMmap(List<long[]> mmaps, int before, long mm, long lo, long hi) {
        int best = -1;
        for (long[] m : mmaps) {
            if (m[0] < before && m[1] == mm && m[2] < hi && lo < m[3]) {
                best = (int) m[0];
            }
        }
        return best;
    }

    private static int nearestBefore(List<Integer> events, int before) {
        int best = -1;
        if (events != null) {
            for (int e : events) {
                if (e < before) {
                    best = e;
                }
            }
        }
        return best;
    }

    private static boolean overlapsSameMm(long[] a, long[] b) {
        if (a == null || b == null) {
            return false;
        }
        for (int i = 0; i < a.length; i += 3) {
            for (int j = 0; j < b.length; j += 3) {
                if (a[i] == b[j] && a[i + 1] < b[j + 2] && b[j + 1] < a[i + 2]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean intersects(long[] a, long[] b) {
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                return true;
            }
            if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    /** Sorted union of two sorted key sets. */
    private static long[] union(long[] a, long[] b) {
        long[] out = new long[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            long x = j >= b.length || i < a.length && a[i] <= b[j] ? a[i++] : b[j++];
            if (n == 0 || out[n - 1] != x) {
                out[n++] = x;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static long[] concat(long[] a, long[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
