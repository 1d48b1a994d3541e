package pinreplay.format.synth;

import java.util.List;

/**
 * The memory behind a buffer, as the {@code gup_longterm} selftest and the seeds vary it: anonymous,
 * shmem (memfd, tmpfs), hugetlb, a regular file on ext4/xfs/btrfs, an fs-DAX file, device-DAX.
 * {@link #map} emits the {@code file} and {@code mmap} lines a process would cause.
 */
final class Backing {
    static final List<String> CHOICES = List.of("anon", "memfd", "tmpfs", "hugetlb", "ext4", "xfs", "btrfs",
            "fsdax", "devdax");

    private Backing() {
    }

    static Mapping map(Synth s, Task t, String backing, boolean shared, long len) {
        if (!backing.equals("anon")) {
            return mapFile(s, t, fsOf(backing), backing.equals("fsdax") ? 1 : 0, shared, len);
        }
        long addr = s.addr(len);
        mmap(s, t, addr, len, s.emit.rw, shared ? s.emit.shared : s.emit.priv, -1, false);
        return new Mapping(addr, len, -1, false, null);
    }

    /** The filesystem of a backing: shmem is tmpfs, fs-DAX is on xfs. */
    static String fsOf(String backing) {
        return switch (backing) {
            case "memfd", "tmpfs" -> "tmpfs";
            case "hugetlb" -> "hugetlbfs";
            case "fsdax" -> "xfs";
            default -> backing;
        };
    }

    /** A file of {@code fs} (dax 0/1) of {@code size} bytes, mapped shared or private. */
    static Mapping mapFile(Synth s, Task t, String fs, int dax, boolean shared, long size) {
        Emitter e = s.emit;
        long ino = s.ino();
        long addr = s.addr(size);
        e.file(t, s.tick(), ino, e.sym(fs), dax, size);
        mmap(s, t, addr, size, e.rw, shared ? e.shared : e.priv, ino, fs.equals("hugetlbfs"));
        return new Mapping(addr, size, ino, dax == 1 || fs.equals("devdax"), pageCache(fs, dax, ino, size));
    }

    /** mmap() under mmap_write_lock(), as the tracepoints show it. */
    private static void mmap(Synth s, Task t, long addr, long len, Word prot, Word flags, long ino, boolean hugetlb) {
        Emitter e = s.emit;
        long now = s.tick();
        e.lock(t, now, true);
        e.mmap(t, now, addr, len, prot, flags, ino, 0, hugetlb, false, false);
        e.unlock(t, now, true);
    }

    /** Regular files on a block filesystem go through the page cache; shmem, hugetlbfs and DAX do not. */
    private static FileState pageCache(String fs, int dax, long ino, long size) {
        boolean blockFs = fs.equals("ext4") || fs.equals("xfs") || fs.equals("btrfs");
        return blockFs && dax == 0 ? new FileState(ino, size) : null;
    }
}
