/*
 * process_vm_readv / process_vm_writev against a child's buffers of every backing
 * (process_vm_rw_pages -> pin_user_pages_remote on the child's mm), and vmsplice of the program's
 * own buffers into a pipe (iov_iter_get_pages: get_user_pages_fast references held by the pipe).
 * The child writes its own markers (its mmaps carry its pid).
 *   pvm-vmsplice [-m] [BACKING...]
 */
#include "lab.h"
#include <sys/uio.h>
#include <sys/wait.h>

#define LEN (16 * PAGE)

static void child(int argc, char **argv, int to_parent, int from_parent)
{
    struct buffer bufs[LAB_NBACKINGS];
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        if (!lab_selected(&lab_backings[i], argc, argv))
            continue;
        bufs[i] = lab_buffer(&lab_backings[i], LEN);
        if (write(to_parent, &bufs[i].addr, sizeof bufs[i].addr) < 0)
            lab_die("write pipe");
    }
    char c;
    if (read(from_parent, &c, 1) < 0)
        lab_die("read pipe");
    for (unsigned i = 0; i < LAB_NBACKINGS; i++)
        if (lab_selected(&lab_backings[i], argc, argv))
            lab_buffer_free(&bufs[i]);
    exit(0);
}

int main(int argc, char **argv)
{
    argc = lab_init("pvm-vmsplice", argc, argv);
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0)
        lab_die("pipe");
    pid_t pid = fork();
    if (pid == 0)
        child(argc, argv, up[1], down[0]);
    char *local = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(local, LEN, 'p');
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        void *remote;
        if (read(up[0], &remote, sizeof remote) != sizeof remote)
            lab_die("read pipe");
        struct iovec l = { local, LEN }, r = { remote, LEN };
        long ret = kret(process_vm_readv(pid, &l, 1, &r, 1, 0));
        mark("process_vm_readv: pid=%d addr=%p len=0x%lx ret=%ld", pid, remote, LEN, ret);
        say("%s process_vm_readv ret=%ld", b->name, ret);
        ret = kret(process_vm_writev(pid, &l, 1, &r, 1, 0));
        mark("process_vm_writev: pid=%d addr=%p len=0x%lx ret=%ld", pid, remote, LEN, ret);
        say("%s process_vm_writev ret=%ld", b->name, ret);
    }
    if (write(down[1], "x", 1) < 0)
        lab_die("write pipe");
    waitpid(pid, NULL, 0);

    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, LEN);
        int p[2];
        if (pipe(p) < 0)
            lab_die("pipe");
        struct iovec iov = { buf.addr, LEN };
        long ret = kret(vmsplice(p[1], &iov, 1, 0));
        mark("vmsplice: addr=%p len=0x%lx ret=%ld", buf.addr, LEN, ret);
        say("%s vmsplice ret=%ld", b->name, ret);
        long n = ret > 0 ? kret(read(p[0], local, (size_t)ret)) : 0;
        say("%s read from the pipe ret=%ld", b->name, n);
        close(p[0]);
        close(p[1]);
        lab_buffer_free(&buf);
    }
    lab_munmap(local, LEN);
    return 0;
}
