package pinreplay.format.parse;

import pinreplay.format.EventType;
import pinreplay.format.Field;

/**
 * Other names a kprobe on a GUP entry point may give its arguments: {@code $argN} positions (printed as
 * {@code argN=}) on the C signatures — {@code (start, nr_pages, gup_flags, ...)}, and for the _remote
 * variants {@code (mm, start, nr_pages, gup_flags, ...)} since 5.9 — and the usual short spellings.
 */
final class ProbeArgs {
    private static final byte[][] START = words("addr", "address", "uaddr", "ubuf", "va");
    private static final byte[][] NR_PAGES = words("nr", "npages", "nr_pages", "count", "pages_nr");
    private static final byte[][] GUP_FLAGS = words("flags", "gup", "foll", "foll_flags");

    private ProbeArgs() {
    }

    /** The {@link Field} ordinal that key {@code b[from, to)} stands for on a probe of pin call {@code t}, or -1. */
    static int alias(EventType t, byte[] b, int from, int to) {
        int n = to - from;
        if (n == 4 && b[from] == 'a' && b[from + 1] == 'r' && b[from + 2] == 'g' && b[from + 3] >= '1' && b[from + 3] <= '9') {
            boolean remote = t == EventType.PIN_USER_PAGES_REMOTE || t == EventType.GET_USER_PAGES_REMOTE;
            int pos = b[from + 3] - '0' - (remote ? 1 : 0);
            return pos == 1 ? Field.START.ordinal() : pos == 2 ? Field.NR_PAGES.ordinal()
                    : pos == 3 ? Field.GUP_FLAGS.ordinal() : -1;
        }
        return any(START, b, from, to) ? Field.START.ordinal() : any(NR_PAGES, b, from, to) ? Field.NR_PAGES.ordinal()
                : any(GUP_FLAGS, b, from, to) ? Field.GUP_FLAGS.ordinal() : -1;
    }

    private static boolean any(byte[][] words, byte[] b, int from, int to) {
        for (byte[] w : words) {
            if (Bytes.equals(b, from, to, w)) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] words(String... s) {
        byte[][] r = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            r[i] = Bytes.ascii(s[i]);
        }
        return r;
    }
}
