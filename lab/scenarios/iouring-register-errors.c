/*
 * io_uring_register() buffer registration refused before or without a pin, and the release of a ring's
 * pins: IORING_UNREGISTER_BUFFERS with no table or with arguments, IORING_REGISTER_BUFFERS with nr_args 0
 * or above the release's limit, a NULL or unreadable iovec array, an iovec of length 0, above 1 GiB, with a
 * NULL base, a sparse {NULL, 0} slot, a table already there (-EBUSY), a second iovec refused after the
 * first was pinned; then rings closed with their buffers registered. Through liburing
 * (io_uring_register_buffers) and the raw syscall (__NR_io_uring_register).
 *   iouring-register-errors [-m]
 */
#include "lab.h"
#include <liburing.h>

#define IORING_REGISTER_BUFFERS_OP 0
#define IORING_UNREGISTER_BUFFERS_OP 1

static long reg(int fd, unsigned op, const void *arg, unsigned nr)
{
    return kret(syscall(__NR_io_uring_register, fd, op, arg, nr));
}

static struct io_uring lab_ring(void)
{
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    return ring;
}

/* liburing's registration of one iovec, with its native marker on ring HANDLE. */
static int register_one(struct io_uring *ring, const char *handle, const char *what, void *addr, size_t len)
{
    struct iovec iov = { addr, len };
    int r = io_uring_register_buffers(ring, &iov, 1);
    mark("io_uring_register_buffers: handle=%s addr=0x%lx len=0x%zx ret=%d", handle, (unsigned long)addr, len, r);
    say("%s register ret=%d", what, r);
    return r;
}

static int unregister(struct io_uring *ring, const char *handle, const char *what)
{
    int r = io_uring_unregister_buffers(ring);
    mark("io_uring_unregister_buffers: handle=%s ret=%d", handle, r);
    say("%s unregister ret=%d", what, r);
    return r;
}

int main(int argc, char **argv)
{
    lab_init("iouring-register-errors", argc, argv);
    struct buffer buf = lab_buffer(&lab_backings[0], 16 * PAGE); /* anon-private */
    struct io_uring ring = lab_ring();
    int fd = ring.ring_fd;
    struct iovec good = { buf.addr, buf.len };

    /* io_sqe_buffers_unregister(): no table */
    unregister(&ring, "ring1", "no-table");
    /* __io_uring_register(): IORING_UNREGISTER_BUFFERS takes neither arg nor nr_args */
    say("unregister-arg ret=%ld", reg(fd, IORING_UNREGISTER_BUFFERS_OP, &good, 0));
    say("unregister-nr ret=%ld", reg(fd, IORING_UNREGISTER_BUFFERS_OP, NULL, 1));

    /* io_sqe_buffers_register(): nr_args 0, or above UIO_MAXIOV (5.10) / IORING_MAX_REG_BUFFERS */
    say("nr-0 register ret=%ld", reg(fd, IORING_REGISTER_BUFFERS_OP, &good, 0));
    say("nr-16385 register ret=%ld", reg(fd, IORING_REGISTER_BUFFERS_OP, &good, 16385));
    static struct iovec holes[1025]; /* all {NULL, 0}: sparse slots where the release allows them */
    long r = reg(fd, IORING_REGISTER_BUFFERS_OP, holes, 1025);
    say("nr-1025-sparse register ret=%ld", r);
    if (r == 0)
        say("nr-1025-sparse unregister ret=%ld", reg(fd, IORING_UNREGISTER_BUFFERS_OP, NULL, 0));

    /* the iovec array itself: NULL, unreadable */
    say("arg-null register ret=%ld", reg(fd, IORING_REGISTER_BUFFERS_OP, NULL, 1));
    say("arg-bad register ret=%ld", reg(fd, IORING_REGISTER_BUFFERS_OP, (void *)8, 1));

    /* io_buffer_validate() (5.13+), inline in 5.10: one iovec */
    register_one(&ring, "ring1", "len-0", buf.addr, 0);
    register_one(&ring, "ring1", "len-1g+1", buf.addr, (1UL << 30) + 1);
    register_one(&ring, "ring1", "base-null", NULL, buf.len);
    if (register_one(&ring, "ring1", "sparse", NULL, 0) == 0)
        unregister(&ring, "ring1", "sparse");

    /* two iovecs: the first pinned, the second refused before its pin */
    struct iovec two[2] = { good, { buf.addr, 0 } };
    r = reg(fd, IORING_REGISTER_BUFFERS_OP, two, 2);
    say("second-len-0 register ret=%ld", r);
    if (r == 0)
        say("second-len-0 unregister ret=%ld", reg(fd, IORING_UNREGISTER_BUFFERS_OP, NULL, 0));

    /* a table there: -EBUSY, and what comes before that check */
    if (register_one(&ring, "ring1", "first", buf.addr, buf.len) == 0) {
        register_one(&ring, "ring1", "busy", buf.addr, buf.len);
        say("busy-nr-0 register ret=%ld", reg(fd, IORING_REGISTER_BUFFERS_OP, &good, 0));
        say("busy-arg-null register ret=%ld", reg(fd, IORING_REGISTER_BUFFERS_OP, NULL, 1));
        say("busy-nr-16385 register ret=%ld", reg(fd, IORING_REGISTER_BUFFERS_OP, &good, 16385));
        unregister(&ring, "ring1", "first");
        unregister(&ring, "ring1", "again");
    }

    /* a ring closed with its table: the ring's exit unpins (io_ring_ctx_free(), from a workqueue) */
    register_one(&ring, "ring1", "at-exit", buf.addr, buf.len);
    io_uring_queue_exit(&ring);
    mark("io_uring_unregister_buffers: handle=ring1");
    say("ring1 closed");
    lab_sleep_ms(200);
    struct io_uring ring2 = lab_ring();
    register_one(&ring2, "ring2", "after-exit", buf.addr, buf.len);
    io_uring_queue_exit(&ring2);
    mark("io_uring_unregister_buffers: handle=ring2");
    say("ring2 closed");
    lab_sleep_ms(200);
    lab_buffer_free(&buf);
    return 0;
}
