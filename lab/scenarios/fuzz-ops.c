/*
 * A reproducible random sequence of memory operations, judged by real kernels: the differential fuzzer of the lab.
 * SEED picks NOPS operations (xorshift64*, so one seed is one sequence on every release) over four slots, each a
 * mapping of one backing (anonymous private or shared, memfd, tmpfs, ext4, xfs, btrfs, ext4 and xfs fs-DAX files
 * shared or private, hugetlbfs files, MAP_HUGETLB; sometimes MAP_POPULATE, MAP_LOCKED or read-only) at a fixed place
 * of its own 8 MiB region (two 4 MiB halves inside a PROT_NONE reservation made at the start, so that no slot meets
 * another's memory):
 *   map (MAP_FIXED over whatever the slot held), munmap of part or all, mprotect, mremap (a shrink, or a move with
 *   MREMAP_MAYMOVE|MREMAP_FIXED to the region's other half, maybe growing), madvise (DONTNEED, REMOVE, FREE, COLD,
 *   PAGEOUT, WIPEONFORK/KEEPONFORK, DONTFORK/DOFORK, POPULATE_READ/WRITE, WILLNEED, DONTNEED_LOCKED), CPU reads and
 *   writes page by page (a SIGSEGV or SIGBUS ends the access, said), fork (the child writes, advises, reads itself
 *   with process_vm_readv or just exits; waited for), ftruncate, fallocate(PUNCH_HOLE), fsync of the slot's file,
 *   io_uring IORING_REGISTER_BUFFERS of a range (one table at a time), unregister, READ_FIXED and WRITE_FIXED into
 *   and from it, O_DIRECT pread/pwrite with a range as the buffer, process_vm_readv/writev on the program's own pid,
 *   vmsplice, mlock and munlock.
 * Every call's result is printed ("fuzz-ops: #N op ... ret=R", offsets relative to the slot's region, so the logs of
 * two releases compare line by line), and with -m the native events the other scenarios write. Everything is
 * sequential (the child is waited for), so a seed gives the same calls on every run; only the kernel's answers differ.
 * "wide" adds ranges that run past the mapping (into a hole or the reservation), file mappings at an offset,
 * MREMAP_DONTUNMAP, guard regions (6.13), MADV_HUGEPAGE, MERGEABLE and DONTDUMP, and mlock2(MLOCK_ONFAULT).
 * "deep" is "wide" and more (a third of its steps; the other modes draw none of it, so their sequences stay): the
 * other fallocate() modes (ZERO_RANGE with and without KEEP_SIZE, KEEP_SIZE and plain allocation past the end,
 * COLLAPSE_RANGE, INSERT_RANGE, sometimes unaligned), memfds made with MFD_ALLOW_SEALING (shmem, and MFD_HUGETLB) and
 * mapped private too, F_ADD_SEALS (F_SEAL_WRITE, F_SEAL_FUTURE_WRITE, SHRINK|GROW) of a memfd slot, often just after
 * registering a range of it as io_uring buffers, mremap() growing in place (over a hole it first punches in the
 * reservation), with MREMAP_MAYMOVE over that hole, or with MREMAP_MAYMOVE where the kernel must move it (then moved
 * back into the region with MREMAP_FIXED), fork() while a registered (pinned) table exists with writes by child and
 * parent into it and a READ_FIXED/WRITE_FIXED after, CPU writes into a range then its pin (registration, O_DIRECT
 * read, vmsplice), O_DIRECT at an offset of ext4, xfs and btrfs files (sometimes 512-byte granular) from any slot's
 * memory, MADV_COLLAPSE, NOHUGEPAGE, UNMERGEABLE, DODUMP, and in the last third mseal() (6.10; -ENOSYS before).
 * "deeper" is "deep" and, in a quarter of its steps (drawn before deep's, so that the other modes' sequences stay),
 * calls deep never makes: mlockall() (MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT) and munlockall(), RLIMIT_MEMLOCK's soft limit
 * lowered or raised then mlock() or a registration (a root run keeps CAP_IPC_LOCK: the limit is read, not enforced),
 * a sparse table of two (IORING_RSRC_REGISTER_SPARSE) filled by IORING_REGISTER_BUFFERS_UPDATE from two slots, slot
 * replaced or emptied, preadv2()/pwritev2() and preadv()/pwritev() O_DIRECT with two iovecs from two slots,
 * /proc/self/mem pread()/pwrite() of a range (FOLL_FORCE: PROT_NONE and read-only slots too), sync_file_range(),
 * fdatasync(), truncate() by path, dup() of the ring's fd then close() of either, memfd_secret() slots, and
 * MADV_FREE of a range then its reads or writes.
 * "deepest" is "deeper" with MAP_DROPPABLE slots (6.11; a tenth of its mappings) and, in a fifth of its steps (drawn
 * before deeper's, so that the other modes' sequences stay), what users do around pinned memory that deeper never
 * does: mmap(MAP_FIXED_NOREPLACE) over a slot's mapping, over the registered (pinned) range, or into a hole it first
 * punches in the reservation; msync() (MS_ASYNC, MS_SYNC,
 * MS_INVALIDATE) of a range; MADV_DONTFORK or MADV_WIPEONFORK of the registered range then fork() (the child touches
 * it) and a fixed read or write, sometimes MADV_DOFORK/KEEPONFORK after; MADV_COLD, PAGEOUT, POPULATE_READ/WRITE,
 * DONTNEED or FREE of the registered range then a fixed read or write; mincore() of a range; remap_file_pages() of a
 * range to another file offset.
 * THREADS (2 to 26) runs that many sequences at once, each in a thread of its own with its own slots, ring and files
 * (its handles, file names and log lines tagged "a", "b" ...): the process-wide calls (mlockall(), setrlimit(), fork())
 * of one meet the other's memory, and their events interleave in the recording as a multi-threaded program's do.
 *   fuzz-ops [-m] SEED NOPS [wide|deep|deeper|deepest [THREADS]]
 */
#include "lab-uring.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define NSLOTS 4
#define REGION (8 * MiB)
#define HALF (4 * MiB)
#define IO_MAX (16 * PAGE)

/* A thread's own state: with THREADS, each thread runs its own sequence on slots, a ring and files of its own. */
#define FUZZ_TLS __thread

static FUZZ_TLS uint64_t rng;
static FUZZ_TLS char tag[2];  /* with THREADS: "a", "b" ... in handles, file names and the log; else "" */

static uint64_t next(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

/* A number in [0, n). */
static unsigned pick(unsigned n)
{
    return n ? (unsigned)((next() >> 33) % n) : 0;
}

struct kind {
    const char *name;
    const char *path;   /* NULL: anonymous; "memfd": memfd_create; else a directory */
    int flags;          /* MAP_SHARED or MAP_PRIVATE (| MAP_ANONYMOUS | MAP_HUGETLB) */
    int huge;
};

static const struct kind kinds[] = {
    { "anon-private",      NULL,      MAP_PRIVATE | MAP_ANONYMOUS, 0 },
    { "anon-shared",       NULL,      MAP_SHARED | MAP_ANONYMOUS, 0 },
    { "memfd-shared",      "memfd",   MAP_SHARED, 0 },
    { "tmpfs-shared",      DIR_TMP,   MAP_SHARED, 0 },
    { "tmpfs-private",     DIR_TMP,   MAP_PRIVATE, 0 },
    { "ext4-shared",       DIR_EXT4,  MAP_SHARED, 0 },
    { "ext4-private",      DIR_EXT4,  MAP_PRIVATE, 0 },
    { "xfs-shared",        DIR_XFS,   MAP_SHARED, 0 },
    { "xfs-private",       DIR_XFS,   MAP_PRIVATE, 0 },
    { "btrfs-shared",      DIR_BTRFS, MAP_SHARED, 0 },
    { "btrfs-private",     DIR_BTRFS, MAP_PRIVATE, 0 },
    { "dax-shared",        DIR_DAX,   MAP_SHARED, 0 },
    { "dax-private",       DIR_DAX,   MAP_PRIVATE, 0 },
    { "xdax-shared",       DIR_XDAX,  MAP_SHARED, 0 },
    { "hugetlbfs-shared",  DIR_HUGE,  MAP_SHARED, 1 },
    { "hugetlbfs-private", DIR_HUGE,  MAP_PRIVATE, 1 },
    { "huge-anon-private", NULL,      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, 1 },
    { "huge-anon-shared",  NULL,      MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, 1 },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* "deep" only: memfds made with MFD_ALLOW_SEALING mapped private, and hugetlb memfds. */
static const struct kind deep_kinds[] = {
    { "memfd-private",     "memfd",      MAP_PRIVATE, 0 },
    { "memfd-shared",      "memfd",      MAP_SHARED, 0 },
    { "memfd-huge-shared", "memfd-huge", MAP_SHARED, 1 },
    { "memfd-huge-private", "memfd-huge", MAP_PRIVATE, 1 },
    { "anon-shared",       NULL,         MAP_SHARED | MAP_ANONYMOUS, 0 },
    { "xfs-private",       DIR_XFS,      MAP_PRIVATE, 0 },
};
#define NDEEP_KINDS (sizeof deep_kinds / sizeof deep_kinds[0])

struct slot {
    char *region;             /* REGION bytes, 2 MiB aligned */
    const struct kind *k;     /* NULL: empty */
    char *addr;               /* the mapping's start: region or region + HALF */
    size_t len;
    size_t pgoff;             /* the file offset the mapping starts at, in bytes */
    struct lab_file file;     /* fd -1: none */
    char path[64];
};

static FUZZ_TLS struct slot slots[NSLOTS];
static FUZZ_TLS struct io_uring ring;
static FUZZ_TLS int reg_slot = -1;     /* the slot whose range is the ring's table, -1: none */
static FUZZ_TLS char *reg_addr;
static FUZZ_TLS size_t reg_len;
static FUZZ_TLS struct lab_file dio_src, dio_dst, fixed_file;
static FUZZ_TLS char *local;           /* IO_MAX bytes of the program's own, for process_vm_readv/writev */
static FUZZ_TLS unsigned opno;
static FUZZ_TLS int in_child;
static int wide;             /* "wide": ranges past the mapping, file offsets, MREMAP_DONTUNMAP, guard regions, mlock2 */
static int deep;             /* "deep": wide, and the operations of deep_step() */
static unsigned nops_total;
static FUZZ_TLS struct lab_file dio_xfs, dio_btrfs;   /* deep: O_DIRECT targets on xfs and btrfs */
static int deeper;           /* "deeper": deep, and the operations of deeper_step() */
static FUZZ_TLS int reg_sparse;       /* the ring's table is deeper's sparse one (no markers describe it) */
static FUZZ_TLS int mem_fd = -1;      /* deeper: /proc/self/mem */
static int deepest;          /* "deepest": deeper, and the operations of deepest_step() */
static int threaded;         /* THREADS: sequences in threads of one process, sharing its fd table */
/* fuzz-dev (fuzz-dev.c, this program with vfio and RDMA) sets these: a step of its own, drawn in a third of the steps
 * on a mapped slot (never drawn here, so this program's sequences stay), and its teardown after the last step. */
static void (*device_step)(int s);
static void (*device_end)(void);

/* fork() for an operation's child: stdout flushed first (the child ends with _exit()), in_child set in the child. */
static pid_t fork_child(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        lab_die("fork");
    if (pid == 0)
        in_child = 1;
    return pid;
}

static FUZZ_TLS sigjmp_buf fault_jmp;
static FUZZ_TLS volatile sig_atomic_t fault_armed;

static void on_fault(int sig)
{
    if (!fault_armed) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    fault_armed = 0;
    siglongjmp(fault_jmp, sig);
}

static const char *prot_name(int prot)
{
    return (prot & PROT_WRITE) ? "rw" : (prot & PROT_READ) ? "r" : "none";
}

/* Where an address lies, for the log: slot and offset in its region. */
static void where(char *out, size_t n, int s, char *addr, size_t len)
{
    snprintf(out, n, "slot%d+0x%lx len=0x%zx", s, (unsigned long)(addr - slots[s].region), len);
}

static void op_say(const char *fmt, ...)
{
    va_list ap;
    flockfile(stdout);
    printf("fuzz-ops: #%s%u%s ", tag, opno, in_child ? " child" : "");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    funlockfile(stdout);
}

/* The unit a slot's ranges are counted in: a huge page for hugetlb mostly, now and then a small page (hugetlb's
 * -EINVAL for a range inside a huge page is part of what is judged). */
static size_t unit_of(const struct slot *sl)
{
    return sl->k && sl->k->huge && pick(4) != 0 ? HUGE : PAGE;
}

/* A random range inside the slot's mapping [addr, addr+len): sets *len, returns its start. At most MAX bytes. */
static char *range(const struct slot *sl, size_t *len, size_t max)
{
    size_t unit = unit_of(sl);
    if (unit > max)
        unit = PAGE;
    size_t units = sl->len / unit;
    if (units == 0) {
        *len = unit;
        return sl->addr;
    }
    size_t first = pick((unsigned)units);
    size_t n = 1 + pick((unsigned)(units - first));
    if (n * unit > max)
        n = max / unit ? max / unit : 1;
    *len = n * unit;
    char *a = sl->addr + first * unit;
    if (wide && pick(5) == 0) {   /* past the mapping's end, or from before its start, inside the region */
        size_t more = (1 + pick(4)) * unit;
        if (pick(2) && a - more >= sl->region) {
            a -= more;
            *len += more;
        } else if (a + *len + more <= sl->region + REGION) {
            *len += more;
        }
        if (*len > max && max >= PAGE)
            *len = max;
    }
    return a;
}

/* " dev=M:m" of FD for a marker naming a file by ino, which the replay tells apart by device (a memfd's inode number
 * may be an ext4 file's too, and two fresh ext4 filesystems, /mnt/ext4 and a /mnt/dax without pmem, give their first
 * files the same one), else "". */
static const char *dev_of(int fd)
{
    static FUZZ_TLS char buf[40];
    struct stat st;
    if (fstat(fd, &st) < 0)
        return "";
    snprintf(buf, sizeof buf, " dev=%u:%u", major(st.st_dev), minor(st.st_dev));
    return buf;
}

static void slot_close_file(struct slot *sl)
{
    if (sl->file.fd >= 0) {
        close(sl->file.fd);
        if (sl->path[0])
            unlink(sl->path);
    }
    sl->file.fd = -1;
    sl->path[0] = 0;
}

/* ---- operations ---------------------------------------------------------------------------------- */

static void op_map_kind(int s, const struct kind *k);

/* deeper: a memfd_secret() file of LEN bytes with its file marker, fd -1 when the kernel has none (-ENOSYS, or
 * secretmem.enable=0). */
static struct lab_file secret_file(size_t len)
{
    struct lab_file f = { (int)syscall(447 /* __NR_memfd_secret */, 0), 0, len };
    if (f.fd < 0)
        return f;
    if (ftruncate(f.fd, (off_t)len) < 0)
        lab_die("ftruncate (secretmem)");
    lab_file_marker(&f, "secretmem", 0);
    return f;
}

static void op_map(int s)
{
    static const struct kind secret = { "secretmem", "secretmem", MAP_SHARED, 0 };
    static const struct kind droppable = { "anon-droppable", NULL, 0x08 /* MAP_DROPPABLE */ | MAP_ANONYMOUS, 0 };
    const struct kind *k = deepest && pick(10) == 0 ? &droppable
                           : deeper && pick(8) == 0 ? &secret
                           : deep && pick(4) == 0 ? &deep_kinds[pick(NDEEP_KINDS)] : &kinds[pick(NKINDS)];
    op_map_kind(s, k);
}

static void op_map_kind(int s, const struct kind *k)
{
    struct slot *sl = &slots[s];
    if (sl->k) {   /* MAP_FIXED replaces the mapping; its file goes */
        long r = kret(munmap(sl->addr, sl->len));
        if (r == 0)
            mark("munmap: addr=%p len=0x%zx", sl->addr, sl->len);
        sl->k = NULL;
        slot_close_file(sl);
    }
    size_t len = k->huge ? (1 + pick(2)) * HUGE : (1 + pick(16)) * PAGE;
    int prot = pick(6) == 0 ? PROT_READ : PROT_READ | PROT_WRITE;
    int extra = 0;
    if (pick(4) == 0)
        extra |= MAP_POPULATE;
    if (pick(6) == 0)
        extra |= MAP_LOCKED;
    char *at = sl->region + (pick(2) ? HALF : 0);
    size_t pgoff = 0;   /* a file mapping's offset (wide) */
    if (wide && k->path && pick(3) == 0)
        pgoff = pick(4) * (k->huge ? HUGE : PAGE);
    sl->file.fd = -1;
    sl->path[0] = 0;
    if (k->path && strcmp(k->path, "memfd") == 0) {
        sl->file = lab_memfd("fuzz", len, deep ? MFD_ALLOW_SEALING : 0);
    } else if (k->path && strcmp(k->path, "memfd-huge") == 0) {
        sl->file = lab_memfd("fuzz", len, MFD_HUGETLB | MFD_ALLOW_SEALING);
    } else if (k->path && strcmp(k->path, "secretmem") == 0) {
        sl->file = secret_file(pgoff + len);
    } else if (k->path) {
        snprintf(sl->path, sizeof sl->path, "%s/fuzz-%s%d", k->path, tag, s);
        sl->file = lab_file_create(sl->path, pgoff + len, 0);
    } else {
        pgoff = 0;
    }
    void *p = mmap(at, len, prot, k->flags | extra | MAP_FIXED, sl->file.fd, (off_t)pgoff);
    long r = p == MAP_FAILED ? -(long)errno : 0;
    if (r == 0) {
        const char *fl = (k->flags & MAP_SHARED) ? "shared" : "private";
        /* the marker says all the mapping is: a replay with the mmap() syscall too maps it again from the marker */
        char more[32];
        snprintf(more, sizeof more, "%s%s", (extra & MAP_LOCKED) ? " locked=1" : "",
                 (extra & MAP_POPULATE) ? " populate=1" : "");
        if (sl->file.fd >= 0)
            mark("mmap: addr=%p len=0x%zx prot=%s flags=%s ino=%lu pgoff=%zu%s", p, len, prot_name(prot), fl,
                 sl->file.ino, pgoff / PAGE, more);
        else if (k->flags & MAP_HUGETLB)
            mark("mmap: addr=%p len=0x%zx prot=%s flags=%s hugetlb=1%s", p, len, prot_name(prot), fl, more);
        else if ((k->flags & MAP_TYPE) == 0x08)
            mark("mmap: addr=%p len=0x%zx prot=%s flags=private droppable=1%s", p, len, prot_name(prot), more);
        else
            mark("mmap: addr=%p len=0x%zx prot=%s flags=%s%s", p, len, prot_name(prot), fl, more);
        sl->k = k;
        sl->addr = at;
        sl->len = len;
        sl->pgoff = pgoff;
    } else {
        slot_close_file(sl);
    }
    op_say("map slot%d+0x%lx len=0x%zx %s%s prot=%s%s%s ret=%ld", s, (unsigned long)(at - sl->region), len, k->name,
           pgoff ? " at an offset" : "", prot_name(prot), (extra & MAP_POPULATE) ? " populate" : "",
           (extra & MAP_LOCKED) ? " locked" : "", r);
}

static void op_munmap(int s)
{
    struct slot *sl = &slots[s];
    char w[96];
    if (pick(3) == 0) {
        long r = kret(munmap(sl->addr, sl->len));
        if (r == 0)
            mark("munmap: addr=%p len=0x%zx", sl->addr, sl->len);
        where(w, sizeof w, s, sl->addr, sl->len);
        op_say("munmap all %s ret=%ld", w, r);
        if (r == 0) {
            sl->k = NULL;
            slot_close_file(sl);
        }
        return;
    }
    size_t len;
    char *a = range(sl, &len, REGION);
    long r = kret(munmap(a, len));
    if (r == 0)
        mark("munmap: addr=%p len=0x%zx", a, len);
    where(w, sizeof w, s, a, len);
    op_say("munmap %s ret=%ld", w, r);
}

static void op_mprotect(int s)
{
    struct slot *sl = &slots[s];
    static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE };
    int prot = prots[pick(3)];
    size_t len;
    char *a = range(sl, &len, REGION);
    long r = kret(mprotect(a, len, prot));
    if (r == 0)
        mark("mprotect: addr=%p len=0x%zx prot=%s", a, len, prot_name(prot));
    char w[96];
    where(w, sizeof w, s, a, len);
    op_say("mprotect %s prot=%s ret=%ld", w, prot_name(prot), r);
}

/* mremap() has no native event: the recording's syscall says it (as in mremap-matrix). */
static void op_mremap(int s)
{
    struct slot *sl = &slots[s];
    size_t unit = sl->k->huge ? HUGE : PAGE;
    char w[96];
    where(w, sizeof w, s, sl->addr, sl->len);
    if (pick(3) == 0 && sl->len > unit) {
        size_t newlen = (1 + pick((unsigned)(sl->len / unit - 1))) * unit;
        void *p = mremap(sl->addr, sl->len, newlen, 0);
        long r = p == MAP_FAILED ? -(long)errno : 0;
        op_say("mremap shrink %s to 0x%zx ret=%ld", w, newlen, r);
        if (r == 0)
            sl->len = newlen;
        return;
    }
    if (wide && pick(4) == 0) {   /* MREMAP_DONTUNMAP (5.7): the old range stays, empty */
        char *to = sl->addr == sl->region ? sl->region + HALF : sl->region;
        void *p = mremap(sl->addr, sl->len, sl->len, MREMAP_MAYMOVE | MREMAP_FIXED | 4 /* MREMAP_DONTUNMAP */, to);
        long r = p == MAP_FAILED ? -(long)errno : 0;
        op_say("mremap dontunmap %s to slot%d+0x%lx ret=%ld", w, s, (unsigned long)(to - sl->region), r);
        if (r == 0)
            sl->addr = to;
        return;
    }
    size_t max = sl->k->huge ? 2 * HUGE : 32 * PAGE;
    size_t newlen = (1 + pick((unsigned)(max / unit))) * unit;
    if (newlen > max)
        newlen = max;
    char *to = sl->addr == sl->region ? sl->region + HALF : sl->region;
    void *p = mremap(sl->addr, sl->len, newlen, MREMAP_MAYMOVE | MREMAP_FIXED, to);
    long r = p == MAP_FAILED ? -(long)errno : 0;
    op_say("mremap move %s to slot%d+0x%lx len=0x%zx ret=%ld", w, s, (unsigned long)(to - sl->region), newlen, r);
    if (r == 0) {
        sl->addr = to;
        sl->len = newlen;
    }
}

static const struct {
    int advice;
    const char *name;
} advices[] = {
    { 4, "dontneed" }, { 9, "remove" }, { 8, "free" }, { 20, "cold" }, { 21, "pageout" }, { 18, "wipeonfork" },
    { 19, "keeponfork" }, { 10, "dontfork" }, { 11, "dofork" }, { 22, "populate_read" }, { 23, "populate_write" },
    { 3, "willneed" }, { 24, "dontneed_locked" }, { 4, "dontneed" }, { 23, "populate_write" },
};
#define NADVICES (sizeof advices / sizeof advices[0])
static const struct {
    int advice;
    const char *name;
} wide_advices[] = {
    { 102, "guard_install" }, { 103, "guard_remove" }, { 14, "hugepage" }, { 12, "mergeable" }, { 16, "dontdump" },
};
#define NWIDE_ADVICES (sizeof wide_advices / sizeof wide_advices[0])
static const struct {
    int advice;
    const char *name;
} deep_advices[] = {
    { 25, "collapse" }, { 15, "nohugepage" }, { 13, "unmergeable" }, { 17, "dodump" }, { 14, "hugepage" },
    { 25, "collapse" },
};
#define NDEEP_ADVICES (sizeof deep_advices / sizeof deep_advices[0])

static void op_madvise(int s)
{
    struct slot *sl = &slots[s];
    unsigned a = pick(NADVICES);
    int advice = advices[a].advice;
    const char *name = advices[a].name;
    if (wide && pick(4) == 0) {
        unsigned b = pick(NWIDE_ADVICES);
        advice = wide_advices[b].advice;
        name = wide_advices[b].name;
    }
    if (deep && pick(4) == 0) {
        unsigned b = pick(NDEEP_ADVICES);
        advice = deep_advices[b].advice;
        name = deep_advices[b].name;
    }
    size_t len;
    char *p = range(sl, &len, REGION);
    long r = kret(syscall(SYS_madvise, p, len, advice));
    mark("madvise: addr=0x%lx len=0x%zx advice=%s ret=%ld", (unsigned long)p, len, name, r);
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("madvise %s %s ret=%ld", w, name, r);
}

/* The CPU reads or writes the range page by page; a SIGSEGV or SIGBUS stops it (the pages before were done). */
static void touch_range(int s, char *p, size_t len, int write);

static void op_touch(int s, int write)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    touch_range(s, p, len, write);
}

static void touch_range(int s, char *p, size_t len, int write)
{
    volatile size_t done = 0;
    int sig = sigsetjmp(fault_jmp, 1);
    if (sig == 0) {
        fault_armed = 1;
        for (; done < len; done += PAGE) {
            if (write)
                ((volatile char *)p)[done] = (char)('A' + opno % 26);
            else
                (void)((volatile char *)p)[done];
        }
        fault_armed = 0;
    }
    if (done > 0)
        mark("fault: addr=%p len=0x%zx write=%d", p, (size_t)done, write);
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("%s %s done=0x%zx signal=%d", write ? "write" : "read", w, (size_t)done, sig);
}

static void op_ftruncate(int s)
{
    struct slot *sl = &slots[s];
    size_t unit = sl->k->huge ? HUGE : PAGE;
    size_t size = pick((unsigned)(2 * sl->len / unit + 1)) * unit;
    long r = kret(ftruncate(sl->file.fd, (off_t)size));
    mark("ftruncate: ino=%lu size=%zu ret=%ld%s", sl->file.ino, size, r, dev_of(sl->file.fd));
    op_say("ftruncate slot%d %s size=0x%zx ret=%ld", s, sl->k->name, size, r);
}

static void op_punch(int s)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, REGION);
    size_t off = (size_t)(p - sl->addr);
    long r = kret(fallocate(sl->file.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len));
    mark("fallocate: ino=%lu mode=punch_hole offset=0x%zx len=0x%zx ret=%ld%s", sl->file.ino, off, len, r,
         dev_of(sl->file.fd));
    op_say("punch slot%d %s offset=0x%zx len=0x%zx ret=%ld", s, sl->k->name, off, len, r);
}

static void op_fsync(int s)
{
    struct slot *sl = &slots[s];
    long r = kret(fsync(sl->file.fd));
    op_say("fsync slot%d %s ret=%ld", s, sl->k->name, r);
}

/* io_uring_register_buffers() of [p, p + len), with its marker; on success the table is slot s's. */
static int register_range(int s, char *p, size_t len)
{
    struct iovec iov = { p, len };
    int r = io_uring_register_buffers(&ring, &iov, 1);
    mark("io_uring_register_buffers: handle=fuzz%s%u addr=%p len=0x%zx ret=%d", tag, opno, p, len, r);
    if (r == 0) {
        reg_slot = s;
        reg_addr = p;
        reg_len = len;
    }
    return r;
}

/* O_DIRECT pread() or pwrite() of [p, p + len) at offset 0 of f, between its markers (handle fuzzNSUFFIX). */
static long dio_range(struct lab_file *f, char *p, size_t len, int write, const char *suffix)
{
    mark("dio_submit: handle=fuzz%s%u%s ino=%lu offset=0 len=0x%zx buf=%p rw=%s%s", tag, opno, suffix, f->ino, len, p,
         write ? "write" : "read", dev_of(f->fd));
    long r = write ? kret(pwrite(f->fd, p, len, 0)) : kret(pread(f->fd, p, len, 0));
    mark("dio_complete: handle=fuzz%s%u%s ret=%ld", tag, opno, suffix, r);
    return r;
}

/* vmsplice() of [p, p + len) into a pipe (SPLICE_F_NONBLOCK: GUP of the pages), with its marker. */
static long vmsplice_range(char *p, size_t len)
{
    int fds[2];
    if (pipe(fds) < 0)
        lab_die("pipe");
    struct iovec r = { p, len };
    long n = kret(vmsplice(fds[1], &r, 1, SPLICE_F_NONBLOCK));
    mark("vmsplice: addr=%p len=0x%zx ret=%ld", p, len, n);
    close(fds[0]);
    close(fds[1]);
    return n;
}

static void op_register(int s)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, REGION);
    int r = register_range(s, p, len);
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("register %s ret=%d", w, r);
}

static void op_unregister(void)
{
    int r = io_uring_unregister_buffers(&ring);
    if (r == 0 && !reg_sparse)
        mark("io_uring_unregister_buffers: handle=fuzz%s", tag);
    op_say("unregister ret=%d", r);
    if (r == 0) {
        reg_slot = -1;
        reg_sparse = 0;
    }
}

/* READ_FIXED (the device writes the registered pages) or WRITE_FIXED (it reads them) of a part of the table. */
static void op_fixed(int write)
{
    size_t pages = reg_len / PAGE, first = pick((unsigned)pages), n = 1 + pick((unsigned)(pages - first));
    if (n > IO_MAX / PAGE)
        n = IO_MAX / PAGE;
    char *p = reg_addr + first * PAGE;
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    if (write)
        io_uring_prep_write_fixed(sqe, fixed_file.fd, p, (unsigned)(n * PAGE), 0, 0);
    else
        io_uring_prep_read_fixed(sqe, fixed_file.fd, p, (unsigned)(n * PAGE), 0, 0);
    io_uring_submit(&ring);
    struct io_uring_cqe *cqe;
    long r = io_uring_wait_cqe(&ring, &cqe);
    if (r == 0) {
        r = cqe->res;
        io_uring_cqe_seen(&ring, cqe);
    }
    if (r > 0 && !reg_sparse)
        mark("%s: handle=fuzz%s offset=0x%zx len=0x%lx", write ? "dma_read" : "dma_write", tag, first * PAGE, r);
    op_say("%s offset=0x%zx len=0x%zx ret=%ld", write ? "write_fixed" : "read_fixed", first * PAGE, n * PAGE, r);
}

static void op_dio(int s, int write)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    long r = dio_range(write ? &dio_dst : &dio_src, p, len, write, "");
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("dio %s %s ret=%ld", write ? "pwrite" : "pread", w, r);
}

static void op_pvm(int s, int write)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    pid_t self = getpid();
    struct iovec l = { local, len }, r = { p, len };
    long n = write ? kret(process_vm_writev(self, &l, 1, &r, 1, 0)) : kret(process_vm_readv(self, &l, 1, &r, 1, 0));
    mark("%s: pid=%d addr=%p len=0x%zx ret=%ld", write ? "process_vm_writev" : "process_vm_readv", self, p, len, n);
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("%s %s ret=%ld", write ? "process_vm_writev" : "process_vm_readv", w, n);
}

static void op_vmsplice(int s)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    long n = vmsplice_range(p, len);
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("vmsplice %s ret=%ld", w, n);
}

/* mlock()/munlock() have no native event: the recording's syscall says them. */
static void op_mlock(int s, int lock)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, REGION);
    int onfault = lock && wide && pick(3) == 0;   /* mlock2(MLOCK_ONFAULT): locked, not populated */
    long r = onfault ? kret(syscall(SYS_mlock2, p, len, 1)) : lock ? kret(mlock(p, len)) : kret(munlock(p, len));
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("%s %s ret=%ld", onfault ? "mlock2 onfault" : lock ? "mlock" : "munlock", w, r);
}

static int some_slot(void)
{
    int s = (int)pick(NSLOTS);
    for (int i = 0; i < NSLOTS; i++)
        if (slots[(s + i) % NSLOTS].k)
            return (s + i) % NSLOTS;
    return -1;
}

static int file_slot(void)
{
    int s = (int)pick(NSLOTS);
    for (int i = 0; i < NSLOTS; i++)
        if (slots[(s + i) % NSLOTS].k && slots[(s + i) % NSLOTS].file.fd >= 0)
            return (s + i) % NSLOTS;
    return -1;
}

/* The child writes, advises or reads itself (one to three of these), or just exits; the parent waits for it. The
 * child draws from a generator of its own, seeded from the parent's, so the parent's sequence does not depend on it. */
static void op_fork(void)
{
    unsigned plan = pick(4);
    uint64_t child_rng = next() | 1;
    pid_t pid = fork_child();
    if (pid == 0) {
        rng = child_rng;
        for (unsigned i = 0; i < plan; i++) {
            int s = some_slot();
            if (s < 0)
                break;
            switch (pick(4)) {
            case 0: op_touch(s, 1); break;
            case 1: op_touch(s, 0); break;
            case 2: op_pvm(s, 0); break;
            default: op_madvise(s); break;
            }
        }
        fflush(stdout);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    op_say("fork child ops=%u status=0x%x", plan, status);
}

/* ---- "deep" operations ------------------------------------------------------------------------ */

static int memfd_slot(void)
{
    int s = (int)pick(NSLOTS);
    for (int i = 0; i < NSLOTS; i++) {
        const struct slot *sl = &slots[(s + i) % NSLOTS];
        if (sl->k && sl->file.fd >= 0 && strncmp(sl->k->path, "memfd", 5) == 0)
            return (s + i) % NSLOTS;
    }
    return -1;
}

/* fallocate() with the modes op_punch() lacks, at the file offset of a range of the slot (sometimes past its end,
 * sometimes at 512-byte granularity). */
static void op_falloc(int s)
{
    static const struct {
        int mode;
        const char *name;
    } modes[] = {
        { FALLOC_FL_ZERO_RANGE, "zero_range" }, { FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, "zero_range|keep_size" },
        { FALLOC_FL_KEEP_SIZE, "keep_size" }, { 0, "allocate" }, { FALLOC_FL_COLLAPSE_RANGE, "collapse_range" },
        { FALLOC_FL_INSERT_RANGE, "insert_range" }, { FALLOC_FL_COLLAPSE_RANGE, "collapse_range" },
        { FALLOC_FL_INSERT_RANGE, "insert_range" },
    };
    struct slot *sl = &slots[s];
    unsigned m = pick(sizeof modes / sizeof modes[0]);
    size_t len;
    char *p = range(sl, &len, REGION);
    size_t off = (size_t)(p - sl->addr) + sl->pgoff;
    unsigned how = pick(6);
    if (how == 0) {                 /* past the mapping's end */
        off += sl->len;
    } else if (how == 1) {          /* 512-byte granular: inside a page */
        off += 512 * pick(8);
        len = 512 * (1 + pick(8));
    }
    long r = kret(fallocate(sl->file.fd, modes[m].mode, (off_t)off, (off_t)len));
    mark("fallocate: ino=%lu mode=%s offset=0x%zx len=0x%zx ret=%ld%s", sl->file.ino, modes[m].name, off, len, r,
         dev_of(sl->file.fd));
    struct stat st;
    long size = fstat(sl->file.fd, &st) == 0 ? (long)st.st_size : -1;
    op_say("fallocate slot%d %s %s offset=0x%zx len=0x%zx ret=%ld size=0x%lx", s, sl->k->name, modes[m].name, off,
           len, r, size);
}

/* F_ADD_SEALS on a memfd slot, often with a range of it just registered as io_uring buffers (pinned). */
static void op_seal(int s)
{
    static const struct {
        int seals;
        const char *name;
    } seals[] = {
        { F_SEAL_WRITE, "write" }, { 0x0010 /* F_SEAL_FUTURE_WRITE */, "future_write" },
        { F_SEAL_SHRINK | F_SEAL_GROW, "shrink|grow" }, { F_SEAL_WRITE | F_SEAL_SHRINK, "write|shrink" },
        { F_SEAL_WRITE, "write" }, { 0x0010, "future_write" },
    };
    struct slot *sl = &slots[s];
    unsigned k = pick(sizeof seals / sizeof seals[0]);
    if (pick(2) && reg_slot != s) {   /* pin a range of it first */
        if (reg_slot >= 0)
            op_unregister();
        if (reg_slot < 0)
            op_register(s);
    }
    long r = kret(fcntl(sl->file.fd, F_ADD_SEALS, seals[k].seals));
    mark("add_seals: ino=%lu seals=0x%x ret=%ld%s", sl->file.ino, seals[k].seals, r, dev_of(sl->file.fd));
    op_say("seal slot%d %s %s pinned=%d ret=%ld seals=0x%lx", s, sl->k->name, seals[k].name, reg_slot == s, r,
           lab_seals_of(sl->file.fd));
}

/* Moves a slot that MREMAP_MAYMOVE put elsewhere back into its region's other half; if that fails, unmaps it. */
static void grow_back(int s, char *p, size_t newlen)
{
    struct slot *sl = &slots[s];
    char *to = sl->addr == sl->region ? sl->region + HALF : sl->region;
    void *q = mremap(p, newlen, newlen, MREMAP_MAYMOVE | MREMAP_FIXED, to);
    long r = q == MAP_FAILED ? -(long)errno : 0;
    op_say("mremap back to slot%d+0x%lx len=0x%zx ret=%ld", s, (unsigned long)(to - sl->region), newlen, r);
    if (r == 0) {
        sl->addr = to;
        sl->len = newlen;
        return;
    }
    r = kret(munmap(p, newlen));
    if (r == 0)
        mark("munmap: addr=%p len=0x%zx", p, newlen);
    op_say("munmap the moved slot%d ret=%ld", s, r);
    sl->k = NULL;
    slot_close_file(sl);
}

/* mremap() growing: in place over a hole punched in the reservation, MREMAP_MAYMOVE over such a hole (it stays), or
 * MREMAP_MAYMOVE where the next page is mapped (the kernel moves it: then back into the region). */
static void op_grow(int s)
{
    struct slot *sl = &slots[s];
    size_t unit = sl->k->huge ? HUGE : PAGE;
    size_t extra = (1 + pick(4)) * unit;
    unsigned how = pick(3);
    char *end = sl->addr + sl->len;
    if (end + extra > sl->region + REGION)
        extra = (size_t)(sl->region + REGION - end);
    char w[96];
    where(w, sizeof w, s, sl->addr, sl->len);
    if (extra == 0) {
        op_say("mremap grow %s: no room", w);
        return;
    }
    if (how < 2) {   /* the reservation (or whatever lies there) goes first */
        long r = kret(munmap(end, extra));
        if (r == 0)
            mark("munmap: addr=%p len=0x%zx", end, extra);
        op_say("munmap after %s len=0x%zx ret=%ld", w, extra, r);
    }
    int flags = how == 0 ? 0 : MREMAP_MAYMOVE;
    size_t newlen = sl->len + extra;
    void *p = mremap(sl->addr, sl->len, newlen, flags);
    long r = p == MAP_FAILED ? -(long)errno : 0;
    int moved = r == 0 && (char *)p != sl->addr;
    op_say("mremap grow%s %s to 0x%zx ret=%ld moved=%d", how == 0 ? "" : " maymove", w, newlen, r, moved);
    if (r != 0)
        return;
    if (!moved) {
        sl->len = newlen;
        return;
    }
    grow_back(s, p, newlen);
}

/* fork() while a table of io_uring buffers is registered: the child writes into it (and maybe reads O_DIRECT into it
 * or reads itself), the parent writes after, then a fixed read or write of the table. */
static void op_fork_pinned(int s)
{
    if (reg_slot < 0)
        op_register(s);
    if (reg_slot < 0)
        return;
    unsigned plan = pick(3);
    size_t pages = reg_len / PAGE;
    size_t first = pick((unsigned)pages), n = 1 + pick((unsigned)(pages - first));
    if (n > IO_MAX / PAGE)
        n = IO_MAX / PAGE;
    char *p = reg_addr + first * PAGE;
    int rs = reg_slot;
    pid_t pid = fork_child();
    if (pid == 0) {
        touch_range(rs, p, n * PAGE, 1);
        if (plan == 1) {
            long r = dio_range(&dio_src, p, n * PAGE, 0, "c");
            char w[96];
            where(w, sizeof w, rs, p, n * PAGE);
            op_say("dio pread %s ret=%ld", w, r);
        } else if (plan == 2) {
            struct iovec l = { local, n * PAGE }, rv = { p, n * PAGE };
            long r = kret(process_vm_readv(getpid(), &l, 1, &rv, 1, 0));
            mark("process_vm_readv: pid=%d addr=%p len=0x%zx ret=%ld", getpid(), p, n * PAGE, r);
            char w[96];
            where(w, sizeof w, rs, p, n * PAGE);
            op_say("process_vm_readv %s ret=%ld", w, r);
        }
        fflush(stdout);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    op_say("fork pinned child plan=%u status=0x%x", plan, status);
    if (pick(2))
        touch_range(rs, p, n * PAGE, 1);
    op_fixed((int)pick(2));
}

/* The CPU writes a range (of a private file mapping, most interesting), then it is pinned. */
static void op_write_pin(int s)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    unsigned how = pick(3);
    touch_range(s, p, len, 1);
    char w[96];
    where(w, sizeof w, s, p, len);
    if (how == 0) {
        if (reg_slot >= 0)
            op_unregister();
        if (reg_slot >= 0)
            return;
        op_say("register written %s ret=%d", w, register_range(s, p, len));
    } else if (how == 1) {
        op_say("dio pread written %s ret=%ld", w, dio_range(&dio_src, p, len, 0, ""));
    } else {
        op_say("vmsplice written %s ret=%ld", w, vmsplice_range(p, len));
    }
}

/* O_DIRECT at an offset of an ext4, xfs or btrfs file, from or into a range of the slot; sometimes 512-byte
 * granular (ext4 and xfs refuse what their logical block size does not divide; btrfs goes buffered). */
static void op_dio_fs(int s)
{
    struct slot *sl = &slots[s];
    struct lab_file *files[] = { &dio_src, &dio_xfs, &dio_btrfs };
    static const char *const fsname[] = { "ext4", "xfs", "btrfs" };
    unsigned f = pick(3);
    int write = (int)pick(2);
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    size_t off = pick(4) * PAGE;
    if (pick(4) == 0) {
        p += 512 * pick(8);
        len = 512 * (1 + pick(16));
    }
    struct stat st;
    if (fstat(files[f]->fd, &st) < 0)
        lab_die("fstat");
    mark("dio_submit: handle=fuzz%s%u ino=%lu offset=0x%zx len=0x%zx buf=%p rw=%s dev=%u:%u", tag, opno,
         files[f]->ino, off,
         len, p, write ? "write" : "read", major(st.st_dev), minor(st.st_dev));
    long r = write ? kret(pwrite(files[f]->fd, p, len, (off_t)off)) : kret(pread(files[f]->fd, p, len, (off_t)off));
    mark("dio_complete: handle=fuzz%s%u ret=%ld", tag, opno, r);
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("dio %s %s %s offset=0x%zx ret=%ld", fsname[f], write ? "pwrite" : "pread", w, off, r);
}

/* mseal() (6.10) of a range: in the last third only, since nothing of a sealed slot can change again. */
static void op_mseal(int s)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, REGION);
    long r = kret(syscall(462 /* __NR_mseal */, p, len, 0));
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("mseal %s ret=%ld", w, r);
}

static void deep_step(int s)
{
    unsigned op = pick(100);
    if (op < 16) {
        int f = file_slot();
        if (f < 0) op_map(s); else op_falloc(f);
        return;
    }
    if (op < 28) {
        int m = memfd_slot();
        if (m < 0) op_map_kind(s, &deep_kinds[pick(4)]); else op_seal(m);
        return;
    }
    if (op < 42) { op_grow(s); return; }
    if (op < 54) { op_fork_pinned(s); return; }
    if (op < 66) { op_write_pin(s); return; }
    if (op < 80) { op_dio_fs(s); return; }
    if (op < 86 && opno > 2 * nops_total / 3) { op_mseal(s); return; }
    if (op < 92) { op_madvise(s); return; }
    op_map(s);
}


/* ---- "deeper" operations ---------------------------------------------------------------------- */

/* mlockall() with MCL_CURRENT, MCL_FUTURE and MCL_ONFAULT mixed (no native event: the syscall says it), or
 * munlockall(). */
static void op_mlockall(void)
{
    static const struct {
        int flags;
        const char *name;
    } how[] = {
        { MCL_CURRENT, "current" }, { MCL_FUTURE, "future" }, { MCL_CURRENT | MCL_FUTURE, "current|future" },
        { MCL_CURRENT | 4 /* MCL_ONFAULT */, "current|onfault" }, { MCL_FUTURE | 4, "future|onfault" },
        { MCL_CURRENT | MCL_FUTURE | 4, "current|future|onfault" }, { 4, "onfault" }, { 0, "munlockall" },
        { 0, "munlockall" },
    };
    unsigned h = pick(sizeof how / sizeof how[0]);
    long r = strcmp(how[h].name, "munlockall") == 0 ? kret(munlockall()) : kret(mlockall(how[h].flags));
    op_say("mlockall %s ret=%ld", how[h].name, r);
}

/* Whether the task has CAP_IPC_LOCK (its charges then pass any RLIMIT_MEMLOCK), from /proc/self/status. */
static int cap_ipc_lock(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        lab_die("/proc/self/status");
    char line[256];
    unsigned long long capeff = 0;
    while (fgets(line, sizeof line, f))
        sscanf(line, "CapEff: %llx", &capeff);
    fclose(f);
    return (int)((capeff >> 14) & 1);
}

/* setrlimit(RLIMIT_MEMLOCK): the soft limit to a few pages or back to the hard one (which a task without
 * CAP_SYS_RESOURCE cannot raise), with the memlock marker of what it now is, then mlock() of a range or a registration
 * of it. */
static void op_rlimit(int s)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
        lab_die("getrlimit");
    rlim_t limits[] = { 0, 4 * PAGE, 64 * PAGE, rl.rlim_max };
    rlim_t lim = limits[pick(sizeof limits / sizeof limits[0])];
    if (lim > rl.rlim_max)
        lim = rl.rlim_max;
    rl.rlim_cur = lim;
    long r = kret(setrlimit(RLIMIT_MEMLOCK, &rl));
    if (r == 0 && lim == RLIM_INFINITY)
        mark("memlock: pid=%d rlimit=unlimited cap_ipc_lock=%d", getpid(), cap_ipc_lock());
    else if (r == 0)
        mark("memlock: pid=%d rlimit=%lu cap_ipc_lock=%d", getpid(), (unsigned long)lim, cap_ipc_lock());
    op_say("setrlimit memlock=0x%lx ret=%ld", lim == RLIM_INFINITY ? ~0UL : (unsigned long)lim, r);
    if (pick(2)) {
        op_mlock(s, 1);
    } else {
        if (reg_slot >= 0)
            op_unregister();
        if (reg_slot < 0)
            op_register(s);
    }
}

/* A sparse table of two (IORING_RSRC_REGISTER_SPARSE), its slots filled from two slots' ranges, then one replaced or
 * emptied, and a fixed read or write of slot 0: IORING_REGISTER_BUFFERS_UPDATE has no native event (as in
 * iouring-tables), so nothing of this table is marked. */
static void op_sparse(int s)
{
    if (reg_slot >= 0)
        op_unregister();
    if (reg_slot >= 0)
        return;
    int r = io_uring_register_buffers_sparse(&ring, 2);
    op_say("sparse register 2 ret=%d", r);
    if (r != 0)
        return;
    reg_slot = s;
    reg_sparse = 1;
    reg_addr = NULL;
    reg_len = 0;
    int other = some_slot();
    for (unsigned i = 0; i < 2; i++) {
        int t = i == 0 ? s : other;
        size_t len;
        char *p = range(&slots[t], &len, REGION);
        struct iovec iov = { p, len };
        __u64 tag = 0;
        r = io_uring_register_buffers_update_tag(&ring, i, &iov, &tag, 1);
        char w[96];
        where(w, sizeof w, t, p, len);
        op_say("sparse update %u %s ret=%d", i, w, r);
        if (i == 0 && r == 1) {
            reg_addr = p;
            reg_len = len;
        }
    }
    unsigned again = pick(3);
    if (again < 2) {   /* replace slot AGAIN with another range, or empty it */
        size_t len;
        char *p = range(&slots[s], &len, REGION);
        struct iovec iov = { again ? NULL : p, again ? 0 : len };
        __u64 tag = 0;
        r = io_uring_register_buffers_update_tag(&ring, again, &iov, &tag, 1);
        char w[96];
        where(w, sizeof w, s, p, len);
        op_say("sparse %s %u %s ret=%d", again ? "empty" : "replace", again, w, r);
        if (again == 0 && r == 1) {
            reg_addr = p;
            reg_len = len;
        }
    }
    if (reg_len < PAGE) {   /* slot 0 empty: no table the other operations could use */
        op_unregister();
        return;
    }
    op_fixed((int)pick(2));
}

/* preadv2()/pwritev2() (or preadv()/pwritev()) O_DIRECT with two iovecs, a range of slot s then one of another slot
 * (no native event: a dio_submit says one buffer). */
static void op_dio_vec(int s)
{
    int t = some_slot();
    size_t l0, l1;
    char *p0 = range(&slots[s], &l0, IO_MAX / 2), *p1 = range(&slots[t], &l1, IO_MAX / 2);
    int write = (int)pick(2);
    unsigned how = pick(3);   /* 0: preadv/pwritev; 1: the v2 calls, flags 0; 2: pwritev2(RWF_DSYNC), preadv2(RWF_HIPRI) */
    struct iovec iov[2] = { { p0, l0 }, { p1, l1 } };
    struct lab_file *f = write ? &dio_dst : &dio_src;
    off_t off = (off_t)(pick(4) * PAGE);
    int flags = how == 2 ? (write ? RWF_DSYNC : RWF_HIPRI) : 0;
    long r;
    if (how == 0)
        r = write ? kret(pwritev(f->fd, iov, 2, off)) : kret(preadv(f->fd, iov, 2, off));
    else
        r = write ? kret(pwritev2(f->fd, iov, 2, off, flags)) : kret(preadv2(f->fd, iov, 2, off, flags));
    char w0[96], w1[96];
    where(w0, sizeof w0, s, p0, l0);
    where(w1, sizeof w1, t, p1, l1);
    op_say("%s%s %s + %s offset=0x%lx flags=0x%x ret=%ld", write ? "pwritev" : "preadv", how ? "2" : "", w0, w1,
           (long)off, flags, r);
}

/* pread()/pwrite() of /proc/self/mem over a range of the slot: mem_rw() -> access_remote_vm(), FOLL_FORCE (a
 * PROT_NONE or read-only private mapping is reached, a read-only shared one not written). */
static void op_procmem(int s)
{
    size_t len;
    char *p = range(&slots[s], &len, IO_MAX);
    int write = (int)pick(2);
    long r = write ? kret(pwrite(mem_fd, local, len, (off_t)(uintptr_t)p))
                   : kret(pread(mem_fd, local, len, (off_t)(uintptr_t)p));
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("/proc/self/mem %s %s ret=%ld", write ? "pwrite" : "pread", w, r);
}

/* sync_file_range() of a part of the slot's file, fdatasync(), or truncate() by its path (memfds have none). */
static void op_filesync(int s)
{
    struct slot *sl = &slots[s];
    unsigned how = pick(3);
    if (how == 2 && sl->path[0]) {
        size_t unit = sl->k->huge ? HUGE : PAGE;
        size_t size = pick((unsigned)(2 * sl->len / unit + 1)) * unit;
        long r = kret(truncate(sl->path, (off_t)size));
        mark("ftruncate: ino=%lu size=%zu ret=%ld%s", sl->file.ino, size, r, dev_of(sl->file.fd));
        op_say("truncate slot%d %s size=0x%zx ret=%ld", s, sl->k->name, size, r);
        return;
    }
    if (how == 1) {
        long r = kret(fdatasync(sl->file.fd));
        op_say("fdatasync slot%d %s ret=%ld", s, sl->k->name, r);
        return;
    }
    static const unsigned flagset[] = { SYNC_FILE_RANGE_WRITE,
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER, SYNC_FILE_RANGE_WAIT_AFTER };
    unsigned fl = flagset[pick(3)];
    size_t len;
    char *p = range(sl, &len, REGION);
    size_t off = (size_t)(p - sl->addr) + sl->pgoff;
    if (pick(4) == 0)
        len = 0;   /* to the end of the file */
    long r = kret(sync_file_range(sl->file.fd, (off_t)off, (off_t)len, fl));
    op_say("sync_file_range slot%d %s offset=0x%zx len=0x%zx flags=0x%x ret=%ld", s, sl->k->name, off, len, fl, r);
}

/* dup() of the ring's fd, then close() of the copy, or of the original with the copy taking its place (dup2()
 * back): the ring lives while one fd refers to it. */
static void op_dup_ring(void)
{
    int fd = (int)kret(dup(ring.ring_fd));
    if (fd < 0) {
        op_say("dup ring ret=%d", fd);
        return;
    }
    /* with THREADS the fd table is shared: between close() and dup2() another thread may take the number, and dup2()
     * then closes its file (a program's race, not the kernel's): the copy is closed instead */
    unsigned how = pick(2) && !threaded;
    long r;
    if (how == 0) {
        r = kret(close(fd));
    } else {   /* the original goes; the copy is moved back to its number */
        int orig = ring.ring_fd;
        r = kret(close(orig));
        if (r == 0)
            r = kret(dup2(fd, orig));
        if (r >= 0)
            r = kret(close(fd));
    }
    op_say("dup ring %s ret=%ld", how ? "close original, dup2 back" : "close copy", r);
}

/* MADV_FREE of a range, then the CPU reads or writes it (a lazily freed page stays until reclaim). */
static void op_free_touch(int s)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    long r = kret(syscall(SYS_madvise, p, len, 8 /* MADV_FREE */));
    mark("madvise: addr=0x%lx len=0x%zx advice=free ret=%ld", (unsigned long)p, len, r);
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("madvise %s free ret=%ld", w, r);
    touch_range(s, p, len, (int)pick(2));
}

static void deeper_step(int s)
{
    unsigned op = pick(100);
    if (op < 10) { op_mlockall(); return; }
    if (op < 20) { op_rlimit(s); return; }
    if (op < 34) { op_sparse(s); return; }
    if (op < 50) { op_dio_vec(s); return; }
    if (op < 64) { op_procmem(s); return; }
    if (op < 78) {
        int f = file_slot();
        if (f < 0) op_map(s); else op_filesync(f);
        return;
    }
    if (op < 86) { op_dup_ring(); return; }
    if (op < 94) { op_free_touch(s); return; }
    op_map(s);
}

/* ---- "deepest" operations --------------------------------------------------------------------- */

/* mmap(MAP_FIXED_NOREPLACE) of anonymous memory over a range of the slot's mapping, over the registered range, or
 * into a hole first punched in the reservation past the mapping (there it maps, and the CPU may write it). */
static void op_noreplace(int s)
{
    struct slot *sl = &slots[s];
    unsigned how = pick(3);
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    if (how == 1 && reg_slot >= 0 && !reg_sparse) {
        p = reg_addr;
        len = reg_len < IO_MAX ? reg_len : IO_MAX;
    } else if (how == 2) {
        char *end = sl->addr + sl->len;
        len = (1 + pick(4)) * PAGE;
        if (end + len > sl->region + REGION) {
            op_say("noreplace after slot%d: no room", s);
            return;
        }
        p = end;
        long r = kret(munmap(p, len));
        if (r == 0)
            mark("munmap: addr=%p len=0x%zx", p, len);
    }
    int prot = pick(3) == 0 ? PROT_READ : PROT_READ | PROT_WRITE;
    void *q = mmap(p, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | 0x100000 /* MAP_FIXED_NOREPLACE */, -1, 0);
    long r = q == MAP_FAILED ? -(long)errno : q == p ? 0 : 1;
    if (r == 0)
        mark("mmap: addr=%p len=0x%zx prot=%s flags=private", p, len, prot_name(prot));
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("mmap noreplace %s %s prot=%s ret=%ld", how == 0 ? "over" : how == 1 ? "over pinned" : "hole", w,
           prot_name(prot), r);
    if (r == 0 && prot != PROT_READ && pick(2))
        touch_range(s, p, len, 1);
}

/* msync() of a range: MS_ASYNC, MS_SYNC (vfs_fsync_range() of a shared file mapping's range), MS_INVALIDATE
 * (-EBUSY over a locked VMA), or MS_SYNC | MS_INVALIDATE. */
static void op_msync(int s)
{
    static const struct {
        int flags;
        const char *name;
    } how[] = {
        { MS_ASYNC, "async" }, { MS_SYNC, "sync" }, { MS_INVALIDATE, "invalidate" },
        { MS_SYNC | MS_INVALIDATE, "sync|invalidate" }, { MS_SYNC, "sync" },
    };
    unsigned h = pick(sizeof how / sizeof how[0]);
    size_t len;
    char *p = range(&slots[s], &len, REGION);
    long r = kret(msync(p, len, how[h].flags));
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("msync %s %s ret=%ld", w, how[h].name, r);
}

/* madvise() of exactly the registered range, then what the advice changes: MADV_DONTFORK or WIPEONFORK then fork()
 * (the child touches the range: a DONTFORK child has none of it, a WIPEONFORK child's is empty), MADV_COLD, PAGEOUT,
 * POPULATE_READ/WRITE, DONTNEED or FREE; then a fixed read or write of the table. */
static void op_advise_pinned(int s)
{
    static const struct {
        int advice;
        const char *name;
        int undo;          /* the advice that undoes it after the fork, 0: none */
        const char *undo_name;
    } adv[] = {
        { 10, "dontfork", 11, "dofork" }, { 18, "wipeonfork", 19, "keeponfork" }, { 20, "cold", 0, NULL },
        { 21, "pageout", 0, NULL }, { 22, "populate_read", 0, NULL }, { 23, "populate_write", 0, NULL },
        { 4, "dontneed", 0, NULL }, { 8, "free", 0, NULL }, { 10, "dontfork", 11, "dofork" },
    };
    if (reg_slot < 0 || reg_sparse)
        op_register(s);
    if (reg_slot < 0 || reg_sparse)
        return;
    unsigned a = pick(sizeof adv / sizeof adv[0]);
    int rs = reg_slot;
    long r = kret(syscall(SYS_madvise, reg_addr, reg_len, adv[a].advice));
    mark("madvise: addr=0x%lx len=0x%zx advice=%s ret=%ld", (unsigned long)reg_addr, reg_len, adv[a].name, r);
    char w[96];
    where(w, sizeof w, rs, reg_addr, reg_len);
    op_say("madvise pinned %s %s ret=%ld", w, adv[a].name, r);
    if (adv[a].undo) {
        size_t n = reg_len < IO_MAX ? reg_len : IO_MAX;
        int write = (int)pick(2);
        pid_t pid = fork_child();
        if (pid == 0) {
            touch_range(rs, reg_addr, n, write);
            fflush(stdout);
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        op_say("fork child touched=%d status=0x%x", write, status);
        if (pick(2)) {
            r = kret(syscall(SYS_madvise, reg_addr, reg_len, adv[a].undo));
            mark("madvise: addr=0x%lx len=0x%zx advice=%s ret=%ld", (unsigned long)reg_addr, reg_len,
                 adv[a].undo_name, r);
            op_say("madvise pinned %s %s ret=%ld", w, adv[a].undo_name, r);
        }
    }
    op_fixed((int)pick(2));
}

/* mincore() of a range (-ENOMEM over a hole). */
static void op_mincore(int s)
{
    size_t len;
    char *p = range(&slots[s], &len, IO_MAX);
    unsigned char vec[IO_MAX / PAGE];
    long r = kret(mincore(p, len, vec));
    unsigned in = 0;
    for (size_t i = 0; r == 0 && i < len / PAGE; i++)
        in += vec[i] & 1;
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("mincore %s ret=%ld resident=%u", w, r, in);
}

/* remap_file_pages() (deprecated; a do_mmap() of the VMA's file since 3.16) of a range of a shared slot to another file
 * page offset, MAP_NONBLOCK sometimes (not populated): -EINVAL on a private or anonymous private slot. */
static void op_remap_file_pages(int s)
{
    struct slot *sl = &slots[s];
    size_t len;
    char *p = range(sl, &len, IO_MAX);
    size_t unit = sl->k->huge ? HUGE : PAGE;
    size_t pgoff = pick((unsigned)(sl->len / unit + 1)) * (unit / PAGE);
    int flags = pick(4) == 0 ? MAP_NONBLOCK : 0;
    long r = kret(syscall(SYS_remap_file_pages, p, len, 0, pgoff, flags));
    char w[96];
    where(w, sizeof w, s, p, len);
    op_say("remap_file_pages %s pgoff=0x%zx%s ret=%ld", w, pgoff, flags ? " nonblock" : "", r);
}

static void deepest_step(int s)
{
    unsigned op = pick(100);
    if (op < 25) { op_noreplace(s); return; }
    if (op < 50) { op_msync(s); return; }
    if (op < 80) { op_advise_pinned(s); return; }
    if (op < 88) { op_mincore(s); return; }
    if (op < 96) { op_remap_file_pages(s); return; }
    op_map(s);
}

static void step(void)
{
    int s = (int)pick(NSLOTS);
    unsigned op = pick(100);
    if (deepest && slots[s].k && pick(5) == 0) {
        deepest_step(s);
        return;
    }
    if (device_step && slots[s].k && pick(3) == 0) {
        device_step(s);
        return;
    }
    if (deeper && slots[s].k && pick(4) == 0) {
        deeper_step(s);
        return;
    }
    if (deep && slots[s].k && pick(3) == 0) {
        deep_step(s);
        return;
    }
    if (!slots[s].k || op < 8) {
        op_map(s);
        return;
    }
    if (op < 13) { op_munmap(s); return; }
    if (op < 19) { op_mprotect(s); return; }
    if (op < 24) { op_mremap(s); return; }
    if (op < 40) { op_madvise(s); return; }
    if (op < 47) { op_touch(s, 1); return; }
    if (op < 51) { op_touch(s, 0); return; }
    if (op < 55) { op_fork(); return; }
    if (op < 62) {
        int f = file_slot();
        if (f < 0) { op_madvise(s); return; }
        unsigned w = pick(3);
        if (w == 0) op_ftruncate(f); else if (w == 1) op_punch(f); else op_fsync(f);
        return;
    }
    if (op < 70) {
        if (reg_slot >= 0 && pick(2)) op_unregister(); else op_register(s);
        return;
    }
    if (op < 75) {
        if (reg_slot >= 0) op_fixed((int)pick(2)); else op_register(s);
        return;
    }
    if (op < 83) { op_dio(s, (int)pick(2)); return; }
    if (op < 89) { op_pvm(s, (int)pick(2)); return; }
    if (op < 92) { op_vmsplice(s); return; }
    op_mlock(s, (int)pick(2));
}

/* One sequence: the seed's, or with THREADS thread t's (tag "a" + t), on slots, a ring and files of its own. */
struct run {
    unsigned long seed;
    unsigned nops;
    int thread;         /* -1: the only one */
};

static void *run(void *arg)
{
    const struct run *r = arg;
    char path[96];
    if (r->thread >= 0)
        tag[0] = (char)('a' + r->thread);
    rng = 0x9E3779B97F4A7C15ULL ^ (r->seed * 0xD1B54A32D192ED03ULL) ^ ((uint64_t)(r->thread + 1) << 56);
    if (rng == 0)
        rng = 1;
    int e = io_uring_queue_init(4, &ring, 0);
    if (e < 0) {
        errno = -e;
        lab_die("io_uring_queue_init");
    }
    snprintf(path, sizeof path, DIR_EXT4 "/fuzz-dio-src%s", tag);
    dio_src = lab_file_create(path, IO_MAX, O_DIRECT);
    snprintf(path, sizeof path, DIR_EXT4 "/fuzz-dio-dst%s", tag);
    dio_dst = lab_file_create(path, IO_MAX, O_DIRECT);
    snprintf(path, sizeof path, DIR_TMP "/fuzz-fixed%s", tag);
    fixed_file = lab_file_create(path, IO_MAX, 0);
    if (deep) {
        snprintf(path, sizeof path, DIR_XFS "/fuzz-dio%s", tag);
        dio_xfs = lab_file_create(path, 4 * IO_MAX, O_DIRECT);
        snprintf(path, sizeof path, DIR_BTRFS "/fuzz-dio%s", tag);
        dio_btrfs = lab_file_create(path, 4 * IO_MAX, O_DIRECT);
    }
    if (deeper && (mem_fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC)) < 0)
        lab_die("/proc/self/mem");
    local = lab_mmap(IO_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(local, IO_MAX, 'l');

    /* the slots' regions: one PROT_NONE reservation, 2 MiB aligned */
    size_t total = NSLOTS * REGION;
    char *res = mmap(NULL, total + HUGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (res == MAP_FAILED)
        lab_die("mmap (reservation)");
    mark("mmap: addr=%p len=0x%zx prot=none flags=private", res, total + HUGE);
    char *base = (char *)(((unsigned long)res + HUGE - 1) & ~(HUGE - 1));
    if (base > res)
        lab_munmap(res, (size_t)(base - res));
    if (base + total < res + total + HUGE)
        lab_munmap(base + total, (size_t)(res + total + HUGE - (base + total)));
    for (int s = 0; s < NSLOTS; s++) {
        slots[s].region = base + (size_t)s * REGION;
        slots[s].file.fd = -1;
    }
    say("seed %lu, %u operations%s%s", r->seed, r->nops, r->thread >= 0 ? ", thread " : "", tag);
    for (opno = 1; opno <= r->nops; opno++)
        step();

    if (device_end)
        device_end();
    if (reg_slot >= 0)
        op_unregister();
    for (int s = 0; s < NSLOTS; s++)
        slot_close_file(&slots[s]);
    if (deeper) {
        munlockall();
        close(mem_fd);
    }
    io_uring_queue_exit(&ring);
    const char *files[] = { DIR_EXT4 "/fuzz-dio-src", DIR_EXT4 "/fuzz-dio-dst", DIR_TMP "/fuzz-fixed",
                            DIR_XFS "/fuzz-dio", DIR_BTRFS "/fuzz-dio" };
    for (unsigned f = 0; f < (deep ? 5u : 3u); f++) {
        snprintf(path, sizeof path, "%s%s", files[f], tag);
        unlink(path);
    }
    say("done%s%s", r->thread >= 0 ? ", thread " : "", tag);
    return NULL;
}

#ifndef FUZZ_MAIN
#define FUZZ_MAIN main
#endif
int FUZZ_MAIN(int argc, char **argv)
{
    argc = lab_init("fuzz-ops", argc, argv);
    int moded = argc >= 4 && (strcmp(argv[3], "wide") == 0 || strcmp(argv[3], "deep") == 0
                              || strcmp(argv[3], "deeper") == 0 || strcmp(argv[3], "deepest") == 0);
    unsigned nthreads = argc == 5 ? (unsigned)strtoul(argv[4], NULL, 0) : 0;
    if (!(argc == 3 || (argc == 4 && moded) || (argc == 5 && moded && !device_step && nthreads >= 2 && nthreads <= 26))) {
        fprintf(stderr, "usage: fuzz-ops [-m] SEED NOPS [wide|deep|deeper|deepest [THREADS]]\n");
        return 2;
    }
    wide = argc >= 4;
    deepest = wide && strcmp(argv[3], "deepest") == 0;
    deeper = wide && (strcmp(argv[3], "deeper") == 0 || deepest);
    deep = wide && (strcmp(argv[3], "deep") == 0 || deeper);
    unsigned long seed = strtoul(argv[1], NULL, 0);
    unsigned nops = (unsigned)strtoul(argv[2], NULL, 0);
    nops_total = nops;
    struct sigaction sa = { .sa_handler = on_fault };
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    if (nthreads == 0) {
        struct run only = { seed, nops, -1 };
        run(&only);
        return 0;
    }
    threaded = 1;
    pthread_t th[26];
    struct run runs[26];
    for (unsigned t = 0; t < nthreads; t++) {
        runs[t] = (struct run){ seed, nops, (int)t };
        if (pthread_create(&th[t], NULL, run, &runs[t]) != 0)
            lab_die("pthread_create");
    }
    for (unsigned t = 0; t < nthreads; t++)
        pthread_join(th[t], NULL);
    return 0;
}
