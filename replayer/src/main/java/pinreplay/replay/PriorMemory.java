package pinreplay.replay;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.fs.Files;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.gup.VmaChecks;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.PageTable;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.mm.Tasks;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;

/**
 * Memory that existed before the recording began. A recording starts in the middle of processes' lives:
 * the stack execve() built (get_arg_page() → get_user_pages_remote()), the program's image, everything
 * mapped before tracing was switched on, or whatever a ring buffer overwrote. Where neither a snapshot
 * ({@code vma}), a syscall nor a marker said what is mapped, the first call that touches the address decides,
 * from what the kernel returned, the most plausible state consistent with it, and the outcome says so
 * ({@code assumed}); such a mapping is marked VM_PRIOR, a later result that contradicts the guess revises it,
 * and a call on it whose result the model still cannot give takes the recorded one ({@link
 * EventContext#onPriorMemory}). A file that the trace saw opened but not described gets the same treatment
 * the first time its kind matters. With strict state, an assumption is an error instead.
 */
public final class PriorMemory {
    /** Labels of what was assumed. */
    public static final String ANONYMOUS = "anonymous", UNMAPPED = "unmapped", FSDAX = "fsdax",
            FILE_FSDAX = "file-is-fsdax", FILE_SHMEM = "file-is-shmem",
            FILE_PFNMAP = "file-is-device", READ_ONLY = "read-only", DEVICE = "device", FILE_END = "end-of-file",
            PRESENT = "present", PRIVATE_COPIES = "private-copies";
    /** Synthetic inode numbers of files the model had to invent, far above any real one. */
    private static final long INVENTED_INO = 1L << 56;

    private final Profile profile;
    private final MemMap memMap;
    private final AddressSpace addressSpace;
    private final Files files;
    private final EventContext ctx;
    private final AddressSpace.MmapRequest req = new AddressSpace.MmapRequest();
    private final VmaChecks checks;
    private long invented;

    public PriorMemory(Profile profile, MemMap memMap, AddressSpace addressSpace, Files files, EventContext ctx) {
        this.profile = profile;
        this.memMap = memMap;
        this.addressSpace = addressSpace;
        this.files = files;
        this.ctx = ctx;
        this.checks = new VmaChecks(profile);
    }

    /**
     * Makes {@code [start, start + nrPages)} of {@code mm} consistent with the result {@code observed}
     * of a GUP call with canonical flags {@code foll} ({@code observedKnown} false: no recorded result);
     * {@code firstPage}: an error is the first page's (a GUP's own result; not an io_uring, RDMA or vfio call's,
     * which may have failed further on). Returns what was assumed, or null when the trace described all of it.
     */
    public String beforeGup(Mm mm, long start, long nrPages, long foll, boolean observedKnown, long observed,
            boolean firstPage) {
        long first = start & -MemMap.PAGE_SIZE;
        long end = first + Math.max(0, Math.min(nrPages, 1L << 36)) * MemMap.PAGE_SIZE;
        String label = undescribedFile(mm, first, end, foll, observedKnown, observed, firstPage);
        if (!observedKnown || end <= first) {
            return label; // without a recorded result, memory nobody described is unmapped, as the trace says
        }
        if (observed > 0 && !covered(mm, first, end) && described(mm, first, end)) {
            long reached = Math.min(end, first + observed * MemMap.PAGE_SIZE);
            if (covered(mm, first, reached) && mm.shownUnmapped(reached)) {
                end = reached; // it stopped at a hole the recording made (a shrink's tail, a munmap()): only the rest is asked
            }
        }
        if (firstPage && observed <= 0) {
            // __get_user_pages() (5.10-7.2) fails only when it pinned nothing: its first page decided the error
            if (mm.shownUnmapped(first)) {
                return label; // a hole the recording made: the model's -EFAULT answers
            }
            if (covered(mm, first, first + MemMap.PAGE_SIZE)) {
                end = first + MemMap.PAGE_SIZE; // what lies past it, a hole the recording made too, is not guessed
            }
        }
        if (covered(mm, first, end)) {
            if (label != null) {
                return label;
            }
            ctx.onPriorMemory |= touchesPrior(mm, first, end);
            String seen = fileEnd(mm, first, end, foll, observed);
            if (seen == null) {
                seen = presentUnseen(mm, first, end, foll, observed);
            }
            if (seen == null) {
                seen = privateCopies(mm, first, end, foll, observed);
            }
            return seen != null ? seen : revise(mm, first, end, firstPage, foll, observed);
        }
        if (ctx.strictState) {
            throw new UndescribedMemory("0x" + Long.toHexString(first) + "-0x" + Long.toHexString(end)
                    + " was never described by a snapshot, a syscall or a native event");
        }
        if (Long.compareUnsigned(first, Mm.TASK_SIZE) >= 0) {
            return label; // no user memory was ever mapped past TASK_SIZE: the model's result stands
        }
        if (observed > 0) {
            // the kernel reached `observed` pages from start: mapped; where it stopped, assume nothing
            long reached = Math.min(end, first + observed * MemMap.PAGE_SIZE);
            if (mm.shownUnmappedIn(first, reached)) {
                return label; // memory the recording unmapped: the model's state answers, nothing is assumed
            }
            fill(mm, first, reached, null);
            ctx.onPriorMemory = true;
            return label != null ? label + "; " + ANONYMOUS : ANONYMOUS;
        }
        if (observed == -Errno.EFAULT || observed == 0) {
            // check_vma_flags()/vma_lookup() found nothing usable at start; memory guessed there before may be wrong
            ctx.onPriorMemory |= touchesPrior(mm, first, end);
            if (described(mm, first, end)) {
                return label; // an io_uring, RDMA or vfio call over a hole the recording made: the model's -EFAULT answers
            }
            return UNMAPPED;
        }
        if (observed == -Errno.EOPNOTSUPP && (foll & Foll.LONGTERM) != 0) {
            // check_vma_flags() (5.11+) / check_dax_vmas() (≤5.10): FOLL_LONGTERM on an fs-DAX VMA, the first page's
            // (a pin that got pages returns their number): one guessed anonymous before is that file's too
            revise(mm, first, end, true, foll, observed);
            fill(mm, first, end, invent(FsType.EXT4, true, end - first));
            ctx.onPriorMemory = true;
            return FSDAX;
        }
        if (observed == -Errno.EBUSY || observed == -Errno.EEXIST || observed == -Errno.ENOSPC) {
            // refused before any page was asked for: io_sqe_buffers_register()'s registered table (-EBUSY),
            // vfio_dma_do_map()'s overlapping map (-EEXIST) and dma_avail (-ENOSPC) (5.10-7.2): nothing to learn
            return label;
        }
        fill(mm, first, end, null); // the call failed for a reason other than the memory (-ENOMEM, -EINTR, ...)
        ctx.onPriorMemory = true;
        return ANONYMOUS;
    }

    /**
     * The ring buffer lost events: whatever they mapped, unmapped or changed is unknown, so every mapping the model
     * knows becomes memory of unknown story, as if the recording began here with the model's state as its snapshot.
     */
    public void lost(Tasks tasks) {
        for (long id : tasks.mmIds()) {
            tasks.byId(id).unmappedPages.clear(0, Long.MAX_VALUE); // what the lost events mapped is unknown
            for (VmArea v : tasks.byId(id).vmas) {
                v.vmFlags |= VmFlags.VM_PRIOR;
            }
        }
    }

    /**
     * A recorded GUP result that contradicts what was assumed of the mapping at {@code addr}: a FOLL_LONGTERM pin refused
     * with -EOPNOTSUPP makes assumed anonymous memory an fs-DAX file's mapping; a write refused with
     * -EFAULT where the guess allows it makes the mapping read-only (check_vma_flags(): a write needs VM_WRITE without
     * FOLL_FORCE); any other -EFAULT makes it a device's mapping (VM_IO|VM_PFNMAP: check_vma_flags() refuses every GUP,
     * while vfio's follow_fault_pfn() still reaches its frames). Returns what was assumed now, or null.
     */
    private String revise(Mm mm, long addr, long end, boolean firstPage, long foll, long observed) {
        VmArea v = mm.vmaLookup(addr);
        if (v != null && !firstPage && end > v.end) {
            return null; // the call may have failed at a later mapping
        }
        if (v != null && v.has(VmFlags.VM_PRIOR) && v.file == null && observed == -Errno.EOPNOTSUPP
                && (foll & Foll.LONGTERM) != 0) {
            // check_vma_flags() (5.11+) / check_dax_vmas() (<=5.10): the guessed anonymous memory is an fs-DAX file's
            checkStrict("0x" + Long.toHexString(v.start) + "-0x" + Long.toHexString(v.end) + " (mapped before the recording)");
            long from = v.start;
            long to = v.end;
            addressSpace.zap(mm, v.startVpn(), v.endVpn());
            mm.remove(v);
            fill(mm, from, to, invent(FsType.EXT4, true, to - from));
            return FSDAX;
        }
        if (v == null || !v.has(VmFlags.VM_PRIOR) || observed != -Errno.EFAULT || v.isPfnmap()
                || needsFault(mm, addr, foll)) {
            return null; // (FOLL_NOFAULT, FAST_ONLY: the model's own page tables explain the -EFAULT)
        }
        boolean write = (foll & Foll.WRITE) != 0;
        boolean force = (foll & Foll.FORCE) != 0;
        if (!force && !v.has(write ? VmFlags.VM_WRITE : VmFlags.VM_READ)) {
            return null; // check_vma_flags() refuses it on the guess already
        }
        checkStrict("0x" + Long.toHexString(v.start) + "-0x" + Long.toHexString(v.end) + " (mapped before the recording)");
        if (write && !force) {
            addressSpace.mprotect(mm, v.start, v.end - v.start, v.has(VmFlags.VM_READ), false, v.has(VmFlags.VM_EXEC));
            return READ_ONLY;
        }
        VmArea device = new VmArea(mm, v.start, v.end, v.vmFlags | VmFlags.VM_IO | VmFlags.VM_PFNMAP, null, 0,
                memMap.addDevice(PageFlags.BAR, 1), v.zoneFlags);
        addressSpace.zap(mm, v.startVpn(), v.endVpn());
        mm.remove(v);
        mm.insert(device);
        return DEVICE;
    }

    /**
     * A file whose size the recording does not show (written by write(), which it does not trace, or before it; or one
     * it never described, sized by the mapping that named it, which may reach past its end): a GUP
     * that the kernel stopped inside a mapping of it after pinning pages of that mapping met the end of the file
     * (filemap_fault() / shmem_fault(): VM_FAULT_SIGBUS past i_size, -EFAULT from faultin_page()), so the file ends
     * at that page. Not for FOLL_NOWAIT, whose short count is a fault that would have waited, nor at a page that
     * FOLL_NOFAULT or FOLL_FAST_ONLY could not fault in (btrfs's O_DIRECT read before fault_in_iov_iter_writeable()),
     * nor in a VMA the slow path refuses (check_vma_flags(): FOLL_LONGTERM of fs-DAX). A
     * GUP refused at its first page may have met the end too, or a kind of file the recording did not show (hugetlbfs):
     * the recording decides that call. Returns what was assumed, or null.
     */
    private String fileEnd(Mm mm, long first, long end, long foll, long observed) {
        VmArea v = mm.vmaLookup(first);
        if (observed == -Errno.EFAULT && v != null && v.file != null && v.file.sizeUnknown
                && checks.checkVmaFlags(v, foll) == 0) {
            ctx.onUnsizedFile = true;
            return null;
        }
        if (observed <= 0 || (foll & Foll.NOWAIT) != 0 || observed >= (end - first) >>> MemMap.PAGE_SHIFT) {
            return null;
        }
        long stop = first + (observed << MemMap.PAGE_SHIFT);
        v = mm.vmaLookup(stop);
        if (v == null || v.file == null || !(v.file.sizeUnknown || v.file.undescribed) || v.isHugetlb()
                || stop == v.start) {
            return null; // the pages before it were of another mapping, whose end may have stopped the walk
        }
        if (needsFault(mm, stop, foll)) {
            return null; // faultin_page() refuses FOLL_NOFAULT (5.16+), FOLL_FAST_ONLY has no slow path: that stopped it
        }
        if (checks.checkVmaFlags(v, foll) != 0) {
            // GUP-fast stopped there and __get_user_pages()' check_vma_flags() refused the VMA (5.10-7.2): a FOLL_LONGTERM
            // pin of a private fs-DAX mapping whose page there is the file's, not a COWed copy
            return null;
        }
        long index = v.pgoff + ((stop - v.start) >>> MemMap.PAGE_SHIFT);
        if (index >= v.file.sizePages()) {
            return null; // the model stops there already
        }
        checkStrict("the size of inode " + v.file.ino + " (a file the trace opened but never sized)");
        v.file.size = index << MemMap.PAGE_SHIFT;
        v.file.sizeUnknown = false;
        return FILE_END;
    }

    /**
     * A GUP that got pages it could not have faulted in: FOLL_NOFAULT (faultin_page() refuses, 5.16+) or
     * FOLL_FAST_ONLY (no slow path), a read of a VMA without VM_READ (PROT_WRITE or PROT_EXEC alone, which the
     * slow path's check_vma_flags() refuses), or a FOLL_LONGTERM pin of a private fs-DAX mapping (refused there
     * too). GUP-fast got them from PTEs the CPU's own faults made (a recording keeps only write faults on present
     * pages); the model faults them in as the CPU did. Returns what was assumed, or null.
     */
    private String presentUnseen(Mm mm, long first, long end, long foll, long observed) {
        VmArea v = mm.vmaLookup(first);
        if (observed <= 0 || v == null || !VmFlags.isAccessible(v.vmFlags)) {
            return null;
        }
        boolean cannotFault = (foll & Foll.FAST_ONLY) != 0 || (foll & Foll.NOFAULT) != 0 && profile.follNofault
                && !(v.isHugetlb() && profile.hugetlbGupFaultsNofault); // follow_hugetlb_page() faults (5.16 to 6.4)
        boolean unreadable = (foll & (Foll.WRITE | Foll.FORCE)) == 0 && !v.has(VmFlags.VM_READ);
        // check_vma_flags() refuses FOLL_LONGTERM on an fs-DAX VMA (5.11+): GUP-fast took the anonymous copies the
        // CPU's write faults made in a private one (do_cow_fault(); a raw recording shows them only as fs_dax events)
        boolean fsdaxCopies = (foll & Foll.LONGTERM) != 0 && !v.isShared()
                && checks.checkVmaFlags(v, foll) == -Errno.EOPNOTSUPP && v.file != null;
        if (!cannotFault && !unreadable && !fsdaxCopies) {
            return null;
        }
        // each page it got, not only the first, and for a call that could fault none, in every mapping it crossed
        long to = Math.min(Math.min(end, cannotFault ? end : v.end), first + (observed << MemMap.PAGE_SHIFT));
        String assumed = null;
        PageTable pt = mm.pageTable;
        for (long q = first >>> MemMap.PAGE_SHIFT, last = to >>> MemMap.PAGE_SHIFT; q < last; ) {
            int i = pt.indexOf(q);
            VmArea w = mm.vmaLookup(q << MemMap.PAGE_SHIFT);
            long e = Math.min(Math.min(last, pt.end(i)), w != null ? w.endVpn() : last);
            long bits = pt.pte(i); // absent, or write-protected for a write: the CPU's write made it what GUP-fast took
            if (((bits & Pte.PRESENT) == 0 || (foll & Foll.WRITE) != 0 && (bits & Pte.WRITE) == 0) && w != null) {
                addressSpace.touch(mm, q << MemMap.PAGE_SHIFT, (e - q) << MemMap.PAGE_SHIFT, w.has(VmFlags.VM_WRITE));
                assumed = PRESENT;
            }
            q = e;
        }
        return assumed;
    }

    /**
     * A FOLL_LONGTERM pin that got pages of a mapping assumed to be an fs-DAX file's (shared, as a refused pin made
     * it): check_vma_flags() refuses such a VMA and GUP-fast refuses its devmap PTEs, so what GUP-fast took were
     * anonymous copies the CPU's write faults had made (do_cow_fault()) in a private mapping of the file. The mapping
     * becomes private, with those copies. Returns what was assumed, or null.
     */
    private String privateCopies(Mm mm, long first, long end, long foll, long observed) {
        VmArea v = mm.vmaLookup(first);
        if (observed <= 0 || (foll & Foll.LONGTERM) == 0 || v == null || !v.has(VmFlags.VM_PRIOR) || !v.isShared()
                || v.file == null || !v.file.isFsdax(profile.daxEnabled())) {
            return null;
        }
        checkStrict("0x" + Long.toHexString(v.start) + "-0x" + Long.toHexString(v.end) + " (mapped before the recording)");
        long from = v.start;
        AddressSpace.MmapRequest r = req.reset(from, v.end - from, true, true, false);
        r.file = v.file;
        r.pgoff = v.pgoff;
        addressSpace.zap(mm, v.startVpn(), v.endVpn());
        mm.remove(v);
        addressSpace.mmap(mm, r);
        mm.vmaLookup(from).vmFlags |= VmFlags.VM_PRIOR;
        addressSpace.touch(mm, first, Math.min(end, first + (observed << MemMap.PAGE_SHIFT)) - first, true);
        return PRIVATE_COPIES;
    }

    /**
     * Makes the range of a recorded madvise(), mprotect() or mremap() ({@code start}, {@code lenIn}) that returned
     * {@code observed} consistent with it: a call that did not fail with -ENOMEM found the range mapped
     * (madvise_walk_vmas() and do_mprotect_pkey() are -ENOMEM for a hole, and return a VMA's own refusal, -EINVAL or
     * -EACCES, at once), so what nobody described there is assumed anonymous memory; a refusal over a range with pages
     * the recording unmapped came from a VMA before the walk's -ENOMEM for them (madvise_walk_vmas() returns a hole's
     * error last), so the rest is assumed mapped too. Returns what was assumed, or null.
     */
    public String beforeRange(Mm mm, long start, long lenIn, long observed) {
        long end = start + MemMap.pageAlign(lenIn);
        if (Long.compareUnsigned(end, start) <= 0) {
            return null;
        }
        if (observed == 0 && mm.shownUnmappedIn(start, end)) {
            return null; // a success over pages the recording unmapped: the model's -ENOMEM answers, whatever the guess
        }
        ctx.onPriorMemory |= touchesPrior(mm, start & -MemMap.PAGE_SIZE, end);
        if (observed == -Errno.EFAULT && touchesUnsizedFile(mm, start & -MemMap.PAGE_SIZE, end)) {
            // MADV_POPULATE_*: faultin_page_range() met VM_FAULT_SIGBUS somewhere past the end of a file whose size
            // the recording does not show; where is unknown, so the recording decides
            ctx.onUnsizedFile = true;
            return null;
        }
        if (observed == -Errno.ENOMEM || (start & (MemMap.PAGE_SIZE - 1)) != 0 || covered(mm, start, end)
                || described(mm, start, end)) {
            return null;
        }
        if (ctx.strictState) {
            throw new UndescribedMemory("0x" + Long.toHexString(start) + "-0x" + Long.toHexString(end)
                    + " was never described by a snapshot, a syscall or a native event");
        }
        fill(mm, start, end, null);
        ctx.onPriorMemory = true;
        return ANONYMOUS;
    }

    /**
     * A file the trace saw opened (an fd) or named (a number it never declared) but never described: ext4-like by
     * default; revealed as fs-DAX when a FOLL_LONGTERM pin starting in its mapping was refused with -EOPNOTSUPP, as
     * shmem when a long-term write pin reached a shared mapping of it where writable_file_mapping_allowed() (6.5+)
     * refuses dirty-tracked files, as a device's mapping (VM_IO|VM_PFNMAP) when a GUP it allows was refused at its
     * first page with -EFAULT ({@code firstPage}: the GUP's own error; a registration over later mappings too may have
     * failed at any of them).
     */
    private String undescribedFile(Mm mm, long addr, long end, long foll, boolean observedKnown, long observed,
            boolean firstPage) {
        VmArea v = observedKnown ? firstUndescribed(mm, addr, end) : null;
        if (v == null) {
            return null;
        }
        boolean atStart = v.start <= addr;
        boolean longterm = (foll & Foll.LONGTERM) != 0;
        boolean writeLongtermShared = longterm && (foll & Foll.WRITE) != 0 && v.isShared();
        if (longterm && observed == -Errno.EOPNOTSUPP && atStart) {
            reveal(v.file, FsType.EXT4, true);
            return FILE_FSDAX;
        }
        if (observed > 0 && addr + (observed << MemMap.PAGE_SHIFT) > v.start && writeLongtermShared
                && profile.writableFileMappingCheck) {
            reveal(v.file, FsType.TMPFS, false);
            return FILE_SHMEM;
        }
        if (!atStart || observed == -Errno.EFAULT && writeLongtermShared && profile.writableFileMappingCheck) {
            return null; // check_vma_flags() writable_file_mapping_allowed() (6.5+) refuses the ext4-like file it is taken for
        }
        if (observed == -Errno.EFAULT && (firstPage || end <= v.end)
                && v.has((foll & Foll.WRITE) != 0 ? VmFlags.VM_WRITE : VmFlags.VM_READ)
                && (v.file.sizeUnknown || v.pgoff + ((addr - v.start) >>> MemMap.PAGE_SHIFT) < v.file.sizePages())
                && !needsFault(mm, addr, foll)) {
            // check_vma_flags(): VM_IO|VM_PFNMAP is -EFAULT for every GUP: a device's mmap (a vfio BAR, /dev/mem)
            revealDevice(v.file);
            return FILE_PFNMAP;
        }
        return null;
    }

    /**
     * faultin_page() with FOLL_NOFAULT (5.16+) or GUP-fast alone (FOLL_FAST_ONLY): -EFAULT where the first page's PTE is
     * absent, or read-only for a write; the model's page tables explain such a refusal without another kind of file.
     */
    private boolean needsFault(Mm mm, long addr, long foll) {
        VmArea v = mm.vmaLookup(addr);
        boolean cannotFault = (foll & Foll.FAST_ONLY) != 0 || (foll & Foll.NOFAULT) != 0 && profile.follNofault
                && !(v != null && v.isHugetlb() && profile.hugetlbGupFaultsNofault);
        long pte = mm.pageTable.pteOf(addr >>> MemMap.PAGE_SHIFT);
        return cannotFault && ((pte & Pte.PRESENT) == 0 || (foll & Foll.WRITE) != 0 && (pte & Pte.WRITE) == 0);
    }

    /** The first mapping of {@code [from, to)} whose file the recording never described, or null. */
    private static VmArea firstUndescribed(Mm mm, long from, long to) {
        for (int i = mm.indexAfter(from); i < mm.vmas.size() && mm.vmas.get(i).start < to; i++) {
            VmArea v = mm.vmas.get(i);
            if (v.file != null && v.file.undescribed) {
                return v;
            }
        }
        return null;
    }

    /** A file of kind {@code type}: the undescribed inode's mappings move to it. */
    private void reveal(Inode undescribed, FsType type, boolean dax) {
        checkStrict(Inode.name(undescribed.ino) + " (a file the trace opened but never described)");
        Inode real = invent(type, dax, undescribed.size);
        move(undescribed, dax ? VmFlags.VM_MIXEDMAP : 0, real, 0);
        undescribed.revealedAs = real;
    }

    /** A device file's mapping ({@code remap_pfn_range()}): VM_IO|VM_PFNMAP over frames of a BAR, no struct page. */
    private void revealDevice(Inode undescribed) {
        checkStrict(Inode.name(undescribed.ino) + " (a file the trace opened but never described)");
        move(undescribed, VmFlags.VM_IO | VmFlags.VM_PFNMAP, null, memMap.addDevice(PageFlags.BAR, 1));
    }

    /** Maps again what {@code undescribed} mapped, {@code vmFlags} added: {@code file}, or the BAR at {@code bar}. */
    private void move(Inode undescribed, long vmFlags, Inode file, long bar) {
        for (VmArea v : undescribed.mappings.toArray(new VmArea[0])) {
            VmArea moved = new VmArea(v.mm, v.start, v.end, v.vmFlags | vmFlags, file, v.pgoff,
                    file != null ? v.barPfn : bar + v.pgoff, v.zoneFlags);
            moved.defFlagsUnknown = v.defFlagsUnknown;
            moved.mlockUnknownStart = v.mlockUnknownStart;
            moved.mlockUnknownEnd = v.mlockUnknownEnd;
            addressSpace.zap(v.mm, v.startVpn(), v.endVpn());
            v.mm.remove(v);
            v.mm.insert(moved);
        }
    }

    private void checkStrict(String what) {
        if (ctx.strictState) {
            throw new UndescribedMemory(what + " was never described by a snapshot, a syscall or a native event");
        }
    }

    private Inode invent(FsType type, boolean dax, long size) {
        return files.create(INVENTED_INO + (++invented), type, dax, size);
    }

    private static boolean covered(Mm mm, long from, long to) {
        for (long p = from; p < to; ) {
            VmArea v = mm.vmaLookup(p);
            if (v == null) {
                return false;
            }
            p = v.end;
        }
        return true;
    }

    /** Whether each page of {@code [from, to)} is mapped or one the recording unmapped ({@link Mm#shownUnmapped}). */
    private static boolean described(Mm mm, long from, long to) {
        for (long p = from; p < to; ) {
            VmArea v = mm.vmaLookup(p);
            long next = v != null ? v.end : mm.endShownUnmapped(p, to);
            if (next <= p) {
                return false;
            }
            p = next;
        }
        return true;
    }

    private static boolean touchesUnsizedFile(Mm mm, long from, long to) {
        for (long p = from; p < to; ) {
            VmArea v = mm.vmaLookup(p);
            if (v == null) {
                return false;
            }
            if (v.file != null && v.file.sizeUnknown) {
                return true;
            }
            p = v.end;
        }
        return false;
    }

    /**
     * Whether the range reaches memory mapped before the recording, or a mapping of a file the recording never
     * described (declared before it, or opened by an fd it does not show): what it holds, or what kind of file it is
     * (hugetlbfs, shmem, ...), is a guess.
     */
    public static boolean touchesPrior(Mm mm, long from, long to) {
        for (long p = from; p < to; ) {
            VmArea v = mm.vmaLookup(p);
            if (v == null) {
                int next = mm.indexAfter(p);
                if (next >= mm.vmas.size()) {
                    return false;
                }
                p = mm.vmas.get(next).start;
                continue;
            }
            if (v.has(VmFlags.VM_PRIOR) || v.file != null && v.file.undescribed) {
                return true;
            }
            p = v.end;
        }
        return false;
    }

    /**
     * Maps every hole of {@code [from, to)}, marked VM_PRIOR: anonymous private read-write memory, or a shared mapping
     * of {@code file}; not the pages an munmap() of the recording left unmapped, which no result found mapped.
     */
    private void fill(Mm mm, long from, long to, Inode file) {
        for (long p = from; p < to; ) {
            VmArea v = mm.vmaLookup(p);
            if (v != null) {
                p = v.end;
                continue;
            }
            int next = mm.indexAfter(p);
            long holeEnd = next < mm.vmas.size() ? Math.min(to, mm.vmas.get(next).start) : to;
            long gapEnd = mm.firstShownUnmapped(p, holeEnd); // pages the recording unmapped stay unmapped
            if (gapEnd > p) {
                AddressSpace.MmapRequest r = req.reset(p, gapEnd - p, true, true, file != null);
                r.file = file;
                r.pgoff = file == null ? 0 : (p - from) >>> MemMap.PAGE_SHIFT;
                if (addressSpace.mmap(mm, r) < 0) {
                    return; // past TASK_SIZE: no user memory was ever there, so the model's -EFAULT stands
                }
                mm.vmaLookup(p).vmFlags |= VmFlags.VM_PRIOR;
            }
            p = gapEnd < holeEnd ? Math.max(gapEnd + MemMap.PAGE_SIZE, mm.endShownUnmapped(gapEnd, holeEnd)) : holeEnd;
        }
    }

    /** A call touched memory nobody described while strict state was asked for. */
    public static final class UndescribedMemory extends RuntimeException {
        public UndescribedMemory(String message) {
            super(message, null, false, false);
        }
    }
}
