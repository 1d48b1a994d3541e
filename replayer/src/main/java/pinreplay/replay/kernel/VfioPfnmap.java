package pinreplay.replay.kernel;

/** How vfio's vaddr_get_pfn() translates a VM_PFNMAP range (a device BAR) that GUP refused. */
public enum VfioPfnmap {
    /** Before 5.7: {@code ((vaddr - vm_start) >> PAGE_SHIFT) + vm_pgoff}, no PTE needed. */
    PGOFF,
    /** 5.7: follow_pfn() only; a range not yet faulted in fails with -EFAULT. */
    REJECT,
    /** 5.8+: follow_fault_pfn(); on an unlocked fault -EAGAIN and the VMA is looked up again. */
    FAULT_RETRY,
    /** A deliberately buggy variant: after the lock was dropped it keeps using the old VMA. */
    FAULT_NO_RETRY;
}
