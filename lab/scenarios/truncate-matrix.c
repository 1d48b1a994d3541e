/*
 * A file's pages truncated or punched out while a mapping of them is pinned (an io_uring fixed buffer) and
 * then reached again: every file backing but fs-DAX (whose long-term pins are refused; dax-truncate-dio has
 * its short-term ones), shared and private, 16 pages written by the CPU, registered, then:
 *   ftruncate to 4 pages: truncate_pagecache() -> unmap_mapping_range(even_cows=1) zaps the task's PTEs past
 *     the new end, private COW copies too; the pinned pages leave the page cache and stay with the ring;
 *     process_vm_readv/writev of the whole range on the program's own pid, vmsplice and MADV_POPULATE_WRITE
 *     stop at the end (filemap_fault()/shmem_fault()/hugetlb_fault(): SIGBUS past i_size);
 *   ftruncate back to 16 pages: the same calls fault in new, zeroed pages;
 *   fallocate(PUNCH_HOLE) of pages 4-7: the pages leave the cache and the task's PTEs (shared and private),
 *     and the calls fault in new ones (a hole reads as zeroes);
 * then the buffer is unregistered. READ_FIXED into the old pages shows where the device's data went.
 *   truncate-matrix [-m] [BACKING...]
 */
#include "lab-uring.h"
#include <sys/uio.h>

#define LEN (16 * PAGE)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static char *local;

static void reach(const char *name, const char *when, char *addr, size_t len)
{
    pid_t self = getpid();
    struct iovec l = { local, len }, r = { addr, len };
    long n = kret(process_vm_readv(self, &l, 1, &r, 1, 0));
    mark("process_vm_readv: pid=%d addr=%p len=0x%zx ret=%ld", self, addr, len, n);
    say("%s %s process_vm_readv ret=%ld", name, when, n);
    n = kret(process_vm_writev(self, &l, 1, &r, 1, 0));
    mark("process_vm_writev: pid=%d addr=%p len=0x%zx ret=%ld", self, addr, len, n);
    say("%s %s process_vm_writev ret=%ld", name, when, n);
    int p[2];
    if (pipe(p) < 0)
        lab_die("pipe");
    n = kret(vmsplice(p[1], &r, 1, 0));
    mark("vmsplice: addr=%p len=0x%zx ret=%ld", addr, len, n);
    say("%s %s vmsplice ret=%ld", name, when, n);
    close(p[0]);
    close(p[1]);
    n = kret(madvise(addr, len, MADV_POPULATE_WRITE));
    mark("madvise: addr=%p len=0x%zx advice=populate_write ret=%ld", addr, len, n);
    say("%s %s madvise populate_write ret=%ld", name, when, n);
}

int main(int argc, char **argv)
{
    argc = lab_init("truncate-matrix", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(4, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    struct lab_file src = lab_file_create(DIR_EXT4 "/trunc-src", LEN, 0);
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (b->path == NULL || lab_dax(b) || !(b->prot & PROT_WRITE)
            || !lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, lab_huge(b) ? 16 * HUGE : LEN);
        size_t unit = buf.len / 16;     /* a page, or a huge page of hugetlb memory */
        local = lab_mmap(buf.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
        lab_touch(local, buf.len, 'l');
        lab_touch(buf.addr, buf.len, 'p');
        struct iovec iov = { buf.addr, buf.len };
        r = io_uring_register_buffers(&ring, &iov, 1);
        mark("io_uring_register_buffers: handle=%s addr=%p len=0x%zx ret=%d", b->name, buf.addr, buf.len, r);
        say("%s register ret=%d", b->name, r);

        long t = kret(ftruncate(buf.file.fd, (off_t)(4 * unit)));
        mark("ftruncate: ino=%lu size=%zu ret=%ld", buf.file.ino, 4 * unit, t);
        say("%s ftruncate to 4 units ret=%ld", b->name, t);
        if (r == 0)
            say("%s READ_FIXED into page 8 after the truncate ret=%ld", b->name,
                lab_read_fixed(&ring, src.fd, (char *)buf.addr + 8 * unit, PAGE, 0));
        reach(b->name, "truncated", buf.addr, buf.len);

        t = kret(ftruncate(buf.file.fd, (off_t)buf.len));
        mark("ftruncate: ino=%lu size=%zu ret=%ld", buf.file.ino, buf.len, t);
        say("%s ftruncate back to 16 units ret=%ld", b->name, t);
        reach(b->name, "extended", buf.addr, buf.len);

        t = kret(fallocate(buf.file.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)(4 * unit),
                           (off_t)(4 * unit)));
        mark("fallocate: ino=%lu mode=punch_hole offset=0x%zx len=0x%zx ret=%ld", buf.file.ino, 4 * unit, 4 * unit, t);
        say("%s punch units 4-7 ret=%ld", b->name, t);
        reach(b->name, "punched", buf.addr, buf.len);

        if (r == 0) {
            r = io_uring_unregister_buffers(&ring);
            mark("io_uring_unregister_buffers: handle=%s", b->name);
            say("%s unregister ret=%d", b->name, r);
        }
        lab_buffer_free(&buf);
        lab_munmap(local, unit * 16);
    }
    io_uring_queue_exit(&ring);
    close(src.fd);
    unlink(DIR_EXT4 "/trunc-src");
    return 0;
}
