package pinreplay.replay.kernel;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * {@code uname -r}: VERSION.PATCHLEVEL[.SUBLEVEL], then EXTRAVERSION and LOCALVERSION (the top Makefile's
     * KERNELRELEASE) if any: {@code -rc3}, {@code -50-amd64}, Debian's {@code +deb13-amd64}, WSL's {@code .4-microsoft-...}.
     */
    private static final Pattern RELEASE = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,6}))?(?:(?:[-+_~]|\\.\\d).*)?");

    /** Parses {@code 6.1}, {@code 4.14.336} or a whole {@code uname -r} such as {@code 6.12.117+deb13-amd64}. */
    public static KernelRelease parse(String s) {
        Matcher m = RELEASE.matcher(s.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("kernel release must look like X.Y or X.Y.Z, got '" + s + "'");
        }
        return new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
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

    /**
     * The release whose rules apply: X.Y and X.Y.0 stand for the stable series as its newest update ships, since a
     * distribution's build prints its sublevel as 0 ({@code uname -r} of Debian's 6.1.176 is {@code 6.1.0-50-amd64},
     * of Ubuntu's 6.8.12 {@code 6.8.0-49-generic}): a backport pinned to an update (6.1.75) applies to it. Give
     * X.Y.Z for an update before a backport.
     */
    public KernelRelease asShipped() {
        return patch == 0 ? new KernelRelease(major, minor, Integer.MAX_VALUE) : this;
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
