/*
 * PTRACE_POKEDATA and PTRACE_PEEKDATA on a stopped tracee's buffers of every backing: the debugger's
 * path (ptrace_access_vm -> __access_remote_vm -> get_user_pages_remote on the tracee's mm), always
 * with FOLL_FORCE, whatever the kernel's /proc/PID/mem policy (CONFIG_PROC_MEM_*). A write may COW a
 * read-only private mapping, not a read-only shared one, nor (6.0 to 6.14) a read-only hugetlb one.
 * The child maps the buffers (its own markers carry its pid), stops itself under PTRACE_TRACEME, and
 * frees them after the parent detached.
 *   ptrace-poke [-m] [BACKING...]
 */
#include "lab.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static void child(int argc, char **argv, int to_parent, int from_parent)
{
    struct buffer bufs[LAB_NBACKINGS];
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        if (!lab_selected(&lab_backings[i], argc, argv))
            continue;
        bufs[i] = lab_buffer(&lab_backings[i], 16 * PAGE);
        if (write(to_parent, &bufs[i].addr, sizeof bufs[i].addr) < 0)
            lab_die("write pipe");
    }
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
        lab_die("PTRACE_TRACEME");
    raise(SIGSTOP);
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
    argc = lab_init("ptrace-poke", argc, argv);
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0)
        lab_die("pipe");
    pid_t pid = fork();
    if (pid == 0)
        child(argc, argv, up[1], down[0]);
    close(up[1]);   /* a child that died early ends the parent's read */
    close(down[0]);
    void *addr[LAB_NBACKINGS];
    for (unsigned i = 0; i < LAB_NBACKINGS; i++)
        if (lab_selected(&lab_backings[i], argc, argv) && read(up[0], &addr[i], sizeof addr[i]) != sizeof addr[i])
            lab_die("read pipe");
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
        lab_die("waitpid (the tracee did not stop)");
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        long r = ptrace(PTRACE_POKEDATA, pid, addr[i], (void *)0x6b6f6f7065636172L);
        say("%s PTRACE_POKEDATA ret=%ld", b->name, r < 0 ? -(long)errno : r);
        errno = 0;
        long word = ptrace(PTRACE_PEEKDATA, pid, addr[i], NULL);
        say("%s PTRACE_PEEKDATA ret=%ld word=0x%lx", b->name, errno ? -(long)errno : 0L, errno ? 0UL : (unsigned long)word);
    }
    if (ptrace(PTRACE_DETACH, pid, NULL, NULL) < 0)
        lab_die("PTRACE_DETACH");
    if (write(down[1], "x", 1) < 0)
        lab_die("write pipe");
    waitpid(pid, NULL, 0);
    return 0;
}
