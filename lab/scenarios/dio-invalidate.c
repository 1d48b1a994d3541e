/*
 * An O_DIRECT write invalidates the page cache over its range before and after the write
 * (kiocb_invalidate_pages(), kiocb_invalidate_post_direct_write(): invalidate_inode_pages2_range()): the user
 * PTEs of those folios are zapped and the clean folios leave the file, whole (a large folio takes its pages
 * outside the range with it). Seen through btrfs's O_DIRECT write, whose first GUP of its buffer runs with page
 * faults disabled (FOLL_NOFAULT, 5.16+): from a shared mapping of the file written, that attempt fails on a
 * page the invalidation unmapped (the recording's probe shows -EFAULT; btrfs faults the page in and retries) and
 * succeeds on one still mapped.
 *   dio-invalidate [-m] [FS...]   (FS: ext4 xfs; both by default)
 */
#include "lab.h"

#define LEN (16 * PAGE)

static const struct { const char *name, *dir; } fss[] = { { "ext4", DIR_EXT4 }, { "xfs", DIR_XFS } };

static void dio_write(const char *handle, const struct lab_file *f, char *buf, size_t len, off_t off)
{
    struct stat st;
    if (fstat(f->fd, &st) < 0)
        lab_die("fstat");
    mark("dio_submit: handle=%s ino=%lu dev=%u:%u offset=%ld len=0x%zx buf=%p rw=write", handle, f->ino,
         major(st.st_dev), minor(st.st_dev), (long)off, len, buf);
    long r = kret(pwrite(f->fd, buf, len, off));
    mark("dio_complete: handle=%s ret=%ld", handle, r);
    say("%s pwrite ret=%ld", handle, r);
}

/* The CPU reads LEN bytes at P: read faults map the file's folios without dirtying them. */
static void read_touch(const char *p, size_t len)
{
    unsigned sum = 0;
    for (size_t i = 0; i < len; i += PAGE)
        sum += (unsigned char)((volatile const char *)p)[i];
    mark("fault: addr=%p len=0x%zx write=0", p, len);
    say("read %zu pages, sum %u", len / PAGE, sum);
}

int main(int argc, char **argv)
{
    argc = lab_init("dio-invalidate", argc, argv);
    char *buf = lab_mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(buf, 4 * PAGE, 'w');
    struct lab_file a = lab_file_create(DIR_BTRFS "/dioinv-a", LEN, O_DIRECT);
    for (unsigned i = 0; i < sizeof fss / sizeof fss[0]; i++) {
        if (!lab_wanted(fss[i].name, argc, argv))
            continue;
        const char *fs = fss[i].name;
        char path[64], h[64];
        snprintf(path, sizeof path, "%s/dioinv", fss[i].dir);
        struct lab_file b = lab_file_create(path, LEN, O_DIRECT);
        char *map = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_SHARED, &b, 0);
        read_touch(map, LEN);
        snprintf(h, sizeof h, "%s-before", fs);
        dio_write(h, &a, map, 4 * PAGE, 0);            /* pages 0-3 mapped: the first attempt gets them */
        snprintf(h, sizeof h, "%s-invalidate", fs);
        dio_write(h, &b, buf, 4 * PAGE, 0);            /* invalidates the folios of pages 0-3 */
        say("%s page 0 now holds '%c' (was 'a')", fs, map[0]);
        mark("fault: addr=%p len=0x%zx write=0", map, PAGE);
        snprintf(h, sizeof h, "%s-zapped", fs);
        dio_write(h, &a, map + PAGE, 3 * PAGE, 0);     /* pages 1-3 unmapped: the first attempt fails */
        snprintf(h, sizeof h, "%s-beside", fs);
        dio_write(h, &a, map + 4 * PAGE, 4 * PAGE, 0); /* pages 4-7: unmapped only in a folio with pages 0-3 */
        snprintf(h, sizeof h, "%s-far", fs);
        dio_write(h, &a, map + 12 * PAGE, 4 * PAGE, 0);
        snprintf(h, sizeof h, "%s-refaulted", fs);
        dio_write(h, &a, map + PAGE, 3 * PAGE, 0);     /* btrfs's retry faulted pages 1-3 back in */
        lab_munmap(map, LEN);
        close(b.fd);
        unlink(path);
    }
    close(a.fd);
    unlink(DIR_BTRFS "/dioinv-a");
    lab_munmap(buf, 4 * PAGE);
    return 0;
}
