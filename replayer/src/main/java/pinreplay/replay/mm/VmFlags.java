package pinreplay.replay.mm;

/** {@code vm_flags} bits with their include/linux/mm.h values. */
public final class VmFlags {
    public static final long VM_READ = 0x1;
    public static final long VM_WRITE = 0x2;
    public static final long VM_EXEC = 0x4;
    public static final long VM_SHARED = 0x8;
    public static final long VM_MAYREAD = 0x10;
    public static final long VM_MAYWRITE = 0x20;
    public static final long VM_MAYSHARE = 0x80;
    public static final long VM_PFNMAP = 0x400;
    public static final long VM_LOCKED = 0x2000;
    public static final long VM_IO = 0x4000;
    public static final long VM_SEQ_READ = 0x8000;
    public static final long VM_RAND_READ = 0x10000;
    public static final long VM_DONTCOPY = 0x20000;
    public static final long VM_DONTEXPAND = 0x40000;
    /** mlock2(MLOCK_ONFAULT), mlockall(MCL_ONFAULT): locked, faulted in only as touched (populate_vma_page_range()). */
    public static final long VM_LOCKONFAULT = 0x80000;
    /** include/linux/mm.h VM_LOCKED_MASK: what munlock(), dup_mmap() and mmap_region()'s VM_SPECIAL test clear. */
    public static final long VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;
    /** MAP_NORESERVE of a hugetlb mapping (do_mmap(): "hugetlb applies strict overcommit unless MAP_NORESERVE"). */
    public static final long VM_NORESERVE = 0x200000;
    public static final long VM_HUGETLB = 0x400000;
    public static final long VM_WIPEONFORK = 0x2000000;
    public static final long VM_DONTDUMP = 0x4000000;
    public static final long VM_MIXEDMAP = 0x10000000;
    public static final long VM_HUGEPAGE = 0x20000000;
    public static final long VM_NOHUGEPAGE = 0x40000000;
    public static final long VM_MERGEABLE = 0x80000000L;
    /** MAP_DROPPABLE (6.11+): include/linux/mm.h VM_DROPPABLE, bit 40 on x86-64 (6.12; 7.2's VMA_DROPPABLE). */
    public static final long VM_DROPPABLE = 1L << 40;
    /** mseal() (6.10+): include/linux/mm.h VM_SEALED, bit 63 on 64-bit (6.12; 7.2's VMA_SEALED_BIT). */
    public static final long VM_SEALED = 1L << 63;
    /** Not a kernel flag: mapped before the recording, its kind assumed from a recorded result (pinreplay.replay.PriorMemory). */
    public static final long VM_PRIOR = 1L << 62;

    private VmFlags() {
    }

    /** vma_is_accessible(): PROT_NONE leaves none of these, and change_protection() makes the PTEs protnone. */
    public static boolean isAccessible(long f) {
        return (f & (VM_READ | VM_WRITE | VM_EXEC)) != 0;
    }

    /** is_cow_mapping(): private and may be written. */
    public static boolean isCowMapping(long f) {
        return (f & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
    }
}
