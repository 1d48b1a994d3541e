package pinreplay.format;

/**
 * The field keys the decoder knows (docs/trace-format.md section 3 and the TP_printk formats of
 * include/trace/events/). A record stores a field as its ordinal; keys the decoder does not know are kept
 * as key symbols ({@link #COUNT} + the key's symbol id). Names are exactly as they appear in trace text.
 */
public enum Field {
    // Native vocabulary (contract section 2).
    HANDLE("handle"), INO("ino"), FS("fs"), DAX("dax"), SIZE("size"), ADDR("addr"), LEN("len"),
    PROT("prot"), FLAGS("flags"), PGOFF("pgoff"), HUGETLB("hugetlb"), PFNMAP("pfnmap"),
    POPULATE("populate"), WRITE("write"), MODE("mode"), OFFSET("offset"), START("start"),
    NR_PAGES("nr_pages"), GUP_FLAGS("gup_flags"), RET("ret"), DIRTY("dirty"), VADDR("vaddr"),
    IOVA("iova"), ACCESS("access"), BUF("buf"), RW("rw"), MM("mm"),
    // Tracepoint payloads.
    MEMCG_PATH("memcg_path"), MEMCG_ID("memcg_id"), SUCCESS("success"), BDI("bdi"), INDEX("index"),
    DEV("dev"), PAGE("page"), PFN("pfn"), OFS("ofs"), ORDER("order"), MAX_OFS("max_ofs"),
    COMM("comm"), PID("pid"), CHILD_COMM("child_comm"), CHILD_PID("child_pid"),
    CLONE_FLAGS("clone_flags"), OOM_SCORE_ADJ("oom_score_adj"), PRIO("prio"), ADDRESS("address"),
    IP("ip"), ERROR_CODE("error_code"),
    // Probe lines: the text inside "(...)", the probed function, the event's own name when it differs.
    PROBE("probe"), FUNC("func"), EVENT_NAME("event_name"), RETVAL("$retval"),
    // Meta records.
    LOST("lost"), SYMBOL_ID("symbol_id"),
    // Raw kernel events: vm_area_struct's vm_end in a snapshot's vma; the syscall of a sys_enter/sys_exit line.
    END("end"), SYSCALL("syscall"),
    // The memlock charge's inputs (a memlock line; do_prlimit()'s kprobe: resource, and the new soft limit as rlimit).
    RLIMIT("rlimit"), CAP_IPC_LOCK("cap_ipc_lock"), UID("uid"), EUID("euid"), SUID("suid"), LOCKED_VM("locked_vm"),
    PINNED_VM("pinned_vm"), USER_LOCKED_VM("user_locked_vm"), RESOURCE("resource"),
    // Native madvise: the advice (a MADV_* name in lower case without the prefix, or its number); an mmap's MAP_LOCKED.
    ADVICE("advice"), LOCKED("locked"),
    // sched_process_exit from 6.16: whether the exiting task was its thread group's last.
    GROUP_DEAD("group_dead"),
    // io_uring's request tracepoints: the ring (ctx) and request (io_kiocb) as hashed pointers, the SQE's user_data,
    // opcode (a number before 6.1, a name after), whether the SQPOLL thread submitted it, the CQE's result and flags.
    RING("ring"), REQ("req"), USER_DATA("user_data"), OPCODE("opcode"), SQ_THREAD("sq_thread"), RESULT("result"),
    CFLAGS("cflags"),
    // vfio_iommu_type1_ioctl()'s kprobe: the container ioctl's command.
    CMD("cmd"),
    // udmabuf: a memfd's seals (F_GET_SEALS); udmabuf_create()'s kprobe: the memfd's fd and the list's item count;
    // dma_buf_fd()'s and release_udmabuf()'s: the dma-buf.
    SEALS("seals"), MEMFD("memfd"), ITEMS("items"), DMABUF("dmabuf"),
    // sched_process_exec: the pid the task had before its execve() (a thread's exec takes the leader's, de_thread()).
    OLD_PID("old_pid"),
    // A hugetlb mmap's or a hugetlbfs file's huge page size in bytes (its hstate: MAP_HUGE_*, pagesize=, smaps'
    // KernelPageSize).
    PAGESIZE("pagesize"),
    // A hugetlb mmap's MAP_NORESERVE (no huge pages reserved).
    NORESERVE("noreserve"),
    // An anonymous mmap's MAP_DROPPABLE (6.11: VM_DROPPABLE).
    DROPPABLE("droppable");

    /** Number of known fields; the upper bound of ordinals for arrays indexed by field. */
    public static final int COUNT = values().length;
    /** Keys from here on are unknown keys' symbols ({@code EXTRA_KEYS} + symbol id): new fields do not move them. */
    public static final int EXTRA_KEYS = 256;

    private static final Field[] BY_ORDINAL = values();

    private final String key;

    Field(String key) {
        this.key = key;
    }

    /** The key as it appears in trace text. */
    public String key() {
        return key;
    }

    public static Field of(int ordinal) {
        return BY_ORDINAL[ordinal];
    }
}
