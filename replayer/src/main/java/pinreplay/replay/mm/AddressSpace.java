package pinreplay.replay.mm;

import pinreplay.format.Errno;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.FileSystems;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.Memfd;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.kernel.WpReuse;
import pinreplay.replay.range.LongObjectMap;

/** mmap(), munmap(), mprotect(), fork's dup_mmap() and exit_mmap() on the model's mm. */
public final class AddressSpace {
    private final Profile profile;
    private final EventContext ctx;
    private final MemMap memMap;
    private final LongObjectMap<Inode> inodes;
    private final FileSystems filesystems;
    private final Registrations registrations;
    private final FaultHandler faultHandler;
    private final Hugetlb hugetlb;
    private final Secretmem secretmem;
    private long hiddenInodes;
    /** Per dma-buf inode: the first frame of the window standing in for the pages its mappings insert (6.11+). */
    private final LongObjectMap<long[]> dmabufFrames = new LongObjectMap<>();

    public AddressSpace(Profile profile, EventContext ctx, MemMap memMap, LongObjectMap<Inode> inodes,
            FileSystems filesystems, Registrations registrations, FaultHandler faultHandler, Hugetlb hugetlb,
            Secretmem secretmem) {
        this.hugetlb = hugetlb;
        this.secretmem = secretmem;
        this.profile = profile;
        this.ctx = ctx;
        this.memMap = memMap;
        this.inodes = inodes;
        this.filesystems = filesystems;
        this.registrations = registrations;
        this.faultHandler = faultHandler;
    }

    private final FaultPoints.MmEditor editor = new FaultPoints.MmEditor() {
        @Override
        public void munmap(Mm mm, long addr, long len) {
            AddressSpace.this.munmap(mm, addr, len);
        }

        @Override
        public void mmapAnonymous(Mm mm, long addr, long len) {
            MmapRequest r = new MmapRequest();
            r.addr = addr;
            r.len = len;
            r.read = true;
            r.write = true;
            mmap(mm, r);
        }

        @Override
        public void mprotectReadOnly(Mm mm, long addr, long len) {
            mprotect(mm, addr, len, true, false, false);
        }
    };

    /** What a fault point may do while mmap_lock is dropped: another thread's munmap(), mmap() or mprotect(). */
    public FaultPoints.MmEditor editor() {
        return editor;
    }

    /** What an {@code mmap} event asks for. */
    public static final class MmapRequest {
        public long addr;
        public long len;
        public boolean read;
        public boolean write;
        /** PROT_EXEC: VM_EXEC, which alone keeps a mapping accessible (GUP-fast follows its PTEs). */
        public boolean exec;
        public boolean shared;
        /** The file, or null for anonymous memory. */
        public Inode file;
        public long pgoff;
        public boolean hugetlb;
        /**
         * The hstate of a MAP_HUGETLB request (hstate_sizelog() of its MAP_HUGE_* bits), null for the default 2 MiB; a
         * hugetlbfs file's own hstate wins (ksys_mmap_pgoff(): "len = ALIGN(len, huge_page_size(hstate_file(file)))").
         */
        public Hstate hstate;
        public boolean pfnmap;
        public boolean populate;
        /** MAP_NORESERVE: a hugetlb mapping reserves no huge pages (VM_NORESERVE). */
        public boolean noreserve;
        /** MAP_DROPPABLE (6.11+): an anonymous private mapping whose pages the kernel may drop (VM_DROPPABLE). */
        public boolean droppable;
        /** The recording shows the call succeed: a reservation the model's pool refuses is made anyway. */
        public boolean succeeded;
        /** MAP_LOCKED: VM_LOCKED, charged to mm->locked_vm and populated (its limit is the caller's: {@code Memlock}). */
        public boolean locked;
        /** mlockall(MCL_FUTURE | MCL_ONFAULT)'s mm->def_flags: VM_LOCKED | VM_LOCKONFAULT, never populated. */
        public boolean lockOnFault;
        public long zoneFlags;
        /** First frame of the BAR for a PFNMAP mapping. */
        public long barPfn = -1;

        /** This request reused for {@code [addr, addr + len)}: anonymous, at offset 0, no other flag. */
        public MmapRequest reset(long atAddr, long length, boolean canRead, boolean canWrite, boolean isShared) {
            addr = atAddr;
            len = length;
            read = canRead;
            write = canWrite;
            exec = false;
            shared = isShared;
            file = null;
            pgoff = 0;
            hugetlb = false;
            hstate = null;
            pfnmap = false;
            populate = false;
            noreserve = false;
            droppable = false;
            succeeded = false;
            locked = false;
            lockOnFault = false;
            zoneFlags = 0;
            barPfn = -1;
            return this;
        }
    }

    /**
     * mm/mmap.c do_mmap() with MAP_FIXED: a trace's {@code mmap} says where the mapping is (mmap's result), so
     * whatever was mapped there is unmapped first, after {@link #checkMmap}.
     *
     * @return 0 or -errno; {@code r.len} is the length asked for, in bytes
     */
    public long mmap(Mm mm, MmapRequest r) {
        long err = checkMmap(r, r.file != null || r.pfnmap);
        if (err != 0) {
            return err;
        }
        Hstate h = hstateOf(r);
        if (h != null) {
            r.len = h.align(r.len); // ksys_mmap_pgoff(): "len = ALIGN(len, huge_page_size(hs))" (5.10-7.2)
        }
        munmap(mm, r.addr, r.len);
        long f = VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE;
        if (r.shared && !r.write && Memfd.writeSealed(r.file)) {
            f &= ~VmFlags.VM_MAYWRITE; // seal_check_write() / is_readonly_sealed(): mprotect() cannot make it writable
        }
        f |= r.read ? VmFlags.VM_READ : 0;
        f |= r.write ? VmFlags.VM_WRITE : 0;
        f |= r.exec ? VmFlags.VM_EXEC : 0;
        f |= r.shared ? VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE : 0;
        f |= r.pfnmap ? VmFlags.VM_PFNMAP | VmFlags.VM_IO : 0;
        f |= r.locked ? VmFlags.VM_LOCKED : 0;
        f |= r.locked && r.lockOnFault ? VmFlags.VM_LOCKONFAULT : 0; // do_mmap(): def_flags' VM_LOCKONFAULT
        // do_mmap() case MAP_DROPPABLE (6.12, 7.2; MAP_DROPPABLE is 6.11's): "vm_flags |= VM_DROPPABLE",
        // VM_NORESERVE, "vm_flags |= VM_WIPEONFORK | VM_DONTDUMP"
        f |= r.droppable ? VmFlags.VM_DROPPABLE | VmFlags.VM_NORESERVE | VmFlags.VM_WIPEONFORK | VmFlags.VM_DONTDUMP : 0;
        Inode file = r.file;
        long bar = r.barPfn;
        if (file != null && file.isDmabuf() && profile.udmabufMmapPfnmap) {
            // mmap_udmabuf() (6.11-7.2): "vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP)"; its faults
            // vmf_insert_pfn() the pinned pages, frames the model stands in for by a window of the dma-buf's own
            f |= VmFlags.VM_PFNMAP | VmFlags.VM_DONTEXPAND | VmFlags.VM_DONTDUMP;
            bar = dmabufFrames.computeIfAbsent(file.ino, ino -> new long[] {memMap.addDevice(0, 1)})[0];
        }
        if (file == null && r.shared && !r.pfnmap) {
            // MAP_SHARED|MAP_ANONYMOUS is shmem: shmem_zero_setup() gives it a hidden inode; with MAP_HUGETLB,
            // ksys_mmap_pgoff()'s hugetlb_file_setup() a hugetlbfs one (5.10-7.2)
            file = new Inode(-(++hiddenInodes), filesystems.get(r.hugetlb ? FsType.HUGETLBFS : FsType.TMPFS), false,
                    r.len);
            file.hstate = h != null ? h : file.hstate; // hugetlb_file_setup() on the mount of hstate_sizelog()'s hstate
            inodes.put(file.ino, file);
        }
        boolean huge = r.hugetlb || file != null && file.isHugetlbfs();
        f |= huge ? VmFlags.VM_HUGETLB : 0;
        f |= file != null && file.isDaxBacked(profile.daxEnabled()) ? VmFlags.VM_MIXEDMAP : 0;
        VmArea v = new VmArea(mm, r.addr, r.addr + r.len, f, r.pfnmap ? null : file, r.pgoff, bar, r.zoneFlags);
        v.hstate = huge ? (file != null && file.isHugetlbfs() ? file.hstate : h) : null;
        // do_mmap() (5.10-7.2): "if (file && is_file_hugepages(file)) vm_flags |= VM_NORESERVE" with MAP_NORESERVE
        v.vmFlags |= huge && r.noreserve ? VmFlags.VM_NORESERVE : 0;
        // hugetlbfs_file_mmap() -> hugetlb_reserve_pages() (5.10-7.2): "ret = -ENOMEM" when the pool cannot reserve
        if (huge && !hugetlb.reservePages(v, r.succeeded) && !r.succeeded) {
            if (file != null && file.ino < 0) {
                inodes.remove(file.ino);
            }
            return -Errno.ENOMEM;
        }
        v.defFlagsUnknown = !mm.defFlagsKnown && !v.has(VmFlags.VM_LOCKED);
        mm.insert(v);
        mm.unmappedPages.clear(v.startVpn(), v.endVpn());
        long fileEnd = (r.pgoff << MemMap.PAGE_SHIFT) + r.len;
        if (r.write && r.file != null && r.file.isHugetlbfs() && r.file.size < fileEnd) {
            // hugetlbfs_file_mmap() (5.10-7.2): "if (vma->vm_flags & VM_WRITE && inode->i_size < len) i_size_write()"
            r.file.size = fileEnd;
        }
        if (v.has(VmFlags.VM_LOCKED)) {
            // mmap_region() / __mmap_complete() (5.10-7.2): VM_SPECIAL, DAX and hugetlb VMAs drop VM_LOCKED, and
            // VM_DROPPABLE ones (vma_supports_mlock(), 6.12, 7.2), MCL_FUTURE's def_flags too; others charge mm->locked_vm
            if (keepsNoLock(v)) {
                v.vmFlags &= ~VmFlags.VM_LOCKED_MASK;
            } else {
                mm.lockedVm += v.endVpn() - v.startVpn();
            }
            // do_mmap() (5.10-7.2) tests the asked-for VM_LOCKED, so mm_populate() faults in hugetlb and DAX VMAs too;
            // __get_user_pages() refuses VM_IO | VM_PFNMAP ones (check_vma_flags()), which __mm_populate() ignores
            r.populate |= !v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP);
            // populate_vma_page_range() (5.10-7.2): "if (vma->vm_flags & VM_LOCKONFAULT) return nr_pages;": a VMA that
            // keeps MCL_ONFAULT's def_flags is not faulted in, MAP_POPULATE or not
            r.populate &= !v.has(VmFlags.VM_LOCKONFAULT);
        }
        if (profile.secretmemLocked && file != null && file.isSecretmem() && !v.has(VmFlags.VM_LOCKED)) {
            // secretmem_mmap() (5.14-6.11, 6.18): VM_LOCKED from the file's ->mmap, after do_mmap() chose to populate
            // or not: charged to mm->locked_vm, not faulted in
            v.vmFlags |= VmFlags.VM_LOCKED;
            mm.lockedVm += v.endVpn() - v.startVpn();
        }
        if (r.populate) {
            // populate_vma_page_range(): write faults only to break COW in private writable mappings.
            boolean write = !r.shared && r.write;
            faultHandler.populate(v, v.startVpn(), v.endVpn() - v.startVpn(), write);
        }
        return 0;
    }

    /**
     * The hstate a mapping of {@code r} gets (hstate_file() of a hugetlbfs file, else hstate_sizelog() of MAP_HUGETLB's
     * bits, ksys_mmap_pgoff() 5.10-7.2), or null when it is no hugetlb mapping.
     */
    public static Hstate hstateOf(MmapRequest r) {
        if (r.file != null && r.file.isHugetlbfs()) {
            return r.file.hstate;
        }
        return r.hugetlb ? (r.hstate != null ? r.hstate : Hstate.PMD) : null;
    }

    /**
     * mlock(), mlock2(), munlock() that succeeded ({@code start} page-aligned down, the length up: apply_vma_lock_flags()):
     * mlock_fixup() makes each VMA of the range VM_LOCKED, or not, but leaves VM_SPECIAL, hugetlb, DAX and secretmem
     * VMAs alone; then __mm_populate() faults the range in (not on fault: MLOCK_ONFAULT, but for the VMAs left alone,
     * which get no VM_LOCKONFAULT), VM_IO and VM_PFNMAP aside,
     * write faults breaking COW only in private writable VMAs (populate_vma_page_range(), 5.10-7.2).
     */
    public void mlock(Mm mm, long start, long end, boolean lock, boolean onFault) {
        mlockFixup(mm, start, end, lock, onFault, true);
    }

    /**
     * mlockall()'s VMA changes alone, made under the mmap write lock (apply_mlockall_flags(), 5.10-7.2);
     * {@link #mmPopulate} faults the pages in after the lock is released, as mm_populate() does.
     */
    public void mlockFlags(Mm mm, long start, long end, boolean lock, boolean onFault) {
        mlockFixup(mm, start, end, lock, onFault, false);
    }

    /**
     * __mm_populate() over {@code [start, end)} (5.10-7.2): each VMA faulted in by populate_vma_page_range(), which
     * skips a VM_LOCKONFAULT one and __get_user_pages() a VM_IO | VM_PFNMAP one, write faults only in private
     * writable VMAs.
     */
    public void mmPopulate(Mm mm, long start, long end) {
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            if (!v.has(VmFlags.VM_LOCKONFAULT | VmFlags.VM_IO | VmFlags.VM_PFNMAP)) {
                long from = Math.max(start, v.start) >>> MemMap.PAGE_SHIFT;
                long to = Math.min(end, v.end) >>> MemMap.PAGE_SHIFT;
                faultHandler.populate(v, from, to - from, v.has(VmFlags.VM_WRITE) && !v.isShared());
            }
        }
    }

    /** {@link #mlock}, the range faulted in afterwards ({@code populate}) as __mm_populate() does, or not. */
    private void mlockFixup(Mm mm, long start, long end, boolean lock, boolean onFault, boolean populate) {
        if (end <= start) {
            return;
        }
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            boolean untouched = v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP | VmFlags.VM_MIXEDMAP | VmFlags.VM_HUGETLB
                    | VmFlags.VM_DROPPABLE)
                    || v.file != null && v.file.fs.type == pinreplay.replay.fs.FsType.SECRETMEM;
            // apply_vma_lock_flags() (5.10-7.2): "newflags = vma->vm_flags & ~VM_LOCKED_MASK; newflags |= flags;"
            long flags = v.vmFlags & ~VmFlags.VM_LOCKED_MASK
                    | (lock ? VmFlags.VM_LOCKED | (onFault ? VmFlags.VM_LOCKONFAULT : 0) : 0);
            // a VMA whose VM_LOCKED the model does not know: had it the other state, mlock_fixup() split it at the
            // range's edges, so only the part inside has a known state now
            boolean unknown = !untouched && (v.defFlagsUnknown || v.mlockUnknownEnd != 0);
            // mlock_fixup() (5.10-7.2): unchanged flags, secretmem or !vma_supports_mlock() (VM_SPECIAL, DAX, hugetlb;
            // VM_DROPPABLE in 6.12 and 7.2)
            // "goto out" before vma_modify_flags() (split_vma() up to 6.6): a VMA it leaves alone is not split either
            if (!untouched && (flags != v.vmFlags || unknown)) {
                if (v.start < start) {
                    v = mm.splitAt(start);
                    i++;
                }
                if (v.end > end) {
                    mm.splitAt(end);
                }
                v.vmFlags = flags;
            }
            // mlock_fixup() (5.14-7.2: "vma_is_secretmem(vma)"): a VMA it leaves alone keeps the VM_LOCKED def_flags gave
            v.defFlagsUnknown &= untouched;
            v.mlockUnknownEnd = 0;
            // populate_vma_page_range() (5.10-7.2) skips only a VM_LOCKONFAULT VMA, which mlock_fixup() made: one it
            // left alone (hugetlb, VM_SPECIAL, DAX, secretmem) is faulted in under MLOCK_ONFAULT too
            if (populate && lock && (!onFault || untouched) && !v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP)) {
                long from = Math.max(start, v.start) >>> MemMap.PAGE_SHIFT;
                long to = Math.min(end, v.end) >>> MemMap.PAGE_SHIFT;
                faultHandler.populate(v, from, to - from, v.has(VmFlags.VM_WRITE) && !v.isShared());
            }
        }
    }

    /**
     * mlockall(MCL_FUTURE) before the recording, as a recorded refusal says: mm->def_flags held VM_LOCKED, which
     * do_mmap() gave each mapping the recording made since, until an mlockall() or munlockall() it shows (mmap_region() /
     * __mmap_complete() (5.10-7.2) drop it for VM_SPECIAL, DAX and hugetlb VMAs; mlockall(MCL_FUTURE) alone leaves
     * those mappings as they are). False, changing nothing, unless the walk over {@code [start, end)} meets such a
     * mapping first, past holes the recording made and VMAs whose state is known (madvise_walk_vmas(), 5.10-7.2,
     * returns a VMA's error at once and a hole's -ENOMEM last): memory it never described, or a mapping from before it,
     * has refusals of its own to explain it. An mlock() or munlock() over part of such a mapping knows that part only.
     */
    public boolean lockFutureBeforeRecording(Mm mm, long start, long end) {
        long covered = start;
        boolean any = false;
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end && !any; i++) {
            VmArea v = mm.vmas.get(i);
            if (mm.endShownUnmapped(covered, v.start) < v.start || v.has(VmFlags.VM_PRIOR)
                    || v.file != null && v.file.undescribed) {
                return false; // memory never described, or a mapping whose refusal something else may explain
            }
            // madvise_walk_vmas(): the first VMA that refuses ends the walk; those before it, known, took the advice
            any = lockableByDefFlags(v);
            covered = v.end;
        }
        if (!any) {
            return false;
        }
        for (VmArea v : mm.vmas) {
            if (lockableByDefFlags(v)) {
                v.vmFlags |= VmFlags.VM_LOCKED;
            }
            v.defFlagsUnknown = false;
        }
        if (!mm.defFlagsKnown) {
            // until an mlockall(MCL_FUTURE) or munlockall() the recording shows sets it anew (apply_mlockall_flags())
            mm.lockFuture = true;
            mm.defFlagsKnown = true;
        }
        mm.lockedVmKnown = false;
        return true;
    }

    /** A mapping the recording made (not one assumed from before it) that def_flags' VM_LOCKED would have locked. */
    private static boolean lockableByDefFlags(VmArea v) {
        return v.defFlagsUnknown && !v.has(VmFlags.VM_PRIOR) && !keepsNoLock(v);
    }

    /** mmap_region()'s VM_LOCKED drop: VM_SPECIAL, DAX, hugetlb and VM_DROPPABLE VMAs. */
    private static boolean keepsNoLock(VmArea v) {
        return v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP | VmFlags.VM_MIXEDMAP | VmFlags.VM_HUGETLB | VmFlags.VM_DROPPABLE);
    }

    /**
     * An mlock(), mlock2() or munlock() that failed after apply_vma_lock_flags() began (5.10-7.2): it fixes up the VMAs
     * from {@code start} in turn and stops with -ENOMEM at the first gap (nothing when {@code start} is in one), leaving
     * those before the gap changed; or it changed them all and __mm_populate() failed (-EFAULT as -ENOMEM, -ENOMEM as
     * -EAGAIN: __mlock_posix_error_return()). Either way the VMAs from {@code start} up to the first gap are as
     * {@link #mlock} leaves them, but for the faults: do_mlock() returns a gap's -ENOMEM before __mm_populate().
     */
    public void mlockPartly(Mm mm, long start, long end, boolean lock, boolean onFault) {
        long reached = gapFrom(mm, start, end);
        // do_mlock(): "if (error) return error;" before __mm_populate(): a walk stopped at a gap faults nothing in
        mlockFixup(mm, start, reached, lock, onFault, reached == end);
    }

    /** Where apply_vma_lock_flags() walking {@code [start, end)} meets a gap ("if (vma->vm_start != tmp)"), or end. */
    private static long gapFrom(Mm mm, long start, long end) {
        long reached = start;
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && reached < end; i++) {
            VmArea v = mm.vmas.get(i);
            if (v.start > reached) {
                break;
            }
            reached = v.end;
        }
        return Math.min(reached, end);
    }

    /**
     * An mlock() failed with -ENOMEM either at do_mlock()'s limit (nothing locked) or after apply_vma_lock_flags()
     * locked the range up to a gap, or the whole of it before __mm_populate() failed ({@link #mlockPartly});
     * which one the recording does not say: the VMAs it would have locked keep the range
     * ({@link VmArea#mlockUnknownStart}) until a result decides ({@link #mlockMaybeLocked}).
     */
    public void mlockMaybe(Mm mm, long start, long end) {
        long reached = gapFrom(mm, start, end);
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < reached; i++) {
            VmArea v = mm.vmas.get(i);
            v.mlockUnknownStart = start;
            v.mlockUnknownEnd = reached;
        }
    }

    /**
     * A recorded refusal over {@code [start, end)} only VM_LOCKED explains, where {@link #mlockMaybe} left the choice:
     * the mlock() was applied up to its gap (apply_vma_lock_flags(), 5.10-7.2). False when no such VMA is there.
     */
    public boolean mlockMaybeLocked(Mm mm, long start, long end) {
        boolean found = false;
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            long from = Math.max(v.start, v.mlockUnknownStart), to = Math.min(v.end, v.mlockUnknownEnd);
            if (from < to && from < end && to > start) {
                found = true;
                mlock(mm, from, to, true, true);
                i = mm.indexAfter(to) - 1;
            }
        }
        return found;
    }

    /**
     * do_mmap()'s checks, in its order: a zero length is -EINVAL, one that PAGE_ALIGN() wraps -ENOMEM, a page
     * offset that wraps -EOVERFLOW (and, for a {@code file}, one beyond MAX_LFS_FILESIZE: file_mmap_ok(), 4.17+,
     * applied on every release as no file has pages there); then __get_unmapped_area(): a range beyond TASK_SIZE
     * is -ENOMEM and a MAP_FIXED address that is not page-aligned -EINVAL (a hint would be rounded up by
     * PAGE_ALIGN() in generic_get_unmapped_area(), but the trace records where the mapping is, never a hint).
     *
     * @return 0, with {@code r.len} page-aligned, or -errno
     */
    public long checkMmap(MmapRequest r, boolean file) {
        if (r.len == 0) {
            return -Errno.EINVAL;
        }
        long len = MemMap.pageAlign(r.len);
        if (len == 0) {
            return -Errno.ENOMEM;
        }
        long pages = len >>> MemMap.PAGE_SHIFT;
        if (Long.compareUnsigned(r.pgoff + pages, r.pgoff) < 0
                || file && Long.compareUnsigned(r.pgoff, (Long.MAX_VALUE >>> MemMap.PAGE_SHIFT) - pages) > 0) {
            return -Errno.EOVERFLOW;
        }
        if (Long.compareUnsigned(len, Mm.TASK_SIZE) > 0 || Long.compareUnsigned(r.addr, Mm.TASK_SIZE - len) > 0) {
            return -Errno.ENOMEM;
        }
        if ((r.addr & (MemMap.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        r.len = len;
        return 0;
    }

    /**
     * do_vmi_munmap() (__do_munmap() before 6.1): an address that is not page-aligned, or a range beyond TASK_SIZE
     * or of no page, is -EINVAL; else splits at the edges, zaps the pages and drops the VMAs. 0 or -errno.
     */
    public long munmap(Mm mm, long addr, long len) {
        if ((addr & (MemMap.PAGE_SIZE - 1)) != 0 || Long.compareUnsigned(addr, Mm.TASK_SIZE) > 0
                || Long.compareUnsigned(len, Mm.TASK_SIZE - addr) > 0) {
            return -Errno.EINVAL;
        }
        long end = addr + MemMap.pageAlign(len);
        if (end == addr) {
            return -Errno.EINVAL;
        }
        if (splitsHugetlb(mm, addr) || splitsHugetlb(mm, end)) {
            return -Errno.EINVAL; // __split_vma(): hugetlb_vm_op_split() refuses an address inside a huge page
        }
        mm.unmappedPages.set(addr >>> MemMap.PAGE_SHIFT, end >>> MemMap.PAGE_SHIFT, 1, 0);
        if (mm.indexAfter(addr) >= mm.vmas.size()) {
            return 0;
        }
        mm.splitAt(addr);
        mm.splitAt(end);
        int i = mm.indexAfter(addr);
        while (i < mm.vmas.size() && mm.vmas.get(i).start < end) {
            VmArea v = mm.vmas.get(i);
            registrations.beforeUnmap(v);
            zap(mm, v.startVpn(), v.endVpn());
            mm.pageTable.clear(v.startVpn(), v.endVpn()); // unmap_vmas(): ZAP_FLAG_DROP_MARKER, guard markers go too
            unlock(mm, v);
            if (v.isHugetlb()) {
                hugetlb.vmOpClose(v); // hugetlb_vm_op_close(): a private owner's unused reservations go back
            }
            mm.remove(v);
            if (v.isHugetlb() && v.file != null) {
                hugetlb.evictHidden(v.file); // a MAP_HUGETLB shared mapping's inode goes with its last mapping
            } else if (v.isSecretmem()) {
                secretmem.vmaClosed(v.file); // remove_vma(): fput(vma->vm_file), maybe the last reference
            }
        }
        return 0;
    }

    /**
     * A hugetlb VMA would be split at {@code addr}, which is not aligned to its hstate's huge_page_size()
     * (hugetlb_vm_op_split(), 5.10-7.2: "if (addr & ~(huge_page_mask(hstate_vma(vma)))) return -EINVAL;").
     */
    public static boolean splitsHugetlb(Mm mm, long addr) {
        VmArea v = mm.vmaLookup(addr);
        return v != null && v.start != addr && v.isHugetlb() && v.hstateVma().unaligned(addr);
    }

    /**
     * munlock_vma_pages_all() / the munmap's "if (vma->vm_flags & VM_LOCKED) mm->locked_vm -= vma_pages(vma)"
     * (5.10-7.2): a VM_LOCKED VMA leaving gives its pages back (one locked before the recording: what the memlock line
     * counted, never below 0).
     */
    private static void unlock(Mm mm, VmArea v) {
        if (v.has(VmFlags.VM_LOCKED)) {
            v.vmFlags &= ~VmFlags.VM_LOCKED_MASK;
            mm.lockedVm = Math.max(0, mm.lockedVm - (v.endVpn() - v.startVpn()));
        }
    }

    /**
     * mm/mremap.c mremap() once it succeeded (5.10 to 7.2; the trace records its result, so its checks passed and
     * the old range lies in one VMA, but for an MREMAP_FIXED move of the same length from 6.17: {@link #remapMove}): a shrink unmaps the tail; a growth in place extends the mapping; a move
     * (move_vma() -> move_page_tables()) maps the same pages, pinned ones too, at {@code newAddr} with their
     * refcount, pincount and mapcount unchanged, then unmaps the old range, or with MREMAP_DONTUNMAP (5.7) leaves
     * it mapped and empty.
     */
    public void mremap(Mm mm, long oldAddr, long oldLen, long newAddr, long newLen, boolean dontUnmap) {
        if (newLen <= 0) {
            return;
        }
        if (oldLen == newLen && newAddr != oldAddr && spansVmas(mm, oldAddr, oldAddr + oldLen)) {
            remapMove(mm, oldAddr, oldLen, newAddr, dontUnmap);
            return;
        }
        if (newLen < oldLen) {
            // mremap_to() and the in-place shrink alike; 5.10's shrink unmaps the tail before any VMA lookup, so it
            // succeeds with the old range's start unmapped (vma_lookup() first from 5.16, 550a7d60bd5e: -EFAULT)
            munmap(mm, oldAddr + newLen, oldLen - newLen);
        }
        VmArea v = mm.vmaLookup(oldAddr);
        if (v == null) {
            return;
        }
        long kept = Math.min(oldLen, newLen);
        long grown = (newLen - kept) >>> MemMap.PAGE_SHIFT;
        if (newAddr == oldAddr) {
            if (newLen > oldLen) {
                // vma_expandable() (5.10-7.2): the range grown over was free, whatever the model guessed was there
                munmap(mm, oldAddr + oldLen, newLen - oldLen);
                VmArea last = mm.vmaLookup(oldAddr + oldLen - 1);
                // mremap(): vma_adjust() (5.10, 6.1), vma_merge_extend() (6.12, 7.2): the VMA itself grows over the free range
                last.end = oldAddr + newLen;
                mm.unmappedPages.clear((oldAddr + oldLen) >>> MemMap.PAGE_SHIFT, (oldAddr + newLen) >>> MemMap.PAGE_SHIFT);
                mm.lockedVm += last.has(VmFlags.VM_LOCKED) ? grown : 0; // "if (vma->vm_flags & VM_LOCKED) mm->locked_vm += pages"
                populateGrown(last, oldAddr + oldLen, newLen - oldLen);
            }
            return;
        }
        munmap(mm, newAddr, newLen); // MREMAP_FIXED replaces what was there; a chosen address was free
        mm.splitAt(oldAddr);
        mm.splitAt(oldAddr + kept);
        VmArea src = mm.vmaLookup(oldAddr);
        VmArea moved = new VmArea(mm, newAddr, newAddr + newLen, src.vmFlags, src.file, src.pgoff, src.barPfn,
                src.zoneFlags);
        moved.hstate = src.hstate;
        moved.defFlagsUnknown = src.defFlagsUnknown; // copy_vma(): the old VMA's vm_flags, def_flags' VM_LOCKED or not
        if (src.mlockUnknownEnd != 0) {
            moved.mlockUnknownStart = src.mlockUnknownStart - oldAddr + newAddr;
            moved.mlockUnknownEnd = src.mlockUnknownEnd - oldAddr + newAddr;
        }
        moved.resv = src.resv; // a private hugetlb mapping's reservations move with it (the old VMA is not closed)
        moved.resvOwner = src.resvOwner;
        moved.resvUnmapped = src.resvUnmapped;
        mm.insert(moved);
        mm.unmappedPages.clear(newAddr >>> MemMap.PAGE_SHIFT, (newAddr + newLen) >>> MemMap.PAGE_SHIFT); // mapped again
        movePageTables(mm, oldAddr >>> MemMap.PAGE_SHIFT, newAddr >>> MemMap.PAGE_SHIFT, kept >>> MemMap.PAGE_SHIFT);
        // move_vma(): the locked pages move with the mapping (the old VMA's VM_LOCKED is cleared, "we always clear
        // VM_LOCKED[ONFAULT] on the old vma"), and a growth charges its new pages
        mm.lockedVm += src.has(VmFlags.VM_LOCKED) ? grown : 0;
        populateGrown(moved, newAddr + kept, newLen - kept);
        for (int i = mm.indexAfter(oldAddr); i < mm.vmas.size() && mm.vmas.get(i).start < oldAddr + kept; ) {
            mm.vmas.get(i).vmFlags &= ~VmFlags.VM_LOCKED_MASK;
            if (dontUnmap) {
                i++;
            } else {
                mm.remove(mm.vmas.get(i)); // do_vmi_munmap() of the old range: nothing left to zap
            }
        }
        if (!dontUnmap) {
            // move_vma() (5.10-7.2) unmaps the old range: a hole the recording made, as munmap() leaves one
            mm.unmappedPages.set(oldAddr >>> MemMap.PAGE_SHIFT, (oldAddr + kept) >>> MemMap.PAGE_SHIFT, 1, 0);
        }
    }

    /**
     * mremap() (5.10-6.12: "if (locked && new_len > old_len) mm_populate(new_addr + old_len, new_len - old_len)"; 7.2:
     * vrm->populate_expand): a VM_LOCKED mapping grown, in place or moved, has its new part faulted in after the lock is
     * dropped, but for a VM_LOCKONFAULT one (populate_vma_page_range()) and VM_IO | VM_PFNMAP ones (__mm_populate()).
     */
    private void populateGrown(VmArea v, long start, long len) {
        if (len > 0 && v.has(VmFlags.VM_LOCKED) && !v.has(VmFlags.VM_LOCKONFAULT | VmFlags.VM_IO | VmFlags.VM_PFNMAP)) {
            faultHandler.populate(v, start >>> MemMap.PAGE_SHIFT, len >>> MemMap.PAGE_SHIFT,
                    v.has(VmFlags.VM_WRITE) && !v.isShared());
        }
    }

    /** More than one VMA, or a VMA and a gap, lies in [start, end). */
    private static boolean spansVmas(Mm mm, long start, long end) {
        int i = mm.indexAfter(start);
        return i < mm.vmas.size() && (mm.vmas.get(i).start > start || mm.vmas.get(i).end < end);
    }

    /**
     * remap_move() (6.17+ [unverified first release]; 6.12 refuses an old range past its first VMA with -EFAULT in
     * vma_to_resize(), so a recorded success there moved one VMA): an MREMAP_FIXED move of the same length moves each
     * VMA of the old range, split at its ends, to the new address plus its distance from the first, keeping the gaps
     * between them; each is a move of its own (mremap_to(): its destination unmapped, then move_vma()).
     */
    private void remapMove(Mm mm, long oldAddr, long len, long newAddr, boolean dontUnmap) {
        long end = oldAddr + len;
        int first = mm.indexAfter(oldAddr);
        int n = 0;
        for (int i = first; i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            n++;
        }
        long[] pieces = new long[2 * n]; // the VMAs' [start, end) clipped to the range, before any moves
        for (int k = 0; k < n; k++) {
            VmArea v = mm.vmas.get(first + k);
            pieces[2 * k] = Math.max(v.start, oldAddr);
            pieces[2 * k + 1] = Math.min(v.end, end);
        }
        for (int k = 0; k < n; k++) {
            long from = pieces[2 * k];
            long pieceLen = pieces[2 * k + 1] - from;
            mremap(mm, from, pieceLen, newAddr + (from - pieces[0]), pieceLen, dontUnmap);
        }
    }

    /**
     * remap_move() (6.17+) refused with {@code err} at a VMA of the old range: the VMAs before it moved, each by
     * mremap_to() (its destination unmapped first). The VMA refusing is the first whose own checks give {@code err}:
     * check_prep_vma()'s vma_is_sealed() (-EPERM), align_hugetlb() (-EINVAL), MREMAP_DONTUNMAP of a VM_DONTEXPAND or
     * VM_PFNMAP VMA (-EINVAL), mremap_to()'s do_munmap() of a sealed destination (-EPERM); a refusal the model cannot
     * place moves nothing.
     */
    public void remapMoveBeforeRefused(Mm mm, long oldAddr, long len, long newAddr, boolean dontUnmap, long err) {
        long end = oldAddr + len;
        for (int i = mm.indexAfter(oldAddr); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            long from = Math.max(v.start, oldAddr);
            long to = newAddr + (from - oldAddr);
            long refusal = remapRefusal(mm, v, from, to, Math.min(v.end, end) - from, dontUnmap);
            if (refusal != 0) {
                if (refusal == err && from > oldAddr) {
                    mremap(mm, oldAddr, from - oldAddr, newAddr, from - oldAddr, dontUnmap);
                }
                return;
            }
        }
    }

    /** What check_prep_vma() and mremap_to() refuse a same-size move of {@code [from, from + len)} of {@code v} with. */
    private static long remapRefusal(Mm mm, VmArea v, long from, long to, long len, boolean dontUnmap) {
        if (v.has(VmFlags.VM_SEALED)) {
            return -Errno.EPERM;
        }
        if (v.isHugetlb() && ((from | to) & ((v.hugePages() << MemMap.PAGE_SHIFT) - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (dontUnmap && v.has(VmFlags.VM_DONTEXPAND | VmFlags.VM_PFNMAP)) {
            return -Errno.EINVAL;
        }
        for (int i = mm.indexAfter(to); i < mm.vmas.size() && mm.vmas.get(i).start < to + len; i++) {
            if (mm.vmas.get(i).has(VmFlags.VM_SEALED)) {
                return -Errno.EPERM; // do_munmap() of the destination: can_modify_vma() / vma_is_sealed()
            }
        }
        return 0;
    }

    /**
     * move_page_tables(): the PTEs of {@code n} pages move to {@code newVpn}, the pages keep their references and
     * mappings; an anonymous page this mm owns keeps its rmap position (the model's folio index is the page's
     * virtual page, as move_vma() keeps linear_page_index() of the moved pages).
     */
    private void movePageTables(Mm mm, long oldVpn, long newVpn, long n) {
        PageTable pt = mm.pageTable;
        FrameOwners owners = memMap.ownerMap();
        for (long p = oldVpn; p < oldVpn + n; ) {
            int i = pt.indexOf(p);
            long e = Math.min(oldVpn + n, pt.end(i));
            pt.set(p + newVpn - oldVpn, e + newVpn - oldVpn, pt.pte(i), pt.pfnAt(i, p));
            p = e;
        }
        if (((newVpn - oldVpn) & (MemMap.HPAGE_PMD_NR - 1)) != 0) {
            pt.clearBits(newVpn, newVpn + n, Pte.PMD); // move_huge_pmd() needs both ends PMD-aligned: else split
        }
        for (int i = pt.indexOf(newVpn); i < pt.size() && pt.start(i) < newVpn + n; i++) {
            if ((pt.pte(i) & (Pte.PRESENT | Pte.ANON)) != (Pte.PRESENT | Pte.ANON)) {
                continue;
            }
            long s = Math.max(newVpn, pt.start(i));
            long e = Math.min(newVpn + n, pt.end(i));
            long pfn = pt.pfnAt(i, s);
            if (owners.ownerOf(pfn) == mm.id && owners.pageOf(pfn) == s - (newVpn - oldVpn)) {
                owners.set(pfn, pfn + (e - s), mm.id, s);
            }
        }
        pt.clear(oldVpn, oldVpn + n);
        ctx.cost(CostModel.PAGE_WALK_NS);
    }

    /**
     * do_mseal() that succeeded (6.10+; mm/mseal.c: every page of the range mapped, the flags 0): the VMAs of the
     * range, split at its ends, get VM_SEALED, which munmap(), mprotect(), mremap() and a MAP_FIXED mmap() over them
     * refuse (-EPERM: the recording's failed syscalls change nothing) and madvise() checks ({@code Madvise}).
     */
    public void mseal(Mm mm, long addr, long len) {
        long end = addr + len;
        for (int i = mm.indexAfter(addr); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            // mseal_fixup() "if (newflags == oldflags)" (6.10-6.12), mseal_apply() (7.2): a sealed VMA is not split
            if (v.has(VmFlags.VM_SEALED)) {
                continue;
            }
            if (v.start < addr) {
                v = mm.splitAt(addr);
                i++;
            }
            if (v.end > end) {
                mm.splitAt(end);
            }
            v.vmFlags |= VmFlags.VM_SEALED;
        }
    }

    /**
     * do_mprotect_pkey(): new VM_READ/VM_WRITE/VM_EXEC; write permission leaving a range write-protects its PTEs. An
     * address that is not page-aligned is -EINVAL, a zero length 0, a range that wraps -ENOMEM; a range starting
     * or continuing in a hole is -ENOMEM, PROT_WRITE on a VMA without VM_MAYWRITE -EACCES, and an mseal()ed VMA
     * -EPERM, the VMAs before keeping their new protection.
     */
    public long mprotect(Mm mm, long addr, long len, boolean read, boolean write, boolean exec) {
        if ((addr & (MemMap.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        long end = addr + MemMap.pageAlign(len);
        if (Long.compareUnsigned(end, addr) <= 0) {
            return -Errno.ENOMEM;
        }
        if (!profile.mprotectSealPerVma && sealed(mm, addr, end)) {
            return -Errno.EPERM; // do_mprotect_pkey(): can_modify_mm() before the loop (6.10): nothing changes
        }
        long prot = (read ? VmFlags.VM_READ : 0) | (write ? VmFlags.VM_WRITE : 0) | (exec ? VmFlags.VM_EXEC : 0);
        long covered = addr;
        for (int i = mm.indexAfter(addr); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            if (v.start > covered) {
                return -Errno.ENOMEM;
            }
            if (write && !v.has(VmFlags.VM_MAYWRITE)) {
                return -Errno.EACCES; // "(newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS"
            }
            if (v.has(VmFlags.VM_SEALED)) {
                return -Errno.EPERM; // mprotect_fixup(): can_modify_vma() (6.12), vma_is_sealed() (7.2)
            }
            covered = v.end;
            // mprotect_fixup() (5.10-7.2): "if (newflags == oldflags) return 0;": a VMA keeping its flags is not split
            if ((v.vmFlags & (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC)) == prot) {
                continue;
            }
            // split_vma() at the range's ends; a hugetlb VMA inside a huge page is -EINVAL (hugetlb_vm_op_split(),
            // 5.10-7.2), the VMAs before keeping their new protection
            if (v.start < addr && splitsHugetlb(mm, addr) || v.end > end && splitsHugetlb(mm, end)) {
                return -Errno.EINVAL;
            }
            if (v.start < addr) {
                v = mm.splitAt(addr);
                i++;
            }
            if (v.end > end) {
                mm.splitAt(end);
            }
            covered = v.end;
            v.vmFlags = (v.vmFlags & ~(VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC)) | prot;
            if (!write) {
                mm.pageTable.clearBits(v.startVpn(), v.endVpn(), Pte.WRITE);
            } else if (!v.isShared() && profile.mprotectTryWritable) {
                tryChangeWritable(mm.pageTable, v.startVpn(), v.endVpn());
            }
        }
        return Long.compareUnsigned(covered, end) < 0 ? -Errno.ENOMEM : 0;
    }

    /** Whether a VMA of {@code [addr, end)} is mseal()ed (can_modify_mm(), 6.10). */
    private static boolean sealed(Mm mm, long addr, long end) {
        for (int i = mm.indexAfter(addr); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            if (mm.vmas.get(i).has(VmFlags.VM_SEALED)) {
                return true;
            }
        }
        return false;
    }

    /**
     * can_change_pte_writable() of a private VMA (6.0+): a dirty PTE of an exclusive anonymous page becomes writable
     * (PTE-mapped pages only: the PMD case, 6.5's change_huge_pmd(), is not modelled).
     */
    private void tryChangeWritable(PageTable pt, long from, long to) {
        for (int i = pt.indexOf(from); i < pt.size() && pt.start(i) < to; i++) {
            long bits = pt.pte(i);
            if ((bits & (Pte.PRESENT | Pte.ANON | Pte.DIRTY | Pte.WRITE | Pte.PMD)) != (Pte.PRESENT | Pte.ANON | Pte.DIRTY)) {
                continue; // a PMD-mapped THP is change_huge_pmd()'s, which 6.1 leaves read-only
            }
            long s = Math.max(from, pt.start(i));
            long e = Math.min(to, pt.end(i));
            for (long p = s; p < e; ) {
                long pfn = pt.pfnAt(pt.indexOf(p), p);
                long n = memMap.uniformRun(pfn, e - p);
                if ((memMap.flags(pfn) & PageFlags.ANON_EXCLUSIVE) != 0) {
                    pt.setBits(p, p + n, Pte.WRITE);
                }
                p += n;
            }
        }
    }

    /** zap_page_range(): clears PTEs; anonymous pages lose this mm's mapping (pinned ones survive). */
    public void zap(Mm mm, long fromVpn, long toVpn) {
        PageTable pt = mm.pageTable;
        pt.splitHugePmd(fromVpn); // zap_pmd_range(): a PMD the range covers in part is split, not zapped
        pt.splitHugePmd(toVpn);
        for (int i = pt.indexOf(fromVpn); i < pt.size() && pt.start(i) < toVpn; i++) {
            long bits = pt.pte(i);
            if ((bits & Pte.ANON) != 0 && (bits & Pte.PRESENT) != 0) {
                long s = Math.max(fromVpn, pt.start(i));
                long e = Math.min(toVpn, pt.end(i));
                memMap.removeAnonRmap(pt.pfnAt(i, s), e - s);
            }
        }
        ctx.cost(CostModel.PAGE_WALK_NS);
        for (long p = fromVpn; p < toVpn; ) { // zap_nonpresent_ptes(): ordinary zapping keeps guard markers (6.13+)
            int i = pt.indexOf(p);
            long e = Math.min(toVpn, pt.end(i));
            if ((pt.pte(i) & Pte.GUARD) == 0) {
                pt.clear(p, e);
            }
            p = e;
        }
    }

    /** madvise_guard_remove() (6.13+): the guard markers of {@code [fromVpn, toVpn)} go, nothing else. */
    public void clearGuards(Mm mm, long fromVpn, long toVpn) {
        PageTable pt = mm.pageTable;
        for (long p = fromVpn; p < toVpn; ) {
            int i = pt.indexOf(p);
            long e = Math.min(toVpn, pt.end(i));
            if ((pt.pte(i) & Pte.GUARD) != 0) {
                pt.clear(p, e);
            }
            p = e;
        }
    }

    /**
     * unmap_mapping_range(): zaps the PTEs that map file pages {@code [index, index + n)} in every VMA
     * of the file; with {@code evenCows} also private COW copies (truncate), else only page-cache PTEs.
     */
    public void unmapMappingRange(Inode inode, long index, long n, boolean evenCows) {
        // zap_nonpresent_ptes() (6.13-7.2): "Ordinary zapping should not remove guard PTE markers"
        zapMapping(inode, index, n, evenCows, Pte.ANON | Pte.GUARD);
    }

    /**
     * unmap_mapping_folio() of the folio over file pages {@code [index, index + n)} (mm/memory.c, 5.18-7.2): the
     * page-cache PTEs over it in every VMA of the file are zapped, COWed copies stay (skip_cows), and the guard markers
     * over it go too: zap_nonpresent_ptes() drops them for its ZAP_FLAG_DROP_MARKER (6.13-7.2).
     */
    public void unmapMappingFolio(Inode inode, long index, long n) {
        zapMapping(inode, index, n, false, Pte.ANON);
    }

    /** The PTEs of file pages {@code [index, index + n)} in every VMA of the file, all or those without {@code keep}. */
    private void zapMapping(Inode inode, long index, long n, boolean evenCows, long keep) {
        for (VmArea v : inode.mappings) {
            long from = Math.max(index, v.pgoff);
            long to = Math.min(index + n, v.pgoff + (v.endVpn() - v.startVpn()));
            if (from >= to) {
                continue;
            }
            long vFrom = v.startVpn() + (from - v.pgoff);
            long vTo = v.startVpn() + (to - v.pgoff);
            if (evenCows) {
                zap(v.mm, vFrom, vTo);
                continue;
            }
            PageTable pt = v.mm.pageTable;
            for (long p = vFrom; p < vTo; ) {
                int i = pt.indexOf(p);
                long e = Math.min(vTo, pt.end(i));
                if ((pt.pte(i) & keep) == 0) {
                    pt.clear(p, e);
                }
                p = e;
            }
        }
    }

    /** folio_mapped() for file pages {@code [index, index + n)}: whether a page-cache PTE of any VMA maps one. */
    public boolean mapsFilePages(Inode inode, long index, long n) {
        for (VmArea v : inode.mappings) {
            long from = Math.max(index, v.pgoff);
            long to = Math.min(index + n, v.pgoff + (v.endVpn() - v.startVpn()));
            PageTable pt = v.mm.pageTable;
            for (long p = v.startVpn() + (from - v.pgoff), vTo = v.startVpn() + (to - v.pgoff); p < vTo; ) {
                int i = pt.indexOf(p);
                long pte = pt.pte(i);
                if ((pte & Pte.PRESENT) != 0 && (pte & Pte.ANON) == 0) {
                    return true;
                }
                p = Math.min(vTo, pt.end(i));
            }
        }
        return false;
    }

    /** folio_mkclean() for file pages {@code [index, index + n)}: write-protect and clean every shared PTE. */
    public void mkcleanMappingRange(Inode inode, long index, long n) {
        for (VmArea v : inode.mappings) {
            if (!v.isShared()) {
                continue;
            }
            long from = Math.max(index, v.pgoff);
            long to = Math.min(index + n, v.pgoff + (v.endVpn() - v.startVpn()));
            if (from < to) {
                v.mm.pageTable.clearBits(v.startVpn() + (from - v.pgoff), v.startVpn() + (to - v.pgoff),
                        Pte.WRITE | Pte.DIRTY);
            }
        }
    }

    /**
     * The CPU touches {@code [addr, addr + len)}: a page fault where the PTE does not allow the access
     * (SIGSEGV, -EFAULT, outside a VMA or without permission: x86's), and a written page-cache folio is dirty.
     */
    public long touch(Mm mm, long addr, long len, boolean write) {
        long end = addr + len;
        if (Long.compareUnsigned(end, addr) < 0) {
            return -Errno.EFAULT;
        }
        long p = addr;
        while (p < end) {
            VmArea v = mm.vmaLookup(p);
            // x86 access_error(): a write needs VM_WRITE, a read any access (PROT_WRITE alone maps readable PTEs)
            if (v == null || !(write ? v.has(VmFlags.VM_WRITE) : VmFlags.isAccessible(v.vmFlags))) {
                return -Errno.EFAULT;
            }
            long vpn = p >>> MemMap.PAGE_SHIFT;
            long vEnd = Math.min(v.endVpn(), (end + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT);
            PageTable pt = mm.pageTable;
            for (long q = vpn; q < vEnd; ) {
                int i = pt.indexOf(q);
                long e = Math.min(vEnd, pt.end(i));
                long bits = pt.pte(i);
                if ((bits & Pte.PRESENT) == 0 || write && (bits & Pte.WRITE) == 0) {
                    long r = faultHandler.handleMmFault(v, q, e - q, write, false);
                    if (r < 0) {
                        return r;
                    }
                    e = q + Math.max(1, r);
                } else if (write && (bits & Pte.ANON) == 0 && (bits & Pte.SPECIAL) == 0) {
                    memMap.markDirtyWhere(pt.pfnAt(i, q), e - q, PageFlags.FILE);
                }
                q = e;
            }
            p = vEnd << MemMap.PAGE_SHIFT;
        }
        return 0;
    }

    /**
     * copy_to_user() ({@code toUser}) or copy_from_user() of {@code len} bytes at {@code addr}, page by page as
     * copy_page_to_iter() and copy_page_from_iter_atomic() go: the bytes copied before the first page the CPU could
     * not reach.
     */
    public long copyUser(Mm mm, long addr, long len, boolean toUser) {
        long done = 0;
        while (done < len) {
            long p = addr + done;
            long chunk = Math.min(len - done, MemMap.PAGE_SIZE - (p & (MemMap.PAGE_SIZE - 1)));
            if (touch(mm, p, chunk, toUser) < 0) {
                break;
            }
            done += chunk;
        }
        return done;
    }

    /**
     * kernel/fork.c dup_mmap() (5.10 to 7.2): the child gets every VMA but those with VM_DONTCOPY (MADV_DONTFORK),
     * without VM_LOCKED (VM_LOCKED_MASK cleared); copy_page_range() copies the anonymous PTEs of COW mappings
     * (copy_hugetlb_page_range() those of private hugetlb ones) but for VM_WIPEONFORK ones, which start empty
     * (zero-filled pages at the first touch). Other PTEs are refaulted on access, as the kernel leaves them to the
     * fault path.
     */
    public void copyMappings(Mm parent, Mm child) {
        child.unmappedPages.copyFrom(parent.unmappedPages, 0, Long.MAX_VALUE, 0); // what the parent unmapped, the child lacks
        for (VmArea v : parent.vmas) {
            if (v.has(VmFlags.VM_DONTCOPY)) {
                continue;
            }
            VmArea c = v.copy(child, v.start, v.end);
            c.vmFlags &= ~VmFlags.VM_LOCKED_MASK;
            // dup_mmap() -> hugetlb_dup_vma_private() (6.1+; reset_vma_resv_huge_pages() in 5.10): the child's private
            // hugetlb VMA owns no reservation
            c.resv = null;
            c.resvOwner = false;
            c.resvUnmapped = false;
            child.insert(c);
            if (VmFlags.isCowMapping(v.vmFlags) && !v.isPfnmap() && !v.has(VmFlags.VM_WIPEONFORK)) {
                copyAnonPtes(v, c);
            }
            if (!v.has(VmFlags.VM_WIPEONFORK)) {
                copyGuards(v, c);
            }
        }
    }

    /** copy_nonpresent_pte() → copy_pte_marker(): the child gets the guard markers (VM_MAYBE_GUARD, 7.2). */
    private static void copyGuards(VmArea src, VmArea dst) {
        PageTable pt = src.mm.pageTable;
        for (long p = src.startVpn(); p < src.endVpn(); ) {
            int i = pt.indexOf(p);
            long e = Math.min(src.endVpn(), pt.end(i));
            if ((pt.pte(i) & Pte.GUARD) != 0) {
                dst.mm.pageTable.set(p, e, Pte.GUARD, 0);
            }
            p = e;
        }
    }

    /**
     * mm/memory.c copy_present_pte() (mm/hugetlb.c copy_hugetlb_page_range() in a hugetlb VMA) over the anonymous
     * pages of {@code src}: each is shared with the child and write-protected in both, unless
     * page_needs_cow_for_dma() makes the child a copy of its own.
     */
    private void copyAnonPtes(VmArea src, VmArea dst) {
        PageTable pt = src.mm.pageTable;
        for (long p = src.startVpn(); p < src.endVpn(); ) {
            int i = pt.indexOf(p);
            long e = Math.min(src.endVpn(), pt.end(i));
            long bits = pt.pte(i);
            if ((bits & (Pte.PRESENT | Pte.ANON)) == (Pte.PRESENT | Pte.ANON)) {
                long pfn = pt.pfnAt(i, p);
                if ((bits & Pte.PMD) != 0 && pageNeedsCowForDma(src, pfn, e - p)) {
                    pt.clearBits(p, e, Pte.PMD); // copy_huge_pmd(): a maybe-pinned THP is split, its PTEs copied
                    bits &= ~Pte.PMD;
                }
                for (long q = p; q < e; ) {
                    long at = pfn + (q - p);
                    long len = memMap.uniformRun(at, e - q);
                    if (pageNeedsCowForDma(src, at, len)) {
                        faultHandler.copyPresentPage(dst, q, len);
                    } else {
                        memMap.dupAnonRmap(at, len);
                        pt.clearBits(q, q + len, Pte.WRITE);
                        dst.mm.pageTable.set(q, q + len, bits & ~Pte.WRITE, at);
                    }
                    q += len;
                }
            }
            p = e;
        }
        ctx.cost(CostModel.PAGE_WALK_NS);
    }

    /**
     * include/linux/mm.h page_needs_cow_for_dma(): MMF_HAS_PINNED and folio_maybe_dma_pinned(), asked by fork()
     * from 5.9 (5.12 for hugetlb); from 5.19 page_try_dup_anon_rmap() asks it only of an exclusive page (a shared
     * one is shared again).
     */
    private boolean pageNeedsCowForDma(VmArea src, long pfn, long n) {
        boolean asked = src.isHugetlb() ? profile.forkCopiesPinnedHugetlb : profile.forkCopiesPinned;
        return asked && src.mm.hasPinned && memMap.maybeDmaPinned(pfn, n)
                && (profile.wpReuse != WpReuse.EXCLUSIVE || memMap.anyFlag(pfn, n, PageFlags.ANON_EXCLUSIVE));
    }

    /** exit_mmap(): unmaps everything; pinned pages stay allocated until unpinned. */
    public void exitMmap(Mm mm) {
        while (!mm.vmas.isEmpty()) {
            VmArea v = mm.vmas.get(0);
            munmap(mm, v.start, v.end - v.start);
        }
    }
}
