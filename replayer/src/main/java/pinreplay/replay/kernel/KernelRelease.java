package pinreplay.replay.kernel;

import java.util.Comparator;

/** A kernel release {@code X.Y[.Z]}, ordered by version. */
public record KernelRelease(int major, int minor, int patch) implements Comparable<KernelRelease> {
    /** The oldest release the model describes (the v4.14 mm/gup.c it starts from). */
    public static final KernelRelease OLDEST = new KernelRelease(4, 14, 0);
    /**
     * The newest modelled release; the default profile. Sources were read up to 7.1.5; 7.2 changes nothing
     * the model knows of (mm/gup.c, fs/dax.c, vfio type1, io_uring and ib_umem pinning as in 7.1).
     */
    public static final KernelRelease NEWEST = new KernelRelease(7, 2, 0);
    private static final Comparator<KernelRelease> BY_VERSION = Comparator.comparingInt(KernelRelease::major)
            .thenComparingInt(KernelRelease::minor).thenComparingInt(KernelRelease::patch);

    public static KernelRelease of(int major, int minor) {
        return new KernelRelease(major, minor, 0);
    }

    /** Parses {@code 6.1} or {@code 4.14.336}; a suffix such as {@code -rc2} or {@code -amd64} is ignored. */
    public static KernelRelease parse(String s) {
        String core = s.strip();
        int dash = core.indexOf('-');
        if (dash >= 0) {
            core = core.substring(0, dash);
        }
        String[] p = core.split("\\.");
        if (p.length < 2 || p.length > 3) {
            throw new IllegalArgumentException("kernel release must look like X.Y or X.Y.Z, got '" + s + "'");
        }
        try {
            int major = Integer.parseInt(p[0]);
            int minor = Integer.parseInt(p[1]);
            int patch = p.length == 3 ? Integer.parseInt(p[2]) : 0;
            if (major < 0 || minor < 0 || patch < 0) {
                throw new NumberFormatException();
            }
            return new KernelRelease(major, minor, patch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel release must look like X.Y or X.Y.Z, got '" + s + "'", e);
        }
    }

    /**
     * Parses a release and refuses one outside {@link #OLDEST} .. {@link #NEWEST} (any patch release of a modelled
     * X.Y is modelled): its rules would be guesses.
     */
    public static KernelRelease parseModelled(String s) {
        KernelRelease r = parse(s);
        KernelRelease xy = of(r.major, r.minor);
        if (xy.compareTo(OLDEST) < 0 || xy.compareTo(NEWEST) > 0) {
            throw new IllegalArgumentException("kernel " + s.strip() + " is not modelled: expected a release from "
                    + OLDEST + " to " + NEWEST + " ('pinreplay profiles' lists the rules)");
        }
        return r;
    }

    public boolean atLeast(KernelRelease other) {
        return compareTo(other) >= 0;
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    @Override
    public int compareTo(KernelRelease o) {
        return BY_VERSION.compare(this, o);
    }

    @Override
    public String toString() {
        return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
    }
}
