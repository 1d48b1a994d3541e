/*
 * A long-term pin of memory in ZONE_MOVABLE (the guest boots with movablecore=, so user memory is
 * allocated there first): io_uring buffer registration pins with FOLL_LONGTERM, and
 * check_and_migrate_movable_pages() migrates every page out of the movable zone before pinning
 * (reason "longterm_pin" in migrate:mm_migrate_pages). The program reads each page's PFN from
 * /proc/self/pagemap before and after, and /proc/vmstat's pgmigrate_success.
 *   longterm-movable [-m] [BACKING...]   (anon-private and memfd-shared by default)
 */
#include "lab.h"
#include <liburing.h>
#include <stdint.h>

#define NPAGES 64
#define LEN (NPAGES * PAGE)

static long vmstat(const char *key)
{
    FILE *f = fopen("/proc/vmstat", "r");
    char k[64];
    long v, found = -1;
    while (f && fscanf(f, "%63s %ld", k, &v) == 2)
        if (strcmp(k, key) == 0)
            found = v;
    if (f)
        fclose(f);
    return found;
}

static void pfns(void *addr, uint64_t *out)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0 || pread(fd, out, NPAGES * 8, (off_t)((uintptr_t)addr / PAGE * 8)) != NPAGES * 8)
        lab_die("pagemap");
    close(fd);
    for (int i = 0; i < NPAGES; i++)
        out[i] &= (1ULL << 55) - 1;
}

int main(int argc, char **argv)
{
    argc = lab_init("longterm-movable", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (argc <= 1 ? strcmp(b->name, "anon-private") != 0 && strcmp(b->name, "memfd-shared") != 0
                      : !lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, LEN);
        lab_touch(buf.addr, LEN, 'm');
        uint64_t before[NPAGES], after[NPAGES];
        pfns(buf.addr, before);
        long mig0 = vmstat("pgmigrate_success");
        struct iovec iov = { buf.addr, buf.len };
        r = io_uring_register_buffers(&ring, &iov, 1);
        mark("io_uring_register_buffers: handle=%s addr=%p len=0x%zx ret=%d", b->name, buf.addr,
             buf.len, r);
        pfns(buf.addr, after);
        int moved = 0;
        for (int p = 0; p < NPAGES; p++)
            moved += before[p] != after[p];
        say("%s register ret=%d; %d of %d pages moved (pfn 0x%llx -> 0x%llx); pgmigrate_success +%ld",
            b->name, r, moved, NPAGES, (unsigned long long)before[0], (unsigned long long)after[0],
            vmstat("pgmigrate_success") - mig0);
        if (r == 0) {
            r = io_uring_unregister_buffers(&ring);
            mark("io_uring_unregister_buffers: handle=%s", b->name);
        }
        lab_buffer_free(&buf);
    }
    io_uring_queue_exit(&ring);
    return 0;
}
