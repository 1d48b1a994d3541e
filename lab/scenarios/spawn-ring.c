/*
 * An io_uring ring's fd outlives a posix_spawn()ed child and a dup(): the process registers 16 pages on a ring and
 * posix_spawn()s /bin/true (clone(CLONE_VM|CLONE_VFORK): the child has its own copy of the fd table, dup_fd(), and
 * its execve() closes only that copy of the O_CLOEXEC ring fd); then it dup()s the ring's fd and closes the
 * original (the ring lives on in the copy), unregisters through the copy (0) and again (-ENXIO: no table). A
 * second ring is then registered as the task's ring 0 (IORING_REGISTER_RING_FDS, 6.3+) and used through that
 * index (opcode | IORING_REGISTER_USE_REGISTERED_RING: 0 from 6.3, -EINVAL before).
 *   spawn-ring [-m]
 */
#include "lab.h"
#include <liburing.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef IORING_REGISTER_USE_REGISTERED_RING
#define IORING_REGISTER_USE_REGISTERED_RING (1U << 31)
#endif

#define LEN (16 * PAGE)

extern char **environ;

static long uring_register(int fd, unsigned opcode, void *arg, unsigned nr)
{
    return kret(syscall(__NR_io_uring_register, fd, opcode, arg, nr));
}

int main(int argc, char **argv)
{
    argc = lab_init("spawn-ring", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(4, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    char *buf = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(buf, LEN, 's');
    struct iovec iov = { buf, LEN };
    r = io_uring_register_buffers(&ring, &iov, 1);
    mark("io_uring_register_buffers: handle=ring1 addr=%p len=0x%lx ret=%d", buf, (unsigned long)LEN, r);
    say("register ret=%d", r);

    pid_t pid;
    char *child_argv[] = { "true", NULL };
    r = posix_spawn(&pid, "/bin/true", NULL, NULL, child_argv, environ);
    say("posix_spawn(/bin/true) ret=%d", r);
    if (r == 0)
        waitpid(pid, NULL, 0);

    int copy = dup(ring.ring_fd);
    say("dup(ring fd) ret=%d", copy < 0 ? -errno : copy);
    close(ring.ring_fd);
    long u = uring_register(copy, IORING_UNREGISTER_BUFFERS, NULL, 0);
    mark("io_uring_unregister_buffers: handle=ring1 ret=%ld", u);
    say("unregister through the copy ret=%ld", u);
    u = uring_register(copy, IORING_UNREGISTER_BUFFERS, NULL, 0);
    say("unregister again ret=%ld", u);
    close(copy);

    struct io_uring ring2;
    r = io_uring_queue_init(4, &ring2, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    struct io_uring_rsrc_update up = { .offset = 0, .data = (unsigned long long)ring2.ring_fd };
    long reg = uring_register(ring2.ring_fd, 20 /* IORING_REGISTER_RING_FDS */, &up, 1);
    say("IORING_REGISTER_RING_FDS ret=%ld index=%u", reg, up.offset);
    int index = reg == 1 ? (int)up.offset : 0;
    u = uring_register(index, IORING_REGISTER_BUFFERS | IORING_REGISTER_USE_REGISTERED_RING, &iov, 1);
    say("register through registered ring %d ret=%ld", index, u);
    u = uring_register(index, IORING_UNREGISTER_BUFFERS | IORING_REGISTER_USE_REGISTERED_RING, NULL, 0);
    say("unregister through registered ring %d ret=%ld", index, u);
    io_uring_queue_exit(&ring2);
    lab_munmap(buf, LEN);
    return 0;
}
