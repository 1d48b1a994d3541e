package pinreplay.replay.fs;

import pinreplay.format.Errno;
import pinreplay.replay.kernel.Profile;

/**
 * fallocate()'s mode (include/uapi/linux/falloc.h) and what vfs_fallocate() (fs/open.c) and each filesystem's
 * {@code ->fallocate} refuse before anything changes: a refused call changes nothing.
 */
public final class Falloc {
    private Falloc() {
    }

    /** include/uapi/linux/falloc.h (5.10, 6.1, 6.12, 7.2; FALLOC_FL_WRITE_ZEROES from 6.17). */
    public static final int KEEP_SIZE = 0x01, PUNCH_HOLE = 0x02, NO_HIDE_STALE = 0x04, COLLAPSE_RANGE = 0x08,
            ZERO_RANGE = 0x10, INSERT_RANGE = 0x20, UNSHARE_RANGE = 0x40, WRITE_ZEROES = 0x80;
    /** The mode bits proper (include/linux/falloc.h FALLOC_FL_MODE_MASK, 7.2's), FALLOC_FL_ALLOCATE_RANGE being 0. */
    public static final int MODE_MASK = PUNCH_HOLE | COLLAPSE_RANGE | ZERO_RANGE | INSERT_RANGE | UNSHARE_RANGE
            | WRITE_ZEROES;
    /** include/linux/falloc.h FALLOC_FL_SUPPORTED_MASK (5.10, 6.1). */
    private static final int SUPPORTED_MASK = KEEP_SIZE | PUNCH_HOLE | COLLAPSE_RANGE | ZERO_RANGE | INSERT_RANGE
            | UNSHARE_RANGE;
    /** {@link #check}'s answer when the block device decides (ext4's FALLOC_FL_WRITE_ZEROES). */
    public static final long DEVICE_DECIDES = Long.MIN_VALUE;

    /**
     * vfs_fallocate()'s checks, in its order, then the filesystem's mode mask: 0 when the call reaches the filesystem's
     * own work, -errno, or {@link #DEVICE_DECIDES}. What the model does not know (FMODE_WRITE, IS_APPEND,
     * IS_IMMUTABLE, IS_SWAPFILE, the LSM, s_maxbytes, an encrypted ext4 inode, an indirect-mapped one) passes.
     */
    public static long check(Profile profile, Inode inode, int mode, long offset, long len) {
        if (offset < 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        long r = profile.fallocateExclusiveModes ? modes(profile, mode) : flags(mode);
        if (r != 0) {
            return r;
        }
        // "if (!S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode)) return -ENODEV;": a device-dax character device
        if (inode.isDevdax()) {
            return -Errno.ENODEV;
        }
        // "Check for wrap through zero too" (5.10, 6.1), check_add_overflow() (6.12, 7.2)
        if (offset + len < 0) {
            return -Errno.EFBIG;
        }
        return filesystem(profile, inode.fs.type, mode);
    }

    /** vfs_fallocate() of 5.10 and 6.1: FALLOC_FL_SUPPORTED_MASK, then a test per flag. */
    private static long flags(int mode) {
        if ((mode & ~SUPPORTED_MASK) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        // "Punch hole and zero range are mutually exclusive", "Punch hole must have keep size set"
        if ((mode & (PUNCH_HOLE | ZERO_RANGE)) == (PUNCH_HOLE | ZERO_RANGE)
                || (mode & PUNCH_HOLE) != 0 && (mode & KEEP_SIZE) == 0) {
            return -Errno.EOPNOTSUPP;
        }
        // "Collapse range should only be used exclusively", insert range too; "Unshare range should only be used
        // with allocate mode"
        if ((mode & COLLAPSE_RANGE) != 0 && (mode & ~COLLAPSE_RANGE) != 0
                || (mode & INSERT_RANGE) != 0 && (mode & ~INSERT_RANGE) != 0
                || (mode & UNSHARE_RANGE) != 0 && (mode & ~(UNSHARE_RANGE | KEEP_SIZE)) != 0) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * vfs_fallocate() from 6.12: "Modes are exclusive": one of FALLOC_FL_MODE_MASK's (FALLOC_FL_WRITE_ZEROES among
     * them from 6.17), with FALLOC_FL_KEEP_SIZE where the mode allows it; every other mode is -EOPNOTSUPP.
     */
    private static long modes(Profile profile, int mode) {
        int modeMask = profile.fallocWriteZeroes ? MODE_MASK : MODE_MASK & ~WRITE_ZEROES;
        if ((mode & ~(modeMask | KEEP_SIZE)) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        return switch (mode & modeMask) {
            case 0, UNSHARE_RANGE, ZERO_RANGE -> 0;
            case PUNCH_HOLE -> (mode & KEEP_SIZE) == 0 ? -Errno.EOPNOTSUPP : 0;
            case COLLAPSE_RANGE, INSERT_RANGE, WRITE_ZEROES -> (mode & KEEP_SIZE) != 0 ? -Errno.EOPNOTSUPP : 0;
            default -> -Errno.EOPNOTSUPP;
        };
    }

    /**
     * The filesystem's first test, "if (mode & ~(...)) return -EOPNOTSUPP;" (5.10 to 7.2): shmem_fallocate() and
     * hugetlbfs_fallocate() take KEEP_SIZE and PUNCH_HOLE only; btrfs_fallocate() adds ZERO_RANGE;
     * ext4_fallocate() takes every mode but UNSHARE_RANGE, FALLOC_FL_WRITE_ZEROES (7.2) only when
     * bdev_write_zeroes_unmap_sectors() says the device unmaps; xfs_file_fallocate() every mode but WRITE_ZEROES.
     * secretmem's file_operations have no fallocate (vfs_fallocate()'s "if (!file->f_op->fallocate)"). A filesystem
     * the recording does not name takes what vfs_fallocate() let through.
     */
    private static long filesystem(Profile profile, FsType fs, int mode) {
        if (fs == FsType.SECRETMEM) {
            return -Errno.EOPNOTSUPP;
        }
        int supported = switch (fs) {
            case TMPFS, HUGETLBFS -> KEEP_SIZE | PUNCH_HOLE;
            case BTRFS -> KEEP_SIZE | PUNCH_HOLE | ZERO_RANGE;
            case EXT4 -> KEEP_SIZE | PUNCH_HOLE | COLLAPSE_RANGE | ZERO_RANGE | INSERT_RANGE
                    | (profile.fallocWriteZeroes ? WRITE_ZEROES : 0);
            case XFS -> SUPPORTED_MASK;
            default -> ~0;
        };
        if ((mode & ~supported) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        return fs == FsType.EXT4 && (mode & WRITE_ZEROES) != 0 ? DEVICE_DECIDES : 0;
    }

    /** Whether {@code mode} (one vfs_fallocate() let through) allocates: mode 0, KEEP_SIZE, UNSHARE_RANGE. */
    public static boolean allocates(int mode) {
        return (mode & MODE_MASK & ~UNSHARE_RANGE) == 0;
    }

    private static final String[] NAMES = {"allocate", "keep_size", "punch_hole", "collapse_range", "zero_range",
        "insert_range", "unshare_range", "write_zeroes", "no_hide_stale"};
    private static final int[] BITS = {0, KEEP_SIZE, PUNCH_HOLE | KEEP_SIZE, COLLAPSE_RANGE, ZERO_RANGE, INSERT_RANGE,
        UNSHARE_RANGE, WRITE_ZEROES, NO_HIDE_STALE};

    /**
     * A native event's {@code mode=}: names joined by {@code |} ({@code zero_range|keep_size}; {@code punch_hole} is
     * FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE, the only punch vfs_fallocate() takes, {@code allocate} is 0), or the
     * number fallocate() takes ({@code 0x11}, {@code 17}); -1 for anything else.
     */
    public static int parse(String word) {
        if (!word.isEmpty() && Character.isDigit(word.charAt(0))) {
            boolean hex = word.startsWith("0x") || word.startsWith("0X");
            try {
                long v = Long.parseLong(word, hex ? 2 : 0, word.length(), hex ? 16 : 10);
                return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        int mode = 0;
        for (int from = 0; from <= word.length(); ) {
            int bar = word.indexOf('|', from);
            int to = bar < 0 ? word.length() : bar;
            int bits = -1;
            for (int n = 0; n < NAMES.length && bits < 0; n++) {
                if (to - from == NAMES[n].length() && word.regionMatches(from, NAMES[n], 0, to - from)) {
                    bits = BITS[n];
                }
            }
            if (bits < 0) {
                return -1;
            }
            mode |= bits;
            from = to + 1;
        }
        return mode;
    }
}
