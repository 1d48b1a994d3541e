package pinreplay.format;

import static pinreplay.format.Field.*;

/**
 * Every kind of record in a pinreplay event stream: the native pin vocabulary (docs/trace-format.md
 * section 3), the real tracepoints the model uses (include/trace/events/), and meta records that keep
 * what the text held (comments, unknown events) so that a queue prints back as the trace it came
 * from. The code is the byte stored in each record and must never be renumbered: append only.
 */
public enum EventType {
    // ---- meta ----
    /** Symbol definition: id and bytes, written before the first record that uses it. */
    SYMBOL(0, "symbol", Kind.META),
    /** A {@code #} comment or a trace-cmd preamble line ({@code version = 6}, {@code cpus=4}); verbatim. */
    COMMENT(1, "comment", Kind.META),
    /** An event the model does not use: name kept as {@link Field#EVENT_NAME}, payload verbatim. */
    UNKNOWN(2, "unknown", Kind.META),
    /** A line of another tracer (function, function_graph, latency format): kept verbatim. */
    OTHER(3, "other", Kind.META),
    /** {@code CPU:N [LOST M EVENTS]}. */
    LOST_EVENTS(4, "lost_events", Kind.META),

    // ---- native: files and address spaces (contract 2.1) ----
    FILE(10, "file", Kind.NATIVE, INO, FS),
    MMAP(11, "mmap", Kind.NATIVE, ADDR, LEN, PROT, FLAGS),
    MUNMAP(12, "munmap", Kind.NATIVE, ADDR, LEN),
    MPROTECT(13, "mprotect", Kind.NATIVE, ADDR, LEN, PROT),
    FAULT(14, "fault", Kind.NATIVE, ADDR, WRITE),
    FTRUNCATE(15, "ftruncate", Kind.NATIVE, INO, SIZE),
    FALLOCATE(16, "fallocate", Kind.NATIVE, INO, MODE, OFFSET, LEN),
    WRITEBACK(17, "writeback", Kind.NATIVE, INO),
    MIGRATE(18, "migrate", Kind.NATIVE, ADDR, LEN),
    /**
     * A mapping that existed when the recording started (a {@code /proc/PID/maps} line of the snapshot
     * {@code pinreplay record} takes): state, not a call. {@code start}/{@code end} as in vm_area_struct.
     */
    VMA(19, "vma", Kind.STATE, START, END, PROT, FLAGS),
    /**
     * What the memlock charge of long-term pins reads of task {@code pid} (a snapshot line of {@code pinreplay record},
     * or a program's own marker): state, not a call. {@code rlimit} is RLIMIT_MEMLOCK's soft limit in bytes or
     * {@code unlimited}; {@code cap_ipc_lock} 0 or 1; {@code uid}, {@code euid}, {@code suid}; {@code locked_vm},
     * {@code pinned_vm} (its mm's) and {@code user_locked_vm} (its real uid's user_struct) in pages. Each is optional.
     */
    MEMLOCK(40, "memlock", Kind.STATE, PID),

    // ---- native: pin calls (contract 2.2) ----
    GET_USER_PAGES(20, "get_user_pages", Kind.PIN_CALL, START, NR_PAGES, GUP_FLAGS),
    GET_USER_PAGES_FAST(21, "get_user_pages_fast", Kind.PIN_CALL, START, NR_PAGES, GUP_FLAGS),
    GET_USER_PAGES_REMOTE(22, "get_user_pages_remote", Kind.PIN_CALL, START, NR_PAGES, GUP_FLAGS),
    GET_USER_PAGES_LONGTERM(23, "get_user_pages_longterm", Kind.PIN_CALL, START, NR_PAGES, GUP_FLAGS),
    PIN_USER_PAGES(24, "pin_user_pages", Kind.PIN_CALL, START, NR_PAGES, GUP_FLAGS),
    PIN_USER_PAGES_FAST(25, "pin_user_pages_fast", Kind.PIN_CALL, START, NR_PAGES, GUP_FLAGS),
    PIN_USER_PAGES_REMOTE(26, "pin_user_pages_remote", Kind.PIN_CALL, START, NR_PAGES, GUP_FLAGS),
    UNPIN_USER_PAGES(27, "unpin_user_pages", Kind.NATIVE, HANDLE),
    PUT_PAGE(28, "put_page", Kind.NATIVE, HANDLE),

    // ---- native: device users (contract 2.3) ----
    VFIO_DMA_MAP(30, "vfio_dma_map", Kind.NATIVE, HANDLE, VADDR, IOVA, SIZE),
    VFIO_DMA_UNMAP(31, "vfio_dma_unmap", Kind.NATIVE, HANDLE, IOVA, SIZE),
    RDMA_REG_MR(32, "rdma_reg_mr", Kind.NATIVE, HANDLE, ADDR, LEN),
    RDMA_DEREG_MR(33, "rdma_dereg_mr", Kind.NATIVE, HANDLE),
    IO_URING_REGISTER_BUFFERS(34, "io_uring_register_buffers", Kind.NATIVE, HANDLE, ADDR, LEN),
    IO_URING_UNREGISTER_BUFFERS(35, "io_uring_unregister_buffers", Kind.NATIVE, HANDLE),
    DIO_SUBMIT(36, "dio_submit", Kind.NATIVE, HANDLE, INO, OFFSET, LEN, BUF, RW),
    DIO_COMPLETE(37, "dio_complete", Kind.NATIVE, HANDLE),
    DMA_WRITE(38, "dma_write", Kind.NATIVE, HANDLE, LEN),
    DMA_READ(39, "dma_read", Kind.NATIVE, HANDLE, LEN),

    // ---- native: advice on address ranges ----
    /** madvise(2): {@link Field#ADVICE} is a MADV_* name in lower case without the prefix ({@code dontneed}) or a number. */
    MADVISE(41, "madvise", Kind.NATIVE, ADDR, LEN, ADVICE),

    // ---- real tracepoints (include/trace/events/), payload also kept verbatim ----
    MMAP_LOCK_START_LOCKING(50, "mmap_lock_start_locking", Kind.TRACEPOINT),
    MMAP_LOCK_ACQUIRE_RETURNED(51, "mmap_lock_acquire_returned", Kind.TRACEPOINT),
    MMAP_LOCK_RELEASED(52, "mmap_lock_released", Kind.TRACEPOINT),
    WRITEBACK_DIRTY_FOLIO(53, "writeback_dirty_folio", Kind.TRACEPOINT),
    WRITEBACK_DIRTY_PAGE(54, "writeback_dirty_page", Kind.TRACEPOINT),
    FOLIO_WAIT_WRITEBACK(55, "folio_wait_writeback", Kind.TRACEPOINT),
    WAIT_ON_PAGE_WRITEBACK(56, "wait_on_page_writeback", Kind.TRACEPOINT),
    MM_FILEMAP_ADD_TO_PAGE_CACHE(57, "mm_filemap_add_to_page_cache", Kind.TRACEPOINT),
    MM_FILEMAP_DELETE_FROM_PAGE_CACHE(58, "mm_filemap_delete_from_page_cache", Kind.TRACEPOINT),
    SCHED_PROCESS_FORK(59, "sched_process_fork", Kind.TRACEPOINT),
    TASK_NEWTASK(60, "task_newtask", Kind.TRACEPOINT),
    PAGE_FAULT_USER(61, "page_fault_user", Kind.TRACEPOINT),
    SCHED_PROCESS_EXIT(62, "sched_process_exit", Kind.TRACEPOINT),
    /**
     * A kretprobe on a pin function, ib_umem_get(), udmabuf_create() or fixup_user_fault(): {@link Field#FUNC} names
     * it, {@link Field#RET} is its value.
     */
    KRETPROBE(63, "kretprobe", Kind.TRACEPOINT),
    /** sched_process_exec: the task now runs a new program in a new mm (exec_mmap()). */
    SCHED_PROCESS_EXEC(64, "sched_process_exec", Kind.TRACEPOINT),
    /**
     * A syscall's entry ({@code syscalls:sys_enter_NAME}, printed by ftrace as {@code sys_NAME(arg: hex, ...)}):
     * {@link Field#SYSCALL} names it, its arguments follow in order. Never named in text.
     */
    SYSCALL_ENTER(65, "syscall_enter", Kind.TRACEPOINT),
    /** A syscall's return ({@code sys_NAME -> 0xRET}): {@link Field#SYSCALL} and {@link Field#RET}. */
    SYSCALL_EXIT(66, "syscall_exit", Kind.TRACEPOINT),
    /**
     * A kprobe on a release function (unpin_user_page(s)(_dirty_lock), unpin_user_page_range_dirty_lock,
     * unpin_user_folio): {@link Field#FUNC}, {@link Field#NR_PAGES}, {@link Field#DIRTY}. Never named in text.
     */
    UNPIN_PROBE(67, "unpin_probe", Kind.TRACEPOINT),
    /**
     * A kprobe on a filesystem's mmap hook (hugetlbfs_file_mmap, shmem_mmap(_prepare), ext4_file_mmap(_prepare),
     * xfs_file_mmap(_prepare), btrfs_file_mmap(_prepare)), which mmap() calls before the VMA exists: {@link Field#FUNC}
     * names the filesystem of the file being mapped; {@link Field#MODE} and {@link Field#FLAGS}, when fetched, are
     * its inode's i_mode and i_flags. Never named in text.
     */
    MMAP_HOOK_PROBE(68, "mmap_hook_probe", Kind.TRACEPOINT),
    /**
     * A kprobe on RDMA's ib_umem_get() (__ib_umem_get_va() in 7.2), which pins a memory region: {@link Field#ADDR} and
     * {@link Field#LEN} (its size); its return is a {@link #KRETPROBE} (the umem, or an ERR_PTR). On ib_umem_release()
     * ({@link Field#FUNC} names it), {@link Field#ADDR} is the umem released. Never named in text.
     */
    UMEM_GET_PROBE(69, "umem_get_probe", Kind.TRACEPOINT),
    /**
     * A kprobe on do_prlimit() (kernel/sys.c), which setrlimit() and prlimit64() call with the kernel's copy of the new
     * limit: {@link Field#RESOURCE}, {@link Field#ADDR} (the copy, 0 for a read), {@link Field#RLIMIT} (its rlim_cur).
     * Never named in text.
     */
    PRLIMIT_PROBE(70, "prlimit_probe", Kind.TRACEPOINT),
    /**
     * include/trace/events/io_uring.h: a request io_submit_sqe() is about to issue ({@link Field#RING}, {@link Field#REQ},
     * {@link Field#USER_DATA}, {@link Field#OPCODE}, {@link Field#FLAGS}, {@link Field#SQ_THREAD}), as 5.10 and 6.1
     * name it; {@link #IO_URING_SUBMIT_REQ} in 6.12 and 7.2.
     */
    IO_URING_SUBMIT_SQE(71, "io_uring_submit_sqe", Kind.TRACEPOINT),
    /** {@link #IO_URING_SUBMIT_SQE} as 6.12 and 7.2 name it. */
    IO_URING_SUBMIT_REQ(72, "io_uring_submit_req", Kind.TRACEPOINT),
    /**
     * include/trace/events/io_uring.h: a request's CQE is posted ({@link Field#RING}, {@link Field#REQ} (not in 5.10),
     * {@link Field#USER_DATA}, {@link Field#RESULT}, {@link Field#CFLAGS}).
     */
    IO_URING_COMPLETE(73, "io_uring_complete", Kind.TRACEPOINT),
    /**
     * A kprobe on vfio type1's vfio_iommu_type1_ioctl() (drivers/vfio/vfio_iommu_type1.c), the container's ioctl:
     * {@link Field#CMD}; for VFIO_IOMMU_MAP_DMA the user's struct vfio_iommu_type1_dma_map ({@link Field#FLAGS},
     * {@link Field#VADDR}, {@link Field#IOVA}, {@link Field#SIZE}), for VFIO_IOMMU_UNMAP_DMA its struct
     * vfio_iommu_type1_dma_unmap ({@link Field#FLAGS}, {@link Field#IOVA}, {@link Field#SIZE}). Never named in text.
     */
    VFIO_IOCTL_PROBE(74, "vfio_ioctl_probe", Kind.TRACEPOINT),

    // ---- native: udmabuf (drivers/dma-buf/udmabuf.c) ----
    /**
     * UDMABUF_CREATE (or a one-item UDMABUF_CREATE_LIST) over {@code [offset, offset + size)} of memfd {@link Field#INO};
     * {@link Field#SEALS}, when given, are the memfd's seals as F_GET_SEALS returns them. {@code ret} is the ioctl's:
     * the dma-buf's fd (any fd is success) or -errno.
     */
    UDMABUF_CREATE(75, "udmabuf_create", Kind.NATIVE, HANDLE, INO, OFFSET, SIZE),
    /** The dma-buf's last reference went (its last fd closed, its last mapping unmapped): release_udmabuf(). */
    UDMABUF_RELEASE(76, "udmabuf_release", Kind.NATIVE, HANDLE),
    /**
     * A kprobe on udmabuf_create() ({@link Field#FLAGS}, {@link Field#ITEMS}, and the first item's {@link Field#MEMFD},
     * {@link Field#OFFSET}, {@link Field#SIZE}; its return is a {@link #KRETPROBE}), on dma_buf_fd() or on
     * release_udmabuf() ({@link Field#DMABUF}); {@link Field#FUNC} names which. Never named in text.
     */
    UDMABUF_PROBE(77, "udmabuf_probe", Kind.TRACEPOINT),
    /**
     * fcntl(F_ADD_SEALS) of {@link Field#SEALS} on the shmem or hugetlbfs file {@link Field#INO} (mm/memfd.c
     * memfd_add_seals()): F_SEAL_WRITE is refused while the file is mapped shared and writable or its pages are pinned.
     */
    ADD_SEALS(78, "add_seals", Kind.NATIVE, INO, SEALS),
    /**
     * A kprobe on fixup_user_fault() (mm/gup.c), which faults one user page in as the CPU would (handle_mm_fault()):
     * {@link Field#ADDRESS} and {@link Field#FLAGS} (its fault_flags, FAULT_FLAG_WRITE 0x1); its return is a
     * {@link #KRETPROBE} (0, or -errno). fault_in_safe_writeable() calls it per page (btrfs's O_DIRECT reads between
     * their FOLL_NOFAULT attempts), futexes and vfio's PFNMAP path too. Never named in text.
     */
    FIXUP_FAULT_PROBE(79, "fixup_fault_probe", Kind.TRACEPOINT, ADDRESS, FLAGS),
    /**
     * vmsplice() of the user memory {@link Field#ADDR}, {@link Field#LEN} into a new pipe (fs/splice.c
     * vmsplice_to_pipe()): a get_user_pages_fast() of the pages, without FOLL_WRITE, whose references the pipe holds;
     * its return is the bytes the pipe took or -errno.
     */
    VMSPLICE(80, "vmsplice", Kind.NATIVE, ADDR, LEN),
    /**
     * process_vm_readv() from the memory {@link Field#ADDR}, {@link Field#LEN} of task {@link Field#PID}
     * (mm/process_vm_access.c): pin_user_pages_remote() of its pages, unpinned after the copy; its return is the
     * bytes copied or -errno.
     */
    PROCESS_VM_READV(81, "process_vm_readv", Kind.NATIVE, PID, ADDR, LEN),
    /** process_vm_writev() into the memory {@link Field#ADDR}, {@link Field#LEN} of task {@link Field#PID}: FOLL_WRITE. */
    PROCESS_VM_WRITEV(82, "process_vm_writev", Kind.NATIVE, PID, ADDR, LEN),
    /**
     * A kprobe on do_sys_openat2(), __x64_sys_truncate() or do_sys_truncate() (fs/open.c) with the path the task gave
     * ({@code path="..."}, kept in the line's text): what the syscall printers of 5.10 to 6.12 show only as a pointer.
     * Never named in text.
     */
    PATH_PROBE(83, "path_probe", Kind.TRACEPOINT);

    /** What a record is, for dispatch and formatting. */
    public enum Kind {
        /** STATE: a native line describing what exists (a snapshot), applied without a call outcome. */
        META, NATIVE, PIN_CALL, TRACEPOINT, STATE
    }

    private static final EventType[] BY_CODE = new EventType[256];

    static {
        for (EventType t : values()) {
            if (BY_CODE[t.code] != null) {
                throw new IllegalStateException("duplicate event code " + t.code);
            }
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String eventName;
    private final byte[] nameBytes;
    private final Kind kind;
    private final Field[] required;

    EventType(int code, String eventName, Kind kind, Field... required) {
        this.code = code;
        this.eventName = eventName;
        this.nameBytes = eventName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.kind = kind;
        this.required = required;
    }

    public int code() {
        return code;
    }

    /** The name as it appears in trace text. */
    public String eventName() {
        return eventName;
    }

    public Kind kind() {
        return kind;
    }

    /** Fields a native event must carry; a line without them is malformed. */
    public Field[] required() {
        return required.clone();
    }

    public boolean isNative() {
        return kind == Kind.NATIVE || kind == Kind.PIN_CALL || kind == Kind.STATE;
    }

    public boolean isPinCall() {
        return kind == Kind.PIN_CALL;
    }

    public static EventType ofCode(int code) {
        EventType t = BY_CODE[code & 0xff];
        if (t == null) {
            throw new IllegalArgumentException("unknown event code " + code);
        }
        return t;
    }

    /** The native or tracepoint event named by {@code b[from, to)}, or null; allocation-free. */
    public static EventType byName(byte[] b, int from, int to) {
        return NameIndex.lookup(b, from, to);
    }

    /** Open-addressing index over event names; only non-meta events are named in text. */
    private static final class NameIndex {
        private static final int MASK = 255;
        private static final EventType[] TABLE = new EventType[MASK + 1];

        static {
            for (EventType t : EventType.values()) {
                if (t.kind == Kind.META || t == KRETPROBE || t == SYSCALL_ENTER || t == SYSCALL_EXIT || t == UNPIN_PROBE
                        || t == MMAP_HOOK_PROBE || t == UMEM_GET_PROBE || t == PRLIMIT_PROBE || t == VFIO_IOCTL_PROBE
                        || t == UDMABUF_PROBE || t == FIXUP_FAULT_PROBE || t == PATH_PROBE) {
                    continue;
                }
                int i = hash(t.nameBytes, 0, t.nameBytes.length) & MASK;
                while (TABLE[i] != null) {
                    i = (i + 1) & MASK;
                }
                TABLE[i] = t;
            }
        }

        static int hash(byte[] b, int from, int to) {
            int h = to - from;
            for (int i = from; i < to; i++) {
                h = 31 * h + b[i];
            }
            return h ^ (h >>> 16);
        }

        static EventType lookup(byte[] b, int from, int to) {
            int i = hash(b, from, to) & MASK;
            for (EventType t; (t = TABLE[i]) != null; i = (i + 1) & MASK) {
                byte[] n = t.nameBytes;
                if (n.length == to - from && java.util.Arrays.equals(n, 0, n.length, b, from, to)) {
                    return t;
                }
            }
            return null;
        }
    }
}
