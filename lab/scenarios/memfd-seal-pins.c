/*
 * F_SEAL_WRITE against pins (mm/memfd.c memfd_add_seals(), the same logic from 5.10 to 7.2): fcntl(F_ADD_SEALS)
 * on a memfd made without MFD_ALLOW_SEALING meets its F_SEAL_SEAL: -EPERM. F_SEAL_WRITE first asks
 * mapping_deny_writable(): a shared writable mapping of the file (i_mmap_writable > 0) is -EBUSY. Then
 * memfd_wait_for_pins() tags the page-cache folios holding references beyond the page cache's and the mappings'
 * (memfd_tag_pins(): a GUP pin, an io_uring fixed buffer, a udmabuf's memfd_pin_folios()), drains the LRU caches
 * and scans again after 10, 20, 40 and 80 ms (LAST_SCAN 4); a folio still pinned at the last scan is -EBUSY
 * (mapping_allow_writable() undoes the denial), otherwise the seal is added (0).
 *
 * The steps: memfd A (1 MiB, MFD_ALLOW_SEALING) mapped shared and writable and written; F_SEAL_WRITE while that
 * mapping exists (-EBUSY); its first 64 KiB registered as an io_uring fixed buffer (pin_user_pages FOLL_LONGTERM)
 * and the whole mapping unmapped, so only the pins remain; F_SEAL_WRITE (-EBUSY after the scans: the call's time is
 * said); the buffer unregistered, F_SEAL_WRITE (0). Memfd D (1 MiB, MFD_ALLOW_SEALING) mapped shared and writable
 * and written, then an O_DIRECT read of 64 KiB of the throttled disk (SLOW_SRC, as dio-unmap reads it: primed, on its
 * own thread, checked in flight 300 ms in, three tries) into its first 64 KiB: iomap_dio_rw()'s
 * bio_iov_iter_get_pages() holds D's pages (FOLL_GET through 6.1, FOLL_PIN from 6.2). While the read is in flight
 * the whole mapping is unmapped (zap: the PTEs go, the bios' references stay) and F_SEAL_WRITE asked: -EBUSY, the
 * extra references seen by memfd_tag_pins() at every scan (whether the read was still in flight when the fcntl
 * returned is said); the read joined (its bios' completion, bio_release_pages(), put or unpin the pages),
 * F_SEAL_WRITE (0). Memfd B (1 MiB, MFD_ALLOW_SEALING, never mapped) with
 * F_SEAL_SHRINK, a udmabuf over its first 64 KiB (memfd_pin_folios() allocates and pins the pages; /dev/udmabuf
 * only where CONFIG_UDMABUF is set: Debian's 6.12 and 7.2), F_SEAL_WRITE (-EBUSY), the dma-buf closed
 * (release_udmabuf() unpins), F_SEAL_WRITE (0). Memfd C made without MFD_ALLOW_SEALING: F_SEAL_WRITE (-EPERM).
 *   memfd-seal-pins [-m]
 * Markers: add_seals: ino= seals= ret= (after the fcntl), udmabuf_create: as udmabuf.c writes it (handle ubB),
 * udmabuf_release: after the close of the dma-buf's fd, io_uring_register_buffers/unregister_buffers (ring1), and
 * D's read's dio_submit/dio_complete (handle dioD, after the prime's) as dio-unmap writes them.
 */
#include "lab.h"
#include <liburing.h>

#define LEN MiB
#define PINNED (64 * KiB)

/*
 * fcntl(F->fd, F_ADD_SEALS, SEALS) with its marker (STATE: what holds the file, said); *MS gets the call's time in
 * milliseconds when not NULL.
 */
static long add_seals(const char *what, const char *state, const struct lab_file *f, int seals, const char *names,
                      double *ms)
{
    double t0 = lab_now();
    long r = kret(fcntl(f->fd, F_ADD_SEALS, seals));
    double t = (lab_now() - t0) * 1e3;
    mark("add_seals: ino=%lu seals=0x%x ret=%ld", f->ino, seals, r);
    say("fcntl(%s, F_ADD_SEALS, %s)%s%s ret=%ld, seals now 0x%lx", what, names, *state ? " with " : "", state, r,
        lab_seals_of(f->fd));
    if (ms)
        *ms = t;
    return r;
}

/* D's read: 64 KiB of the throttled disk into D's mapping (lab_dio_read(), on its own thread). */
static struct lab_file slow;
static struct lab_dio read_d = { .file = &slow, .len = PINNED, .handle = "dioD" };

static int in_flight(void)
{
    return !__atomic_load_n(&read_d.done, __ATOMIC_ACQUIRE);
}

int main(int argc, char **argv)
{
    lab_init("memfd-seal-pins", argc, argv);
    double ms;

    /* 1: A mapped shared and writable, written */
    struct lab_file a = lab_memfd("seal-a", LEN, MFD_ALLOW_SEALING);
    say("memfd A (MFD_ALLOW_SEALING) 1 MiB seals=0x%lx", lab_seals_of(a.fd));
    char *p = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_SHARED, &a, 0);
    lab_touch(p, LEN, 'a');

    /* 2: a shared writable mapping: mapping_deny_writable() refuses */
    add_seals("A", "A mapped shared rw", &a, F_SEAL_WRITE, "F_SEAL_WRITE", NULL);

    /* 3: the first 64 KiB an io_uring fixed buffer, then the mapping gone: only the pins remain */
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    struct iovec iov = { p, PINNED };
    r = io_uring_register_buffers(&ring, &iov, 1);
    mark("io_uring_register_buffers: handle=ring1 addr=%p len=0x%lx ret=%d", p, PINNED, r);
    say("io_uring_register_buffers(A's first 64 KiB) ret=%d", r);
    lab_munmap(p, LEN);
    say("munmap(A's mapping) ret=0");

    /* 4: pinned, not mapped: memfd_wait_for_pins() scans about 150 ms, then refuses */
    add_seals("A", "64 KiB of A pinned by ring1, A unmapped", &a, F_SEAL_WRITE, "F_SEAL_WRITE", &ms);
    say("  the call took %.1f ms", ms);

    /* 5: the pins gone */
    if (r == 0) {
        r = io_uring_unregister_buffers(&ring);
        mark("io_uring_unregister_buffers: handle=ring1");
        say("io_uring_unregister_buffers ret=%d", r);
    }
    add_seals("A", "ring1 unregistered", &a, F_SEAL_WRITE, "F_SEAL_WRITE", &ms);
    say("  the call took %.1f ms; F_GET_SEALS(A) = 0x%lx", ms, lab_seals_of(a.fd));
    io_uring_queue_exit(&ring);

    /* 6: D mapped shared and writable, written; an O_DIRECT read of the throttled disk into its first 64 KiB, and
     * while the read is in flight the mapping goes: only the read's references remain (dio-unmap's start, D's
     * mapping for its buffer: three tries) */
    struct lab_file d = lab_memfd("seal-d", LEN, MFD_ALLOW_SEALING);
    say("memfd D (MFD_ALLOW_SEALING) 1 MiB seals=0x%lx", lab_seals_of(d.fd));
    slow = lab_file_open(SLOW_SRC, O_DIRECT);
    pthread_t th;
    for (int try = 1;; try++) {
        p = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_SHARED, &d, 0);
        lab_touch(p, LEN, 'd');
        read_d.buf = p;
        read_d.done = 0;
        lab_throttle_prime(&slow);
        pthread_create(&th, NULL, lab_dio_read, &read_d);
        lab_sleep_ms(300);
        if (in_flight() || try == 3)
            break;
        pthread_join(th, NULL);
        say("%s: the read returned (ret=%ld) within 300 ms: again", read_d.handle, read_d.ret);
        lab_munmap(p, LEN);
    }
    lab_munmap(p, LEN);
    say("munmap(D's mapping) ret=0 %s", in_flight() ? "while the read was in flight" : "after the read had returned");
    int before = in_flight();
    add_seals("D", before ? "64 KiB of D under an O_DIRECT read in flight, D unmapped"
                          : "D unmapped, the read already returned (not in flight)",
              &d, F_SEAL_WRITE, "F_SEAL_WRITE", &ms);
    say("  the call took %.1f ms and returned %s", ms,
        in_flight() ? "while the read was in flight"
        : before   ? "after the read had returned (in flight when called)"
                   : "after the read had returned (not in flight when called)");
    pthread_join(th, NULL);
    say("%s: read ret=%ld into D's pages nobody maps", read_d.handle, read_d.ret);
    add_seals("D", "the read returned", &d, F_SEAL_WRITE, "F_SEAL_WRITE", &ms);
    say("  the call took %.1f ms; F_GET_SEALS(D) = 0x%lx", ms, lab_seals_of(d.fd));
    close(slow.fd);

    /* 7: B, never mapped, pinned by a udmabuf */
    struct lab_file b = lab_memfd("seal-b", LEN, MFD_ALLOW_SEALING);
    say("memfd B (MFD_ALLOW_SEALING) 1 MiB seals=0x%lx", lab_seals_of(b.fd));
    add_seals("B", "", &b, F_SEAL_SHRINK, "F_SEAL_SHRINK", NULL);
    int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
    if (dev < 0) {
        say("no /dev/udmabuf (errno %d): B's udmabuf steps skipped", errno);
    } else {
        long seals = lab_seals_of(b.fd);
        struct lab_udmabuf_create c = { (uint32_t)b.fd, LAB_UDMABUF_FLAGS_CLOEXEC, 0, PINNED };
        long u = kret(ioctl(dev, LAB_UDMABUF_CREATE, &c));
        mark("udmabuf_create: handle=ubB ino=%lu offset=0x0 size=0x%lx seals=0x%lx ret=%ld", b.ino, PINNED,
             seals < 0 ? 0 : seals, u);
        say("ubB: UDMABUF_CREATE of B offset=0x0 size=0x%lx seals=0x%lx ret=%ld", PINNED, seals, u);
        add_seals("B", "64 KiB of B pinned by ubB", &b, F_SEAL_WRITE, "F_SEAL_WRITE", &ms);
        say("  the call took %.1f ms", ms);
        if (u >= 0) {
            long cr = kret(close((int)u));
            mark("udmabuf_release: handle=ubB");
            say("close(ubB) ret=%ld", cr);
        }
        add_seals("B", "ubB released", &b, F_SEAL_WRITE, "F_SEAL_WRITE", &ms);
        say("  the call took %.1f ms", ms);
        close(dev);
    }

    /* 8: C without MFD_ALLOW_SEALING: memfd_create() left F_SEAL_SEAL on it */
    struct lab_file c = lab_memfd("seal-c", LEN, 0);
    say("memfd C (no MFD_ALLOW_SEALING) 1 MiB seals=0x%lx", lab_seals_of(c.fd));
    add_seals("C", "", &c, F_SEAL_WRITE, "F_SEAL_WRITE", NULL);

    close(a.fd);
    close(b.fd);
    close(c.fd);
    close(d.fd);
    return 0;
}
