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
        Emitter e = s.emit;
        long addr = s.addr(len);
        Word prot = e.rw;
        Word flags = shared ? e.shared : e.priv;
        if (backing.equals("anon")) {
            e.mmap(t, s.tick(), addr, len, prot, flags, -1, 0, false, false, false);
            return new Mapping(addr, len, -1, false);
        }
        long ino = s.ino();
        String fs;
        int dax = 0;
        switch (backing) {
            case "memfd", "tmpfs" -> fs = "tmpfs";
            case "hugetlb" -> fs = "hugetlbfs";
            case "fsdax" -> {
                fs = "xfs";
                dax = 1;
            }
            default -> fs = backing;
        }
        e.file(t, s.tick(), ino, e.sym(fs), dax, len);
        e.mmap(t, s.tick(), addr, len, prot, flags, ino, 0, backing.equals("hugetlb"), false, false);
        return new Mapping(addr, len, ino, dax == 1 || backing.equals("devdax"));
    }

    /** A file of {@code fs} (dax 0/1) of {@code size} bytes, mapped shared or private. */
    static Mapping mapFile(Synth s, Task t, String fs, int dax, boolean shared, long size) {
        Emitter e = s.emit;
        long ino = s.ino();
        long addr = s.addr(size);
        e.file(t, s.tick(), ino, e.sym(fs), dax, size);
        e.mmap(t, s.tick(), addr, size, e.rw, shared ? e.shared : e.priv, ino, 0, fs.equals("hugetlbfs"), false, false);
        return new Mapping(addr, size, ino, dax == 1 || fs.equals("devdax"));
    }
}
