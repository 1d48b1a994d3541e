/*
 * Shared helpers of the kernel-lab scenario programs (static, run inside a qemu guest).
 *
 * Every program takes -m to write native events (docs/trace-format.md) into the trace marker, so a
 * recording holds both what the kernel did (kprobes, tracepoints) and what the program asked for.
 * Markers are written before a call whose result is not needed (mmap after it succeeded), or after
 * it with ret= (the result, a negative errno on failure). The marker file is $PINREPLAY_MARKER,
 * else the pinreplay instance's trace_marker, else the top-level one.
 *
 * Each program prints one line per call on stdout ("SCENARIO: what ret=R"), which the lab keeps
 * next to the trace.
 */
#ifndef LAB_H
#define LAB_H

#define _GNU_SOURCE
#include <pthread.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define KiB 1024UL
#define MiB (1024UL * 1024UL)
#define PAGE 4096UL

/* Mount points the guest's init prepares (lab/guest/init.sh). */
#define DIR_EXT4 "/mnt/ext4"   /* ext4 on a virtio disk */
#define DIR_SLOW "/mnt/slow"   /* ext4 on a throttled virtio disk: O_DIRECT stays in flight */
#define SLOW_SRC DIR_SLOW "/src" /* 2 MiB made with the disk, page N holding 'a' + N % 26 */
#define DIR_DAX  "/mnt/dax"    /* ext4 -o dax on emulated pmem (/dev/pmem0) */
#define DIR_XFS  "/mnt/xfs"    /* xfs on a virtio disk */
#define DIR_BTRFS "/mnt/btrfs" /* btrfs on a virtio disk */
#define DIR_XDAX "/mnt/xdax"   /* xfs -o dax on emulated pmem (/dev/pmem1) */
#define DIR_TMP  "/mnt/tmp"    /* tmpfs */
#define DIR_HUGE "/mnt/huge"   /* hugetlbfs (2 MiB pages, reserved with hugepages= at boot) */
#define HUGE (2 * MiB)
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS /* include/uapi/linux/fcntl.h */
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

/* include/uapi/linux/udmabuf.h, defined here so that an old header does not matter */
struct lab_udmabuf_create {
    uint32_t memfd;
    uint32_t flags;
    uint64_t offset;
    uint64_t size;
};
struct lab_udmabuf_create_item {
    uint32_t memfd;
    uint32_t pad;
    uint64_t offset;
    uint64_t size;
};
struct lab_udmabuf_create_list {
    uint32_t flags;
    uint32_t count;
    struct lab_udmabuf_create_item list[];
};
#define LAB_UDMABUF_FLAGS_CLOEXEC 0x01
#define LAB_UDMABUF_CREATE _IOW('u', 0x42, struct lab_udmabuf_create)
#define LAB_UDMABUF_CREATE_LIST _IOW('u', 0x43, struct lab_udmabuf_create_list)

static int lab_marker_fd = -1;
static const char *lab_name = "lab";

static inline void lab_die(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", lab_name, what, strerror(errno));
    exit(2);
}

/* -m opens the marker file; anything else is an argument of the scenario (returned as argv[1..]). */
static inline int lab_init(const char *name, int argc, char **argv)
{
    lab_name = name;
    setvbuf(stdout, NULL, _IOLBF, 0);
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-m") != 0) {
            argv[out++] = argv[i];
            continue;
        }
        const char *inherited = getenv("LAB_MARKER_FD");   /* a program execve()d by its own earlier image */
        if (inherited != NULL) {
            lab_marker_fd = atoi(inherited);
            continue;
        }
        const char *paths[] = { getenv("PINREPLAY_MARKER"),
                                "/sys/kernel/tracing/instances/pinreplay/trace_marker",
                                "/sys/kernel/tracing/trace_marker" };
        for (unsigned p = 0; p < 3 && lab_marker_fd < 0; p++)
            if (paths[p] != NULL)
                lab_marker_fd = open(paths[p], O_WRONLY | O_CLOEXEC);
        if (lab_marker_fd < 0)
            lab_die("open trace_marker");
    }
    return out;
}

static inline void mark(const char *fmt, ...)
{
    if (lab_marker_fd < 0)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (write(lab_marker_fd, buf, (size_t)n) < 0)
        lab_die("write trace_marker");
}

static inline void say(const char *fmt, ...)
{
    va_list ap;
    printf("%s: ", lab_name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static inline double lab_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void lab_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* A result as the kernel returned it: the value, or -errno. */
static inline long kret(long r)
{
    return r < 0 ? -(long)errno : r;
}

/* ---- files ---------------------------------------------------------------------------------- */

struct lab_file {
    int fd;
    unsigned long ino;
    size_t size;
};

/* F_GET_SEALS of FD, or -errno. */
static inline long lab_seals_of(int fd)
{
    return kret(fcntl(fd, F_GET_SEALS));
}

static inline int lab_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/*
 * Whether DIR is mounted with DAX (ext4's "dax", xfs's "dax=always" in /proc/mounts): the lab's pmem mounts are; a
 * run on a host without pmem (scripts/host-lab.sh) mounts plain filesystems there.
 */
static inline int lab_dax_mounted(const char *dir)
{
    char line[1024], mnt[512], opts[512];
    int dax = 0;
    FILE *m = fopen("/proc/mounts", "r");
    if (m == NULL)
        return 0;
    while (fgets(line, sizeof line, m) != NULL) {
        if (sscanf(line, "%*s %511s %*s %511s", mnt, opts) != 2 || strcmp(mnt, dir) != 0)
            continue;
        dax = 0;   /* the last mount on DIR is the one seen */
        for (char *save = NULL, *o = strtok_r(opts, ",", &save); o != NULL; o = strtok_r(NULL, ",", &save))
            dax |= strcmp(o, "dax") == 0 || strcmp(o, "dax=always") == 0;
    }
    fclose(m);
    return dax;
}

static inline const char *lab_fs_of(const char *path, int *dax)
{
    *dax = (lab_under(path, DIR_DAX) && lab_dax_mounted(DIR_DAX)) || (lab_under(path, DIR_XDAX) && lab_dax_mounted(DIR_XDAX));
    if (lab_under(path, DIR_TMP))
        return "tmpfs";
    if (lab_under(path, DIR_HUGE))
        return "hugetlbfs";
    if (lab_under(path, DIR_XFS) || lab_under(path, DIR_XDAX))
        return "xfs";
    if (lab_under(path, DIR_BTRFS))
        return "btrfs";
    return "ext4";
}

static inline void lab_file_marker(struct lab_file *f, const char *fs, int dax)
{
    struct stat st;
    if (fstat(f->fd, &st) < 0)
        lab_die("fstat");
    f->ino = st.st_ino;
    /* dev=: inode numbers repeat across filesystems (a memfd's and a tmpfs file's can be equal) */
    mark("file: ino=%lu fs=%s dax=%d size=%zu dev=%u:%u", f->ino, fs, dax, f->size, major(st.st_dev), minor(st.st_dev));
}

/*
 * Creates PATH with SIZE bytes of data written (blocks allocated, no holes) and synced; a hugetlbfs
 * file (no write()) is only sized: its huge pages come at the first fault.
 */
static inline struct lab_file lab_file_create(const char *path, size_t size, int oflags)
{
    struct lab_file f = { -1, 0, size };
    unlink(path);
    f.fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f.fd < 0)
        lab_die(path);
    int dax;
    const char *fs = lab_fs_of(path, &dax);
    if (strcmp(fs, "hugetlbfs") == 0) {
        if (ftruncate(f.fd, (off_t)size) < 0)
            lab_die("ftruncate (hugetlbfs)");
        lab_file_marker(&f, fs, dax);
        return f;
    }
    char *buf = malloc(64 * KiB);
    for (size_t off = 0; off < size; off += 64 * KiB) {
        size_t n = size - off < 64 * KiB ? size - off : 64 * KiB;
        for (size_t p = 0; p < n; p += PAGE)   /* page N holds 'a' + N % 26 */
            memset(buf + p, 'a' + (int)(((off + p) / PAGE) % 26), n - p < PAGE ? n - p : PAGE);
        if (pwrite(f.fd, buf, n, (off_t)off) != (ssize_t)n)
            lab_die("pwrite (fill)");
    }
    free(buf);
    if (fsync(f.fd) < 0)
        lab_die("fsync (fill)");
    if (oflags) {
        int fd = open(path, O_RDWR | O_CLOEXEC | oflags);
        if (fd < 0)
            lab_die(path);
        close(f.fd);
        f.fd = fd;
    }
    lab_file_marker(&f, fs, dax);
    return f;
}

/* Opens PATH, a file the lab created before the boot (the source files of the throttled disk). */
static inline struct lab_file lab_file_open(const char *path, int oflags)
{
    struct lab_file f = { open(path, O_RDWR | O_CLOEXEC | oflags), 0, 0 };
    struct stat st;
    if (f.fd < 0 || fstat(f.fd, &st) < 0)
        lab_die(path);
    f.size = (size_t)st.st_size;
    int dax;
    const char *fs = lab_fs_of(path, &dax);
    lab_file_marker(&f, fs, dax);
    return f;
}

/* A memfd of SIZE bytes: shmem (like tmpfs), or hugetlbfs with MFD_HUGETLB in FLAGS. */
static inline struct lab_file lab_memfd(const char *name, size_t size, unsigned flags)
{
    struct lab_file f = { -1, 0, size };
    f.fd = (int)syscall(SYS_memfd_create, name, flags);
    if (f.fd < 0)
        lab_die("memfd_create");
    if (ftruncate(f.fd, (off_t)size) < 0)
        lab_die("ftruncate (memfd)");
    lab_file_marker(&f, (flags & MFD_HUGETLB) ? "hugetlbfs" : "tmpfs", 0);
    return f;
}

/*
 * qemu's throttle lets a request through at once when its bucket is empty, so a read of the throttled
 * disk could end before the race it is meant for. Reading 1 MiB of F first fills the bucket: the
 * next read waits about a second per MiB.
 */
static inline void lab_throttle_prime(const struct lab_file *f)
{
    void *p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        lab_die("mmap (prime)");
    mark("mmap: addr=%p len=0x%lx prot=rw flags=private", p, MiB);
    mark("dio_submit: handle=prime ino=%lu offset=0 len=0x%lx buf=%p rw=read", f->ino, MiB, p);
    long r = kret(pread(f->fd, p, MiB, 0));
    mark("dio_complete: handle=prime ret=%ld", r);
    munmap(p, MiB);
    mark("munmap: addr=%p len=0x%lx", p, MiB);
}

/* An O_DIRECT read of LEN bytes at offset 0 of FILE into BUF between its two markers, as a thread's body
 * (pthread_create(&th, NULL, lab_dio_read, &req)): RET holds its result once joined. BY_READ: read() from offset 0
 * (lseek()), as dd iflag=direct does, instead of pread(). IO, when set, does the read instead (an io_uring one). DONE
 * is set once the read has returned, so a scenario can tell whether its call really met the read in flight. */
struct lab_dio {
    const struct lab_file *file;
    char *buf;
    size_t len;
    const char *handle;
    long ret;
    int by_read;
    long (*io)(struct lab_dio *d);
    volatile int done;
};

static inline void *lab_dio_read(void *arg)
{
    struct lab_dio *d = arg;
    mark("dio_submit: handle=%s ino=%lu offset=0 len=0x%zx buf=%p rw=read", d->handle, d->file->ino, d->len, d->buf);
    if (d->by_read && lseek(d->file->fd, 0, SEEK_SET) < 0)
        lab_die("lseek");
    d->ret = d->io ? d->io(d) : d->by_read ? kret(read(d->file->fd, d->buf, d->len))
                                            : kret(pread(d->file->fd, d->buf, d->len, 0));
    __atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
    mark("dio_complete: handle=%s ret=%ld", d->handle, d->ret);
    return NULL;
}

/* Whether the scenario's arguments (argv[1..]) name NAME; none names every one. */
static inline int lab_wanted(const char *name, int argc, char **argv)
{
    if (argc <= 1)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return 1;
    return 0;
}

/* ---- mappings ------------------------------------------------------------------------------- */

static inline void *lab_mmap(size_t len, int prot, int flags, const struct lab_file *f, off_t off)
{
    void *p = mmap(NULL, len, prot, flags, f ? f->fd : -1, off);
    if (p == MAP_FAILED)
        lab_die("mmap");
    const char *pr = (prot & PROT_WRITE) ? "rw" : (prot & PROT_READ) ? "r" : "none";
    const char *fl = (flags & MAP_SHARED) ? "shared" : "private";
    if (f)
        mark("mmap: addr=%p len=0x%zx prot=%s flags=%s ino=%lu pgoff=%ld", p, len, pr, fl, f->ino,
             (long)(off / (off_t)PAGE));
    else if (flags & MAP_HUGETLB)
        mark("mmap: addr=%p len=0x%zx prot=%s flags=%s hugetlb=1", p, len, pr, fl);
    else
        mark("mmap: addr=%p len=0x%zx prot=%s flags=%s", p, len, pr, fl);
    return p;
}

static inline void lab_munmap(void *p, size_t len)
{
    if (munmap(p, len) < 0)
        lab_die("munmap");
    mark("munmap: addr=%p len=0x%zx", p, len);
}

/* The CPU writes LEN bytes at P (faults the pages in, dirties them). */
static inline void lab_touch(void *p, size_t len, int c)
{
    memset(p, c, len);
    mark("fault: addr=%p len=0x%zx write=1", p, len);
}

/* Maps D's LEN bytes of private anonymous memory, written with 'A', primes the throttled disk and starts the read of
 * FILE into them on thread TH; returns the buffer 300 ms later, the read in flight. The throttle's bucket now and then
 * lets the read through sooner: then the read is joined, said, and started again (three tries; DONE tells the rest). */
static inline char *lab_dio_start(struct lab_dio *d, pthread_t *th)
{
    for (int try = 1;; try++) {
        d->buf = lab_mmap(d->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
        lab_touch(d->buf, d->len, 'A');
        d->done = 0;
        lab_throttle_prime(d->file);
        pthread_create(th, NULL, lab_dio_read, d);
        lab_sleep_ms(300);
        if (!__atomic_load_n(&d->done, __ATOMIC_ACQUIRE) || try == 3)
            return d->buf;
        pthread_join(*th, NULL);
        say("%s: the read returned (ret=%ld) within 300 ms: again", d->handle, d->ret);
        lab_munmap(d->buf, d->len);
    }
}

/* ---- backings ------------------------------------------------------------------------------- */

/*
 * The memory a buffer can live in. Each scenario walks this list, so every entry point meets every
 * backing: anonymous, shmem (memfd, tmpfs), a page-cache file (ext4) and fs-DAX, hugetlb (anonymous
 * MAP_HUGETLB, MFD_HUGETLB memfd, hugetlbfs file), shared and private, and read-only mappings.
 */
struct backing {
    const char *name;
    const char *path;   /* NULL: anonymous; "memfd": memfd_create; "memfd-huge": with MFD_HUGETLB */
    int prot;
    int flags;
    int named;          /* only when named on the command line (lab_selected()) */
};

static const struct backing lab_backings[] = {
    { "anon-private",   NULL,                  PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0 },
    { "anon-shared",    NULL,                  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, 0 },
    { "memfd-shared",   "memfd",               PROT_READ | PROT_WRITE, MAP_SHARED, 0 },
    { "memfd-private",  "memfd",               PROT_READ | PROT_WRITE, MAP_PRIVATE, 0 },
    { "tmpfs-shared",   DIR_TMP "/buf-shared",  PROT_READ | PROT_WRITE, MAP_SHARED, 0 },
    { "tmpfs-private",  DIR_TMP "/buf-private", PROT_READ | PROT_WRITE, MAP_PRIVATE, 0 },
    { "ext4-shared",    DIR_EXT4 "/buf-shared", PROT_READ | PROT_WRITE, MAP_SHARED, 0 },
    { "ext4-private",   DIR_EXT4 "/buf-private", PROT_READ | PROT_WRITE, MAP_PRIVATE, 0 },
    { "dax-shared",     DIR_DAX "/buf-shared",  PROT_READ | PROT_WRITE, MAP_SHARED, 0 },
    { "dax-private",    DIR_DAX "/buf-private", PROT_READ | PROT_WRITE, MAP_PRIVATE, 0 },
    { "anon-readonly",  NULL,                  PROT_READ,              MAP_PRIVATE | MAP_ANONYMOUS, 0 },
    { "ext4-readonly",  DIR_EXT4 "/buf-ro",     PROT_READ,              MAP_SHARED, 0 },
    { "dax-readonly",   DIR_DAX "/buf-ro",      PROT_READ,              MAP_SHARED, 0 },
    { "huge-anon-private",  NULL,               PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, 0 },
    { "huge-anon-shared",   NULL,               PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, 0 },
    { "huge-memfd-shared",  "memfd-huge",       PROT_READ | PROT_WRITE, MAP_SHARED, 0 },
    { "huge-memfd-private", "memfd-huge",       PROT_READ | PROT_WRITE, MAP_PRIVATE, 0 },
    { "hugetlbfs-shared",   DIR_HUGE "/buf-shared",  PROT_READ | PROT_WRITE, MAP_SHARED, 0 },
    { "hugetlbfs-private",  DIR_HUGE "/buf-private", PROT_READ | PROT_WRITE, MAP_PRIVATE, 0 },
    { "huge-anon-readonly", NULL,               PROT_READ,              MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, 0 },
    { "hugetlbfs-readonly", DIR_HUGE "/buf-ro",  PROT_READ,              MAP_SHARED, 0 },
    /* a FOLL_FORCE write COWs a read-only private file mapping, not a hugetlb one on 6.0-6.14 */
    { "hugetlbfs-private-readonly", DIR_HUGE "/buf-ro-private", PROT_READ, MAP_PRIVATE, 1 },
    /* the other filesystems: the rows of ext4's, recorded by the scenarios' -fs variants (scenarios.list) */
    { "xfs-shared",     DIR_XFS "/buf-shared",   PROT_READ | PROT_WRITE, MAP_SHARED, 1 },
    { "xfs-private",    DIR_XFS "/buf-private",  PROT_READ | PROT_WRITE, MAP_PRIVATE, 1 },
    { "xfs-readonly",   DIR_XFS "/buf-ro",       PROT_READ,              MAP_SHARED, 1 },
    { "btrfs-shared",   DIR_BTRFS "/buf-shared", PROT_READ | PROT_WRITE, MAP_SHARED, 1 },
    { "btrfs-private",  DIR_BTRFS "/buf-private", PROT_READ | PROT_WRITE, MAP_PRIVATE, 1 },
    { "btrfs-readonly", DIR_BTRFS "/buf-ro",     PROT_READ,              MAP_SHARED, 1 },
    { "xdax-shared",    DIR_XDAX "/buf-shared",  PROT_READ | PROT_WRITE, MAP_SHARED, 1 },
    { "xdax-private",   DIR_XDAX "/buf-private", PROT_READ | PROT_WRITE, MAP_PRIVATE, 1 },
    { "xdax-readonly",  DIR_XDAX "/buf-ro",      PROT_READ,              MAP_SHARED, 1 },
};
#define LAB_NBACKINGS (sizeof lab_backings / sizeof lab_backings[0])

struct buffer {
    const struct backing *b;
    struct lab_file file;   /* fd -1 for anonymous memory */
    void *addr;
    size_t len;
};

/* fs-DAX memory: a file of ext4 -o dax or xfs -o dax. */
static inline int lab_dax(const struct backing *b)
{
    return b->path && (lab_under(b->path, DIR_DAX) || lab_under(b->path, DIR_XDAX));
}

/* Hugetlb memory: MAP_HUGETLB, an MFD_HUGETLB memfd or a hugetlbfs file. */
static inline int lab_huge(const struct backing *b)
{
    return (b->flags & MAP_HUGETLB) || (b->path && (strcmp(b->path, "memfd-huge") == 0 || lab_under(b->path, DIR_HUGE)));
}

/*
 * Maps LEN bytes of backing B (creating its file); the memory is not touched. A hugetlb buffer is
 * LEN rounded up to whole 2 MiB pages (buf.len): io_uring registers and vfio maps all of it, the
 * other scenarios' I/O stays LEN.
 */
static inline struct buffer lab_buffer(const struct backing *b, size_t len)
{
    if (lab_huge(b))
        len = (len + HUGE - 1) & ~(HUGE - 1);
    struct buffer buf = { b, { -1, 0, len }, NULL, len };
    if (b->path == NULL) {
        buf.addr = lab_mmap(len, b->prot, b->flags, NULL, 0);
        return buf;
    }
    if (strncmp(b->path, "memfd", 5) == 0)
        buf.file = lab_memfd(b->name, len, strcmp(b->path, "memfd-huge") == 0 ? MFD_HUGETLB : 0);
    else
        buf.file = lab_file_create(b->path, len, 0);
    buf.addr = lab_mmap(len, b->prot, b->flags, &buf.file, 0);
    return buf;
}

static inline void lab_buffer_free(struct buffer *buf)
{
    lab_munmap(buf->addr, buf->len);
    if (buf->file.fd >= 0) {
        close(buf->file.fd);
        if (strncmp(buf->b->path, "memfd", 5) != 0)
            unlink(buf->b->path);
    }
}

/* Only the backings named on the command line, or all of them but those that must be named. */
static inline int lab_selected(const struct backing *b, int argc, char **argv)
{
    if (argc <= 1)
        return !b->named;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], b->name) == 0)
            return 1;
    return 0;
}

/* qemu's edu device (1234:11e8), bound to vfio-pci: its PCI address into bdf and its IOMMU group's number into group;
 * -1 when the machine has none. An edu device without an IOMMU group (the IOMMU off) ends the program. */
static inline int lab_find_edu(char *bdf, size_t n, char *group, size_t gn)
{
    DIR *d = opendir("/sys/bus/pci/devices");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char p[512], id[32] = "";
        snprintf(p, sizeof p, "/sys/bus/pci/devices/%s/device", e->d_name);
        FILE *f = fopen(p, "r");
        if (!f)
            continue;
        int edu = fgets(id, sizeof id, f) && strncmp(id, "0x11e8", 6) == 0;
        fclose(f);
        if (edu) {
            snprintf(bdf, n, "%s", e->d_name);
            snprintf(p, sizeof p, "/sys/bus/pci/devices/%s/iommu_group", e->d_name);
            char link[512];
            ssize_t l = readlink(p, link, sizeof link - 1);
            if (l < 0)
                lab_die("iommu_group (is the IOMMU on?)");
            link[l] = 0;
            snprintf(group, gn, "%s", strrchr(link, '/') + 1);
            closedir(d);
            return 0;
        }
    }
    if (d)
        closedir(d);
    return -1;
}

#endif
