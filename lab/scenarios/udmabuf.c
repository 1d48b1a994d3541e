/*
 * udmabuf (drivers/dma-buf/udmabuf.c, CONFIG_UDMABUF: built into Debian's 6.12 and 7.2, not set in 5.10 and 6.1):
 * /dev/udmabuf's ioctl UDMABUF_CREATE turns a range of a sealed memfd into a dma-buf. udmabuf_create() checks
 * every item (offset and size page aligned, at most size_limit_mb = 64 MiB in all, not empty: -EINVAL), then
 * per item fget() (-EBADFD), check_memfd_seals() (shmem or hugetlbfs only: -EBADFD; F_SEAL_SHRINK wanted,
 * F_SEAL_WRITE and F_SEAL_FUTURE_WRITE denied: -EINVAL) and memfd_pin_folios() (mm/gup.c: end past i_size is
 * -EINVAL; it allocates the page-cache folios the range lacks and FOLL_PIN-pins each folio once), and returns
 * the dma-buf's fd from dma_buf_fd(). release_udmabuf() unpins all of it at the dma-buf's last reference: the
 * last close of the fd and its dup()s, the last munmap of a mapping of it, or the exit of the process.
 *
 * The steps: creates the checks refuse (no seals, a memfd made without MFD_ALLOW_SEALING: F_SEAL_SEAL only,
 * misaligned, empty, over 64 MiB, past i_size, an ext4 file, a closed fd); a create of never touched pages
 * (memfd_pin_folios allocates them); MADV_REMOVE (a punch-hole) over pinned pages, after which the dma-buf still
 * maps the old pages and the memfd new ones; a second dma-buf over the punched range (the memfd's new pages);
 * a dup()ed dma-buf fd (released at the second close); UDMABUF_CREATE_LIST with two items (no native marker);
 * F_SEAL_WRITE, then refused creates; a dma-buf left open at exit.
 *   udmabuf [-m] [hugetlb]
 * hugetlb: the memfds are MFD_HUGETLB (2 MiB pages): the pinned range spans two huge folios, the punch-hole is
 * a whole huge page.
 * Markers: udmabuf_create: handle=ubN ino= offset= size= seals= ret= (after the ioctl; handles in the order the
 * creates were attempted) and udmabuf_release: handle= (after the close that drops the last reference).
 */
#include "lab.h"
#include <sys/uio.h>

#ifndef MADV_REMOVE
#define MADV_REMOVE 9
#endif

static int dev = -1;
static int creates;   /* handles ub1, ub2, ... in the order the creates were attempted */

/*
 * What the mapping Q of a dma-buf UB (QLEN bytes from its start) allows: from 6.11 mmap_udmabuf() makes it VM_PFNMAP |
 * VM_DONTEXPAND, so GUP (process_vm_readv(), vmsplice()) is -EFAULT, MADV_DONTNEED -EINVAL and mremap() cannot grow
 * it; dma_buf_mmap_internal() refuses a mapping past the buffer and mmap_udmabuf() a private one (-EINVAL).
 */
static void reach(const char *h, char *q, size_t qlen, const struct lab_file *ub)
{
    static char local[PAGE];
    pid_t self = getpid();
    struct iovec l = { local, PAGE }, r = { q, PAGE };
    long n = kret(process_vm_readv(self, &l, 1, &r, 1, 0));
    mark("process_vm_readv: pid=%d addr=%p len=0x%lx ret=%ld", self, q, PAGE, n);
    say("process_vm_readv of %s's mapping ret=%ld", h, n);
    int pp[2];
    if (pipe(pp) < 0)
        lab_die("pipe");
    n = kret(vmsplice(pp[1], &r, 1, SPLICE_F_NONBLOCK));
    mark("vmsplice: addr=%p len=0x%lx ret=%ld", q, PAGE, n);
    say("vmsplice of %s's mapping ret=%ld", h, n);
    close(pp[0]);
    close(pp[1]);
    n = kret(madvise(q, PAGE, MADV_DONTNEED));
    mark("madvise: addr=0x%lx len=0x%lx advice=dontneed ret=%ld", (unsigned long)q, PAGE, n);
    say("madvise(%s's mapping, MADV_DONTNEED) ret=%ld", h, n);
    void *g = mremap(q, qlen, qlen + PAGE, 0);
    say("mremap(%s's mapping) growing in place ret=%ld", h, g == MAP_FAILED ? -(long)errno : 0L);
    if (g != MAP_FAILED)
        mremap(q, qlen + PAGE, qlen, 0);
    void *x = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ub->fd, 0);
    n = x == MAP_FAILED ? -(long)errno : 0;
    unsigned long at = x == MAP_FAILED ? 0 : (unsigned long)x;
    mark("mmap: addr=0x%lx len=0x%lx prot=r flags=private ino=%lu pgoff=0 ret=%ld", at, PAGE, ub->ino, n);
    say("mmap(%s) private ret=%ld", h, n);
    if (x != MAP_FAILED)
        munmap(x, PAGE);
    x = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ub->fd, (off_t)ub->size);
    n = x == MAP_FAILED ? -(long)errno : 0;
    at = x == MAP_FAILED ? 0 : (unsigned long)x;
    mark("mmap: addr=0x%lx len=0x%lx prot=r flags=shared ino=%lu pgoff=%lu ret=%ld", at, PAGE, ub->ino,
         (unsigned long)(ub->size / PAGE), n);
    say("mmap(%s) past its end ret=%ld", h, n);
    if (x != MAP_FAILED)
        munmap(x, PAGE);
}

/* UDMABUF_CREATE of FD's [OFFSET, OFFSET + SIZE): returns the dma-buf fd or -errno; HANDLE gets its name. */
static long create(const char *what, int fd, unsigned long ino, int memfd, uint64_t offset, uint64_t size, char *handle)
{
    long seals = memfd ? lab_seals_of(fd) : 0;
    if (seals < 0)
        seals = 0;
    struct lab_udmabuf_create c = { (uint32_t)fd, LAB_UDMABUF_FLAGS_CLOEXEC, offset, size };
    snprintf(handle, 16, "ub%d", ++creates);
    long r = kret(ioctl(dev, LAB_UDMABUF_CREATE, &c));
    mark("udmabuf_create: handle=%s ino=%lu offset=0x%llx size=0x%llx seals=0x%lx ret=%ld", handle, ino,
         (unsigned long long)offset, (unsigned long long)size, seals, r);
    say("%s: create %s offset=0x%llx size=0x%llx seals=0x%lx ret=%ld", handle, what, (unsigned long long)offset,
        (unsigned long long)size, seals, r);
    return r;
}

static long add_seals(const char *what, int fd, int seals, const char *names)
{
    long r = kret(fcntl(fd, F_ADD_SEALS, seals));
    say("fcntl(%s, F_ADD_SEALS, %s) ret=%ld, seals now 0x%lx", what, names, r, lab_seals_of(fd));
    return r;
}

/* The CPU reads the byte at P. */
static unsigned rd(const char *p)
{
    unsigned c = *(const volatile unsigned char *)p;
    mark("fault: addr=%p len=0x1 write=0", p);
    return c;
}

static void release(int fd, const char *handle)
{
    long r = kret(close(fd));
    if (handle != NULL)
        mark("udmabuf_release: handle=%s", handle);
    say("close(%d)%s%s ret=%ld", fd, handle ? ": last reference of " : "", handle ? handle : "", r);
}

int main(int argc, char **argv)
{
    argc = lab_init("udmabuf", argc, argv);
    int huge = argc > 1 && strcmp(argv[1], "hugetlb") == 0;
    unsigned kind = huge ? MFD_HUGETLB : 0;
    char h[16];

    dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
    if (dev < 0) {
        say("no /dev/udmabuf: errno %d", errno);
        return 0;
    }
    say("open /dev/udmabuf ret=%d", dev);

    struct lab_file a = lab_memfd("udmabuf-a", 4 * MiB, MFD_ALLOW_SEALING | kind);
    /* B: no MFD_ALLOW_SEALING, so memfd_create() left F_SEAL_SEAL alone on it */
    struct lab_file b = lab_memfd("udmabuf-b", huge ? HUGE : MiB, kind);
    say("memfd A %s 4 MiB seals=0x%lx, memfd B (no MFD_ALLOW_SEALING) seals=0x%lx", huge ? "hugetlb" : "shmem",
        lab_seals_of(a.fd), lab_seals_of(b.fd));

    /* 1, 2: the seals */
    create("A (no seals)", a.fd, a.ino, 1, 0, 64 * KiB, h);
    create("B (F_SEAL_SEAL only)", b.fd, b.ino, 1, 0, 64 * KiB, h);

    /* 3: F_SEAL_SHRINK, then the argument checks */
    add_seals("A", a.fd, F_SEAL_SHRINK, "F_SEAL_SHRINK");
    create("A misaligned offset", a.fd, a.ino, 1, 100, 64 * KiB, h);
    create("A empty", a.fd, a.ino, 1, 0, 0, h);
    create("A over 64 MiB", a.fd, a.ino, 1, 0, 65 * MiB, h);
    create("A past i_size", a.fd, a.ino, 1, 4 * MiB - 4 * KiB, 8 * KiB, h);

    /* 4, 5: not a memfd, not a file */
    struct lab_file e = lab_file_create(DIR_EXT4 "/udmabuf-file", 64 * KiB, 0);
    create("ext4 file", e.fd, e.ino, 0, 0, 64 * KiB, h);
    close(e.fd);
    unlink(DIR_EXT4 "/udmabuf-file");
    create("fd 999 (not open)", 999, 0, 0, 0, 64 * KiB, h);

    /* 6: pages never touched: memfd_pin_folios() allocates them (hugetlb: two huge folios) */
    char h1[16], h2[16];
    size_t len1 = huge ? HUGE + 4 * KiB : MiB;
    int u1 = (int)create("A never touched", a.fd, a.ino, 1, 0, len1, h1);

    /* 7: a punch-hole under the pins: the page cache gets new pages, the dma-buf keeps the old */
    size_t maplen = huge ? HUGE : MiB, hole = huge ? HUGE : 64 * KiB;
    char *p = lab_mmap(maplen, PROT_READ | PROT_WRITE, MAP_SHARED, &a, 0);
    lab_touch(p, maplen, 'a');
    long r = kret(madvise(p, hole, MADV_REMOVE));
    mark("madvise: addr=0x%lx len=0x%zx advice=remove ret=%ld", (unsigned long)p, hole, r);
    say("madvise(A's mapping, 0x%zx, MADV_REMOVE) while %s pins it ret=%ld", hole, h1, r);
    if (u1 >= 0) {
        size_t qlen = len1 < maplen ? len1 : maplen;
        struct lab_file ub = { u1, 0, len1 };
        lab_file_marker(&ub, "dmabuf", 0);
        char *q = mmap(NULL, qlen, PROT_READ, MAP_SHARED, u1, 0);
        if (q == MAP_FAILED) {
            say("mmap %s ret=%ld", h1, -(long)errno);
        } else {
            mark("mmap: addr=%p len=0x%zx prot=r flags=shared ino=%lu pgoff=0", q, qlen, ub.ino);
            say("after MADV_REMOVE: byte 0: %s's mapping 0x%02x, the memfd's 0x%02x (wrote 'a' = 0x61)", h1,
                rd(q), rd(p));
            say("  byte 0x%zx (last of the hole): %s 0x%02x, memfd 0x%02x", hole - 1, h1, rd(q + hole - 1),
                rd(p + hole - 1));
            if (hole < qlen)
                say("  byte 0x%zx (not punched): %s 0x%02x, memfd 0x%02x", hole, h1, rd(q + hole), rd(p + hole));
            reach(h1, q, qlen, &ub);
            lab_munmap(q, qlen);
        }
    }
    lab_munmap(p, maplen);

    /* 8: the first 64 KiB pinned by a second dma-buf */
    int u2 = (int)create("A again", a.fd, a.ino, 1, 0, 64 * KiB, h2);

    /* 9: a dup()ed dma-buf fd: the dma-buf's last reference goes with the second close */
    if (u1 >= 0) {
        int d = dup(u1);
        say("dup(%s) ret=%d", h1, d < 0 ? -errno : d);
        release(u1, NULL);
        if (d >= 0)
            release(d, h1);
    }
    /* 10 */
    if (u2 >= 0)
        release(u2, h2);

    /* 11: UDMABUF_CREATE_LIST, two items of A (not judged by the tool: no marker) */
    struct {
        struct lab_udmabuf_create_list head;
        struct lab_udmabuf_create_item items[2];
    } l = { { LAB_UDMABUF_FLAGS_CLOEXEC, 2 },
            { { (uint32_t)a.fd, 0, 0, 64 * KiB }, { (uint32_t)a.fd, 0, 64 * KiB, 64 * KiB } } };
    long u3 = kret(ioctl(dev, LAB_UDMABUF_CREATE_LIST, &l));
    say("create list of A [0, 64 KiB) + [64 KiB, 128 KiB) ret=%ld", u3);
    if (u3 >= 0)
        release((int)u3, NULL);

    /* 12: F_SEAL_WRITE (no writable mapping of A left, nothing pinned), then the denied seal */
    add_seals("A", a.fd, F_SEAL_WRITE, "F_SEAL_WRITE");
    create("A with F_SEAL_WRITE", a.fd, a.ino, 1, 0, 64 * KiB, h);

    /* 13: a dma-buf left open: release_udmabuf() at exit */
    struct lab_file c = lab_memfd("udmabuf-c", huge ? HUGE : MiB, MFD_ALLOW_SEALING | kind);
    add_seals("C", c.fd, F_SEAL_SHRINK, "F_SEAL_SHRINK");
    long u4 = create("C (left open at exit)", c.fd, c.ino, 1, 0, huge ? HUGE : 64 * KiB, h);
    say("exit with %s open (fd %ld)", h, u4);
    return 0;
}
