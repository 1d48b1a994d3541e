package pinreplay.format;

import java.util.stream.IntStream;

/** Linux errno names and numbers (asm-generic/errno-base.h, errno.h; x86-64 values). */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, EBADF = 9,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19,
            EINVAL = 22, EFBIG = 27, ENOSPC = 28, ERANGE = 34, ENOSYS = 38, EOPNOTSUPP = 95, EOVERFLOW = 75,
            EBADFD = 77, EUCLEAN = 117, EREMOTEIO = 121, EHWPOISON = 133, ERESTARTSYS = 512;

    /** Errnos are below this (the kernel-internal ones end at ENOGRACE, 531). */
    public static final int LIMIT = 532;
    /** Every name of asm-generic/errno-base.h and errno.h (x86-64), and the kernel-internal ones of linux/errno.h. */
    private static final String[] NAMES = new String[LIMIT];
    /** The aliases user space also spells: EWOULDBLOCK (EAGAIN), EDEADLOCK (EDEADLK), ENOTSUP (EOPNOTSUPP). */
    private static final String[] ALIASES = new String[NAMES.length];

    static {
        String[] base = {null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
            "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV",
            "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE",
            "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY",
            "ELOOP", null, "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG", "EUNATCH",
            "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL", "ENOANO", "EBADRQC", "EBADSLT", null, "EBFONT",
            "ENOSTR", "ENODATA", "ETIME", "ENOSR", "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT",
            "ECOMM", "EPROTO", "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD", "EREMCHG",
            "ELIBACC", "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS",
            "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT",
            "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL",
            "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED", "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN",
            "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "EALREADY",
            "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO", "EDQUOT", "ENOMEDIUM",
            "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED", "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD",
            "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON"};
        System.arraycopy(base, 0, NAMES, 0, base.length);
        String[] internal = {"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
            "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM", null, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP",
            "ETOOSMALL", "ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED", "ERECALLCONFLICT", "ENOGRACE"};
        System.arraycopy(internal, 0, NAMES, ERESTARTSYS, internal.length);
        ALIASES[EAGAIN] = "EWOULDBLOCK";
        ALIASES[35] = "EDEADLOCK";
        ALIASES[EOPNOTSUPP] = "ENOTSUP";
    }

    private Errno() {
    }

    /** The name without sign ({@code EFAULT}) of a positive errno, or null when unknown. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
    }

    /** The alias user space also spells for errno {@code errno} ({@code EWOULDBLOCK} for EAGAIN), or null. */
    public static String alias(int errno) {
        return errno > 0 && errno < ALIASES.length ? ALIASES[errno] : null;
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

    /** The positive errno for a name such as {@code EFAULT} or an alias ({@code EWOULDBLOCK}), or -1 when unknown. */
    public static int byName(CharSequence name) {
        return IntStream.range(0, NAMES.length).filter(i -> NAMES[i] != null && NAMES[i].contentEquals(name)
                || ALIASES[i] != null && ALIASES[i].contentEquals(name)).findFirst().orElse(-1);
    }

    /** Same as {@link #byName(CharSequence)} over ASCII bytes, without allocating. */
    public static int byName(byte[] b, int from, int to) {
        int i = AsciiNames.indexOf(NAMES, b, from, to);
        return i >= 0 ? i : AsciiNames.indexOf(ALIASES, b, from, to);
    }
}
