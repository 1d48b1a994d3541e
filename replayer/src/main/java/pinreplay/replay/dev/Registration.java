package pinreplay.replay.dev;

import pinreplay.replay.cred.UserStruct;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.mm.Mm;

/**
 * Pages held by a user of GUP under a handle: a raw pin, a vfio DMA mapping, an RDMA memory region,
 * io_uring fixed buffers, an O_DIRECT request or a udmabuf's memfd pages. The extents are what it pinned, frame by frame run.
 */
public final class Registration {
    public enum Kind {
        GUP, VFIO, RDMA, IO_URING, DIO, UDMABUF
    }

    public final Kind kind;
    /** The handle symbol, 0 when the call had none. */
    public final int handle;
    /** The handle as printed, or {@code line:N} for an unnamed pin. */
    public final String name;
    public final Mm mm;
    /** The mm of the task whose fd table holds the file it belongs to: {@link #mm} until that task's execve() keeps it. */
    public Mm filesOf;
    public final long line;
    /** FOLL_PIN (released by unpin) rather than FOLL_GET (released by put_page). */
    public final boolean pin;
    public final boolean write;
    public final long vaddr;
    /** IO virtual address of a vfio mapping. */
    public final long iova;
    public final long bytes;
    public final Extents extents;
    /** Pages charged to locked_vm (vfio) or pinned_vm (RDMA, io_uring). */
    public long accounted;
    /** io_uring: the ring's ctx->user, charged {@link #accounted} pages too (null: its creator had CAP_IPC_LOCK). */
    public UserStruct user;
    public boolean released;
    public long releasedLine;
    /** A scan for pinned files found none of its frames in a file (they cannot become file pages while pinned). */
    public boolean noFileFrames;
    /**
     * A raw pin that took the zero page where the kernel did not: inside a vfio map that unpins the zero pages it pins
     * at once (vaddr_get_pfns(), 6.0 and 5.10.146+) the recording showed no such unpin, so the page was the task's
     * own, written in a fault the recording does not trace (only write faults on present pages are).
     */
    public boolean zeroUnconfirmed;
    /** O_DIRECT: a read (the device writes into the buffer). */
    public boolean dioRead;
    /** O_DIRECT: a request not aligned to a logical block, to a file the model does not know (-EINVAL on ext4, xfs). */
    public boolean dioAlignmentUnknown;
    /** An O_DIRECT read of a file whose size the recording does not show: it may stop at i_size. */
    public boolean dioSizeUnknown;
    /** O_DIRECT: the buffer reaches memory mapped before the recording, whose kind is a guess. */
    public boolean dioOnPrior;
    /** O_DIRECT: the file written and the bytes written, to extend i_size and invalidate at completion (null: a read). */
    public Inode dioFile;
    public long dioPos;
    public long dioEnd;
    /** Why blocks it still held were freed (a truncate that did not wait), for the DMA's violation; or null. */
    public String blocksFreedBy;
    /** The next older and newer live registrations made under the same handle (see {@link Registrations}). */
    Registration older;
    Registration newer;

    /** Whether frame {@code pfn} is one of its pages. */
    public boolean holdsFrame(long pfn) {
        Extents x = extents;
        for (int i = 0; i < x.size(); i++) {
            if (pfn >= x.pfn(i) && pfn < x.pfn(i) + x.len(i)) {
                return true;
            }
        }
        return false;
    }

    public Registration(Kind kind, int handle, String name, Mm mm, long line, boolean pin, boolean write, long vaddr,
            long iova, long bytes, Extents extents) {
        this.kind = kind;
        this.handle = handle;
        this.name = name;
        this.mm = mm;
        this.filesOf = mm;
        this.line = line;
        this.pin = pin;
        this.write = write;
        this.vaddr = vaddr;
        this.iova = iova;
        this.bytes = bytes;
        this.extents = extents;
    }
}
