package pinreplay.replay.mm;

import pinreplay.replay.fs.Inode;

/**
 * A {@code vm_area_struct}: one mapping of an mm. Anonymous private memory has no file; MAP_SHARED
 * anonymous memory is backed by a hidden shmem inode, as in the kernel.
 */
public final class VmArea {
    public final Mm mm;
    public long start;
    public long end;
    public long vmFlags;
    /** The mapped file, or null for anonymous private memory. */
    public final Inode file;
    /** File page of {@link #start}. */
    public long pgoff;
    /** First frame of the device BAR for a VM_PFNMAP mapping (frame of file page 0), else -1. */
    public final long barPfn;
    /** PageFlags.MOVABLE or CMA for memory allocated here ({@code zone=}), else 0. */
    public final long zoneFlags;
    /** A hugetlb VMA's hstate (hstate_vma(): its hugetlbfs file's, or what MAP_HUGETLB's flags chose), else null. */
    public Hstate hstate;
    /**
     * A private hugetlb VMA's reservation map (vm_private_data: the reservations it consumed), shared by the parts a
     * split makes; null for others and for a fork's child (hugetlb_dup_vma_private(), reset_vma_resv_huge_pages()).
     */
    public ResvMap resv;
    /**
     * Made by an mmap() of the recording in an mm whose def_flags it did not know ({@link Mm#defFlagsKnown}), and not
     * locked or unlocked since: VM_LOCKED if an mlockall(MCL_FUTURE) came before the recording.
     */
    public boolean defFlagsUnknown;
    /**
     * {@code [mlockUnknownStart, mlockUnknownEnd)} (end 0: none): the part of the range of an mlock() the recording
     * shows fail with -ENOMEM, from a task whose CAP_IPC_LOCK or RLIMIT_MEMLOCK it does not show, that is VM_LOCKED if
     * do_mlock() got as far as apply_vma_lock_flags() (up to the gap that failed it) rather than refusing at the limit.
     */
    public long mlockUnknownStart, mlockUnknownEnd;
    /** HPAGE_RESV_OWNER: the VMA that reserved its pages (hugetlb_reserve_pages() of a private mapping). */
    public boolean resvOwner;
    /** HPAGE_RESV_UNMAPPED: unmap_ref_private() took a page from it; a fault there is a SIGBUS (hugetlb_no_page()). */
    public boolean resvUnmapped;

    public VmArea(Mm mm, long start, long end, long vmFlags, Inode file, long pgoff, long barPfn, long zoneFlags) {
        this.mm = mm;
        this.start = start;
        this.end = end;
        this.vmFlags = vmFlags;
        this.file = file;
        this.pgoff = pgoff;
        this.barPfn = barPfn;
        this.zoneFlags = zoneFlags;
    }

    /** The same mapping for another mm (fork), or the upper part after a split. */
    public VmArea copy(Mm into, long newStart, long newEnd) {
        VmArea v = new VmArea(into, newStart, newEnd, vmFlags, file, pgoff + ((newStart - start) >>> MemMap.PAGE_SHIFT),
                barPfn, zoneFlags);
        v.hstate = hstate;
        v.resv = resv;
        v.resvOwner = resvOwner;
        v.resvUnmapped = resvUnmapped;
        v.defFlagsUnknown = defFlagsUnknown && into == mm; // dup_mmap() clears VM_LOCKED_MASK in a child
        v.mlockUnknownStart = mlockUnknownStart;
        v.mlockUnknownEnd = into == mm ? mlockUnknownEnd : 0;
        return v;
    }

    public long startVpn() {
        return start >>> MemMap.PAGE_SHIFT;
    }

    public long endVpn() {
        return end >>> MemMap.PAGE_SHIFT;
    }

    /** File page of virtual page {@code vpn}. */
    public long fileIndex(long vpn) {
        return pgoff + (vpn - startVpn());
    }

    public boolean has(long flag) {
        return (vmFlags & flag) != 0;
    }

    /** vma_is_anonymous(). */
    public boolean isAnonymous() {
        return file == null && barPfn < 0;
    }

    public boolean isShared() {
        return has(VmFlags.VM_SHARED);
    }

    public boolean isPfnmap() {
        return has(VmFlags.VM_PFNMAP);
    }

    public boolean isHugetlb() {
        return has(VmFlags.VM_HUGETLB);
    }

    /** pages_per_huge_page(hstate_vma()) of a hugetlb VMA (of an hstate nobody named: the default 2 MiB), else 1. */
    public long hugePages() {
        return !isHugetlb() ? 1 : hstate != null ? hstate.pages() : Hstate.PMD.pages();
    }

    /** hstate_vma() of a hugetlb VMA (of an hstate nobody named: the default 2 MiB). */
    public Hstate hstateVma() {
        return hstate != null ? hstate : Hstate.PMD;
    }

    /** huge_page_order(hstate_vma()) of a hugetlb VMA, else 0. */
    public int hugeOrder() {
        return !isHugetlb() ? 0 : hstate != null ? hstate.order : Hstate.PMD.order;
    }

    /** vma_is_secretmem(). */
    public boolean isSecretmem() {
        return file != null && file.isSecretmem();
    }

    /** vma_is_fsdax(): a DAX file that is not a device-dax character device. */
    public boolean isFsdax(boolean daxEnabled) {
        return file != null && daxEnabled && file.daxDeclared && file.fs.type.fsdaxCapable();
    }

    /** mm/mmap.c vma_needs_dirty_tracking(), v6.5: shared, writable, and the fs tracks dirtying. */
    public boolean needsDirtyTracking() {
        if (!has(VmFlags.VM_SHARED) || !has(VmFlags.VM_WRITE)) {
            return false;
        }
        return !isPfnmap() && file != null && file.fs.type.canWriteback();
    }
}
