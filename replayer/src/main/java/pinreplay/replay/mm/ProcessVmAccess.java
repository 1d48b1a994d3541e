package pinreplay.replay.mm;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.Foll;
import pinreplay.replay.dev.RawPins;
import pinreplay.replay.gup.GupEntry;

/**
 * mm/process_vm_access.c: process_vm_readv() and process_vm_writev() copy through the target's pages, which they pin
 * (pin_user_pages_remote(), FOLL_WRITE for a write) a batch at a time and unpin after the copy: the faults the pins
 * made stay (a private file mapping's pages mapped from the page cache, or COWed for a write).
 */
public final class ProcessVmAccess {
    /** process_vm_rw_single_vec()'s max_pages_per_loop: PVM_MAX_KMALLOC_PAGES (two pages) of page pointers. */
    static final long PAGES_PER_LOOP = 2 * MemMap.PAGE_SIZE / Long.BYTES;

    private static final GupEntry PIN_REMOTE = GupEntry.of(EventType.PIN_USER_PAGES_REMOTE);

    private final RawPins rawPins;

    public ProcessVmAccess(RawPins rawPins) {
        this.rawPins = rawPins;
    }

    /**
     * process_vm_rw_core() of the one remote range {@code [addr, addr + len)} of {@code mm} (5.10-7.2):
     * process_vm_rw_single_vec() pins up to {@link #PAGES_PER_LOOP} pages at a time and goes on while every page came;
     * a pin that gets none ends it with -EFAULT. Returns the bytes copied, else -EFAULT.
     */
    public long rw(Mm mm, long addr, long len, boolean write) {
        long end = addr + len;
        long total = 0;
        for (long p = addr; p < end; ) {
            long first = p >>> MemMap.PAGE_SHIFT;
            long pages = Math.min(PAGES_PER_LOOP, ((end + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT) - first);
            long got = rawPins.pin(PIN_REMOTE, mm, 0, first << MemMap.PAGE_SHIFT, pages, write ? Foll.WRITE : 0, true);
            if (got <= 0) {
                return total > 0 ? total : -Errno.EFAULT;
            }
            total += Math.min(end, (first + got) << MemMap.PAGE_SHIFT) - p;
            p = (first + got) << MemMap.PAGE_SHIFT;
        }
        return total;
    }
}
