package pinreplay.format;

import java.util.stream.IntStream;

/** Linux errno names and numbers (asm-generic/errno-base.h, errno.h; x86-64 values). */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19,
            EINVAL = 22, ENOSPC = 28, ERANGE = 34, ENOSYS = 38, EOPNOTSUPP = 95, EOVERFLOW = 75,
            EBADFD = 77, EUCLEAN = 117, EREMOTEIO = 121, EHWPOISON = 133, ERESTARTSYS = 512;

    private static final String[] NAMES = new String[513];

    static {
        NAMES[EPERM] = "EPERM";
        NAMES[ENOENT] = "ENOENT";
        NAMES[EINTR] = "EINTR";
        NAMES[EIO] = "EIO";
        NAMES[ENXIO] = "ENXIO";
        NAMES[E2BIG] = "E2BIG";
        NAMES[EBADF] = "EBADF";
        NAMES[EAGAIN] = "EAGAIN";
        NAMES[ENOMEM] = "ENOMEM";
        NAMES[EACCES] = "EACCES";
        NAMES[EFAULT] = "EFAULT";
        NAMES[EBUSY] = "EBUSY";
        NAMES[EEXIST] = "EEXIST";
        NAMES[ENODEV] = "ENODEV";
        NAMES[EINVAL] = "EINVAL";
        NAMES[EBADFD] = "EBADFD";
        NAMES[EUCLEAN] = "EUCLEAN";
        NAMES[ENOSPC] = "ENOSPC";
        NAMES[ERANGE] = "ERANGE";
        NAMES[ENOSYS] = "ENOSYS";
        NAMES[EOVERFLOW] = "EOVERFLOW";
        NAMES[EOPNOTSUPP] = "EOPNOTSUPP";
        NAMES[EREMOTEIO] = "EREMOTEIO";
        NAMES[EHWPOISON] = "EHWPOISON";
        NAMES[ERESTARTSYS] = "ERESTARTSYS";
    }

    private Errno() {
    }

    /** The name without sign ({@code EFAULT}) of a positive errno, or null when unknown. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
    }

    /** {@code "-EFAULT"} for -14, the plain number for values without a name. */
    public static String describe(long result) {
        if (result < 0 && result > -NAMES.length) {
            String n = NAMES[(int) -result];
            if (n != null) {
                return "-" + n;
            }
        }
        return Long.toString(result);
    }

    /** The positive errno for a name such as {@code EFAULT}, or -1 when unknown. */
    public static int byName(CharSequence name) {
        return IntStream.range(0, NAMES.length).filter(i -> NAMES[i] != null && NAMES[i].contentEquals(name))
                .findFirst().orElse(-1);
    }

    /** Same as {@link #byName(CharSequence)} over ASCII bytes, without allocating. */
    public static int byName(byte[] b, int from, int to) {
        return AsciiNames.indexOf(NAMES, b, from, to);
    }
}
