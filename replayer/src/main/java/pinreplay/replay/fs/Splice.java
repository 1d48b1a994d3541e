package pinreplay.replay.fs;

import pinreplay.format.EventType;
import pinreplay.replay.dev.RawPins;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;

/**
 * fs/splice.c: vmsplice() of user memory into a pipe, which takes the pages by reference (GUP without FOLL_WRITE):
 * a read fault maps each page that had no PTE, a private file mapping's from the page cache.
 */
public final class Splice {
    /** PIPE_DEF_BUFFERS (include/linux/pipe_fs_i.h, 5.10-7.2): the buffers of a new pipe. */
    static final long PIPE_DEF_BUFFERS = 16;
    /** iter_to_pipe()'s "struct page *pages[16]": the pages one iov_iter_get_pages2() takes. */
    static final long PAGES_PER_CALL = 16;

    private static final GupEntry GUP_FAST = GupEntry.of(EventType.GET_USER_PAGES_FAST);

    private final RawPins rawPins;

    public Splice(RawPins rawPins) {
        this.rawPins = rawPins;
    }

    /**
     * vmsplice_to_pipe() -> iter_to_pipe() (5.10-7.2) of {@code [addr, addr + len)} into a new, empty pipe:
     * iov_iter_get_pages2() takes up to 16 pages at a time with get_user_pages_fast(), short at the first page GUP
     * cannot reach; add_to_pipe() takes them while the pipe has buffers and puts the rest back (-EAGAIN ends the
     * loop). Returns the bytes the pipe took, else the GUP's error. The pipe's references are dropped at once: the
     * page tables keep what the GUP faulted in.
     */
    public long vmspliceToPipe(Mm mm, long addr, long len) {
        long end = addr + len;
        long buffers = PIPE_DEF_BUFFERS;
        long total = 0;
        for (long p = addr; p < end; ) {
            long first = p >>> MemMap.PAGE_SHIFT;
            long pages = Math.min(PAGES_PER_CALL, ((end + MemMap.PAGE_SIZE - 1) >>> MemMap.PAGE_SHIFT) - first);
            long got = rawPins.pin(GUP_FAST, mm, 0, first << MemMap.PAGE_SHIFT, pages, 0, true);
            if (got <= 0) {
                return total > 0 ? total : got;
            }
            long taken = Math.min(got, buffers);
            buffers -= taken;
            total += Math.min(end, (first + taken) << MemMap.PAGE_SHIFT) - p;
            if (taken < got) {
                return total;
            }
            p = (first + got) << MemMap.PAGE_SHIFT;
        }
        return total;
    }
}
