package pinreplay.format;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * FOLL_* gup flags. Records store symbolic flags in one canonical bit layout (the v6.x values of
 * include/linux/mm_types.h and mm/internal.h). A numeric {@code gup_flags}
 * as a kprobe prints it is stored as the raw number and decoded with the layout of the release
 * being replayed ({@link Layout}), because the bit values changed.
 */
public final class Foll {
    // Public flags, include/linux/mm_types.h (v6.3+ values).
    public static final long WRITE = 1L << 0;
    public static final long GET = 1L << 1;
    public static final long DUMP = 1L << 2;
    public static final long FORCE = 1L << 3;
    public static final long NOWAIT = 1L << 4;
    public static final long NOFAULT = 1L << 5;
    public static final long HWPOISON = 1L << 6;
    public static final long ANON = 1L << 7;
    public static final long LONGTERM = 1L << 8;
    public static final long SPLIT_PMD = 1L << 9;
    public static final long PCI_P2PDMA = 1L << 10;
    public static final long INTERRUPTIBLE = 1L << 11;
    public static final long HONOR_NUMA_FAULT = 1L << 12;
    // Internal flags, mm/internal.h.
    public static final long TOUCH = 1L << 16;
    public static final long TRIED = 1L << 17;
    public static final long REMOTE = 1L << 18;
    public static final long PIN = 1L << 19;
    public static final long FAST_ONLY = 1L << 20;
    public static final long UNLOCKABLE = 1L << 21;
    public static final long MADV_POPULATE = 1L << 22;
    // Removed flags that old traces may name (FOLL_COW until ~v6.0, FOLL_MIGRATION, FOLL_SPLIT, FOLL_MLOCK).
    public static final long COW = 1L << 40;
    public static final long MIGRATION = 1L << 41;
    public static final long SPLIT = 1L << 42;
    public static final long MLOCK = 1L << 43;
    /** Until 5.18 (0x40): fault in without taking the pages (populate_vma_page_range()). */
    public static final long POPULATE = 1L << 44;
    /** Until 6.1 (0x200): force NUMA hinting faults. */
    public static final long NUMA = 1L << 45;

    private static final String[] NAMES = new String[64];

    static {
        String[] n = {"WRITE", "GET", "DUMP", "FORCE", "NOWAIT", "NOFAULT", "HWPOISON", "ANON", "LONGTERM",
            "SPLIT_PMD", "PCI_P2PDMA", "INTERRUPTIBLE", "HONOR_NUMA_FAULT"};
        for (int i = 0; i < n.length; i++) {
            NAMES[i] = "FOLL_" + n[i];
        }
        String[] internal = {"TOUCH", "TRIED", "REMOTE", "PIN", "FAST_ONLY", "UNLOCKABLE", "MADV_POPULATE"};
        for (int i = 0; i < internal.length; i++) {
            NAMES[16 + i] = "FOLL_" + internal[i];
        }
        NAMES[40] = "FOLL_COW";
        NAMES[41] = "FOLL_MIGRATION";
        NAMES[42] = "FOLL_SPLIT";
        NAMES[43] = "FOLL_MLOCK";
        NAMES[44] = "FOLL_POPULATE";
        NAMES[45] = "FOLL_NUMA";
    }

    /** Bit layouts of numeric gup_flags over releases. */
    public enum Layout {
        /**
         * Up to v6.2: one #define list in include/linux/mm.h. Observed on Debian 6.1 (WRITE 0x1, TOUCH 0x2,
         * GET 0x4, FORCE 0x10, TRIED 0x800, REMOTE 0x2000, LONGTERM 0x10000, PIN 0x40000, as
         * its kprobes print them); older values from the v4.x list (COW 0x4000, MLOCK 0x1000). 0x80 was
         * FOLL_SPLIT until ~v5.8 and FOLL_NOFAULT from ~v5.16: decoded as NOFAULT (both are outside GUP-fast's mask
         * before 5.16). FOLL_POPULATE (0x40, until 5.18) and FOLL_NUMA (0x200) keep their own names.
         */
        LEGACY(new long[][] {
            {0x01, WRITE}, {0x02, TOUCH}, {0x04, GET}, {0x08, DUMP}, {0x10, FORCE}, {0x20, NOWAIT},
            {0x40, POPULATE}, {0x80, NOFAULT}, {0x200, NUMA}, {0x100, HWPOISON}, {0x400, MIGRATION}, {0x800, TRIED}, {0x1000, MLOCK},
            {0x2000, REMOTE}, {0x4000, COW}, {0x8000, ANON}, {0x10000, LONGTERM}, {0x20000, SPLIT_PMD},
            {0x40000, PIN}, {0x80000, FAST_ONLY}, {0x100000, PCI_P2PDMA}, {0x200000, INTERRUPTIBLE}}),
        /**
         * v6.3 on: 2c2241081f7d "mm/gup: move private gup FOLL_ flags to internal.h" (Jason Gunthorpe, in
         * mm-stable for the 6.3 merge window, Feb 2023; FOLL_LONGTERM 0x10000 became 0x100) renumbered them:
         * public flags in mm_types.h, internal ones in mm/internal.h.
         */
        MODERN(null);

        private final long[][] map;

        Layout(long[][] map) {
            this.map = map;
        }

        /** Canonical bits for a numeric gup_flags value printed by a kernel using this layout. */
        public long decode(long raw) {
            if (map == null) {
                return raw;
            }
            long out = 0;
            for (long[] m : map) {
                if ((raw & m[0]) != 0) {
                    out |= m[1];
                }
            }
            return out;
        }
    }

    private Foll() {
    }

    /** The canonical bit of a flag name such as {@code FOLL_WRITE} (bytes, no allocation), or 0. */
    public static long bit(byte[] b, int from, int to) {
        int i = AsciiNames.indexOf(NAMES, b, from, to);
        return i < 0 ? 0 : 1L << i;
    }

    /** {@code FOLL_WRITE|FOLL_LONGTERM}, in bit order; {@code 0} for no flags. */
    public static String names(long bits) {
        if (bits == 0) {
            return "0";
        }
        return IntStream.range(0, 64).filter(i -> (bits & (1L << i)) != 0)
                .mapToObj(i -> NAMES[i] != null ? NAMES[i] : "FOLL_BIT" + i).collect(Collectors.joining("|"));
    }
}
