/*
 * The RLIMIT_MEMLOCK charge of long-term pins, as root and as a user without CAP_IPC_LOCK. The program
 * starts as root, sets RLIMIT_MEMLOCK to 16 pages (hard limit 64), drops to uid 1000 with
 * setresuid(1000, 1000, 0) (cap_emulate_setxuid() clears the effective capabilities; the saved uid 0
 * keeps the permitted ones), later raises its soft limit, then takes root back with setresuid(-1, 0, -1)
 * (the effective set becomes the permitted one again). Every change is followed by a native memlock
 * marker of what /proc/self/status and getrlimit() then say.
 *   uring-rdma  io_uring buffers: __io_account_mem() charges the ring creator's user (ctx->user, set by
 *               io_uring_create() only without CAP_IPC_LOCK) against the registering task's limit, and
 *               mm->pinned_vm; two rings of one user, unregister then register again, a ring made by root
 *               used by the user, a ring made by the user used by root. RDMA (soft-RoCE): ib_umem_get()'s
 *               can_do_mlock() (-EPERM with a limit of 0) and mm->pinned_vm check, which io_uring's
 *               charges count in, unless capable(CAP_IPC_LOCK).
 *   vfio        VFIO_IOMMU_MAP_DMA of qemu's edu device's container: vfio_pin_pages_remote() charges
 *               mm->locked_vm, against the limit unless the map's lock_cap (capable(CAP_IPC_LOCK) at
 *               MAP_DMA time); root's maps are charged too and count against the user's later ones;
 *               unmap un-charges whatever lock_cap the map had.
 *   thp         io_uring buffers in a transparent huge page (a 2 MiB-aligned anonymous buffer, written first):
 *               io_buffer_account_pin() charges a compound page's whole size, 512 pages, once per ring
 *               (headpage_already_acct() looks at that ring's buffers only), where small pages charge one each.
 *   memlock-matrix [-m] uring-rdma|vfio|thp
 */
#include "lab.h"
#include <liburing.h>
#include <infiniband/verbs.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#define USER 1000
#define NPAGES 64

static char *buf;

/* The memlock charge's inputs as the kernel now reports them, as a native memlock marker. */
static void state(const char *what)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
        lab_die("getrlimit");
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        lab_die("/proc/self/status");
    char line[256];
    unsigned long long capeff = 0;
    unsigned uid = 0, euid = 0, suid = 0;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "Uid: %u %u %u", &uid, &euid, &suid);
        sscanf(line, "CapEff: %llx", &capeff);
    }
    fclose(f);
    int cap = (int)((capeff >> 14) & 1); /* CAP_IPC_LOCK */
    mark("memlock: pid=%d rlimit=%llu cap_ipc_lock=%d uid=%u euid=%u suid=%u", getpid(),
         (unsigned long long)rl.rlim_cur, cap, uid, euid, suid);
    say("%s: rlimit=%llu/%llu cap_ipc_lock=%d uid=%u euid=%u suid=%u", what, (unsigned long long)rl.rlim_cur,
        (unsigned long long)rl.rlim_max, cap, uid, euid, suid);
}

static void limit(unsigned long soft, unsigned long hard, const char *what)
{
    struct rlimit rl = { soft * PAGE, hard * PAGE };
    if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0)
        lab_die("setrlimit");
    state(what);
}

static void ids(uid_t r, uid_t e, uid_t s, const char *what)
{
    if (setresuid(r, e, s) < 0)
        lab_die("setresuid");
    state(what);
}

/* ---- io_uring ------------------------------------------------------------------------------- */

static struct io_uring ring_new(const char *handle)
{
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    say("%s setup ret=%d", handle, r);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    return ring;
}

static int reg(struct io_uring *ring, const char *handle, const char *what, size_t pages)
{
    struct iovec iov = { buf, pages * PAGE };
    int r = io_uring_register_buffers(ring, &iov, 1);
    mark("io_uring_register_buffers: handle=%s addr=%p len=0x%zx ret=%d", handle, buf, pages * PAGE, r);
    say("%s %s register %zu pages ret=%d", handle, what, pages, r);
    return r;
}

static void unreg(struct io_uring *ring, const char *handle)
{
    int r = io_uring_unregister_buffers(ring);
    mark("io_uring_unregister_buffers: handle=%s ret=%d", handle, r);
    say("%s unregister ret=%d", handle, r);
}

/* A registration that is not kept: unregistered again when it succeeded. */
static void probe_reg(struct io_uring *ring, const char *handle, const char *what, size_t pages)
{
    if (reg(ring, handle, what, pages) == 0)
        unreg(ring, handle);
}

static void ring_close(struct io_uring *ring, const char *handle)
{
    io_uring_queue_exit(ring);
    mark("io_uring_unregister_buffers: handle=%s", handle);
    say("%s closed", handle);
}

/* ---- RDMA ----------------------------------------------------------------------------------- */

static struct ibv_pd *pd;

static struct ibv_mr *mr_reg(const char *handle, size_t pages)
{
    if (pd == NULL)
        return NULL;
    struct ibv_mr *mr = ibv_reg_mr(pd, buf, pages * PAGE, IBV_ACCESS_LOCAL_WRITE);
    int r = mr ? 0 : -errno;
    mark("rdma_reg_mr: handle=%s addr=%p len=0x%zx access=write ret=%d", handle, buf, pages * PAGE, r);
    say("%s reg_mr %zu pages ret=%d", handle, pages, r);
    return mr;
}

static void mr_dereg(struct ibv_mr *mr, const char *handle)
{
    if (mr == NULL)
        return;
    int r = ibv_dereg_mr(mr);
    mark("rdma_dereg_mr: handle=%s", handle);
    say("%s dereg_mr ret=%d", handle, -r);
}

static void rdma_open(void)
{
    int n = 0;
    struct ibv_device **list = ibv_get_device_list(&n);
    struct ibv_context *ctx = list && n > 0 ? ibv_open_device(list[0]) : NULL;
    pd = ctx ? ibv_alloc_pd(ctx) : NULL;
    say("rdma: %s", pd ? ibv_get_device_name(list[0]) : "no device, RDMA skipped");
}

static void uring_rdma(void)
{
    rdma_open(); /* as root: the uverbs fd stays usable after the drop */
    limit(16, NPAGES, "limit 16 pages");
    struct io_uring ring0 = ring_new("ring0"); /* root's ring: no ctx->user */
    reg(&ring0, "ring0", "root-over", 32);
    mr_dereg(mr_reg("root-mr-over", 32), "root-mr-over");

    ids(USER, USER, 0, "dropped to uid 1000");
    struct io_uring ringA = ring_new("ringA"), ringB = ring_new("ringB");
    reg(&ringA, "ringA", "user", 8);
    probe_reg(&ringB, "ringB", "user-over", 16);
    reg(&ringB, "ringB", "user-at-limit", 8);
    unreg(&ringA, "ringA");
    reg(&ringA, "ringA", "again", 8);
    unreg(&ringA, "ringA");
    probe_reg(&ringA, "ringA", "user-over-again", 12);
    unreg(&ring0, "ring0");
    reg(&ring0, "ring0", "root-ring-by-user", 32);
    /* mm->pinned_vm is 40 pages now (ring0 32, ringB 8): ib_umem_get() refuses any MR */
    mr_dereg(mr_reg("mr-over-pinned", 4), "mr-over-pinned");
    unreg(&ring0, "ring0");
    struct ibv_mr *mr4 = mr_reg("mr-4", 4);
    mr_dereg(mr_reg("mr-8-over", 8), "mr-8-over");
    mr_dereg(mr4, "mr-4");

    limit(0, NPAGES, "limit 0");
    mr_dereg(mr_reg("mr-limit-0", 1), "mr-limit-0");
    probe_reg(&ringA, "ringA", "limit-0", 1);

    limit(NPAGES, NPAGES, "limit raised to 64 pages");
    reg(&ringA, "ringA", "raised", 40);
    mr_dereg(mr_reg("mr-raised", 16), "mr-raised");
    mr_dereg(mr_reg("mr-raised-over", 17), "mr-raised-over");

    ids((uid_t)-1, 0, (uid_t)-1, "root again");
    mr_dereg(mr_reg("root-mr-over-again", NPAGES), "root-mr-over-again");
    struct io_uring ringC = ring_new("ringC");
    reg(&ringC, "ringC", "root-over-again", NPAGES);
    unreg(&ringA, "ringA");
    /* ringA's ctx->user is uid 1000's (made without CAP_IPC_LOCK): root's registration is charged to it */
    probe_reg(&ringA, "ringA", "user-ring-by-root", 60);
    probe_reg(&ringA, "ringA", "user-ring-by-root-fits", 56);
    ring_close(&ringA, "ringA");
    ring_close(&ringB, "ringB");
    ring_close(&ringC, "ringC");
    ring_close(&ring0, "ring0");
    lab_sleep_ms(200);
}

static void thp(void)
{
    /* buf: 2 MiB-aligned inside a 4 MiB reservation, written whole: one THP under Debian's THP "always" */
    char *r = lab_mmap(2 * HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    buf = (char *)(((unsigned long)r + HUGE - 1) & ~(HUGE - 1));
    lab_touch(buf, HUGE, 't');
    char *small = lab_mmap(16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(small, 16 * PAGE, 's');
    limit(NPAGES, 1024, "limit 64 pages");
    ids(USER, USER, 0, "dropped to uid 1000");
    struct io_uring ringA = ring_new("ringA"), ringB = ring_new("ringB");
    probe_reg(&ringA, "ringA", "thp-16-over", 16);   /* 512 pages charged: over 64 */
    limit(600, 1024, "limit 600 pages");
    reg(&ringA, "ringA", "thp-16", 16);              /* 512 */
    probe_reg(&ringB, "ringB", "thp-16-again-over", 16); /* another ring: 512 more, over 600 */
    char *keep = buf;
    buf = small;
    reg(&ringB, "ringB", "small-16", 16);            /* 16 more: 528 */
    buf = keep;
    unreg(&ringA, "ringA");
    unreg(&ringB, "ringB");
    ring_close(&ringA, "ringA");
    ring_close(&ringB, "ringB");
    lab_munmap(small, 16 * PAGE);
    lab_munmap(r, 2 * HUGE);
    lab_sleep_ms(200);
}

/* ---- vfio ----------------------------------------------------------------------------------- */

static int container;

static void vfio_open(void)
{
    char bdf[256], num[256], group[300];
    if (lab_find_edu(bdf, sizeof bdf, num, sizeof num) < 0) {
        errno = ENODEV;
        lab_die("no edu device (qemu -device edu)");
    }
    snprintf(group, sizeof group, "/dev/vfio/%s", num);
    container = open("/dev/vfio/vfio", O_RDWR);
    int g = open(group, O_RDWR);
    if (container < 0 || g < 0)
        lab_die(group);
    if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &container) < 0 || ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
        lab_die("vfio type1");
    say("vfio: %s", group);
}

static unsigned long next_iova = 0x100000;

static void dma_map(const char *handle, size_t pages)
{
    struct vfio_iommu_type1_dma_map m = { .argsz = sizeof m, .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
                                          .vaddr = (uintptr_t)buf, .iova = next_iova, .size = pages * PAGE };
    long r = kret(ioctl(container, VFIO_IOMMU_MAP_DMA, &m));
    mark("vfio_dma_map: handle=%s vaddr=%p iova=0x%lx size=0x%zx prot=rw ret=%ld", handle, buf, next_iova,
         pages * PAGE, r);
    say("%s map %zu pages at iova 0x%lx ret=%ld", handle, pages, next_iova, r);
    next_iova += 0x100000;
}

static void dma_unmap(const char *handle, unsigned long iova, unsigned long size)
{
    struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof u, .iova = iova, .size = size };
    long r = kret(ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u));
    mark("vfio_dma_unmap: handle=%s iova=0x%lx size=0x%lx ret=%ld", handle, iova, size, r);
    say("%s unmap iova 0x%lx size 0x%lx ret=%ld", handle, iova, size, r);
}

static void vfio(void)
{
    vfio_open(); /* as root: the container's fd stays usable after the drop */
    limit(16, NPAGES, "limit 16 pages");
    dma_map("root-8", 8); /* lock_cap: charged to locked_vm without a limit */
    ids(USER, USER, 0, "dropped to uid 1000");
    dma_map("user-over", 16);
    dma_map("user-at-limit", 8);
    dma_unmap("root-8", 0x100000, 8 * PAGE);
    dma_map("user-after-unmap", 8);
    dma_map("user-over-1", 1);
    limit(NPAGES, NPAGES, "limit raised to 64 pages");
    dma_map("user-raised", 32);
    dma_map("user-raised-over", 17);
    ids((uid_t)-1, 0, (uid_t)-1, "root again");
    dma_map("root-over", NPAGES);
    ids((uid_t)-1, USER, (uid_t)-1, "uid 1000 again");
    dma_map("user-after-root", 1);
    dma_unmap("all", 0, 0x10000000);
    dma_map("user-after-all", 16);
    dma_unmap("all", 0, 0x10000000);
}

int main(int argc, char **argv)
{
    argc = lab_init("memlock-matrix", argc, argv);
    if (argc != 2 || (strcmp(argv[1], "uring-rdma") != 0 && strcmp(argv[1], "vfio") != 0
                      && strcmp(argv[1], "thp") != 0)) {
        fprintf(stderr, "usage: memlock-matrix [-m] uring-rdma|vfio|thp\n");
        return 2;
    }
    struct buffer b = lab_buffer(&lab_backings[0], NPAGES * PAGE); /* anon-private, untouched */
    buf = b.addr;
    state("start");
    if (strcmp(argv[1], "vfio") == 0)
        vfio();
    else if (strcmp(argv[1], "thp") == 0)
        thp();
    else
        uring_rdma();
    lab_buffer_free(&b);
    return 0;
}
