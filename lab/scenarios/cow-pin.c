/*
 * Copy-on-write of a pinned anonymous buffer (mm/memory.c do_wp_page()): an io_uring fixed buffer
 * (pinned FOLL_WRITE|FOLL_LONGTERM) holds 'A'; the task write-protects it, then writes 'B' into it; the
 * device (IORING_OP_WRITE_FIXED, reading the pinned pages) copies it to a tmpfs file, and the program
 * reads which letter the device saw. 'A' means the write went to a copy the pin does not hold.
 *   mprotect: mprotect(PROT_READ), mprotect(PROT_READ|PROT_WRITE), write (5.9-5.18 copy: page_count() != 1)
 *   fork:     fork() with the buffer pinned, the child alive while the parent writes (early COW from 5.9)
 *   mremap:   mremap(MREMAP_MAYMOVE|MREMAP_FIXED) moves the pinned buffer (move_vma() -> move_page_tables(): the
 *             pages move with their PTEs), then mprotect and write at the new address as above (hugetlb: -EINVAL
 *             before 5.16, 550a7d60bd5e)
 *   dontunmap: the move with MREMAP_DONTUNMAP (5.7; anonymous only), then 'B' at the new address and 'C' at the old
 *             one, which faults in a fresh page: the device reads 'B'
 * thp: the same on a 2 MiB-aligned anonymous buffer that the first write faults in as a transparent huge page
 * (Debian's kernels: THP "always"); the program prints the AnonHugePages it has (mm/huge_memory.c
 * do_huge_pmd_wp_page() decides reuse for a PMD-mapped THP by its own rules per release); thp-mprotect-page
 * write-protects only the first page, which splits the VMA and the PMD: the write meets do_wp_page() on a PTE.
 *   cow-pin [hugetlb|thp] [-m]
 * hugetlb: the same on a 2 MiB MAP_HUGETLB buffer (mm/hugetlb.c hugetlb_cow() / hugetlb_wp() reuse a page mapped
 * once whatever its refcount; copy_hugetlb_page_range() copies a pinned page for the child from 5.12).
 */
#include "lab.h"
#include <liburing.h>
#include <sys/wait.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

enum mode { MPROTECT, FORK, MREMAP, DONTUNMAP, MPROTECT_PAGE };

static struct io_uring ring;
static struct lab_file out;
static size_t len = 2 * PAGE;   /* the buffer: two pages, or one huge page */
static int huge;                /* MAP_HUGETLB */
static int thp;                 /* a 2 MiB-aligned anonymous buffer: a transparent huge page */

/* AnonHugePages of the process, in kB (/proc/self/smaps_rollup). */
static long anon_huge_kb(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    char line[256];
    long kb = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return kb;
}

/* A private anonymous mapping of LEN bytes at a 2 MiB-aligned address (the reservation's edges unmapped). */
static char *aligned_anon(void)
{
    char *r = lab_mmap(len + HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    char *p = (char *)(((unsigned long)r + HUGE - 1) & ~(HUGE - 1));
    if (p > r)
        lab_munmap(r, (size_t)(p - r));
    if (p + len < r + len + HUGE)
        lab_munmap(p + len, (size_t)(r + len + HUGE - (p + len)));
    return p;
}

/* The device reads the first page of the registered buffer into the file; returns the letter it read. */
static char device_reads(const char *handle, char *buf)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    io_uring_prep_write_fixed(sqe, out.fd, buf, PAGE, 0, 0);
    io_uring_submit(&ring);
    struct io_uring_cqe *cqe;
    if (io_uring_wait_cqe(&ring, &cqe) < 0)
        lab_die("io_uring_wait_cqe");
    long res = cqe->res;
    io_uring_cqe_seen(&ring, cqe);
    mark("dma_read: handle=%s offset=0 len=0x%lx", handle, PAGE);
    char c = '?';
    if (res != (long)PAGE || pread(out.fd, &c, 1, 0) != 1)
        say("%s write_fixed ret=%ld", handle, res);
    return c;
}

/* Moves the LEN-byte buffer at BUF to a free huge-page-aligned address; returns it, or NULL (said) if mremap() failed. */
static char *move(const char *handle, char *buf, int flags)
{
    char *hole = lab_mmap(len + HUGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    char *to = (char *)(((unsigned long)hole + HUGE - 1) & ~(HUGE - 1));
    lab_munmap(hole, len + HUGE);
    char *p = mremap(buf, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | flags, to);
    if (p == MAP_FAILED) {
        say("%s mremap ret=%ld", handle, -(long)errno);
        return NULL;
    }
    return p;
}

static void run(const char *handle, enum mode mode)
{
    char *buf = thp ? aligned_anon()
                    : lab_mmap(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (huge ? MAP_HUGETLB : 0), NULL, 0);
    lab_touch(buf, len, 'A');
    if (thp)
        say("%s AnonHugePages: %ld kB", handle, anon_huge_kb());
    struct iovec iov = { buf, len };
    int r = io_uring_register_buffers(&ring, &iov, 1);
    mark("io_uring_register_buffers: handle=%s addr=%p len=0x%lx ret=%d", handle, buf, len, r);
    if (r < 0) {
        say("%s register ret=%d", handle, r);
        return;
    }
    int down[2];
    pid_t pid = -1;
    char *at = buf;    /* where the task writes */
    if (mode == MREMAP || mode == DONTUNMAP) {
        at = move(handle, buf, mode == DONTUNMAP ? MREMAP_DONTUNMAP : 0);
        if (at == NULL) {
            io_uring_unregister_buffers(&ring);
            mark("io_uring_unregister_buffers: handle=%s", handle);
            lab_munmap(buf, len);
            return;
        }
    }
    if (mode == FORK) {
        if (pipe(down) < 0)
            lab_die("pipe");
        pid = fork();
        if (pid == 0) {
            char c;
            if (read(down[0], &c, 1) < 0)
                lab_die("read pipe");
            _exit(0);
        }
    } else if (mode != DONTUNMAP) {
        size_t plen = mode == MPROTECT_PAGE ? PAGE : len;   /* one page: the VMA splits, and a THP's PMD with it */
        r = mprotect(at, plen, PROT_READ);
        mark("mprotect: addr=%p len=0x%lx prot=r ret=%ld", at, plen, kret(r));
        r = mprotect(at, plen, PROT_READ | PROT_WRITE);
        mark("mprotect: addr=%p len=0x%lx prot=rw ret=%ld", at, plen, kret(r));
    }
    lab_touch(at, PAGE, 'B');
    if (mode == DONTUNMAP)
        lab_touch(buf, PAGE, 'C');
    char c = device_reads(handle, buf); /* the registered address: the device reads through the pin */
    say("%s the task wrote 'B', the device read '%c': %s", handle, c,
        c == 'B' ? "the pinned page is the task's" : "the write went to a copy the pin does not hold");
    if (mode == FORK) {
        if (write(down[1], "x", 1) < 0)
            lab_die("write pipe");
        waitpid(pid, NULL, 0);
        close(down[0]);
        close(down[1]);
    }
    r = io_uring_unregister_buffers(&ring);
    mark("io_uring_unregister_buffers: handle=%s", handle);
    if (at != buf)
        lab_munmap(at, len);
    if (at == buf || mode == DONTUNMAP)
        lab_munmap(buf, len);
}

int main(int argc, char **argv)
{
    argc = lab_init("cow-pin", argc, argv);
    if (argc > 1 && strcmp(argv[1], "hugetlb") == 0) {
        huge = 1;
        len = HUGE;
    }
    if (argc > 1 && strcmp(argv[1], "thp") == 0) {
        thp = 1;
        len = HUGE;
    }
    const char *kind = huge ? "huge" : thp ? "thp" : "cow";
    char name[64];
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    out = lab_file_create(DIR_TMP "/cow-pin.out", PAGE, 0);
    snprintf(name, sizeof name, "%s-mprotect", kind);
    run(name, MPROTECT);
    snprintf(name, sizeof name, "%s-fork", kind);
    run(name, FORK);
    snprintf(name, sizeof name, "%s-mremap", kind);
    run(name, MREMAP);
    if (!huge) {
        snprintf(name, sizeof name, "%s-mremap-dontunmap", kind);
        run(name, DONTUNMAP);
    }
    if (thp)
        run("thp-mprotect-page", MPROTECT_PAGE);
    io_uring_queue_exit(&ring);
    return 0;
}
