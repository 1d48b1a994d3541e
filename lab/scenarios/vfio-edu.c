/*
 * vfio type1 with qemu's "edu" PCI device (a DMA engine with a 4 KiB buffer) behind an emulated
 * Intel IOMMU, bound to vfio-pci by the guest's init. VFIO_IOMMU_MAP_DMA pins the buffer long-term
 * (vfio_pin_pages_remote -> vaddr_get_pfns -> pin_user_pages_remote, FOLL_LONGTERM), and the device
 * really reads and writes it through the IOMMU:
 *   matrix     map each backing (read-only mappings map device-read-only), the device copies page 0
 *              into page 1 (dma_read then dma_write), the CPU checks page 1, unmap (seed 000: fs-DAX)
 *   pfnmap     map the device's own BAR, mmap()ed from vfio (VM_IO|VM_PFNMAP, faulted lazily): once
 *              untouched, once after the CPU touched it (seed 003: follow_fault_pfn)
 *   writeback  an ext4 shared mapping pinned by the map, cleaned by fsync, then written by the device:
 *              does the file get the device's data without the unmap's dirtying? (seed 004)
 *   cow        a page shared with a fork()ed child is mapped device-read-only (a R/O long-term pin), then
 *              the parent writes it and the device reads it: the parent's data, or the page before the
 *              write (do_wp_page() copied it away from the pin; 5.19's unshare pins the parent's copy)?
 *              The same with a writable map (FOLL_WRITE breaks the COW at the pin) as the control.
 *   vfio-edu [-m] matrix|pfnmap|writeback|cow [BACKING...]
 */
#include "lab.h"
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#define LEN (16 * PAGE)
#define EDU_BUF 0x40000UL   /* the device's DMA buffer, in its own address space */
#define IOVA0 0x100000UL    /* below the device's 28-bit DMA mask */
#define XFER 0x800UL        /* bytes per transfer: qemu 7.2's edu refuses a whole 4 KiB one (off by one) */

static int container, device;
static off_t bar0;

static uint64_t edu_read(unsigned reg)
{
    uint64_t v = 0;
    if (pread(device, &v, reg >= 0x80 ? 8 : 4, bar0 + reg) < 0)
        lab_die("edu register read");
    return v;
}

static void edu_write(unsigned reg, uint64_t v)
{
    if (pwrite(device, &v, reg >= 0x80 ? 8 : 4, bar0 + reg) < 0)
        lab_die("edu register write");
}

/* One DMA of LEN bytes: to_ram 0 copies IOVA -> device buffer, 1 device buffer -> IOVA. */
static int edu_dma(uint64_t iova, unsigned long len, int to_ram)
{
    edu_write(0x80, to_ram ? EDU_BUF : iova);
    edu_write(0x88, to_ram ? iova : EDU_BUF);
    edu_write(0x90, len);
    edu_write(0x98, 1 | (to_ram ? 2 : 0));
    for (int i = 0; i < 500; i++) {
        if (!(edu_read(0x98) & 1))
            return 0;
        lab_sleep_ms(10);
    }
    return -1;
}

/* The edu device (1234:11e8) bound to vfio-pci: its address and its IOMMU group's number. */
static void find_edu(char *bdf, size_t n, char *group, size_t gn)
{
    if (lab_find_edu(bdf, n, group, gn) < 0) {
        errno = ENODEV;
        lab_die("no edu device (qemu -device edu)");
    }
}

static void vfio_open(void)
{
    char bdf[256], grp[256], path[300];
    find_edu(bdf, sizeof bdf, grp, sizeof grp);
    container = open("/dev/vfio/vfio", O_RDWR);
    snprintf(path, sizeof path, "/dev/vfio/%s", grp);
    int group = open(path, O_RDWR);
    if (container < 0 || group < 0)
        lab_die(path);
    struct vfio_group_status st = { .argsz = sizeof st };
    if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) < 0 || !(st.flags & VFIO_GROUP_FLAGS_VIABLE))
        lab_die("vfio group not viable");
    if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0 ||
        ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
        lab_die("vfio type1");
    device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
    if (device < 0)
        lab_die("VFIO_GROUP_GET_DEVICE_FD");
    struct vfio_region_info cfg = { .argsz = sizeof cfg, .index = VFIO_PCI_CONFIG_REGION_INDEX };
    struct vfio_region_info bar = { .argsz = sizeof bar, .index = VFIO_PCI_BAR0_REGION_INDEX };
    if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &cfg) < 0 ||
        ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &bar) < 0)
        lab_die("VFIO_DEVICE_GET_REGION_INFO");
    bar0 = (off_t)bar.offset;
    uint16_t cmd;
    if (pread(device, &cmd, 2, (off_t)cfg.offset + PCI_COMMAND) != 2)
        lab_die("config read");
    cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    if (pwrite(device, &cmd, 2, (off_t)cfg.offset + PCI_COMMAND) != 2)
        lab_die("config write");
    say("edu %s in IOMMU group %s, ident 0x%llx, BAR0 %llu KiB", bdf, grp,
        (unsigned long long)edu_read(0), (unsigned long long)bar.size / 1024);
}

static long dma_map(const char *handle, void *vaddr, uint64_t iova, size_t size, int writable)
{
    struct vfio_iommu_type1_dma_map m = {
        .argsz = sizeof m,
        .flags = VFIO_DMA_MAP_FLAG_READ | (writable ? VFIO_DMA_MAP_FLAG_WRITE : 0),
        .vaddr = (uintptr_t)vaddr, .iova = iova, .size = size,
    };
    long r = kret(ioctl(container, VFIO_IOMMU_MAP_DMA, &m));
    mark("vfio_dma_map: handle=%s vaddr=%p iova=0x%llx size=0x%zx prot=%s ret=%ld", handle, vaddr,
         (unsigned long long)iova, size, writable ? "rw" : "r", r);
    return r;
}

static void dma_unmap(const char *handle, uint64_t iova, size_t size)
{
    struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof u, .iova = iova, .size = size };
    long r = kret(ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u));
    mark("vfio_dma_unmap: handle=%s iova=0x%llx size=0x%zx", handle, (unsigned long long)iova, size);
    if (r < 0)
        say("%s unmap ret=%ld", handle, r);
}

/* A page the device reads its data from (mapped device-read-only at IOVA0), and what it holds. */
static char *pattern;

/*
 * The device reads page 0 of the mapping at IOVA (dma_read), then loads the pattern page and writes
 * it to page 1 (dma_write). ret of dma_write: the bytes written when the CPU sees the pattern in
 * page 1, -EFAULT when it does not (the IOMMU refused the write).
 */
static int device_io(const char *handle, uint64_t iova, const char *base, int fill)
{
    mark("dma_read: handle=%s iova=0x%llx len=0x%lx", handle, (unsigned long long)iova, XFER);
    int t = edu_dma(iova, XFER, 0);
    memset(pattern, fill, PAGE);
    mark("fault: addr=%p len=0x%lx write=1", pattern, PAGE);
    mark("dma_read: handle=pattern iova=0x%llx len=0x%lx", (unsigned long long)IOVA0, XFER);
    t |= edu_dma(IOVA0, XFER, 0);
    t |= edu_dma(iova + PAGE, XFER, 1);
    int ok = t == 0 && memcmp(pattern, base + PAGE, XFER) == 0;
    mark("dma_write: handle=%s iova=0x%llx len=0x%lx ret=%ld", handle, (unsigned long long)(iova + PAGE),
         XFER, ok ? (long)XFER : -EFAULT);
    return ok;
}

static void matrix(int argc, char **argv)
{
    pattern = lab_mmap(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(pattern, PAGE, 'P');
    if (dma_map("pattern", pattern, IOVA0, PAGE, 0) != 0)
        lab_die("map the pattern page");
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, LEN);
        int writable = (b->prot & PROT_WRITE) != 0;
        uint64_t iova = IOVA0 + (i + 1) * 0x400000UL;   /* room for a 2 MiB hugetlb buffer */
        long r = dma_map(b->name, buf.addr, iova, buf.len, writable);
        say("%s map ret=%ld", b->name, r);
        if (r == 0) {
            int ok = device_io(b->name, iova, buf.addr, 'A' + (int)i);
            say("%s device write into page 1: %s", b->name, ok ? "arrived" : "did not arrive");
            dma_unmap(b->name, iova, buf.len);
        }
        lab_buffer_free(&buf);
    }
    dma_unmap("pattern", IOVA0, PAGE);
    lab_munmap(pattern, PAGE);
}

static void pfnmap(void)
{
    struct vfio_region_info bar = { .argsz = sizeof bar, .index = VFIO_PCI_BAR0_REGION_INDEX };
    if (ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &bar) < 0)
        lab_die("VFIO_DEVICE_GET_REGION_INFO");
    void *p = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, device, (off_t)bar.offset);
    if (p == MAP_FAILED)
        lab_die("mmap BAR0");
    mark("mmap: addr=%p len=0x%llx prot=rw flags=shared pfnmap=1", p, (unsigned long long)bar.size);
    uint64_t iova = 0x8000000UL;
    long r = dma_map("bar-untouched", p, iova, bar.size, 1);
    say("BAR0 map before the CPU touched it ret=%ld", r);
    if (r == 0)
        dma_unmap("bar-untouched", iova, bar.size);
    uint32_t ident = *(volatile uint32_t *)p;
    mark("fault: addr=%p len=0x%lx write=0", p, PAGE);
    r = dma_map("bar-touched", p, iova, bar.size, 1);
    say("BAR0 map after the CPU read ident 0x%x through it ret=%ld", ident, r);
    if (r == 0)
        dma_unmap("bar-touched", iova, bar.size);
    lab_munmap(p, bar.size);
}

/* Reads page PAGE of F from the disk (O_DIRECT), not from the page cache. */
static char disk_byte(const char *path, int page)
{
    int fd = open(path, O_RDONLY | O_DIRECT);
    char *b = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char c = '?';
    if (fd >= 0 && b != MAP_FAILED && pread(fd, b, PAGE, (off_t)(page * PAGE)) == (ssize_t)PAGE)
        c = b[0];
    if (fd >= 0)
        close(fd);
    munmap(b, PAGE);
    return c;
}

static void writeback(void)
{
    const char *path = DIR_EXT4 "/vfio-wb";
    /* The device's data comes from an anonymous page it reads first. */
    char *src = lab_mmap(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(src, PAGE, 'D');
    long rs = dma_map("src", src, IOVA0, PAGE, 0), r;
    struct lab_file f = lab_file_create(path, 4 * PAGE, 0);
    char *m = lab_mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, &f, 0);
    lab_touch(m, 4 * PAGE, 'x');
    uint64_t iova = IOVA0 + 0x100000UL;
    long w = dma_map("wb", m, iova, 4 * PAGE, 1);
    say("ext4 shared mapping map ret=%ld (device-read source map ret=%ld)", w, rs);
    if (w == 0 && rs == 0) {
        r = kret(fsync(f.fd));
        mark("writeback: ino=%lu offset=0 len=0x%lx ret=%ld", f.ino, 4 * PAGE, r);
        mark("dma_read: handle=src iova=0x%llx len=0x%lx", (unsigned long long)IOVA0, XFER);
        int t = edu_dma(IOVA0, XFER, 0) | edu_dma(iova, XFER, 1);
        int ok = t == 0 && m[0] == 'D';
        mark("dma_write: handle=wb iova=0x%llx len=0x%lx ret=%ld", (unsigned long long)iova, XFER,
             ok ? (long)XFER : -EFAULT);
        r = kret(fsync(f.fd));
        mark("writeback: ino=%lu offset=0 len=0x%lx ret=%ld", f.ino, 4 * PAGE, r);
        say("after fsync, the device wrote page 0 (CPU sees '%c'); fsync again: the disk has '%c'%s",
            m[0], disk_byte(path, 0), disk_byte(path, 0) == 'D' ? "" : " (the device's write is not on disk)");
        dma_unmap("wb", iova, 4 * PAGE);
        r = kret(fsync(f.fd));
        mark("writeback: ino=%lu offset=0 len=0x%lx ret=%ld", f.ino, 4 * PAGE, r);
        say("after the unmap (unpin_user_pages_dirty_lock) and fsync: the disk has '%c'", disk_byte(path, 0));
    } else if (w == 0) {
        dma_unmap("wb", iova, 4 * PAGE);
    }
    if (rs == 0)
        dma_unmap("src", IOVA0, PAGE);
    lab_munmap(m, 4 * PAGE);
    lab_munmap(src, PAGE);
    close(f.fd);
    unlink(path);
}

/* One page shared with a child while the parent maps it (HANDLE, read-only or not), writes 'B', and the device reads it. */
static void cow_case(const char *handle, int writable, char *sink)
{
    const uint64_t iova = 0x200000UL;
    char *buf = lab_mmap(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(buf, PAGE, 'A');
    int down[2];
    if (pipe(down) < 0)
        lab_die("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        if (read(down[0], &c, 1) < 0)
            lab_die("read pipe");
        _exit(0);
    }
    if (dma_map(handle, buf, iova, PAGE, writable) == 0) {
        lab_touch(buf, PAGE, 'B');
        mark("dma_read: handle=%s iova=0x%llx len=0x%lx", handle, (unsigned long long)iova, XFER);
        int t = edu_dma(iova, XFER, 0);
        t |= edu_dma(0x300000UL, XFER, 1);
        mark("dma_write: handle=sink iova=0x300000 len=0x%lx ret=%ld", XFER, t == 0 ? (long)XFER : -EFAULT);
        say("%s the parent wrote 'B', the device read '%c': %s", handle, t == 0 ? sink[0] : '?',
            t == 0 && sink[0] == 'B' ? "the pinned page is the parent's" : "the pin holds a page the parent no longer maps");
        dma_unmap(handle, iova, PAGE);
    }
    if (write(down[1], "x", 1) < 0)
        lab_die("write pipe");
    waitpid(pid, NULL, 0);
    close(down[0]);
    close(down[1]);
    lab_munmap(buf, PAGE);
}

static void cow(void)
{
    char *sink = lab_mmap(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(sink, PAGE, 'S');
    if (dma_map("sink", sink, 0x300000UL, PAGE, 1) != 0)
        return;
    cow_case("cow-ro", 0, sink);
    cow_case("cow-rw", 1, sink);
    dma_unmap("sink", 0x300000UL, PAGE);
}

int main(int argc, char **argv)
{
    argc = lab_init("vfio-edu", argc, argv);
    const char *variant = argc > 1 ? argv[1] : "matrix";
    vfio_open();
    if (strcmp(variant, "pfnmap") == 0)
        pfnmap();
    else if (strcmp(variant, "writeback") == 0)
        writeback();
    else if (strcmp(variant, "cow") == 0)
        cow();
    else
        matrix(argc - 1, argv + 1);
    return 0;
}
