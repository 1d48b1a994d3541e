/*
 * Every GUP entry point on mappings the CPU cannot use as it is, or only in part: PROT_NONE (anonymous,
 * shared anonymous, a shared ext4 file), write-only and execute-only anonymous memory (no VM_READ),
 * read-only private file mappings (a FOLL_FORCE write COWs them), a shared ext4 file of 4 pages
 * mapped over 16 (the pages past EOF fault with SIGBUS), and 16 anonymous pages with a hole or a
 * PROT_NONE tail after 8 (a GUP that succeeds for part of the range). check_vma_flags() decides the
 * first, faultin_page()'s VM_FAULT_SIGBUS the short file, and the caller's handling of a short count
 * the rest: io_uring registration (all or nothing), O_DIRECT (a short transfer), /proc/self/mem
 * (FOLL_FORCE), process_vm_readv/writev on the program's own pid, vmsplice, MADV_POPULATE_(READ|WRITE).
 *   access-matrix [-m] [KIND...]      (the xfs-* and btrfs-* kinds only when named)
 */
#include "lab.h"
#include <liburing.h>
#include <sys/uio.h>

#define LEN (16 * PAGE)
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

struct kind {
    const char *name;
    const char *path;   /* NULL: anonymous */
    int prot;
    int flags;
    size_t file_len;    /* of the file, when shorter than the mapping */
    int cut;            /* after 8 pages: 1 a hole, 2 a PROT_NONE tail */
};

static const struct kind kinds[] = {
    { "anon-none",              NULL,                   PROT_NONE,  MAP_PRIVATE | MAP_ANONYMOUS, 0, 0 },
    { "anon-shared-none",       NULL,                   PROT_NONE,  MAP_SHARED | MAP_ANONYMOUS,  0, 0 },
    { "ext4-none",              DIR_EXT4 "/acc-none",   PROT_NONE,  MAP_SHARED,                  0, 0 },
    { "anon-writeonly",         NULL,                   PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0, 0 },
    { "anon-exec",              NULL,                   PROT_EXEC,  MAP_PRIVATE | MAP_ANONYMOUS, 0, 0 },
    { "ext4-private-readonly",  DIR_EXT4 "/acc-ro",     PROT_READ,  MAP_PRIVATE,                 0, 0 },
    { "tmpfs-private-readonly", DIR_TMP "/acc-ro",      PROT_READ,  MAP_PRIVATE,                 0, 0 },
    { "ext4-short",             DIR_EXT4 "/acc-short",  PROT_READ | PROT_WRITE, MAP_SHARED, 4 * PAGE, 0 },
    { "anon-hole",              NULL,                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0, 1 },
    { "anon-none-tail",         NULL,                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0, 2 },
    /* only when named (access-matrix-fs): the file kinds on xfs and btrfs */
    { "xfs-none",               DIR_XFS "/acc-none",    PROT_NONE,  MAP_SHARED,                  0, 0 },
    { "xfs-private-readonly",   DIR_XFS "/acc-ro",      PROT_READ,  MAP_PRIVATE,                 0, 0 },
    { "xfs-short",              DIR_XFS "/acc-short",   PROT_READ | PROT_WRITE, MAP_SHARED, 4 * PAGE, 0 },
    { "btrfs-none",             DIR_BTRFS "/acc-none",  PROT_NONE,  MAP_SHARED,                  0, 0 },
    { "btrfs-private-readonly", DIR_BTRFS "/acc-ro",    PROT_READ,  MAP_PRIVATE,                 0, 0 },
    { "btrfs-short",            DIR_BTRFS "/acc-short", PROT_READ | PROT_WRITE, MAP_SHARED, 4 * PAGE, 0 },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static int selected(const struct kind *k, int argc, char **argv)
{
    if (argc <= 1)
        return strncmp(k->name, "xfs-", 4) != 0 && strncmp(k->name, "btrfs-", 6) != 0;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], k->name) == 0)
            return 1;
    return 0;
}

static const char *prot_word(int prot)
{
    static char w[4];
    int n = 0;
    if (prot & PROT_READ)
        w[n++] = 'r';
    if (prot & PROT_WRITE)
        w[n++] = 'w';
    if (prot & PROT_EXEC)
        w[n++] = 'x';
    w[n] = 0;
    return n ? w : "none";
}

struct mapping {
    char *addr;
    struct lab_file file;
};

/* Maps kind K over LEN bytes (markers as lab_mmap(), with the prot word of K), then cuts it. */
static struct mapping map_kind(const struct kind *k)
{
    struct mapping m = { NULL, { -1, 0, 0 } };
    if (k->path != NULL) {
        m.file = lab_file_create(k->path, k->file_len ? k->file_len : LEN, 0);
        m.addr = mmap(NULL, LEN, k->prot, k->flags, m.file.fd, 0);
    } else {
        m.addr = mmap(NULL, LEN, k->prot, k->flags, -1, 0);
    }
    if (m.addr == MAP_FAILED)
        lab_die("mmap");
    const char *fl = (k->flags & MAP_SHARED) ? "shared" : "private";
    if (k->path != NULL)
        mark("mmap: addr=%p len=0x%lx prot=%s flags=%s ino=%lu pgoff=0", m.addr, LEN, prot_word(k->prot), fl,
             m.file.ino);
    else
        mark("mmap: addr=%p len=0x%lx prot=%s flags=%s", m.addr, LEN, prot_word(k->prot), fl);
    if (k->prot & PROT_WRITE)
        lab_touch(m.addr, k->cut ? LEN : (k->file_len ? k->file_len : LEN), k->name[0]);
    if (k->cut == 1) {
        if (munmap(m.addr + 8 * PAGE, 4 * PAGE) < 0)
            lab_die("munmap (hole)");
        mark("munmap: addr=%p len=0x%lx", m.addr + 8 * PAGE, 4 * PAGE);
    } else if (k->cut == 2) {
        long r = kret(mprotect(m.addr + 8 * PAGE, 8 * PAGE, PROT_NONE));
        mark("mprotect: addr=%p len=0x%lx prot=none ret=%ld", m.addr + 8 * PAGE, 8 * PAGE, r);
    }
    return m;
}

static void unmap_kind(const struct kind *k, struct mapping *m)
{
    if (k->cut == 1) {
        lab_munmap(m->addr, 8 * PAGE);
        lab_munmap(m->addr + 12 * PAGE, 4 * PAGE);
    } else {
        lab_munmap(m->addr, LEN);
    }
    if (m->file.fd >= 0) {
        close(m->file.fd);
        unlink(k->path);
    }
}

int main(int argc, char **argv)
{
    argc = lab_init("access-matrix", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (mem < 0)
        lab_die("/proc/self/mem");
    struct lab_file src = lab_file_create(DIR_EXT4 "/acc-src", LEN, O_DIRECT);
    struct lab_file dst = lab_file_create(DIR_EXT4 "/acc-dst", LEN, O_DIRECT);
    char *local = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(local, LEN, 'l');
    pid_t self = getpid();

    for (unsigned i = 0; i < NKINDS; i++) {
        const struct kind *k = &kinds[i];
        if (!selected(k, argc, argv))
            continue;

        /* io_uring: FOLL_WRITE|FOLL_LONGTERM over the whole range, all or nothing */
        struct mapping m = map_kind(k);
        struct iovec iov = { m.addr, LEN };
        r = io_uring_register_buffers(&ring, &iov, 1);
        mark("io_uring_register_buffers: handle=%s addr=%p len=0x%lx ret=%d", k->name, m.addr, LEN, r);
        say("%s register ret=%d", k->name, r);
        if (r == 0) {
            r = io_uring_unregister_buffers(&ring);
            mark("io_uring_unregister_buffers: handle=%s", k->name);
            say("%s unregister ret=%d", k->name, r);
        }
        unmap_kind(k, &m);

        /* O_DIRECT: the buffer written by the read (FOLL_WRITE), read by the write */
        m = map_kind(k);
        mark("dio_submit: handle=%s-read ino=%lu offset=0 len=0x%lx buf=%p rw=read", k->name, src.ino, LEN, m.addr);
        long n = kret(pread(src.fd, m.addr, LEN, 0));
        mark("dio_complete: handle=%s-read ret=%ld", k->name, n);
        say("%s pread ret=%ld", k->name, n);
        mark("dio_submit: handle=%s-write ino=%lu offset=0 len=0x%lx buf=%p rw=write", k->name, dst.ino, LEN, m.addr);
        n = kret(pwrite(dst.fd, m.addr, LEN, 0));
        mark("dio_complete: handle=%s-write ret=%ld", k->name, n);
        say("%s pwrite ret=%ld", k->name, n);
        unmap_kind(k, &m);

        /* /proc/self/mem: FOLL_FORCE, one page at the start and one in the second half */
        m = map_kind(k);
        for (int at = 0; at < 2; at++) {
            off_t off = (off_t)(uintptr_t)(m.addr + (at ? 12 * PAGE : 0));
            n = kret(pwrite(mem, local, PAGE, off));
            say("%s /proc/self/mem write page %d ret=%ld", k->name, at ? 12 : 0, n);
            n = kret(pread(mem, local, PAGE, off));
            say("%s /proc/self/mem read page %d ret=%ld", k->name, at ? 12 : 0, n);
        }
        unmap_kind(k, &m);

        /* process_vm_readv/writev on our own pid: pin_user_pages_remote of the whole range */
        m = map_kind(k);
        struct iovec l = { local, LEN }, rem = { m.addr, LEN };
        n = kret(process_vm_readv(self, &l, 1, &rem, 1, 0));
        mark("process_vm_readv: pid=%d addr=%p len=0x%lx ret=%ld", self, m.addr, LEN, n);
        say("%s process_vm_readv ret=%ld", k->name, n);
        n = kret(process_vm_writev(self, &l, 1, &rem, 1, 0));
        mark("process_vm_writev: pid=%d addr=%p len=0x%lx ret=%ld", self, m.addr, LEN, n);
        say("%s process_vm_writev ret=%ld", k->name, n);
        unmap_kind(k, &m);

        /* vmsplice: get_user_pages_fast references held by the pipe */
        m = map_kind(k);
        int p[2];
        if (pipe(p) < 0)
            lab_die("pipe");
        n = kret(vmsplice(p[1], &rem, 1, 0));
        mark("vmsplice: addr=%p len=0x%lx ret=%ld", m.addr, LEN, n);
        say("%s vmsplice ret=%ld", k->name, n);
        close(p[0]);
        close(p[1]);
        unmap_kind(k, &m);

        /* MADV_POPULATE_READ / _WRITE (5.14): faultin_page() without GUP's pins */
        m = map_kind(k);
        static const int advice[] = { MADV_POPULATE_READ, MADV_POPULATE_WRITE };
        static const char *names[] = { "populate_read", "populate_write" };
        for (int a = 0; a < 2; a++) {
            n = kret(madvise(m.addr, LEN, advice[a]));
            mark("madvise: addr=%p len=0x%lx advice=%s ret=%ld", m.addr, LEN, names[a], n);
            say("%s madvise %s ret=%ld", k->name, names[a], n);
        }
        unmap_kind(k, &m);
    }
    lab_munmap(local, LEN);
    close(mem);
    close(src.fd);
    close(dst.fd);
    io_uring_queue_exit(&ring);
    return 0;
}
