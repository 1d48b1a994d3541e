package pinreplay.replay.gup;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.Foll;

/** The exported GUP/PUP functions: the flags each adds and what each returns on invalid arguments. */
public enum GupEntry {
    GET_USER_PAGES(Foll.TOUCH, false, false, -Errno.EINVAL),
    GET_USER_PAGES_FAST(0, true, false, -Errno.EINVAL),
    GET_USER_PAGES_REMOTE(Foll.TOUCH | Foll.REMOTE, false, false, -Errno.EINVAL),
    GET_USER_PAGES_LONGTERM(Foll.LONGTERM, false, false, -Errno.EINVAL),
    /** pin_user_pages(): "returns 0" on invalid arguments since v6.3 (mm/gup.c is_valid_gup_args()). */
    PIN_USER_PAGES(Foll.PIN, false, true, 0),
    /** pin_user_pages_fast(): -EINVAL, but 0 from 6.3 to 6.4.9 ({@code Profile.pinFastBadArgsZero}). */
    PIN_USER_PAGES_FAST(Foll.PIN, true, true, -Errno.EINVAL),
    PIN_USER_PAGES_REMOTE(Foll.PIN | Foll.TOUCH | Foll.REMOTE, false, true, 0);

    /** Flags the function adds (the {@code to_set} of is_valid_gup_args()). */
    public final long toSet;
    /** Lockless first, then the slow path with FOLL_UNLOCKABLE. */
    public final boolean fast;
    public final boolean pin;
    /** The result when is_valid_gup_args() refuses the flags. */
    public final long invalidResult;

    GupEntry(long toSet, boolean fast, boolean pin, long invalidResult) {
        this.toSet = toSet;
        this.fast = fast;
        this.pin = pin;
        this.invalidResult = invalidResult;
    }

    /** The entry point a pin-call event names. */
    public static GupEntry of(EventType t) {
        return switch (t) {
            case GET_USER_PAGES -> GET_USER_PAGES;
            case GET_USER_PAGES_FAST -> GET_USER_PAGES_FAST;
            case GET_USER_PAGES_REMOTE -> GET_USER_PAGES_REMOTE;
            case GET_USER_PAGES_LONGTERM -> GET_USER_PAGES_LONGTERM;
            case PIN_USER_PAGES -> PIN_USER_PAGES;
            case PIN_USER_PAGES_FAST -> PIN_USER_PAGES_FAST;
            case PIN_USER_PAGES_REMOTE -> PIN_USER_PAGES_REMOTE;
            default -> throw new IllegalArgumentException(t + " is not a pin call");
        };
    }
}
