/*
 * io_uring fixed buffers that span two mappings of different backings: 8 pages of one right below 8 pages of
 * another (MAP_FIXED), registered as one 16-page iovec, then as two iovecs of 8 pages. One long-term write pin
 * covers both VMAs: before 6.5 io_uring's own check refuses any file VMA but shmem and hugetlbfs
 * (io_sqe_buffer_register()/io_pin_pages() walking the vmas array: -EOPNOTSUPP); from 6.5 check_vma_flags()
 * decides per VMA (writable_file_mapping_allowed(): -EFAULT for a shared mapping of a file that needs dirty
 * tracking, fs-DAX -EOPNOTSUPP), and a refusal in the second VMA after the first was pinned gives the pins back.
 *   iouring-span [-m] [BACKING...]   (the backings paired, each pair both ways; all of them when none is named)
 */
#include "lab.h"
#include <liburing.h>

#define HALF (8 * PAGE)

static const char *const names[] = { "anon-private", "anon-shared", "memfd-shared", "tmpfs-shared", "ext4-shared",
                                     "ext4-private", "dax-shared" };
#define NNAMES (sizeof names / sizeof names[0])

static const struct backing *find(const char *name)
{
    for (unsigned i = 0; i < LAB_NBACKINGS; i++)
        if (strcmp(lab_backings[i].name, name) == 0)
            return &lab_backings[i];
    lab_die(name);
    return NULL;
}

/* Maps HALF bytes of backing B at ADDR (MAP_FIXED), its file made as lab_buffer() makes it. */
static struct buffer map_at(const struct backing *b, char *addr)
{
    struct buffer buf = { b, { -1, 0, HALF }, NULL, HALF };
    if (b->path != NULL)
        buf.file = strncmp(b->path, "memfd", 5) == 0 ? lab_memfd(b->name, HALF, 0) : lab_file_create(b->path, HALF, 0);
    buf.addr = mmap(addr, HALF, b->prot, b->flags | MAP_FIXED, buf.file.fd, 0);
    if (buf.addr == MAP_FAILED)
        lab_die("mmap (fixed)");
    const char *fl = (b->flags & MAP_SHARED) ? "shared" : "private";
    if (b->path != NULL)
        mark("mmap: addr=%p len=0x%lx prot=rw flags=%s ino=%lu pgoff=0", buf.addr, HALF, fl, buf.file.ino);
    else
        mark("mmap: addr=%p len=0x%lx prot=rw flags=%s", buf.addr, HALF, fl);
    lab_touch(buf.addr, HALF, 's');
    return buf;
}

static void try_register(struct io_uring *ring, const char *handle, struct iovec *iov, unsigned n)
{
    int r = io_uring_register_buffers(ring, iov, n);
    if (n == 1)
        mark("io_uring_register_buffers: handle=%s addr=%p len=0x%zx ret=%d", handle, iov[0].iov_base, iov[0].iov_len, r);
    say("%s register ret=%d", handle, r);
    if (r == 0) {
        r = io_uring_unregister_buffers(ring);
        if (n == 1)
            mark("io_uring_unregister_buffers: handle=%s", handle);
        say("%s unregister ret=%d", handle, r);
    }
}

int main(int argc, char **argv)
{
    argc = lab_init("iouring-span", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    for (unsigned i = 0; i < NNAMES; i++) {
        for (unsigned j = 0; j < NNAMES; j++) {
            const struct backing *lo = find(names[i]), *hi = find(names[j]);
            if (i == j || (argc > 1 && !lab_selected(lo, argc, argv) && !lab_selected(hi, argc, argv)))
                continue;
            /* two halves of file backings cannot share a path: the upper half of a file kind uses the "-ro" file */
            if (lo->path != NULL && hi->path != NULL && strcmp(lo->path, hi->path) == 0)
                continue;
            char *base = lab_mmap(2 * HALF, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
            struct buffer a = map_at(lo, base), b = map_at(hi, base + HALF);
            char handle[96];
            snprintf(handle, sizeof handle, "%s+%s", lo->name, hi->name);
            struct iovec one = { base, 2 * HALF };
            try_register(&ring, handle, &one, 1);
            struct iovec two[2] = { { base, HALF }, { base + HALF, HALF } };
            snprintf(handle, sizeof handle, "%s,%s", lo->name, hi->name);
            try_register(&ring, handle, two, 2);
            lab_buffer_free(&a);
            lab_buffer_free(&b);
        }
    }
    io_uring_queue_exit(&ring);
    return 0;
}
