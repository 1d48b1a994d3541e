/*
 * memfd_secret() memory (mm/secretmem.c, 5.14; behind the boot parameter secretmem.enable=1 until 6.5 turned it
 * on by default): its pages leave the kernel's direct map, so every GUP refuses them (check_vma_flags()
 * vma_is_secretmem(); GUP-fast page_is_secretmem(), gup_fast_folio_allowed() from 6.5, falling back to the slow
 * path). Four pages, written by the CPU first, then: an io_uring fixed buffer (pin_user_pages FOLL_LONGTERM), an
 * O_DIRECT read into them (pin_user_pages_fast), /proc/self/mem and process_vm_readv reading them
 * (get_user_pages_remote, pin_user_pages_remote), vmsplice of them (get_user_pages_fast). The CPU still reads
 * what it wrote.
 *   secretmem [-m]
 */
#include "lab.h"
#include <liburing.h>
#include <sys/uio.h>

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif
#define LEN (4 * PAGE)

int main(int argc, char **argv)
{
    lab_init("secretmem", argc, argv);
    struct lab_file f = { (int)syscall(SYS_memfd_secret, 0), 0, LEN };
    if (f.fd < 0) {
        say("memfd_secret ret=%ld", -(long)errno);
        return 0;
    }
    if (ftruncate(f.fd, LEN) < 0)
        lab_die("ftruncate (secretmem)");
    lab_file_marker(&f, "secretmem", 0);
    char *p = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_SHARED, &f, 0);
    lab_touch(p, LEN, 's');

    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    struct iovec iov = { p, LEN };
    r = io_uring_register_buffers(&ring, &iov, 1);
    mark("io_uring_register_buffers: handle=secret addr=%p len=0x%lx ret=%d", p, LEN, r);
    say("io_uring_register_buffers ret=%d", r);
    if (r == 0) {
        io_uring_unregister_buffers(&ring);
        mark("io_uring_unregister_buffers: handle=secret");
    }
    io_uring_queue_exit(&ring);

    struct lab_file src = lab_file_create(DIR_EXT4 "/secret-src", LEN, O_DIRECT);
    mark("dio_submit: handle=secret-read ino=%lu offset=0 len=0x%lx buf=%p rw=read", src.ino, LEN, p);
    long ret = kret(pread(src.fd, p, LEN, 0));
    mark("dio_complete: handle=secret-read ret=%ld", ret);
    say("O_DIRECT read into it ret=%ld", ret);

    int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (mem < 0)
        lab_die("/proc/self/mem");
    char page[PAGE];
    ret = kret(pread(mem, page, PAGE, (off_t)(uintptr_t)p));
    say("/proc/self/mem read ret=%ld", ret);
    close(mem);

    struct iovec local = { page, PAGE }, remote = { p, PAGE };
    ret = kret(process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
    mark("process_vm_readv: pid=%d addr=%p len=0x%lx ret=%ld", getpid(), p, PAGE, ret);
    say("process_vm_readv ret=%ld", ret);

    int pp[2];
    if (pipe(pp) < 0)
        lab_die("pipe");
    struct iovec spl = { p, PAGE };
    ret = kret(vmsplice(pp[1], &spl, 1, 0));
    mark("vmsplice: addr=%p len=0x%lx ret=%ld", p, PAGE, ret);
    say("vmsplice ret=%ld", ret);
    close(pp[0]);
    close(pp[1]);

    say("the CPU reads '%c' (wrote 's')", p[LEN - 1]);
    lab_munmap(p, LEN);
    close(f.fd);
    return 0;
}
