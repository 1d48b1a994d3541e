/*
 * An io_uring ring shared across fork(): the child inherits the ring's fd (the same io_ring_ctx), registers a
 * buffer of its own memory on it and exits; the ring lives on in the parent, whose unregister then finds the table
 * the child made (0), and whose registration after it is its own. The child's pins and charge stay with the ring,
 * not with the child's exit.
 *   fork-ring [-m]
 */
#include "lab.h"
#include <liburing.h>
#include <sys/wait.h>

#define LEN (16 * PAGE)

int main(int argc, char **argv)
{
    argc = lab_init("fork-ring", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(4, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    pid_t pid = fork();
    if (pid == 0) {
        char *buf = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
        lab_touch(buf, LEN, 'c');
        struct iovec iov = { buf, LEN };
        r = io_uring_register_buffers(&ring, &iov, 1);
        say("child register ret=%d", r);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    lab_sleep_ms(500);
    r = io_uring_unregister_buffers(&ring);
    say("parent unregister of the child's table ret=%d", r);
    r = io_uring_unregister_buffers(&ring);
    say("parent unregister again ret=%d", r);
    char *buf = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(buf, LEN, 'p');
    struct iovec iov = { buf, LEN };
    r = io_uring_register_buffers(&ring, &iov, 1);
    say("parent register ret=%d", r);
    r = io_uring_unregister_buffers(&ring);
    say("parent unregister ret=%d", r);
    io_uring_queue_exit(&ring);
    return 0;
}
