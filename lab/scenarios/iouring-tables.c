/*
 * io_uring buffer tables made and changed the newer ways, as liburing offers them: IORING_REGISTER_BUFFERS2 with
 * tags (5.13), a sparse table (IORING_RSRC_REGISTER_SPARSE, 5.19) whose slots IORING_REGISTER_BUFFERS_UPDATE (5.13)
 * fills, replaces and empties, and IORING_UNREGISTER_BUFFERS of each; then the same after the old way
 * (IORING_REGISTER_BUFFERS) for comparison. Each buffer is 16 anonymous pages written by the CPU; a READ_FIXED
 * into slot 0 after each change shows which buffer the slot holds. Kernels without an opcode answer -EINVAL.
 *   iouring-tables [-m]
 */
#include "lab-uring.h"

#define LEN (16 * PAGE)

static struct io_uring ring;
static struct lab_file src;

static long read_fixed(void *addr, int index)
{
    return lab_read_fixed(&ring, src.fd, addr, PAGE, index);
}

static char *buffer(int c)
{
    char *p = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(p, LEN, c);
    return p;
}

static void unregister(const char *what)
{
    int r = io_uring_unregister_buffers(&ring);
    say("%s unregister ret=%d", what, r);
}

int main(int argc, char **argv)
{
    argc = lab_init("iouring-tables", argc, argv);
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    src = lab_file_create(DIR_EXT4 "/tables-src", PAGE, 0);
    char *a = buffer('a'), *b = buffer('b'), *c = buffer('c');
    struct iovec ia = { a, LEN }, ib = { b, LEN }, ic = { c, LEN };

    /* REGISTER_BUFFERS2 with tags: a table of two */
    struct iovec two[2] = { ia, ib };
    __u64 tags[2] = { 1, 2 };
    r = io_uring_register_buffers_tags(&ring, two, tags, 2);
    say("tags register ret=%d", r);
    if (r == 0) {
        say("tags READ_FIXED slot 0 ret=%ld", read_fixed(a, 0));
        __u64 tag = 3;
        r = io_uring_register_buffers_update_tag(&ring, 0, &ic, &tag, 1);
        say("tags update slot 0 to c ret=%d", r);
        say("tags READ_FIXED slot 0 into c ret=%ld", read_fixed(c, 0));
        say("tags READ_FIXED slot 0 into a ret=%ld", read_fixed(a, 0));
        unregister("tags");
    }
    say("tags unregister again ret=%d", io_uring_unregister_buffers(&ring));

    /* a sparse table of four, slots filled, replaced and emptied by updates */
    r = io_uring_register_buffers_sparse(&ring, 4);
    say("sparse register ret=%d", r);
    if (r == 0) {
        say("sparse READ_FIXED empty slot 1 ret=%ld", read_fixed(a, 1));
        __u64 tag = 0;
        r = io_uring_register_buffers_update_tag(&ring, 1, &ia, &tag, 1);
        say("sparse update slot 1 to a ret=%d", r);
        say("sparse READ_FIXED slot 1 ret=%ld", read_fixed(a, 1));
        r = io_uring_register_buffers_update_tag(&ring, 1, &ib, &tag, 1);
        say("sparse update slot 1 to b ret=%d", r);
        struct iovec empty = { NULL, 0 };
        r = io_uring_register_buffers_update_tag(&ring, 1, &empty, &tag, 1);
        say("sparse update slot 1 to empty ret=%d", r);
        r = io_uring_register_buffers_update_tag(&ring, 4, &ia, &tag, 1);
        say("sparse update slot 4 (past the end) ret=%d", r);
        r = io_uring_register_buffers_update_tag(&ring, 2, &ic, &tag, 1);
        say("sparse update slot 2 to c ret=%d", r);
        unregister("sparse");
    }

    /* the old way, then an update of its table */
    r = io_uring_register_buffers(&ring, two, 2);
    say("old register ret=%d", r);
    if (r == 0) {
        __u64 tag = 0;
        r = io_uring_register_buffers_update_tag(&ring, 1, &ic, &tag, 1);
        say("old update slot 1 to c ret=%d", r);
        unregister("old");
    }
    lab_munmap(a, LEN);
    lab_munmap(b, LEN);
    lab_munmap(c, LEN);
    io_uring_queue_exit(&ring);
    close(src.fd);
    unlink(DIR_EXT4 "/tables-src");
    return 0;
}
