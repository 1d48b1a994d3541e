/*
 * The buffer of an in-flight O_DIRECT read taken from under it by another thread: the read holds its pages
 * (FOLL_GET through 6.1, FOLL_PIN from 6.2), so what the task does to its mapping no longer reaches them, and the
 * device writes where the task no longer looks. The read comes from the throttled disk (about a second of 1 MiB);
 * 300 ms in, the main thread:
 *   munmap    munmap()s the buffer (zap_page_range(): the PTEs go, the pages stay held)
 *   remap     munmap()s it, then maps fresh anonymous memory at the same address (MAP_FIXED) and writes 'N'
 *   mprotect  mprotect(PROT_NONE)s it (the held pages do not care), then back to read-write
 *   dontneed  MADV_DONTNEED: the pages leave the page table, the next touch gets zero-filled pages
 *   mremap    moves it (MREMAP_MAYMOVE|MREMAP_FIXED): the pages move with the PTEs, the read lands where they went
 * Each says the read's result and what the task then reads at the buffer's (or its new) address: the file's page 0
 * holds 'a'. With "read", the read is a read() (dd iflag=direct's), not a pread(); with "preadv2", a preadv2() of one
 * iovec (fio's pvsync2); with "readv", a readv() of one iovec at the file's position; with "uring", an IORING_OP_READ
 * (io_uring_enter() issues it and returns; the thread then waits in io_uring_enter() for its CQE).
 *   dio-unmap [-m] [read|preadv2|readv|uring]
 */
#include "lab-uring.h"

#define LEN MiB

static struct lab_file slow;
static char *buf;
static struct lab_dio read_req = { .file = &slow, .len = LEN };

static long uring_read(struct lab_dio *d)
{
    return lab_uring_read(d->file->fd, d->buf, d->len);
}

static long preadv2_read(struct lab_dio *d)
{
    struct iovec iov = { .iov_base = d->buf, .iov_len = d->len };
    return kret(preadv2(d->file->fd, &iov, 1, 0, 0));
}

static long readv_read(struct lab_dio *d)
{
    struct iovec iov = { .iov_base = d->buf, .iov_len = d->len };
    if (lseek(d->file->fd, 0, SEEK_SET) < 0)
        lab_die("lseek");
    return kret(readv(d->file->fd, &iov, 1));
}

static void run(const char *name)
{
    read_req.handle = name;
    pthread_t th;
    buf = lab_dio_start(&read_req, &th);
    char *look = buf;
    long r = 0;
    if (strcmp(name, "munmap") == 0 || strcmp(name, "remap") == 0) {
        lab_munmap(buf, LEN);
        if (strcmp(name, "remap") == 0) {
            char *p = mmap(buf, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (p == MAP_FAILED)
                lab_die("mmap MAP_FIXED");
            mark("mmap: addr=%p len=0x%lx prot=rw flags=private", p, LEN);
            lab_touch(p, LEN, 'N');
        } else {
            look = NULL;
        }
    } else if (strcmp(name, "mprotect") == 0) {
        r = kret(mprotect(buf, LEN, PROT_NONE));
        mark("mprotect: addr=%p len=0x%lx prot=none ret=%ld", buf, LEN, r);
        r = kret(mprotect(buf, LEN, PROT_READ | PROT_WRITE));
        mark("mprotect: addr=%p len=0x%lx prot=rw ret=%ld", buf, LEN, r);
    } else if (strcmp(name, "dontneed") == 0) {
        r = kret(madvise(buf, LEN, MADV_DONTNEED));
        mark("madvise: addr=%p len=0x%lx advice=dontneed ret=%ld", buf, LEN, r);
    } else {
        /* a 2 MiB reservation, so the fixed target cannot be part of anything else */
        char *to = mmap(NULL, 2 * LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (to == MAP_FAILED)
            lab_die("mmap (target)");
        mark("mmap: addr=%p len=0x%lx prot=none flags=private", to, 2 * LEN);
        char *p = mremap(buf, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, to);
        if (p == MAP_FAILED)
            lab_die("mremap");
        look = p;
    }
    say("%s: the main thread's call ret=%ld %s", name, r,
        __atomic_load_n(&read_req.done, __ATOMIC_ACQUIRE) ? "after the read had returned" : "while the read was in flight");
    pthread_join(th, NULL);
    if (look == NULL)
        say("%s: read ret=%ld into pages nobody maps", name, read_req.ret);
    else
        say("%s: read ret=%ld; the task reads %s at %s: %s", name, read_req.ret,
            look[1] == 'a' ? "the file's 'a'" : look[1] == 'N' ? "its own 'N'" : look[1] == 0 ? "zeros" : "something else",
            look == buf ? "the buffer" : "its new address",
            look[1] == 'a' ? "the read landed where it looks" : "the read went to pages it no longer maps");
    if (look != NULL)
        lab_munmap(look, LEN);
    if (strcmp(name, "mremap") == 0)
        lab_munmap(look + LEN, LEN);
}

int main(int argc, char **argv)
{
    argc = lab_init("dio-unmap", argc, argv);
    read_req.by_read = argc > 1 && strcmp(argv[1], "read") == 0;
    if (argc > 1 && strcmp(argv[1], "uring") == 0)
        read_req.io = uring_read;
    if (argc > 1 && strcmp(argv[1], "preadv2") == 0)
        read_req.io = preadv2_read;
    if (argc > 1 && strcmp(argv[1], "readv") == 0)
        read_req.io = readv_read;
    slow = lab_file_open(SLOW_SRC, O_DIRECT);
    run("munmap");
    run("remap");
    run("mprotect");
    run("dontneed");
    run("mremap");
    close(slow.fd);
    return 0;
}
