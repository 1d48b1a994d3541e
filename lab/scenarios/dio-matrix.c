/*
 * O_DIRECT pread and pwrite with a 16-page buffer of every backing: the short-term GUP of block
 * direct I/O (iov_iter_get_pages: FOLL_GET references through 6.1, FOLL_PIN from 6.2 on when
 * block I/O moved to iov_iter_extract_pages).
 *   dio-matrix [-m] [BACKING...]
 */
#include "lab.h"

#define LEN (16 * PAGE)

int main(int argc, char **argv)
{
    argc = lab_init("dio-matrix", argc, argv);
    struct lab_file src = lab_file_create(DIR_EXT4 "/dio-src", LEN, O_DIRECT);
    struct lab_file dst = lab_file_create(DIR_EXT4 "/dio-dst", LEN, O_DIRECT);
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, LEN);
        mark("dio_submit: handle=%s-read ino=%lu offset=0 len=0x%lx buf=%p rw=read", b->name, src.ino,
             LEN, buf.addr);
        long r = kret(pread(src.fd, buf.addr, LEN, 0));
        mark("dio_complete: handle=%s-read ret=%ld", b->name, r);
        say("%s pread ret=%ld", b->name, r);
        mark("dio_submit: handle=%s-write ino=%lu offset=0 len=0x%lx buf=%p rw=write", b->name,
             dst.ino, LEN, buf.addr);
        r = kret(pwrite(dst.fd, buf.addr, LEN, 0));
        mark("dio_complete: handle=%s-write ret=%ld", b->name, r);
        say("%s pwrite ret=%ld", b->name, r);
        lab_buffer_free(&buf);
    }
    close(src.fd);
    close(dst.fd);
    return 0;
}
