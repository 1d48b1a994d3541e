package pinreplay.replay.fs;

/** The mounted filesystems, one per type, each with its DAX device when it has one. */
public final class FileSystems {
    private final FileSystem[] mounted = new FileSystem[FsType.values().length];

    /** The filesystem of a type, mounted on first use. */
    public FileSystem get(FsType type) {
        FileSystem f = mounted[type.ordinal()];
        if (f == null) {
            f = new FileSystem(type);
            mounted[type.ordinal()] = f;
        }
        return f;
    }

    /** The filesystem whose DAX device holds frame {@code pfn}, or null. */
    public FileSystem ofDaxFrame(long pfn) {
        for (FileSystem f : mounted) {
            if (f != null && f.hasDaxDevice() && pfn >= f.daxBase() && pfn < f.daxBase() + (1L << 36)) {
                return f;
            }
        }
        return null;
    }
}
