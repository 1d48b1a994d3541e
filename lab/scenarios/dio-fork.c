/*
 * fork() while an O_DIRECT read into private anonymous memory is in flight: the read holds references on the
 * buffer's pages (FOLL_GET through 6.1, FOLL_PIN from 6.2), fork() write-protects them for both tasks, and a write
 * fault then decides whose page the read lands in. copy_present_pte() (5.9+) copies a page for the child at fork()
 * only when page_maybe_dma_pinned(): a FOLL_PIN reference, not a FOLL_GET one. So on 5.10 and 6.1 the parent's
 * write copies the page away from the read (do_wp_page(): page_count() != 1, or no longer PageAnonExclusive), the
 * data lands in the child's page and the parent reads what it had; from 6.2 the child got its copy at fork() and
 * the parent's page keeps the read. The read comes from the throttled disk, so it is in flight for about a second.
 *   dio-fork [-m]     cases: parent (the parent writes page 0), child (the child writes page 0), none (no write)
 */
#include "lab.h"
#include <sys/wait.h>

#define LEN MiB   /* about a second on the throttled disk */

static struct lab_file slow;
static char *buf;
static struct lab_dio read_req = { .file = &slow, .len = LEN };

/* The frame behind ADDR (/proc/self/pagemap, root), or 0 when not present. */
static unsigned long pfn_of(void *addr)
{
    unsigned long e = 0;
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && pread(fd, &e, sizeof e, (off_t)((uintptr_t)addr / PAGE * sizeof e)) != sizeof e)
        e = 0;
    if (fd >= 0)
        close(fd);
    return (e >> 63) ? e & ((1UL << 55) - 1) : 0;
}

static void run(const char *name, int who)   /* who: 1 the parent writes, 2 the child, 0 nobody */
{
    read_req.handle = name;
    pthread_t th;
    buf = lab_dio_start(&read_req, &th);
    unsigned long before = pfn_of(buf);
    int down[2];
    if (pipe(down) < 0)
        lab_die("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        if (who == 2)
            lab_touch(buf, 1, 'C');
        say("%s the child's page 0 is frame 0x%lx", name, pfn_of(buf));
        char c;
        if (read(down[0], &c, 1) < 0)
            lab_die("read pipe");
        _exit(0);
    }
    if (who == 1)
        lab_touch(buf, 1, 'B');
    say("%s the parent's page 0 was frame 0x%lx at fork(), is 0x%lx after it%s", name, before, pfn_of(buf),
        __atomic_load_n(&read_req.done, __ATOMIC_ACQUIRE) ? " (the read had returned)" : "");
    pthread_join(th, NULL);
    /* the file's page 0 holds 'a': byte 1 of the parent's page 0 says where the read landed */
    say("%s read ret=%ld; the parent's page 0 holds '%c' after the read: %s", name, read_req.ret, buf[1],
        buf[1] == 'a' ? "the read landed in the parent's page" : "the read went to a page the parent lost");
    if (write(down[1], "x", 1) < 0)
        lab_die("write pipe");
    waitpid(pid, NULL, 0);
    close(down[0]);
    close(down[1]);
    lab_munmap(buf, LEN);
}

int main(int argc, char **argv)
{
    argc = lab_init("dio-fork", argc, argv);
    slow = lab_file_open(SLOW_SRC, O_DIRECT);
    run("dio-fork-parent", 1);
    run("dio-fork-child", 2);
    run("dio-fork-none", 0);
    close(slow.fd);
    return 0;
}
