/*
 * O_DIRECT as each filesystem does it: pread and pwrite of a file opened with O_DIRECT on ext4, xfs,
 * btrfs, tmpfs and fs-DAX (ext4 and xfs), into an anonymous buffer, aligned and not, whole and with a
 * page of the buffer unmapped, short at the end of the file, and into a shared mapping of the file itself.
 * iomap_dio_rw() refuses a position, length or buffer not aligned to the logical block size (ext4, xfs:
 * -EINVAL before any GUP); btrfs falls back to buffered I/O for those (check_direct_IO()); fs-DAX copies
 * with the CPU (dax_iomap_rw(): no GUP, no alignment); tmpfs takes O_DIRECT only from 6.6 on. Then the holed
 * buffer at an unaligned position (btrfs's buffered path faults the buffer in before it copies), and a
 * memfd_secret() buffer (5.14+), which no GUP gets but the CPU copies from: btrfs writes checksummed data
 * through the page cache from 6.14 on (968f19c5b1b7, also in 6.12.y).
 *   fs-dio [-m] [FS...]        (FS: ext4 xfs btrfs tmpfs dax xdax; all by default)
 */
#include "lab.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif
#define LEN (16 * PAGE)

static const struct { const char *name, *dir; } fss[] = {
    { "ext4", DIR_EXT4 }, { "xfs", DIR_XFS }, { "btrfs", DIR_BTRFS },
    { "tmpfs", DIR_TMP }, { "dax", DIR_DAX }, { "xdax", DIR_XDAX },
};

static void dio(const char *fs, const char *what, int write, const struct lab_file *f, char *buf, size_t len, off_t off)
{
    const char *rw = write ? "write" : "read";
    struct stat st;
    if (fstat(f->fd, &st) < 0)
        lab_die("fstat");
    /* dev=: the ext4 and ext4 -o dax files (xfs and xfs -o dax) have the same inode numbers */
    mark("dio_submit: handle=%s-%s-%s ino=%lu dev=%u:%u offset=%ld len=0x%zx buf=%p rw=%s", fs, what, rw, f->ino,
         major(st.st_dev), minor(st.st_dev), (long)off, len, buf, rw);
    long r = kret(write ? pwrite(f->fd, buf, len, off) : pread(f->fd, buf, len, off));
    mark("dio_complete: handle=%s-%s-%s ret=%ld", fs, what, rw, r);
    say("%s %s p%s ret=%ld", fs, what, rw, r);
}

int main(int argc, char **argv)
{
    argc = lab_init("fs-dio", argc, argv);
    char *buf = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(buf, LEN, 'b');
    struct lab_file sec = { (int)syscall(SYS_memfd_secret, 0), 0, 4 * PAGE };
    char *secret = NULL;
    if (sec.fd >= 0 && ftruncate(sec.fd, 4 * PAGE) == 0) {
        lab_file_marker(&sec, "secretmem", 0);
        secret = lab_mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, &sec, 0);
        lab_touch(secret, 4 * PAGE, 'S');
    }
    say("memfd_secret ret=%ld", sec.fd < 0 ? -(long)errno : 0L);
    for (unsigned i = 0; i < sizeof fss / sizeof fss[0]; i++) {
        if (!lab_wanted(fss[i].name, argc, argv))
            continue;
        const char *fs = fss[i].name;
        char path[64];
        snprintf(path, sizeof path, "%s/fsdio", fss[i].dir);
        struct lab_file f = lab_file_create(path, LEN, 0);
        int fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
        say("%s open O_DIRECT ret=%ld", fs, kret(fd));
        if (fd < 0) {
            close(f.fd);
            unlink(path);
            continue;
        }
        close(f.fd);
        f.fd = fd;
        /* four pages, the third unmapped */
        char *holed = lab_mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
        lab_touch(holed, 4 * PAGE, 'h');
        lab_munmap(holed + 2 * PAGE, PAGE);
        char *self = lab_mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, &f, 8 * PAGE);
        lab_touch(self, 4 * PAGE, 's');
        for (int write = 0; write <= 1; write++) {
            dio(fs, "aligned", write, &f, buf, 8 * PAGE, 0);
            dio(fs, "buf512", write, &f, buf + 512, 4 * PAGE, 0);
            dio(fs, "buf1", write, &f, buf + 1, 4 * PAGE, 0);
            dio(fs, "off512", write, &f, buf, 4 * PAGE, 512);
            dio(fs, "off1", write, &f, buf, 4 * PAGE, 1);
            dio(fs, "len100", write, &f, buf, 100, 0);
            dio(fs, "holed", write, &f, holed, 4 * PAGE, 0);
            dio(fs, "hole-first", write, &f, holed + 2 * PAGE, 2 * PAGE, 0);
            dio(fs, "self", write, &f, self, 4 * PAGE, 0);
            dio(fs, "eof", write, &f, buf, 4 * PAGE, (off_t)(LEN - 2 * PAGE));
            dio(fs, "holed-off1", write, &f, holed, 4 * PAGE, 1);
            if (secret) {
                dio(fs, "secret", write, &f, secret, 4 * PAGE, 0);
                dio(fs, "secret-off1", write, &f, secret, 4 * PAGE, 1);
            }
        }
        lab_munmap(self, 4 * PAGE);
        lab_munmap(holed, 2 * PAGE);
        lab_munmap(holed + 3 * PAGE, PAGE);
        close(f.fd);
        unlink(path);
    }
    if (secret) {
        lab_munmap(secret, 4 * PAGE);
        close(sec.fd);
    }
    lab_munmap(buf, LEN);
    return 0;
}
