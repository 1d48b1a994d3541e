package pinreplay.replay.fs;

import pinreplay.format.Errno;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;

/**
 * mm/memfd.c: the seals of a shmem or hugetlbfs file. Adding F_SEAL_WRITE is where pins block a change the kernel
 * wants to make: memfd_add_seals() refuses it while a folio of the file holds references beyond the page cache's
 * (memfd_wait_for_pins(): a GUP pin, an io_uring fixed buffer, a udmabuf, an O_DIRECT request in flight).
 */
public final class Memfd {
    private final Profile profile;
    private final MemMap memMap;

    public Memfd(Profile profile, MemMap memMap) {
        this.profile = profile;
        this.memMap = memMap;
    }

    /**
     * memfd_add_seals() of {@code seals} to {@code file}, whose seals are known: 0 or -errno, the seals unchanged (a
     * caller applies the result with {@link #sealed}). The checks in the kernel's order (5.10 to 7.2).
     */
    public long addSeals(Inode file, int seals) {
        // "if (seals & ~(unsigned int)F_ALL_SEALS) return -EINVAL;": F_SEAL_EXEC is one from 6.3
        int all = Inode.F_SEAL_SEAL | Inode.F_SEAL_SHRINK | Inode.F_SEAL_GROW | Inode.F_SEAL_WRITE
                | Inode.F_SEAL_FUTURE_WRITE | (profile.memfdSealExec ? Inode.F_SEAL_EXEC : 0);
        if ((seals & ~all) != 0) {
            return -Errno.EINVAL;
        }
        // memfd_file_seals_ptr(): only shmem and hugetlbfs files have seals
        if (!file.isShmem() && !file.isHugetlbfs()) {
            return -Errno.EINVAL;
        }
        if ((file.seals & Inode.F_SEAL_SEAL) != 0) {
            return -Errno.EPERM;
        }
        if ((implied(file, seals) & Inode.F_SEAL_WRITE) != 0 && (file.seals & Inode.F_SEAL_WRITE) == 0) {
            // mapping_deny_writable(): refused while the file has a shared writable mapping (i_mmap_writable)
            if (sharedWritable(file)) {
                return -Errno.EBUSY;
            }
            // memfd_wait_for_pins(): refused when folios keep references beyond the page cache's after its rescans
            if (pinned(file)) {
                return -Errno.EBUSY;
            }
        }
        return 0;
    }

    /**
     * shmem_setattr(), hugetlbfs_setattr() (5.10-7.2): "(newsize < oldsize && (info->seals & F_SEAL_SHRINK)) ||
     * (newsize > oldsize && (info->seals & F_SEAL_GROW))" is -EPERM. 0 when the seals allow the new size.
     */
    public static long setattr(Inode file, long newSize) {
        int seals = sealsOf(file);
        boolean refused = newSize < file.size && (seals & Inode.F_SEAL_SHRINK) != 0
                || newSize > file.size && (seals & Inode.F_SEAL_GROW) != 0;
        return refused ? -Errno.EPERM : 0;
    }

    /**
     * shmem_fallocate(), hugetlbfs_fallocate() / hugetlbfs_punch_hole() (5.10-7.2): a punch under F_SEAL_WRITE or
     * F_SEAL_FUTURE_WRITE, an allocation past i_size under F_SEAL_GROW, is -EPERM (MADV_REMOVE's vfs_fallocate() too).
     */
    public static long fallocate(Inode file, boolean punch, long end) {
        int seals = sealsOf(file);
        boolean refused = punch ? (seals & (Inode.F_SEAL_WRITE | Inode.F_SEAL_FUTURE_WRITE)) != 0
                : end > file.size && (seals & Inode.F_SEAL_GROW) != 0;
        return refused ? -Errno.EPERM : 0;
    }

    /**
     * A new mapping of a write-sealed memfd: shared and writable is -EPERM (seal_check_write(), memfd_check_seals_mmap(),
     * mapping_map_writable()); shared read-only maps with VM_MAYWRITE cleared, but under F_SEAL_WRITE only once the
     * release tests vma_is_shared_maywrite() (before, mapping_map_writable() refused every MAP_SHARED: -EPERM).
     */
    public long mmap(Inode file, boolean shared, boolean write) {
        int seals = sealsOf(file);
        if (!shared || (seals & (Inode.F_SEAL_WRITE | Inode.F_SEAL_FUTURE_WRITE)) == 0) {
            return 0;
        }
        return write || (seals & Inode.F_SEAL_WRITE) != 0 && !profile.sharedMaywrite ? -Errno.EPERM : 0;
    }

    /**
     * Whether the seal that refuses a new mapping of {@code file} ({@link #mmap}) is tested after mmap_region() unmapped
     * what a MAP_FIXED one replaces: F_SEAL_WRITE by mapping_map_writable() (5.10, 6.1 before 6.1.119), else
     * F_SEAL_FUTURE_WRITE by the file's ->mmap(), shmem_mmap() or hugetlbfs_file_mmap() (5.10, 6.1).
     */
    public boolean refusedAfterUnmap(Inode file, boolean shared, boolean write) {
        if (mmap(file, shared, write) == 0) {
            return false;
        }
        return (sealsOf(file) & Inode.F_SEAL_WRITE) != 0 ? profile.writeSealAfterUnmap : profile.futureWriteSealAfterUnmap;
    }

    /** Whether a write seal forbids new writable mappings (is_write_sealed()): a read-only one loses VM_MAYWRITE. */
    public static boolean writeSealed(Inode file) {
        return (sealsOf(file) & (Inode.F_SEAL_WRITE | Inode.F_SEAL_FUTURE_WRITE)) != 0;
    }

    /**
     * A file that may hold seals the recording did not show: a shmem or hugetlbfs file made before it, or known by a
     * marker only (none known, or those added since an assumption took the earlier ones as none), or one whose kind the
     * recording never said (a memfd, maybe).
     */
    public static boolean sealsUnknown(Inode file) {
        return file.undescribed || (file.seals < 0 || file.sealsAssumed) && (file.isShmem() || file.isHugetlbfs());
    }

    /** The seals of a shmem or hugetlbfs file the recording showed, else none. */
    private static int sealsOf(Inode file) {
        return file != null && (file.isShmem() || file.isHugetlbfs()) && file.seals > 0 ? file.seals : 0;
    }

    /** memfd_add_seals() succeeded: "*file_seals |= seals", with what F_SEAL_EXEC implies. */
    public void sealed(Inode file, int seals) {
        file.seals |= implied(file, seals);
    }

    /**
     * F_SEAL_EXEC on a file still executable implies the write seals (6.3: "SEAL_EXEC implies SEAL_WRITE"); a memfd
     * made with MFD_NOEXEC_SEAL, its exec bits cleared, had F_SEAL_EXEC from its creation.
     */
    private static int implied(Inode file, int seals) {
        return (seals & Inode.F_SEAL_EXEC) != 0 && (file.seals & Inode.F_SEAL_EXEC) == 0
                ? seals | Inode.F_SEAL_SHRINK | Inode.F_SEAL_GROW | Inode.F_SEAL_WRITE | Inode.F_SEAL_FUTURE_WRITE
                : seals;
    }

    /** mapping_map_writable() counted a VMA of the file: shared and may write (vma_is_shared_maywrite()). */
    private static boolean sharedWritable(Inode file) {
        for (VmArea v : file.mappings) {
            if (v.has(VmFlags.VM_SHARED) && v.has(VmFlags.VM_MAYWRITE)) {
                return true;
            }
        }
        return false;
    }

    /** memfd_folio_has_extra_refs(): a cached folio referenced by more than the page cache (mappings aside). */
    private boolean pinned(Inode file) {
        PageCache pc = file.pageCache;
        for (int i = 0; i < pc.size(); i++) {
            if (pc.cached(i) && memMap.busy(pc.pfnAt(i, pc.start(i)), pc.end(i) - pc.start(i), 1)) {
                return true;
            }
        }
        return false;
    }
}
