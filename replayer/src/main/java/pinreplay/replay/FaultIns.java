package pinreplay.replay;

import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.range.LongObjectMap;

/**
 * fixup_user_fault() as a recording shows it: a kprobe with the address and fault_flags, a kretprobe with 0 or -errno.
 * It runs handle_mm_fault() on one page of the task's mm as the CPU's fault would (mm/gup.c, 5.10-7.2):
 * fault_in_safe_writeable() calls it page by page for btrfs's O_DIRECT reads between their FOLL_NOFAULT attempts
 * (fault_in_iov_iter_writeable(), 5.16+), futexes for their word. A fault that returned 0 is made in the model; vfio's
 * PFNMAP path (follow_fault_pfn()) is its model's own.
 */
final class FaultIns {
    /** FAULT_FLAG_WRITE (include/linux/mm_types.h). */
    private static final long FAULT_FLAG_WRITE = 0x1;
    private static final int ADDRESS = 0, FLAGS = 1, INSIDE = 2;
    /** Per pid: the call's address and fault_flags, 1 until its return. */
    private final LongObjectMap<long[]> calls = new LongObjectMap<>();
    private final Kernel k;

    FaultIns(Kernel k) {
        this.k = k;
    }

    /** The kprobe: task {@code v.pid()} entered fixup_user_fault(); a btrfs read faulting in ends its first attempt. */
    void enter(EventView v) {
        long[] c = calls.computeIfAbsent(v.pid(), p -> new long[3]);
        c[ADDRESS] = v.get(Field.ADDRESS, 0);
        c[FLAGS] = v.get(Field.FLAGS, 0);
        c[INSIDE] = 1;
        k.directIo.faultingIn(k.tasks.mmOf(v.pid()));
    }

    /** Whether a kretprobe is fixup_user_fault()'s. */
    static boolean isReturn(EventView v) {
        return v.symbols().is(v.symbol(Field.FUNC), "fixup_user_fault");
    }

    /** The kretprobe: a 0 is handle_mm_fault() done on the page (a write fault with FAULT_FLAG_WRITE). */
    void exit(EventView v) {
        long[] c = calls.get(v.pid());
        if (c == null || c[INSIDE] == 0) {
            return;
        }
        c[INSIDE] = 0;
        if (v.get(Field.RET, -1) != 0) {
            return;
        }
        Mm mm = k.tasks.mmOf(v.pid());
        VmArea vma = mm.vmaLookup(c[ADDRESS]);
        if (vma != null && !vma.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP)) {
            k.addressSpace.touch(mm, c[ADDRESS] & -MemMap.PAGE_SIZE, MemMap.PAGE_SIZE, (c[FLAGS] & FAULT_FLAG_WRITE) != 0);
        }
    }
}
