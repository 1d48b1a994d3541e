/*
 * Seed 001: truncate or punch a hole in an fs-DAX file while an O_DIRECT read into a mapping of that
 * file is in flight (the read comes from the throttled disk, so it lasts about two seconds). The DAX
 * blocks are the read's target: ext4_break_layouts() -> dax_layout_busy_page_range() must wait for
 * the references the read holds. With "-munmap" the mapping is gone before the truncate:
 * dax_layout_busy_page_range() returns early when !mapping_mapped() (until 6.15), the blocks are
 * freed under the read. The lab's DAX filesystem is nearly full, so a file written after the truncate
 * (and a syncfs, which lets ext4 reuse freed blocks) gets those blocks; when the read lands after
 * that, it overwrites the new file's data (the program counts the pages).
 * A truncate that is never woken is interrupted by SIGALRM after 10 s (ret=-EINTR), so the run ends.
 * With "xfs" the file is on xfs -o dax (xfs_break_dax_layouts(); a filesystem with room, so a new file
 * need not get the freed blocks). With "allocate" the call is a fallocate() of mode 0 over the file's (allocated)
 * range, which needs no block of the nearly full filesystem: xfs_file_fallocate() breaks the layouts before any
 * mode and waits for the read, ext4_fallocate() does not.
 *   dax-truncate-dio [-m] truncate|punch|allocate|truncate-munmap|punch-munmap|uring-truncate [xfs]
 */
#include "lab.h"
#include <liburing.h>
#include <pthread.h>
#include <signal.h>

#define LEN (2 * MiB)

static struct lab_file src, victim;
static char victim_path[64], other_path[64];
static void *buf;
static int use_uring;
static double t0, t_dio_done;
static long dio_ret;

static void *dio_read(void *arg)
{
    (void)arg;
    mark("dio_submit: handle=dio ino=%lu offset=0 len=0x%lx buf=%p rw=read", src.ino, LEN, buf);
    if (use_uring) {
        struct io_uring ring;
        int r = io_uring_queue_init(4, &ring, 0);
        if (r == 0) {
            struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
            io_uring_prep_read(sqe, src.fd, buf, LEN, 0);
            io_uring_submit(&ring);
            struct io_uring_cqe *cqe;
            r = io_uring_wait_cqe(&ring, &cqe);
            if (r == 0) {
                r = cqe->res;
                io_uring_cqe_seen(&ring, cqe);
            }
            io_uring_queue_exit(&ring);
        }
        dio_ret = r;
    } else {
        dio_ret = kret(pread(src.fd, buf, LEN, 0));
    }
    t_dio_done = lab_now();
    mark("dio_complete: handle=dio ret=%ld", dio_ret);
    return NULL;
}

static void on_alarm(int sig)
{
    (void)sig;
}

int main(int argc, char **argv)
{
    argc = lab_init("dax-truncate-dio", argc, argv);
    const char *variant = argc > 1 ? argv[1] : "truncate";
    int punch = strncmp(variant, "punch", 5) == 0;
    int allocate = strcmp(variant, "allocate") == 0;
    int unmap_first = strstr(variant, "-munmap") != NULL;
    use_uring = strncmp(variant, "uring", 5) == 0;
    const char *dir = argc > 2 && strcmp(argv[2], "xfs") == 0 ? DIR_XDAX : DIR_DAX;
    snprintf(victim_path, sizeof victim_path, "%s/victim", dir);
    snprintf(other_path, sizeof other_path, "%s/other", dir);

    src = lab_file_open(SLOW_SRC, O_DIRECT);
    victim = lab_file_create(victim_path, LEN, 0);
    buf = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_SHARED, &victim, 0);

    struct sigaction sa = { .sa_handler = on_alarm };
    sigaction(SIGALRM, &sa, NULL);   /* no SA_RESTART: an interrupted wait returns -EINTR */

    lab_throttle_prime(&src);
    t0 = lab_now();
    pthread_t th;
    pthread_create(&th, NULL, dio_read, NULL);
    lab_sleep_ms(300);
    if (unmap_first) {
        lab_munmap(buf, LEN);
        say("munmap while the read is in flight");
    }
    alarm(10);
    double t1 = lab_now();
    long r;
    if (punch) {
        r = kret(fallocate(victim.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, LEN));
        mark("fallocate: ino=%lu mode=punch_hole offset=0 len=0x%lx ret=%ld", victim.ino, LEN, r);
    } else if (allocate) {
        r = kret(fallocate(victim.fd, 0, 0, LEN));
        mark("fallocate: ino=%lu mode=allocate offset=0 len=0x%lx ret=%ld", victim.ino, LEN, r);
    } else {
        r = kret(ftruncate(victim.fd, 0));
        mark("ftruncate: ino=%lu size=0 ret=%ld", victim.ino, r);
    }
    double t2 = lab_now();
    alarm(0);
    say("%s ret=%ld started at %.2fs, took %.2fs; read still in flight when it returned: %s",
        punch ? "punch" : allocate ? "allocate" : "truncate", r, t1 - t0, t2 - t1, t_dio_done == 0 ? "yes" : "no");

    /* Blocks freed under the read: a new file may be given them before the read lands. */
    struct lab_file other = { -1, 0, 0 };
    if (t_dio_done == 0 && r == 0 && !allocate) {
        syncfs(victim.fd);
        int dax;
        other.fd = open(other_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
        other.size = LEN;
        lab_file_marker(&other, lab_fs_of(other_path, &dax), 1);
        char *z = malloc(LEN);
        memset(z, 'Z', LEN);
        long w = kret(pwrite(other.fd, z, LEN, 0));
        fsync(other.fd);
        free(z);
        say("wrote %ld bytes of 'Z' to a new DAX file while the read was in flight (%s)", w,
            t_dio_done == 0 ? "still in flight" : "the read has ended meanwhile");
    }
    pthread_join(th, NULL);
    say("read ret=%ld took %.2fs", dio_ret, t_dio_done - t0);
    if (other.fd >= 0) {
        char *check = malloc(LEN);
        long n = pread(other.fd, check, LEN, 0);
        long bad = 0;
        for (long i = 0; i < n; i += (long)PAGE)
            bad += check[i] != 'Z';
        say("new file: %ld of %ld pages overwritten by the read into freed blocks", bad, n / (long)PAGE);
        free(check);
        close(other.fd);
    }
    if (!unmap_first)
        lab_munmap(buf, LEN);
    close(victim.fd);
    close(src.fd);
    unlink(other_path);
    return 0;
}
