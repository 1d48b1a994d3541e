package pinreplay.format;

/** Linux errno names and numbers (asm-generic/errno-base.h, errno.h; x86-64 values). */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19,
            EINVAL = 22, ENOSPC = 28, ERANGE = 34, ENOSYS = 38, EOPNOTSUPP = 95, EOVERFLOW = 75,
            EREMOTEIO = 121, EHWPOISON = 133, ERESTARTSYS = 512;

    private static final String[] NAMES = new String[513];

    static {
        put(EPERM, "EPERM");
        put(ENOENT, "ENOENT");
        put(EINTR, "EINTR");
        put(EIO, "EIO");
        put(ENXIO, "ENXIO");
        put(E2BIG, "E2BIG");
        put(EBADF, "EBADF");
        put(EAGAIN, "EAGAIN");
        put(ENOMEM, "ENOMEM");
        put(EACCES, "EACCES");
        put(EFAULT, "EFAULT");
        put(EBUSY, "EBUSY");
        put(EEXIST, "EEXIST");
        put(ENODEV, "ENODEV");
        put(EINVAL, "EINVAL");
        put(ENOSPC, "ENOSPC");
        put(ERANGE, "ERANGE");
        put(ENOSYS, "ENOSYS");
        put(EOVERFLOW, "EOVERFLOW");
        put(EOPNOTSUPP, "EOPNOTSUPP");
        put(EREMOTEIO, "EREMOTEIO");
        put(EHWPOISON, "EHWPOISON");
        put(ERESTARTSYS, "ERESTARTSYS");
    }

    private Errno() {
    }

    private static void put(int n, String name) {
        NAMES[n] = name;
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
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i] != null && NAMES[i].contentEquals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Same as {@link #byName(CharSequence)} over ASCII bytes, without allocating. */
    public static int byName(byte[] b, int from, int to) {
        return AsciiNames.indexOf(NAMES, b, from, to);
    }
}
