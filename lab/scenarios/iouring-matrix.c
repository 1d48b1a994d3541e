/*
 * io_uring fixed-buffer registration (IORING_REGISTER_BUFFERS) on every backing: the long-term pin
 * matrix as a user program reaches it (io_sqe_buffers_register -> io_pin_pages -> pin_user_pages
 * with FOLL_WRITE|FOLL_LONGTERM). Each buffer is 16 pages, registered untouched, then unregistered.
 *   iouring-matrix [-m] [BACKING...]
 */
#include "lab.h"
#include <liburing.h>

int main(int argc, char **argv)
{
    argc = lab_init("iouring-matrix", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, 16 * PAGE);
        struct iovec iov = { buf.addr, buf.len };
        r = io_uring_register_buffers(&ring, &iov, 1);
        mark("io_uring_register_buffers: handle=%s addr=%p len=0x%zx ret=%d", b->name, buf.addr,
             buf.len, r);
        say("%s register ret=%d", b->name, r);
        if (r == 0) {
            r = io_uring_unregister_buffers(&ring);
            mark("io_uring_unregister_buffers: handle=%s", b->name);
            say("%s unregister ret=%d", b->name, r);
        }
        lab_buffer_free(&buf);
    }
    io_uring_queue_exit(&ring);
    return 0;
}
