package pinreplay.record;

/**
 * Where a block filesystem's mmap hook finds the mapped file's inode, for the fetchargs {@code i_mode=} and
 * {@code i_flags=} (IS_DAX(): S_DAX, bit 13, in i_flags). Kprobe fetchargs of 5.10 and 6.1 know no C types, so
 * the offsets are per release line, read off that release's own machine code: each hook tests S_DAX with
 * {@code testb $0x20} on i_flags' second byte, the inode loaded from struct file's f_inode (Debian's amd64 builds:
 * ext4_file_mmap(), ext4_file_mmap_prepare(), xfs_file_mmap(), xfs_file_mmap_prepare() read the same offsets). A
 * release not listed gets its hooks without these fetchargs: the recording names the filesystem, not DAX. Another
 * build's config may move fields (6.12's f_inode follows a spinlock): the replay trusts i_flags only beside an
 * i_mode of a regular file, and a fetch from a bad pointer prints {@code (fault)}.
 *
 * @param line       the release line, {@code MAJOR.MINOR}
 * @param fInode     offsetof(struct file, f_inode)
 * @param iFlags     offsetof(struct inode, i_flags); i_mode is at 0 in every listed release
 * @param descFile   offsetof(struct vm_area_desc, file), for f_op->mmap_prepare(desc); -1 before it existed
 */
record InodeFetch(String line, int fInode, int iFlags, int descFile) {
    private static final InodeFetch[] LAYOUTS = {
        // ext4_file_mmap(): mov 0x20(%rbp),%rax; testb $0x20,0xd(%rax)
        new InodeFetch("5.10", 32, 12, -1),
        new InodeFetch("6.1", 32, 12, -1),
        // ext4_file_mmap(): mov 0x28(%rbp),%rax; testb $0x20,0xd(%rax) (struct file repacked in 6.12)
        new InodeFetch("6.12", 40, 12, -1),
        // ext4_file_mmap_prepare(): mov 0x8(%rdi),%rcx; mov 0x20(%rcx),%rax; testb $0x20,0x5(%rax)
        new InodeFetch("7.2", 32, 4, 8),
    };

    /** The layout of {@code release} ({@code uname -r}), or null when none was read off that release's code. */
    static InodeFetch of(String release) {
        for (InodeFetch l : LAYOUTS) {
            if (release.startsWith(l.line) && (release.length() == l.line.length()
                    || !Character.isDigit(release.charAt(l.line.length())))) {
                return l;
            }
        }
        return null;
    }

    /** The fetchargs of a hook whose first argument is {@code struct file *} (f_op->mmap). */
    String ofFile() {
        return args("+" + fInode + "($arg1)");
    }

    /** The fetchargs of a hook whose first argument is {@code struct vm_area_desc *} (f_op->mmap_prepare), or "". */
    String ofDesc() {
        return descFile < 0 ? "" : args("+" + fInode + "(+" + descFile + "($arg1))");
    }

    private String args(String inode) {
        return "i_mode=+0(" + inode + "):x16 i_flags=+" + iFlags + "(" + inode + "):x32";
    }
}
