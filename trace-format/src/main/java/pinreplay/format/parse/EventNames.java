package pinreplay.format.parse;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.Foll;

/** The names the parser resolves: event names, FOLL_* flag names and errno names. */
final class EventNames {
    private static final EventType[] TYPES = EventType.values();
    private static final NameIndex EVENTS = new NameIndex(TYPES.length);
    private static final NameIndex FOLL = new NameIndex(64);
    private static final NameIndex ERRNO = new NameIndex(256);

    static {
        for (EventType t : TYPES) {
            byte[] n = Bytes.ascii(t.eventName());
            if (EventType.byName(n, 0, n.length) == t) { // meta records and KRETPROBE are never named in text
                EVENTS.put(t.eventName(), t.ordinal());
            }
        }
        for (int bit = 0; bit < 64; bit++) {
            String name = Foll.names(1L << bit);
            byte[] n = Bytes.ascii(name);
            if (Foll.bit(n, 0, n.length) == 1L << bit) { // only the flags Foll knows by name
                FOLL.put(name, bit);
            }
        }
        for (int e = 1; e < Errno.LIMIT; e++) {
            String name = Errno.name(e);
            if (name != null) {
                ERRNO.put(name, e);
            }
            String alias = Errno.alias(e);
            if (alias != null) {
                ERRNO.put(alias, e);
            }
        }
    }

    private EventNames() {
    }

    /** The native or tracepoint event named {@code b[from, to)}, or null. */
    static EventType event(byte[] b, int from, int to) {
        int i = EVENTS.get(b, from, to);
        return i < 0 ? null : TYPES[i];
    }

    /** The canonical {@link Foll} bit of {@code FOLL_WRITE} etc., or 0. */
    static long foll(byte[] b, int from, int to) {
        int bit = FOLL.get(b, from, to);
        return bit < 0 ? 0 : 1L << bit;
    }

    /** The positive errno named {@code EFAULT} etc., or -1. */
    static int errno(byte[] b, int from, int to) {
        return ERRNO.get(b, from, to);
    }
}
