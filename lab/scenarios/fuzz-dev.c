/*
 * fuzz-ops with the device users of the trace vocabulary between its random operations: vfio type1
 * VFIO_IOMMU_MAP_DMA / UNMAP_DMA of the container of qemu's edu device (the "vfio" boot: vfio_pin_pages_remote() ->
 * vaddr_get_pfns() -> pin_user_pages_remote(FOLL_LONGTERM), vfio_lock_acct() charging mm->locked_vm), and RDMA
 * ibv_reg_mr() / ibv_dereg_mr() over soft-RoCE rxe (the "main" boot: ib_umem_get() -> pin_user_pages_fast(FOLL_LONGTERM),
 * charging mm->pinned_vm). Whichever of the two the boot has is used (the vfio boot has no NIC, so no rxe).
 * In a third of fuzz-ops's steps on a mapped slot (same SEED, same operations otherwise; the modes are fuzz-ops's), a
 * device operation: a map or registration of a random range of the slot (read-only or writable; a range fuzz-ops
 * has partially unmapped, mremapped, mprotected, made PROT_NONE, of any of its backings), of the io_uring table's
 * range or another live map's or MR's (memory already pinned), of a range running into the region's hole or
 * reservation, while a fork()ed child shares the range (the parent writes it after), or with RLIMIT_MEMLOCK lowered
 * and the effective uid 1000 (CAP_IPC_LOCK dropped, setresuid(-1, 1000, -1), given back after); an unmap of one live
 * map, of a range bisecting one (-EINVAL) or covering all; a map at a live map's iova (-EEXIST); a deregistration.
 * Each call's result is printed and, with -m, marked (vfio_dma_map/vfio_dma_unmap/rdma_reg_mr/rdma_dereg_mr with
 * ret=, memlock markers for each credential or limit change).
 *   fuzz-dev [-m] SEED NOPS [wide|deep|deeper]
 */
#define FUZZ_MAIN fuzz_ops_main
#include "fuzz-ops.c"
#include <infiniband/verbs.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>

#define NDMA 8
#define IOVA_BASE 0x10000000UL
#define IOVA_STEP 0x1000000UL   /* each map's own 16 MiB of iova: no two collide unless asked to */
#define NMR 8
#define DEV_MAX (64 * PAGE)

struct dev_map {
    int live;
    char *addr;
    size_t len;
    uint64_t iova;    /* vfio */
    struct ibv_mr *mr; /* RDMA */
    char handle[16];
};

static int dev_opened, container = -1;
static struct ibv_pd *pd;
static struct dev_map dmas[NDMA], mrs[NMR];
static unsigned nhandles;

static void memlock_state(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
        lab_die("getrlimit");
    uid_t r, e, s;
    if (getresuid(&r, &e, &s) < 0)
        lab_die("getresuid");
    if (rl.rlim_cur == RLIM_INFINITY)
        mark("memlock: pid=%d rlimit=unlimited cap_ipc_lock=%d uid=%u euid=%u suid=%u", getpid(), cap_ipc_lock(), r, e,
             s);
    else
        mark("memlock: pid=%d rlimit=%llu cap_ipc_lock=%d uid=%u euid=%u suid=%u", getpid(),
             (unsigned long long)rl.rlim_cur, cap_ipc_lock(), r, e, s);
}

/* The edu device's IOMMU group into a type1v2 container, or no vfio (container -1). */
static void vfio_open(void)
{
    char bdf[256], num[256], group[300];
    if (lab_find_edu(bdf, sizeof bdf, num, sizeof num) < 0)
        return;
    snprintf(group, sizeof group, "/dev/vfio/%s", num);
    container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
    int g = open(group, O_RDWR | O_CLOEXEC);
    if (container < 0 || g < 0)
        lab_die(group);
    if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &container) < 0 || ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
        lab_die("vfio type1");
    say("vfio: %s", group);
}

static void rdma_open(void)
{
    int n = 0;
    struct ibv_device **list = ibv_get_device_list(&n);
    struct ibv_context *ctx = list && n > 0 ? ibv_open_device(list[0]) : NULL;
    pd = ctx ? ibv_alloc_pd(ctx) : NULL;
    if (pd)
        say("rdma: %s", ibv_get_device_name(list[0]));
}

static void dev_open(void)
{
    if (dev_opened)
        return;
    dev_opened = 1;
    vfio_open();
    rdma_open();
    if (container < 0 && pd == NULL)
        say("no device: neither the edu device under vfio nor an RDMA device");
    memlock_state();
}

static struct dev_map *free_entry(struct dev_map *t, int n)
{
    for (int i = 0; i < n; i++)
        if (!t[i].live)
            return &t[i];
    return NULL;
}

static struct dev_map *live_entry(struct dev_map *t, int n)
{
    int first = (int)pick((unsigned)n);
    for (int i = 0; i < n; i++)
        if (t[(first + i) % n].live)
            return &t[(first + i) % n];
    return NULL;
}

/* ---- vfio ------------------------------------------------------------------------------------ */

static long vfio_map(struct dev_map *d, char *addr, size_t len, uint64_t iova, int writable)
{
    char handle[16];
    snprintf(handle, sizeof handle, "d%u", ++nhandles);
    struct vfio_iommu_type1_dma_map m = {
        .argsz = sizeof m,
        .flags = VFIO_DMA_MAP_FLAG_READ | (writable ? VFIO_DMA_MAP_FLAG_WRITE : 0),
        .vaddr = (uintptr_t)addr, .iova = iova, .size = len,
    };
    long r = kret(ioctl(container, VFIO_IOMMU_MAP_DMA, &m));
    mark("vfio_dma_map: handle=%s vaddr=%p iova=0x%llx size=0x%zx prot=%s ret=%ld", handle, addr,
         (unsigned long long)iova, len, writable ? "rw" : "r", r);
    if (r == 0 && d) {
        d->live = 1;
        d->addr = addr;
        d->len = len;
        d->iova = iova;
        snprintf(d->handle, sizeof d->handle, "%s", handle);
    }
    return r;
}

static long vfio_unmap(const char *handle, uint64_t iova, size_t len)
{
    struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof u, .iova = iova, .size = len };
    long r = kret(ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u));
    mark("vfio_dma_unmap: handle=%s iova=0x%llx size=0x%zx ret=%ld", handle, (unsigned long long)iova, len, r);
    if (r == 0)
        for (int i = 0; i < NDMA; i++)
            if (dmas[i].live && dmas[i].iova >= iova && dmas[i].iova + dmas[i].len <= iova + len)
                dmas[i].live = 0;
    return r;
}

/* ---- RDMA ------------------------------------------------------------------------------------ */

static long rdma_reg(struct dev_map *d, char *addr, size_t len, int writable)
{
    char handle[16];
    snprintf(handle, sizeof handle, "m%u", ++nhandles);
    struct ibv_mr *mr = ibv_reg_mr(pd, addr, len, writable ? IBV_ACCESS_LOCAL_WRITE : 0);
    long r = mr ? 0 : -errno;
    mark("rdma_reg_mr: handle=%s addr=%p len=0x%zx access=%s ret=%ld", handle, addr, len, writable ? "write" : "read",
         r);
    if (mr) {
        d->live = 1;
        d->addr = addr;
        d->len = len;
        d->mr = mr;
        snprintf(d->handle, sizeof d->handle, "%s", handle);
    }
    return r;
}

static long rdma_dereg(struct dev_map *d)
{
    int r = ibv_dereg_mr(d->mr);
    mark("rdma_dereg_mr: handle=%s ret=%d", d->handle, -r);
    d->live = 0;
    return -r;
}

/* ---- the ranges ------------------------------------------------------------------------------ */

/* A range for a map or registration, from slot S mostly: sets *len and the log's description. */
static char *dev_range(int s, size_t *len, char *w, size_t wn)
{
    struct slot *sl = &slots[s];
    unsigned how = pick(10);
    if (how == 0 && reg_slot >= 0 && !reg_sparse) {   /* the io_uring table's range: pinned already */
        *len = reg_len;
        where(w, wn, reg_slot, reg_addr, reg_len);
        strncat(w, " (io_uring table)", wn - strlen(w) - 1);
        return reg_addr;
    }
    if (how == 1) {   /* another device's map or registration: pinned already */
        struct dev_map *d = pick(2) ? live_entry(dmas, NDMA) : live_entry(mrs, NMR);
        if (d) {
            *len = d->len;
            snprintf(w, wn, "%s's range len=0x%zx", d->handle, d->len);
            return d->addr;
        }
    }
    if (how == 2) {   /* the region's other half: a hole, the reservation, or a mapping moved there */
        char *other = sl->addr == sl->region ? sl->region + HALF : sl->region;
        *len = (1 + pick(16)) * PAGE;
        where(w, wn, s, other, *len);
        return other;
    }
    char *p = range(sl, len, sl->k->huge ? 2 * HUGE : DEV_MAX);
    where(w, wn, s, p, *len);
    return p;
}

/* A map or registration of a range: LOCKED 1 with RLIMIT_MEMLOCK lowered and CAP_IPC_LOCK dropped, 2 while a child
 * shares the range (the parent writes it after, breaking COW in one of them). */
static void dev_pin(int s, int vfio, int how)
{
    size_t len;
    char w[128];
    char *p = dev_range(s, &len, w, sizeof w);
    int writable = pick(4) != 0;
    struct rlimit old;
    int pipefd[2] = { -1, -1 };
    pid_t child = -1;
    if (how == 1) {
        static const rlim_t pages[] = { 0, 4, 16, 64, 256 };
        if (getrlimit(RLIMIT_MEMLOCK, &old) < 0)
            lab_die("getrlimit");
        struct rlimit low = { pages[pick(5)] * PAGE, old.rlim_max };
        if (low.rlim_cur > old.rlim_max)   /* 5.10's default hard limit is 64 KiB (8 MiB from 5.16) */
            low.rlim_cur = old.rlim_max;
        if (setrlimit(RLIMIT_MEMLOCK, &low) < 0 || setresuid((uid_t)-1, 1000, (uid_t)-1) < 0)
            lab_die("setrlimit/setresuid");
        memlock_state();
        op_say("device: rlimit memlock=0x%lx euid=1000", (unsigned long)low.rlim_cur);
    } else if (how == 2) {
        if (pipe(pipefd) < 0)
            lab_die("pipe");
        fflush(stdout);
        child = fork();
        if (child < 0)
            lab_die("fork");
        if (child == 0) {
            char c;
            close(pipefd[1]);
            if (read(pipefd[0], &c, 1) < 0)
                _exit(1);
            _exit(0);
        }
        close(pipefd[0]);
    }
    long r;
    if (vfio) {
        struct dev_map *d = free_entry(dmas, NDMA);
        if (d == NULL) {
            d = live_entry(dmas, NDMA);
            r = vfio_unmap(d->handle, d->iova, d->len);
            op_say("vfio unmap %s (table full) ret=%ld", d->handle, r);
            d = free_entry(dmas, NDMA);
        }
        uint64_t iova = IOVA_BASE + (uint64_t)(d ? d - dmas : 0) * IOVA_STEP;
        r = vfio_map(d, p, len, iova, writable);
        op_say("vfio map %s %s%s iova=0x%llx ret=%ld", w, writable ? "rw" : "r", how == 1 ? " low-memlock"
               : how == 2 ? " child-shared" : "", (unsigned long long)iova, r);
    } else {
        struct dev_map *d = free_entry(mrs, NMR);
        if (d == NULL) {
            d = live_entry(mrs, NMR);
            r = rdma_dereg(d);
            op_say("rdma dereg %s (table full) ret=%ld", d->handle, r);
        }
        r = rdma_reg(d, p, len, writable);
        op_say("rdma reg %s %s%s ret=%ld", w, writable ? "write" : "read", how == 1 ? " low-memlock"
               : how == 2 ? " child-shared" : "", r);
    }
    if (how == 1) {
        if (setresuid((uid_t)-1, 0, (uid_t)-1) < 0 || setrlimit(RLIMIT_MEMLOCK, &old) < 0)
            lab_die("setresuid/setrlimit back");
        memlock_state();
    } else if (how == 2) {
        touch_range(s, p, len < IO_MAX ? len : IO_MAX, 1);
        if (write(pipefd[1], "x", 1) < 0)
            lab_die("write pipe");
        close(pipefd[1]);
        int status = 0;
        waitpid(child, &status, 0);
        op_say("device: child status=0x%x", status);
    }
}

static void vfio_step(int s)
{
    unsigned op = pick(100);
    if (op < 40) { dev_pin(s, 1, 0); return; }
    if (op < 50) { dev_pin(s, 1, 1); return; }
    if (op < 58) { dev_pin(s, 1, 2); return; }
    struct dev_map *d = live_entry(dmas, NDMA);
    if (d == NULL) {
        dev_pin(s, 1, 0);
        return;
    }
    if (op < 80) {
        long r = vfio_unmap(d->handle, d->iova, d->len);
        op_say("vfio unmap %s ret=%ld", d->handle, r);
    } else if (op < 88) {   /* a range bisecting the map: -EINVAL (type1v2) */
        uint64_t iova = d->iova + (d->len > PAGE && pick(2) ? PAGE : 0);
        size_t len = d->len > PAGE ? d->len - PAGE : 2 * PAGE;
        char handle[16];
        snprintf(handle, sizeof handle, "%s", d->handle);
        long r = vfio_unmap(handle, iova, len);
        op_say("vfio unmap part of %s iova=0x%llx len=0x%zx ret=%ld", handle, (unsigned long long)iova, len, r);
    } else if (op < 94) {   /* everything */
        long r = vfio_unmap(d->handle, IOVA_BASE, NDMA * IOVA_STEP);
        op_say("vfio unmap all ret=%ld", r);
    } else {   /* at a live map's iova: -EEXIST */
        size_t len;
        char w[128];
        char *p = dev_range(s, &len, w, sizeof w);
        long r = vfio_map(NULL, p, len, d->iova, 1);
        op_say("vfio map %s at %s's iova ret=%ld", w, d->handle, r);
    }
}

static void rdma_step(int s)
{
    unsigned op = pick(100);
    if (op < 40) { dev_pin(s, 0, 0); return; }
    if (op < 50) { dev_pin(s, 0, 1); return; }
    if (op < 58) { dev_pin(s, 0, 2); return; }
    struct dev_map *d = live_entry(mrs, NMR);
    if (op < 90 && d) {
        long r = rdma_dereg(d);
        op_say("rdma dereg %s ret=%ld", d->handle, r);
        return;
    }
    struct dev_map *f = free_entry(mrs, NMR);
    if (f == NULL) {
        long r = rdma_dereg(d);
        op_say("rdma dereg %s ret=%ld", d->handle, r);
        return;
    }
    /* byte-granular: an address inside a page, a length ending inside one */
    size_t len;
    char w[128];
    char *p = dev_range(s, &len, w, sizeof w);
    size_t in = pick(PAGE / 64) * 64;
    long r = rdma_reg(f, p + in, len > in ? len - in - pick(64) : 1, pick(2));
    op_say("rdma reg unaligned %s +0x%zx ret=%ld", w, in, r);
}

static void dev_step(int s)
{
    dev_open();
    int vfio = container >= 0 && (pd == NULL || pick(2));
    if (vfio)
        vfio_step(s);
    else if (pd)
        rdma_step(s);
}

static void dev_end(void)
{
    for (int i = 0; i < NDMA; i++)
        if (dmas[i].live) {
            long r = vfio_unmap(dmas[i].handle, dmas[i].iova, dmas[i].len);
            op_say("vfio unmap %s ret=%ld", dmas[i].handle, r);
        }
    for (int i = 0; i < NMR; i++)
        if (mrs[i].live) {
            long r = rdma_dereg(&mrs[i]);
            op_say("rdma dereg %s ret=%ld", mrs[i].handle, r);
        }
}

int main(int argc, char **argv)
{
    device_step = dev_step;
    device_end = dev_end;
    return fuzz_ops_main(argc, argv);
}
