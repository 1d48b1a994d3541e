package pinreplay.record;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The probes and events a recording needs, chosen from what the kernel offers. Names differ across
 * releases (the tables below list every spelling, and only offered ones are kept): GUP's exported entry
 * points are the calls and their results; syscalls and tracepoints change address spaces, files and
 * tasks. Arguments follow each function's C signature on x86-64 ({@code $argN}, kernels 4.20+; before, the
 * registers that hold them at the function's entry), as the recorded release declares it. A kernel that takes
 * no kprobes gets the events alone ({@code withoutKprobes} says why).
 */
public record ProbeSet(List<Probe> probes, List<TraceEvent> events, String withoutKprobes) {
    /** (start, nr_pages, gup_flags, ...): mm/gup.c exported entry points, every release since 5.9. */
    private static final String GUP_ARGS = "start=$arg1:x64 nr_pages=$arg2:u64 gup_flags=$arg3:x32";
    /** (start, int nr_pages, gup_flags, pages): the _fast variants take an int count. */
    private static final String GUP_FAST_ARGS = "start=$arg1:x64 nr_pages=$arg2:s32 gup_flags=$arg3:x32";
    /** (start, nr_pages, pages, gup_flags): the _unlocked variants take the flags last. */
    private static final String GUP_UNLOCKED_ARGS = "start=$arg1:x64 nr_pages=$arg2:u64 gup_flags=$arg4:x32";
    /** (mm, start, nr_pages, gup_flags, ...): the _remote variants (the task argument went in 5.9). */
    private static final String GUP_REMOTE_ARGS = "start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32";
    /** (tsk, mm, start, nr_pages, gup_flags, ...): the _remote variants up to 5.8 (64019a2e467a removed tsk in 5.9). */
    private static final String GUP_REMOTE_TSK_ARGS = "start=$arg3:x64 nr_pages=$arg4:u64 gup_flags=$arg5:x32";
    /** x86-64's argument registers at a function's entry, for releases before $argN (a1303af5d79e, 4.20). */
    private static final String[] X86_64_ARGS = {"%di", "%si", "%dx", "%cx", "%r8", "%r9"};
    /** The note of a recording without kprobes; the script prints it too when the target refuses them at run time. */
    static final String WITHOUT_KPROBES = "no kprobes: the pinning calls themselves (GUP, io_uring's and RDMA's pins, vfio's"
            + " maps, udmabuf) are not recorded, only the syscalls and tracepoints around them; replay judges the results of"
            + " the syscalls it models";
    private static final Pattern RELEASE_LINE = Pattern.compile("^(\\d+)\\.(\\d+)");

    static final List<Probe> PROBES = List.of(
            // mm/gup.c: the calls whose results the model predicts
            Probe.call("get_user_pages", GUP_ARGS),
            Probe.call("get_user_pages_fast", GUP_FAST_ARGS),
            Probe.call("get_user_pages_fast_only", GUP_FAST_ARGS),
            Probe.call("get_user_pages_unlocked", GUP_UNLOCKED_ARGS),
            Probe.call("get_user_pages_locked", GUP_ARGS), // 5.10 only
            Probe.call("get_user_pages_remote", GUP_REMOTE_ARGS),
            Probe.call("pin_user_pages", GUP_ARGS),
            Probe.call("pin_user_pages_fast", GUP_FAST_ARGS),
            Probe.call("pin_user_pages_fast_only", GUP_FAST_ARGS),
            Probe.call("pin_user_pages_unlocked", GUP_UNLOCKED_ARGS),
            Probe.call("pin_user_pages_locked", GUP_ARGS), // 5.10 only
            Probe.call("pin_user_pages_remote", GUP_REMOTE_ARGS),
            // fixup_user_fault(mm, address, fault_flags, unlocked): where vfio's PFNMAP path may drop mmap_lock
            Probe.call("fixup_user_fault", "address=$arg2:x64 fault_flags=$arg3:x32"),
            // releases: unpin_user_page(page), unpin_user_pages(pages, npages), ..._dirty_lock(pages, npages, make_dirty)
            Probe.entry("unpin_user_page", "page=$arg1:x64"),
            Probe.entry("unpin_user_pages", "npages=$arg2:u64"),
            Probe.entry("unpin_user_pages_dirty_lock", "npages=$arg2:u64 make_dirty=$arg3:u8"),
            Probe.entry("unpin_user_page_range_dirty_lock", "npages=$arg2:u64 make_dirty=$arg3:u8"),
            Probe.entry("unpin_user_folio", "npages=$arg2:u64"), // 6.12+: io_uring's release
            // memfd_pin_folios(memfd, start, end, folios, max_folios, offset), 6.12+
            Probe.call("memfd_pin_folios", "start=$arg2:s64 end=$arg3:s64"),
            // udmabuf (drivers/dma-buf/udmabuf.c, CONFIG_UDMABUF: Debian's 6.12 and 7.2): udmabuf_create(device, head,
            // list) with the kernel's copy of struct udmabuf_create_list {flags, count} and of its first struct
            // udmabuf_create_item {memfd, __pad, offset, size}; dma_buf_fd(dmabuf, flags) names the dma-buf it made,
            // release_udmabuf(dmabuf) runs at that dma-buf's last reference and unpins what it pinned
            Probe.call("udmabuf_create", "flags=+0($arg2):x32 items=+4($arg2):u32 memfd=+0($arg3):s32"
                    + " offset=+8($arg3):u64 size=+16($arg3):u64"),
            Probe.entry("dma_buf_fd", "dmabuf=$arg1:x64"),
            Probe.entry("release_udmabuf", "dmabuf=$arg1:x64"),
            // io_uring fixed buffers: io_pin_pages(ubuf, len, npages) (6.1 rsrc.c, 6.12 memmap.c) returns pages or ERR_PTR
            Probe.pointer("io_pin_pages", "ubuf=$arg1:x64 len=$arg2:u64"),
            // RDMA: ib_umem_get(device, addr, size, access) returns the umem or ERR_PTR
            Probe.pointer("ib_umem_get", "addr=$arg2:x64 size=$arg3:u64 access=$arg4:x32"),
            // 7.2: ib_umem_get() is gone; the static __ib_umem_get_va(device, addr, size, access) behind
            // ib_umem_get_desc() and ib_umem_get_va() pins, as ib_umem_get() did
            Probe.pointer("__ib_umem_get_va", "addr=$arg2:x64 size=$arg3:u64 access=$arg4:x32"),
            Probe.entry("ib_umem_release", "umem=$arg1:x64"),
            // do_prlimit(tsk, resource, new_rlim, old_rlim) (kernel/sys.c, 5.10 to 7.2; static in 6.1, 6.12 and 7.2
            // but out of line there): the kernel's copy of the limit setrlimit() and prlimit64() set, struct rlimit
            // {rlim_cur, rlim_max}. new=0 is a read (getrlimit()), whose fetches fault and mean nothing
            Probe.entry("do_prlimit", "resource=$arg2:u32 new=$arg3:x64 cur=+0($arg3):u64 max=+8($arg3):u64"),
            // the path openat() and truncate() were given, which the syscall printers of 5.10, 6.1 and 6.12 show only
            // as a pointer: do_sys_openat2(dfd, filename, how) (fs/open.c, static but out of line in 5.10 to 7.2);
            // truncate()'s own wrapper __x64_sys_truncate(regs), whose path is regs->di (struct pt_regs offset 112),
            // since do_sys_truncate() is inlined into it (6.12) or split by GCC (5.10's do_sys_truncate.part.0)
            Probe.entry("do_sys_openat2", "path=+0($arg2):ustring"),
            Probe.entry("__x64_sys_truncate", "path=+0(+112($arg1)):ustring"),
            // a filesystem's own mmap hook, called by mmap() before the VMA exists: which filesystem the fd's file
            // is on. hugetlbfs_file_mmap(file, vma) (fs/hugetlbfs/inode.c); shmem_mmap(file, vma) (mm/shmem.c), which
            // became shmem_mmap_prepare(desc) with the f_op->mmap_prepare conversion (7.2 has it); no argument is needed
            Probe.entry("hugetlbfs_file_mmap", ""),
            Probe.entry("shmem_mmap", ""),
            Probe.entry("shmem_mmap_prepare", ""),
            // btrfs_file_mmap(filp, vma) (fs/btrfs/file.c: 5.10, 6.1, 6.12), btrfs_file_mmap_prepare(desc) (7.2): no DAX
            Probe.entry("btrfs_file_mmap", ""),
            Probe.entry("btrfs_file_mmap_prepare", ""),
            // vfio type1 (module): vfio_iommu_type1_ioctl(iommu_data, cmd, arg), the container's ioctl, with the user's
            // struct vfio_iommu_type1_dma_map / _dma_unmap read at the call (+u: user memory, 5.2+): flags at offset
            // 4, the u64s at 8, 16, 24 (vaddr, iova, size of a map; iova, size of an unmap). Debian's 5.10 to 7.2
            // inline vfio_dma_do_map() and vfio_dma_do_unmap() into it
            Probe.entry("vfio_iommu_type1_ioctl",
                    "cmd=$arg2:u32 flags=+u4($arg3):x32 at8=+u8($arg3):x64 at16=+u16($arg3):x64 at24=+u24($arg3):x64"));

    /** Syscalls that change address spaces, files and the memlock charge's inputs, or reach GUP from user space. */
    static final List<String> SYSCALLS = List.of("mmap", "munmap", "mprotect", "mremap", "madvise", "brk",
            "ftruncate", "truncate", "fallocate", "memfd_create", "memfd_secret", "openat", "close", "io_uring_setup", "io_uring_register", "io_uring_enter",
            "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2", "process_vm_readv", "process_vm_writev", "vmsplice",
            "fsync", "fdatasync", "sync_file_range", "ioctl", "execve", "ptrace",
            // which file a duplicated fd is: an io_uring ring lives until its last fd closes
            "dup", "dup2", "dup3",
            // F_ADD_SEALS: the seals udmabuf requires of a memfd (check_memfd_seals())
            "fcntl",
            // what RLIMIT_MEMLOCK, CAP_IPC_LOCK and mm->locked_vm become: the memlock charge of long-term pins
            "setrlimit", "prlimit64", "setuid", "setreuid", "setresuid", "capset", "mlock", "mlock2", "munlock",
            "mlockall", "munlockall",
            // mseal() (6.10): a sealed VMA refuses munmap(), mprotect(), mremap() and destructive madvise()s
            "mseal",
            // msync(MS_SYNC): vfs_fsync_range() of each shared file VMA's part, the writeback fsync() does
            "msync",
            // remap_file_pages(): a do_mmap() of a shared VMA's file at another offset
            "remap_file_pages");

    /**
     * read() and write() carry O_DIRECT requests too (dd iflag=direct), but most are a few bytes on a pipe or an
     * eventfd: only those of at least a logical block (512 bytes) are kept, and their returns of at least that or an
     * errno. A shorter return is missed; the replay then ends the request at the task's next syscall. readv() and
     * writev() name no count at their entry (it is the iovecs'), so every entry is kept and only the returns filtered.
     */
    static final List<TraceEvent> BLOCK_SIZED_IO = List.of(
            new TraceEvent("syscalls", "sys_enter_read", "count >= 512"),
            new TraceEvent("syscalls", "sys_exit_read", "ret >= 512 || ret < 0"),
            new TraceEvent("syscalls", "sys_enter_write", "count >= 512"),
            new TraceEvent("syscalls", "sys_exit_write", "ret >= 512 || ret < 0"),
            new TraceEvent("syscalls", "sys_enter_readv"),
            new TraceEvent("syscalls", "sys_exit_readv", "ret >= 512 || ret < 0"),
            new TraceEvent("syscalls", "sys_enter_writev"),
            new TraceEvent("syscalls", "sys_exit_writev", "ret >= 512 || ret < 0"));

    private static final String IO_URING_RW = "opcode == 1 || opcode == 2 || opcode == 22 || opcode == 23";

    static final List<TraceEvent> TRACEPOINTS = List.of(
            new TraceEvent("sched", "sched_process_fork"),
            new TraceEvent("sched", "sched_process_exec"),
            new TraceEvent("sched", "sched_process_exit"),
            new TraceEvent("task", "task_newtask"),
            new TraceEvent("mmap_lock", "mmap_lock_start_locking"),
            new TraceEvent("mmap_lock", "mmap_lock_acquire_returned"),
            new TraceEvent("mmap_lock", "mmap_lock_released"),
            new TraceEvent("writeback", "writeback_dirty_folio"), // writeback_dirty_page before 5.16
            new TraceEvent("writeback", "writeback_dirty_page"),
            new TraceEvent("writeback", "folio_wait_writeback"),
            new TraceEvent("writeback", "wait_on_page_writeback"),
            new TraceEvent("filemap", "mm_filemap_add_to_page_cache"),
            new TraceEvent("filemap", "mm_filemap_delete_from_page_cache"),
            new TraceEvent("fs_dax", "dax_pte_fault"),
            new TraceEvent("fs_dax", "dax_pmd_fault"),
            new TraceEvent("fs_dax", "dax_writeback_range"),
            new TraceEvent("migrate", "mm_migrate_pages"),
            new TraceEvent("io_uring", "io_uring_register"),
            // io_uring's reads and writes (IORING_OP_READV 1, _WRITEV 2, _READ 22, _WRITE 23), whose O_DIRECT bios hold
            // the buffer's pages from the submission's GUP until the CQE: io_uring_submit_sqe (5.10, 6.1),
            // io_uring_submit_req (6.12, 7.2) and every io_uring_complete (the CQE names no opcode)
            new TraceEvent("io_uring", "io_uring_submit_sqe", IO_URING_RW),
            new TraceEvent("io_uring", "io_uring_submit_req", IO_URING_RW),
            new TraceEvent("io_uring", "io_uring_complete"),
            // write faults on present pages only (x86 error code: P|W): the copy-on-write faults that decide whether
            // a write-protected pinned page is reused or copied away from its pin (do_wp_page()); not the many
            // faults that only populate
            new TraceEvent("exceptions", "page_fault_user", "error_code & 1 && error_code & 2"));

    /** Every probe and event of the tables that {@code offer} has. */
    public static ProbeSet choose(KernelOffer offer) {
        List<TraceEvent> events = new ArrayList<>();
        for (String sc : SYSCALLS) {
            for (String dir : new String[] {"sys_enter_", "sys_exit_"}) {
                if (offer.hasEvent("syscalls", dir + sc)) {
                    events.add(new TraceEvent("syscalls", dir + sc));
                }
            }
        }
        BLOCK_SIZED_IO.stream().filter(e -> offer.hasEvent(e.group(), e.name())).forEach(events::add);
        TRACEPOINTS.stream().filter(e -> offer.hasEvent(e.group(), e.name())).forEach(events::add);
        List<Probe> probes = new ArrayList<>(PROBES);
        probes.addAll(daxCapableHooks(InodeFetch.of(offer.release())));
        int line = releaseLine(offer.release());
        return new ProbeSet(probes.stream().filter(p -> offer.hasFunction(p.symbol()) && fetchable(p, line))
                .map(p -> forRelease(p, line)).toList(), List.copyOf(events), offer.withoutKprobes());
    }

    /**
     * What this recording will not judge that the machine could show, one sentence each: without kprobes, every
     * pinning call itself; with vfio present ({@code vfioPresent}: /dev/vfio/vfio exists) but vfio_iommu_type1 not
     * loaded (it loads at the first VFIO_SET_IOMMU), no kprobe reads the container's ioctl, so its maps and unmaps go
     * unjudged.
     */
    public List<String> notes(boolean vfioPresent) {
        if (withoutKprobes != null) {
            return List.of(WITHOUT_KPROBES + " (" + withoutKprobes + ")");
        }
        boolean vfioProbed = probes.stream().anyMatch(p -> p.symbol().equals("vfio_iommu_type1_ioctl"));
        return vfioPresent && !vfioProbed ? List.of("vfio_iommu_type1 is not loaded, so this recording's"
                + " VFIO_IOMMU_MAP_DMA and VFIO_IOMMU_UNMAP_DMA are not judged: load it first (modprobe vfio_iommu_type1)")
                : List.of();
    }

    /**
     * Whether release line {@code line} can fetch {@code p}'s arguments: user memory ({@code +u}, probe_mem_read_user())
     * from 5.2 (e65f7ae7f4da), a user string ({@code ustring}) from 5.5 (88903c464321); a refused probe definition
     * would end the recording.
     */
    static boolean fetchable(Probe p, int line) {
        return line == 0 || line >= 505 || line >= 502 && !p.args().contains("ustring")
                || !p.args().contains("+u") && !p.args().contains("ustring");
    }

    /**
     * {@code p}'s fetchargs as release line {@code line} (major * 100 + minor, 0 when unknown: the newest layout) takes
     * them: the _remote variants' task argument before 5.9; registers for $argN before 4.20. get_user_pages_fast()'s
     * {@code int write} before 5.2 (73b0140bf0fe) needs nothing: 1 is FOLL_WRITE.
     */
    static Probe forRelease(Probe p, int line) {
        String args = p.args();
        if (line > 0 && line < 509 && args.equals(GUP_REMOTE_ARGS)) {
            args = GUP_REMOTE_TSK_ARGS;
        }
        if (line > 0 && line < 420) {
            for (int i = X86_64_ARGS.length; i >= 1; i--) {
                args = args.replace("$arg" + i, X86_64_ARGS[i - 1]);
            }
        }
        return args.equals(p.args()) ? p : new Probe(p.symbol(), args, p.returns(), p.retType());
    }

    /** {@code uname -r}'s MAJOR.MINOR as major * 100 + minor ({@code 5.10.0-35-amd64}: 510), 0 when it has none. */
    static int releaseLine(String release) {
        Matcher m = RELEASE_LINE.matcher(release == null ? "" : release);
        return m.find() ? Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2)) : 0;
    }

    /**
     * The mmap hooks of the filesystems that can be mounted {@code -o dax}, with the mapped inode's i_mode and
     * i_flags where the release's layout is known (S_DAX says the file is fs-DAX: ext4_file_mmap() and
     * xfs_file_mmap() pick their DAX vm_ops on IS_DAX()). ext4_file_mmap(file, vma) and xfs_file_mmap(file, vma)
     * (fs/ext4/file.c, fs/xfs/xfs_file.c: 5.10, 6.1, 6.12) became ext4_file_mmap_prepare(desc) and
     * xfs_file_mmap_prepare(desc) with the f_op->mmap_prepare conversion (7.2); ext4 and xfs are modules in
     * Debian's kernels, probed like any function once loaded (available_filter_functions lists "fn [ext4]").
     */
    private static List<Probe> daxCapableHooks(InodeFetch inode) {
        String file = inode == null ? "" : inode.ofFile();
        String desc = inode == null ? "" : inode.ofDesc();
        return List.of(Probe.entry("ext4_file_mmap", file), Probe.entry("ext4_file_mmap_prepare", desc),
                Probe.entry("xfs_file_mmap", file), Probe.entry("xfs_file_mmap_prepare", desc));
    }
}
