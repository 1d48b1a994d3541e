/*
 * Writes and reads through /proc/self/mem on every backing: mem_rw -> access_remote_vm ->
 * get_user_pages_remote with FOLL_FORCE (and FOLL_WRITE for the write), the debugger's path, which
 * may write a read-only private mapping (a COW copy) but not a read-only shared one, nor (6.0 to
 * 6.14) a read-only hugetlb one (check_vma_flags: "hugetlb does not support FOLL_FORCE|FOLL_WRITE").
 * One page at the buffer's start, untouched before.
 *   procmem-force [-m] [BACKING...]
 */
#include "lab.h"

int main(int argc, char **argv)
{
    argc = lab_init("procmem-force", argc, argv);
    int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (mem < 0)
        lab_die("/proc/self/mem");
    char page[PAGE];
    memset(page, 'f', sizeof page);
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, 16 * PAGE);
        long r = kret(pwrite(mem, page, PAGE, (off_t)(uintptr_t)buf.addr));
        say("%s /proc/self/mem write ret=%ld", b->name, r);
        r = kret(pread(mem, page, PAGE, (off_t)(uintptr_t)buf.addr));
        say("%s /proc/self/mem read ret=%ld", b->name, r);
        lab_buffer_free(&buf);
    }
    close(mem);
    return 0;
}
