/*
 * Pins a process leaves behind when it exits: as uid 1000 under a 64-page RLIMIT_MEMLOCK, a child registers a
 * 48-page io_uring fixed buffer (charged to the user's locked_vm, __io_account_mem()) and exits without
 * unregistering or closing its ring; exit_files() drops the ring, whose io_ring_exit_work() unpins the buffer and
 * gives the charge back on a workqueue. A second child of the same user then registers 48 pages: over the limit
 * only if the first one's charge were still held; a third unregisters before it exits, and a fourth registers
 * again. A fifth registers, then execve()s itself: the ring, O_CLOEXEC like every io_uring ring, closes, and the new
 * image registers 48 pages a second later. The parent waits a second between children for the workqueue.
 * With "thread" only a sixth child runs: a second thread of it registers, then execve()s itself (de_thread():
 * the thread takes the leader's pid; sched_process_exec's old_pid names it), and the new image registers again.
 *   exit-release [-m] [thread|after-exec]
 */
#include "lab.h"
#include <liburing.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define LEN (48 * PAGE)

static void state(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
        lab_die("getrlimit");
    mark("memlock: pid=%d rlimit=%llu cap_ipc_lock=0 uid=1000 euid=1000 suid=1000", getpid(),
         (unsigned long long)rl.rlim_cur);
}

static char **self_argv;

/* A new ring, and 48 pages written with C registered on it as buffer NAME: the registration's result. */
static int register48(struct io_uring *ring, const char *name, int c)
{
    int r = io_uring_queue_init(4, ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    char *buf = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(buf, LEN, c);
    struct iovec iov = { buf, LEN };
    r = io_uring_register_buffers(ring, &iov, 1);
    mark("io_uring_register_buffers: handle=%s addr=%p len=0x%lx ret=%d", name, buf, LEN, r);
    say("%s register ret=%d", name, r);
    return r;
}

/* Execs this program again as "after-exec", the marker fd inherited (uid 1000 cannot open the marker file). */
static void exec_self(void)
{
    char fd[16];
    snprintf(fd, sizeof fd, "%d", lab_marker_fd);
    if (lab_marker_fd >= 0 && (fcntl(lab_marker_fd, F_SETFD, 0) < 0 || setenv("LAB_MARKER_FD", fd, 1) < 0))
        lab_die("marker fd");
    char *args[] = { self_argv[0], lab_marker_fd >= 0 ? "-m" : "after-exec", "after-exec", NULL };
    execv("/proc/self/exe", args);
    lab_die("execv");
}

/* The sixth child's second thread: registers, then execs (from a thread that is not the group leader). */
static void *thread_exec(void *name)
{
    struct io_uring ring;
    register48(&ring, name, 't');
    exec_self();
    return NULL;
}

static void child(const char *name, int unregister)
{
    pid_t pid = fork();
    if (pid != 0) {
        waitpid(pid, NULL, 0);
        lab_sleep_ms(1000);
        return;
    }
    if (setresuid(1000, 1000, 1000) < 0)
        lab_die("setresuid");
    state();
    if (unregister == 3) {
        pthread_t th;
        if (pthread_create(&th, NULL, thread_exec, (void *)name) != 0)
            lab_die("pthread_create");
        pthread_join(th, NULL);   /* never returns: the thread's execve() ends this image */
    }
    struct io_uring ring;
    int r = register48(&ring, name, 'e');
    if (unregister == 1 && r == 0) {
        r = io_uring_unregister_buffers(&ring);
        mark("io_uring_unregister_buffers: handle=%s", name);
        say("%s unregister ret=%d", name, r);
    }
    if (unregister == 2)
        exec_self();
    _exit(0);   /* the ring, its table and the mapping go with the process */
}

/* The new image of the fifth child: its old ring closed at execve(); it registers as much again. */
static int after_exec(void)
{
    lab_sleep_ms(1000);
    state();
    struct io_uring ring;
    register48(&ring, "after-exec", 'x');
    return 0;
}

int main(int argc, char **argv)
{
    self_argv = argv;
    argc = lab_init("exit-release", argc, argv);
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0)
        return after_exec();
    struct rlimit rl = { 64 * PAGE, 64 * PAGE };
    if (setrlimit(RLIMIT_MEMLOCK, &rl) < 0)
        lab_die("setrlimit");
    if (argc > 1 && strcmp(argv[1], "thread") == 0) {
        child("sixth", 3);
        return 0;
    }
    child("first", 0);
    child("second", 0);
    child("third", 1);
    child("fourth", 0);
    child("fifth", 2);
    return 0;
}
