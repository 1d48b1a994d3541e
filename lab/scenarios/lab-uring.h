/*
 * io_uring helpers of the lab's scenario programs that link liburing.
 */
#ifndef LAB_URING_H
#define LAB_URING_H

#include "lab.h"
#include <liburing.h>

/* IORING_OP_READ_FIXED of LEN bytes at offset 0 of FD into ADDR, inside buffer INDEX: the device writes the pinned
 * pages. The completion's result, or the error of waiting for it. */
static inline long lab_read_fixed(struct io_uring *ring, int fd, void *addr, unsigned len, int index)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    io_uring_prep_read_fixed(sqe, fd, addr, len, 0, index);
    io_uring_submit(ring);
    struct io_uring_cqe *cqe;
    long n = io_uring_wait_cqe(ring, &cqe);
    if (n == 0) {
        n = cqe->res;
        io_uring_cqe_seen(ring, cqe);
    }
    return n;
}

/* IORING_OP_READ of LEN bytes at offset 0 of FD into BUF on a ring of its own (io_uring_setup(), io_uring_enter() to
 * submit, io_uring_enter() again to wait): the request's result, or the error of setting up or waiting. */
static inline long lab_uring_read(int fd, void *buf, unsigned len)
{
    struct io_uring ring;
    long n = io_uring_queue_init(4, &ring, 0);
    if (n < 0)
        return n;
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    io_uring_prep_read(sqe, fd, buf, len, 0);
    io_uring_sqe_set_data64(sqe, 0x5eed);
    io_uring_submit(&ring);
    struct io_uring_cqe *cqe;
    n = io_uring_wait_cqe(&ring, &cqe);
    if (n == 0) {
        n = cqe->res;
        io_uring_cqe_seen(&ring, cqe);
    }
    io_uring_queue_exit(&ring);
    return n;
}

#endif
