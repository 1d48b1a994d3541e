/*
 * The hugetlb pool run dry (mm/hugetlb.c): the boot reserves 64 huge pages of 2 MiB (hugepages=64) and nothing
 * else holds them, so the pool is free=64 resv=0 when the program starts (the recording's `hugepages` line says so).
 *   reserve:  mmap of a hugetlbfs file, an MFD_HUGETLB memfd and MAP_HUGETLB memory, shared and private, until
 *             hugetlb_reserve_pages() -> hugetlb_acct_memory() -> gather_surplus_pages() fails with -ENOMEM (no
 *             overcommit); a second shared mapping of a reserved file range reserves nothing more (the inode's
 *             resv_map), a private one reserves again (per VMA)
 *   gup:      with every free page reserved, MAP_NORESERVE memory (anonymous private, memfd shared) has none to fault:
 *             alloc_hugetlb_folio() fails, hugetlb_no_page() returns VM_FAULT_SIGBUS, which GUP turns into -EFAULT
 *             (vm_fault_to_errno()): io_uring buffer registration and an O_DIRECT read into it; a reserved mapping's
 *             pages still come (they consume the reservation)
 *   fallocate: hugetlbfs_fallocate() of an unreserved file range: -ENOSPC; of a reserved one: 0
 *   release:  munmap of a private mapping (hugetlb_vm_op_close()), the last unmap of a MAP_HUGETLB shared mapping
 *             (its inode goes: remove_inode_hugepages()), ftruncate and a punched hole (hugetlb_unreserve_pages())
 *             give the pages back: the refused calls are retried and succeed
 *   touch:    a child maps MAP_NORESERVE memory past the pool and writes it page by page: the page past the pool is a
 *             SIGBUS (caught); its exit gives the pages back
 *   fork:     a private MAP_HUGETLB mapping written by its owner, shared with a child by fork() while the pool is
 *             empty: the child's write (an O_DIRECT read, FOLL_WRITE) needs a copy it cannot get (-EFAULT); the
 *             owner's copy fails too, so hugetlb_wp() (hugetlb_cow()) unmaps the page from the child
 *             (unmap_ref_private()) and keeps it: the owner's read succeeds, the child's next one fails again
 *   hugetlb-pool [-m]
 */
#include "lab-uring.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>

#define POOL "/sys/kernel/mm/hugepages/hugepages-2048kB/"

static struct io_uring ring;
static struct lab_file src;   /* ext4, 2 MiB, opened O_DIRECT */
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;

static long pool_count(const char *name)
{
    char path[128], buf[32];
    snprintf(path, sizeof path, POOL "%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    return atol(buf);
}

/* The pool as /sys shows it (not a call: the replay does not compare it). */
static void pool(const char *when)
{
    say("pool %s: nr=%ld free=%ld resv=%ld surplus=%ld", when, pool_count("nr_hugepages"), pool_count("free_hugepages"),
        pool_count("resv_hugepages"), pool_count("surplus_hugepages"));
}

/* mmap of NPAGES huge pages: anonymous (F NULL) with MAP_HUGETLB, or of F at offset 0; NULL when it failed. */
static char *hmap(const char *what, size_t npages, int flags, const struct lab_file *f)
{
    size_t len = npages * HUGE;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | (f ? 0 : MAP_ANONYMOUS | MAP_HUGETLB), f ? f->fd : -1, 0);
    long r = p == MAP_FAILED ? -(long)errno : 0;
    say("%s mmap %zu pages%s ret=%ld", what, npages, (flags & MAP_NORESERVE) ? " noreserve" : "", r);
    if (r < 0)
        return NULL;
    const char *fl = (flags & MAP_SHARED) ? "shared" : "private";
    const char *nr = (flags & MAP_NORESERVE) ? " noreserve=1" : "";
    if (f)
        mark("mmap: addr=%p len=0x%zx prot=rw flags=%s ino=%lu pgoff=0%s", p, len, fl, f->ino, nr);
    else
        mark("mmap: addr=%p len=0x%zx prot=rw flags=%s hugetlb=1%s", p, len, fl, nr);
    return p;
}

static void hunmap(const char *what, char *p, size_t npages)
{
    lab_munmap(p, npages * HUGE);
    say("%s munmap", what);
}

static long reg(const char *what, char *p, size_t len)
{
    struct iovec iov = { p, len };
    int r = io_uring_register_buffers(&ring, &iov, 1);
    mark("io_uring_register_buffers: handle=%s addr=%p len=0x%zx ret=%d", what, p, len, r);
    say("%s register ret=%d", what, r);
    if (r == 0) {
        r = io_uring_unregister_buffers(&ring);
        mark("io_uring_unregister_buffers: handle=%s", what);
        say("%s unregister ret=%d", what, r);
    }
    return r;
}

/* An O_DIRECT read of one huge page of the ext4 file into P. */
static long dio(const char *what, char *p)
{
    mark("dio_submit: handle=%s ino=%lu offset=0 len=0x%lx buf=%p rw=read", what, src.ino, HUGE, p);
    long r = kret(pread(src.fd, p, HUGE, 0));
    mark("dio_complete: handle=%s ret=%ld", what, r);
    say("%s O_DIRECT read ret=%ld", what, r);
    return r;
}

static long falloc(const char *what, const struct lab_file *f, int mode, size_t npages)
{
    long r = kret(fallocate(f->fd, mode, 0, (off_t)(npages * HUGE)));
    mark("fallocate: ino=%lu mode=%s offset=0 len=0x%zx ret=%ld", f->ino,
         mode ? "punch_hole|keep_size" : "allocate", npages * HUGE, r);
    say("%s fallocate %s %zu pages ret=%ld", what, mode ? "punch" : "allocate", npages, r);
    return r;
}

static void on_fault(int sig)
{
    if (fault_armed)
        siglongjmp(fault_jmp, sig);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Writes NPAGES huge pages at P one by one; a SIGBUS stops it. The pages written. */
static size_t touch(const char *what, char *p, size_t npages)
{
    volatile size_t done = 0;
    int sig = sigsetjmp(fault_jmp, 1);
    if (sig == 0) {
        fault_armed = 1;
        for (; done < npages; done++)
            ((volatile char *)p)[done * HUGE] = 'T';
        fault_armed = 0;
    }
    fault_armed = 0;
    if (done > 0)
        mark("fault: addr=%p len=0x%zx write=1", p, done * HUGE);
    say("%s write %zu pages: %zu done signal=%d", what, npages, (size_t)done, sig);
    return done;
}

int main(int argc, char **argv)
{
    lab_init("hugetlb-pool", argc, argv);
    signal(SIGBUS, on_fault);
    if (io_uring_queue_init(4, &ring, 0) < 0)
        lab_die("io_uring_queue_init");
    src = lab_file_create(DIR_EXT4 "/pool-src", HUGE, O_DIRECT);
    pool("start");

    /* reserve: 64 free */
    struct lab_file f = lab_file_create(DIR_HUGE "/pool-f", 8 * HUGE, 0);
    char *f1 = hmap("file-shared", 8, MAP_SHARED, &f);                      /* 56 left */
    char *f2 = hmap("file-shared-again", 8, MAP_SHARED, &f);                /* the inode's: 56 */
    char *s1 = hmap("anon-shared-24", 24, MAP_SHARED, NULL);                /* 32 */
    char *p1 = hmap("anon-private-24", 24, MAP_PRIVATE, NULL);              /* 8 */
    char *s2 = hmap("anon-shared-16", 16, MAP_SHARED, NULL);                /* -ENOMEM */
    char *f3 = hmap("file-private", 8, MAP_PRIVATE, &f);                    /* per VMA: 0 */
    char *x1 = hmap("anon-private-1", 1, MAP_PRIVATE, NULL);                /* -ENOMEM */
    struct lab_file m = lab_memfd("pool-memfd", 2 * HUGE, MFD_HUGETLB);
    char *x2 = hmap("memfd-shared", 2, MAP_SHARED, &m);                     /* -ENOMEM */
    char *f4 = hmap("file-shared-third", 8, MAP_SHARED, &f);                /* 0 */
    struct lab_file h = lab_file_create(DIR_HUGE "/pool-h", 2 * HUGE, 0);
    char *x3 = hmap("file2-shared", 2, MAP_SHARED, &h);                     /* -ENOMEM */
    pool("reserved");

    /* gup: nothing free beyond the reservations */
    char *n1 = hmap("anon-private-noreserve", 2, MAP_PRIVATE | MAP_NORESERVE, NULL);
    char *n2 = hmap("memfd-shared-noreserve", 2, MAP_SHARED | MAP_NORESERVE, &m);
    if (n1) {
        reg("anon-private-noreserve", n1, 2 * HUGE);                        /* -EFAULT */
        dio("anon-private-noreserve", n1);                                  /* -EFAULT */
    }
    if (n2) {
        reg("memfd-shared-noreserve", n2, 2 * HUGE);                        /* -EFAULT */
        dio("memfd-shared-noreserve", n2);                                  /* -EFAULT */
    }
    if (s1)
        reg("anon-shared-24", s1, 2 * HUGE);                                /* reserved: 0 */
    if (p1)
        dio("anon-private-24", p1);                                         /* reserved: the size */

    /* fallocate */
    struct lab_file g = lab_file_create(DIR_HUGE "/pool-g", 0, 0);
    /* a MAP_NORESERVE mapping reserves nothing; it shows a raw recording which filesystem the file is on (the
     * hugetlbfs_file_mmap() probe), and a writable one sizes it (i_size to the mapping's end) */
    char *gm = hmap("file3-noreserve", 1, MAP_SHARED | MAP_NORESERVE, &g);
    if (gm)
        hunmap("file3-noreserve", gm, 1);
    falloc("file3", &g, 0, 2);                                              /* -ENOSPC */
    falloc("file-reserved", &f, 0, 8);                                      /* 0 */
    pool("exhausted");

    /* release and retry */
    if (p1)
        hunmap("anon-private-24", p1, 24);                                  /* 24 (one consumed, one freed) */
    s2 = hmap("anon-shared-16-retry", 16, MAP_SHARED, NULL);                /* 8 */
    falloc("file3-retry", &g, 0, 2);                                        /* 6 */
    if (n1)
        reg("anon-private-noreserve-retry", n1, 2 * HUGE);                  /* 4 */
    if (n2)
        dio("memfd-shared-noreserve-retry", n2);                            /* 2 */
    if (s2)
        hunmap("anon-shared-16", s2, 16);                                   /* 18: its inode goes */
    long r = kret(ftruncate(f.fd, 0));                                      /* 26: the file's 8 pages */
    mark("ftruncate: ino=%lu size=0 ret=%ld", f.ino, r);
    say("file ftruncate 0 ret=%ld", r);
    falloc("file3-punch", &g, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 2); /* 28 */
    pool("released");
    size_t left = (size_t)(pool_count("free_hugepages") - pool_count("resv_hugepages"));
    char *s3 = hmap("anon-shared-left", left, MAP_SHARED, NULL);            /* 0 */
    char *x4 = hmap("anon-shared-1", 1, MAP_SHARED, NULL);                  /* -ENOMEM */
    if (s3)
        hunmap("anon-shared-left", s3, left);
    pool("before touch");

    /* touch: a child writes MAP_NORESERVE memory past the pool */
    pid_t pid = fork();
    if (pid < 0)
        lab_die("fork");
    if (pid == 0) {
        char *t = hmap("child-noreserve", left + 4, MAP_PRIVATE | MAP_NORESERVE, NULL);
        if (t)
            touch("child-noreserve", t, left + 4);                          /* LEFT done, then SIGBUS */
        pool("child touched");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    say("child exit status=0x%x", status);
    pool("child gone");

    /* fork: a private mapping shared with a child while the pool is empty */
    char *q = hmap("anon-private-2", 2, MAP_PRIVATE, NULL);
    if (q)
        touch("anon-private-2", q, 2);                                      /* its reservations */
    size_t rest = (size_t)(pool_count("free_hugepages") - pool_count("resv_hugepages"));
    char *s5 = hmap("anon-shared-rest", rest, MAP_SHARED, NULL);            /* 0 */
    pool("before fork");
    int go[2], back[2];
    if (pipe(go) < 0 || pipe(back) < 0)
        lab_die("pipe");
    pid = fork();
    if (pid < 0)
        lab_die("fork");
    char c = 0;
    if (pid == 0) {
        if (q)
            dio("child-private-page0", q);                                  /* no copy: -EFAULT */
        if (write(back[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(3);
        if (q) {
            dio("child-private-page0-after", q);                            /* unmapped: -EFAULT */
            dio("child-private-page1", q + HUGE);                           /* no copy: -EFAULT */
        }
        _exit(0);
    }
    if (read(back[0], &c, 1) != 1)
        lab_die("read (pipe)");
    if (q)
        dio("owner-private-page0", q);                                      /* unmap_ref_private(): the size */
    if (write(go[1], &c, 1) != 1)
        lab_die("write (pipe)");
    waitpid(pid, &status, 0);
    say("child exit status=0x%x", status);
    pool("after fork");

    if (q)
        hunmap("anon-private-2", q, 2);
    if (s5)
        hunmap("anon-shared-rest", s5, rest);
    if (s1)
        hunmap("anon-shared-24", s1, 24);
    if (f1)
        hunmap("file-shared", f1, 8);
    if (f2)
        hunmap("file-shared-again", f2, 8);
    if (f3)
        hunmap("file-private", f3, 8);
    if (f4)
        hunmap("file-shared-third", f4, 8);
    if (n1)
        hunmap("anon-private-noreserve", n1, 2);
    if (n2)
        hunmap("memfd-shared-noreserve", n2, 2);
    (void)x1;
    (void)x2;
    (void)x3;
    (void)x4;
    close(f.fd);
    close(g.fd);
    close(h.fd);
    close(m.fd);
    unlink(DIR_HUGE "/pool-f");
    unlink(DIR_HUGE "/pool-g");
    unlink(DIR_HUGE "/pool-h");
    pool("end");
    io_uring_queue_exit(&ring);
    return 0;
}
