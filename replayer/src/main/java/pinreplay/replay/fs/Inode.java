package pinreplay.replay.fs;

import java.util.ArrayList;
import java.util.List;

import pinreplay.replay.mm.VmArea;

/**
 * A file: its size, page cache (file page to frame), block map (file page to disk block) and the
 * VMAs that map it ({@code i_mmap}, for rmap walks by writeback and truncate).
 */
public final class Inode {
    /** Inode numbers of files known only by an fd, far above any real one. */
    public static final long FD_INO = 1L << 57;

    public final long ino;
    public final FileSystem fs;
    /** Declared DAX ({@code dax=1}); whether it behaves as DAX also depends on the profile. */
    public final boolean daxDeclared;
    public long size;
    public final PageCache pageCache = new PageCache();
    /** A writeback error not yet reported to fsync() (the mapping's errseq), or 0. */
    public long writebackError;
    /** The folio sizes of its page cache as the recording showed the kernel make them. */
    public FolioOrders folioOrders = new FolioOrders();
    public final FileBlocks blocks = new FileBlocks();
    public final List<VmArea> mappings = new ArrayList<>();
    /** A file the trace opened (an fd) without saying what it is: its kind is assumed until a result reveals it. */
    public boolean undescribed;
    /** A file known only by an fd (sized before the recording, or by writes it does not show): it holds what its mappings cover. */
    public boolean sizeUnknown;
    /** The device a {@code file} line declared it with ({@code dev=}), or -1. */
    public long declaredDev = -1;
    /** The file this undescribed one turned out to be, once revealed (later uses of the fd go there). */
    public Inode revealedAs;
    /** include/uapi/linux/fcntl.h: the seals F_ADD_SEALS adds and F_GET_SEALS returns. */
    public static final int F_SEAL_SEAL = 0x1, F_SEAL_SHRINK = 0x2, F_SEAL_GROW = 0x4, F_SEAL_WRITE = 0x8,
            F_SEAL_FUTURE_WRITE = 0x10, F_SEAL_EXEC = 0x20;
    /** A shmem or hugetlbfs file's seals (memfd_file_seals_ptr()), or -1 when the recording did not show them. */
    public int seals = -1;
    /** The seals are {@link #seals} and any an assumption took as none (a memfd whose making the recording did not show). */
    public boolean sealsAssumed;
    /** A hugetlbfs file's hstate (hstate_inode(): its mount's {@code pagesize=}, or the one memfd_create()'s flags chose). */
    public pinreplay.replay.mm.Hstate hstate = pinreplay.replay.mm.Hstate.PMD;
    /** A secretmem file's charge (inode->i_private), where the profile accounts its faults; else null. */
    public pinreplay.replay.mm.SecretmemInodeState secretmem;
    /** A hugetlbfs file's reservation map (inode_resv_map()), made at its first use. */
    private pinreplay.replay.mm.ResvMap resvMap;

    /** inode_resv_map(): the huge page indexes reserved or instantiated. */
    public pinreplay.replay.mm.ResvMap resvMap() {
        if (resvMap == null) {
            resvMap = new pinreplay.replay.mm.ResvMap();
        }
        return resvMap;
    }

    public Inode(long ino, FileSystem fs, boolean daxDeclared, long size) {
        this.ino = ino;
        this.fs = fs;
        this.daxDeclared = daxDeclared;
        this.size = size;
    }

    /** How messages name file {@code ino}: its inode number, or the order in which the recording's fds revealed it. */
    public static String name(long ino) {
        return ino > FD_INO ? "fd-known file #" + (ino - FD_INO) : "inode " + ino;
    }

    public long sizePages() {
        return (size + pinreplay.replay.mm.MemMap.PAGE_SIZE - 1) >>> pinreplay.replay.mm.MemMap.PAGE_SHIFT;
    }

    public boolean isShmem() {
        return fs.type == FsType.TMPFS;
    }

    public boolean isHugetlbfs() {
        return fs.type == FsType.HUGETLBFS;
    }

    public boolean isDevdax() {
        return fs.type == FsType.DEVDAX;
    }

    /** IS_DAX(): declared DAX on a filesystem mounted -o dax, while DAX is in effect: the page is the block. */
    public boolean isFsdax(boolean daxEnabled) {
        return daxDeclared && fs.type.fsdaxCapable() && daxEnabled;
    }

    /** Whether its pages are DAX frames (fsdax or device-dax). */
    public boolean isDaxBacked(boolean daxEnabled) {
        return isDevdax() || isFsdax(daxEnabled);
    }

    public boolean isSecretmem() {
        return fs.type == FsType.SECRETMEM;
    }

    public boolean isDmabuf() {
        return fs.type == FsType.DMABUF;
    }
}
