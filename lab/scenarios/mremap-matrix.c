/*
 * mremap() of every backing's writable mapping, its pages written first, each followed by GUP of the old and new
 * ranges (process_vm_readv/writev on the program's own pid, vmsplice, an io_uring registration): a shrink to half
 * (the tail unmapped), a growth to twice the size (MREMAP_MAYMOVE: in place or moved; a file's new half lies past
 * its EOF), and a move to a fixed address (MREMAP_MAYMOVE|MREMAP_FIXED). The program writes no marker for mremap():
 * the recording's syscall says it.
 * mm/mremap.c: move_vma() takes the pages with their page tables; a hugetlb mapping resizes only in whole huge
 * pages (-EINVAL otherwise) and moves from 5.16.
 *   mremap-matrix [-m] [BACKING...]
 */
#include "lab.h"
#include <liburing.h>
#include <sys/uio.h>

#define LEN (16 * PAGE)

static struct io_uring ring;
static char *local;

static void reach(const char *name, const char *what, void *addr, size_t len)
{
    pid_t self = getpid();
    struct iovec l = { local, len }, r = { addr, len };
    long n = kret(process_vm_readv(self, &l, 1, &r, 1, 0));
    mark("process_vm_readv: pid=%d addr=%p len=0x%zx ret=%ld", self, addr, len, n);
    say("%s %s process_vm_readv ret=%ld", name, what, n);
    n = kret(process_vm_writev(self, &l, 1, &r, 1, 0));
    mark("process_vm_writev: pid=%d addr=%p len=0x%zx ret=%ld", self, addr, len, n);
    say("%s %s process_vm_writev ret=%ld", name, what, n);
    int p[2];
    if (pipe(p) < 0)
        lab_die("pipe");
    n = kret(vmsplice(p[1], &r, 1, 0));
    mark("vmsplice: addr=%p len=0x%zx ret=%ld", addr, len, n);
    say("%s %s vmsplice ret=%ld", name, what, n);
    close(p[0]);
    close(p[1]);
    int reg = io_uring_register_buffers(&ring, &r, 1);
    char handle[96];
    snprintf(handle, sizeof handle, "%s-%s", name, what);
    mark("io_uring_register_buffers: handle=%s addr=%p len=0x%zx ret=%d", handle, addr, len, reg);
    say("%s %s register ret=%d", name, what, reg);
    if (reg == 0) {
        io_uring_unregister_buffers(&ring);
        mark("io_uring_unregister_buffers: handle=%s", handle);
    }
}

static void *remap(const char *name, const char *what, void *old, size_t oldlen, size_t newlen, int flags, void *to)
{
    void *p = mremap(old, oldlen, newlen, flags, to);
    long r = p == MAP_FAILED ? -(long)errno : 0;
    say("%s %s mremap ret=%ld", name, what, r);
    return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
    argc = lab_init("mremap-matrix", argc, argv);
    int r = io_uring_queue_init(4, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!(b->prot & PROT_WRITE) || !lab_selected(b, argc, argv))
            continue;
        int huge = lab_huge(b);
        size_t len = huge ? 4 * HUGE : LEN, half = len / 2;
        local = lab_mmap(2 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
        lab_touch(local, 2 * len, 'l');

        /* a shrink: the tail goes (no marker: the recording's mremap() says it) */
        struct buffer buf = lab_buffer(b, len);
        lab_touch(buf.addr, buf.len, 's');
        remap(b->name, "shrink", buf.addr, len, half, 0, NULL);
        reach(b->name, "shrunk", buf.addr, len);
        buf.len = half;
        lab_buffer_free(&buf);

        /* a growth to twice the size, in place or moved (MREMAP_MAYMOVE): a file's new half lies past EOF */
        buf = lab_buffer(b, len);
        lab_touch(buf.addr, buf.len, 'g');
        void *grown = remap(b->name, "grow", buf.addr, len, 2 * len, MREMAP_MAYMOVE, NULL);
        if (grown != NULL) {
            reach(b->name, "grown", grown, 2 * len);
            buf.addr = grown;
            buf.len = 2 * len;
        }
        lab_buffer_free(&buf);

        /* a move to a fixed address, then the old range and the new one */
        buf = lab_buffer(b, len);
        lab_touch(buf.addr, buf.len, 'm');
        char *hole = lab_mmap(len + HUGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
        char *to = (char *)(((unsigned long)hole + HUGE - 1) & ~(HUGE - 1));
        lab_munmap(hole, len + HUGE);
        void *moved = remap(b->name, "move", buf.addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
        if (moved != NULL) {
            reach(b->name, "moved-old", buf.addr, len);
            reach(b->name, "moved-new", moved, len);
            buf.addr = moved;
        }
        lab_buffer_free(&buf);
        lab_munmap(local, 2 * len);
    }
    io_uring_queue_exit(&ring);
    return 0;
}
