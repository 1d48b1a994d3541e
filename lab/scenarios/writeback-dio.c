/*
 * Seed 004: writeback cleans a folio that a GUP user is about to write. An ext4 file on the fast
 * disk is mapped shared and dirtied by the CPU; an O_DIRECT read from the throttled disk targets that
 * mapping (get_user_pages_fast() / iov_iter_get_pages(), in flight about two seconds) while the main
 * thread forces writeback of the file (fsync, or sync_file_range). Writeback cleans the folios and
 * write-protects the PTEs (folio_mkclean); the read then writes into clean folios behind the
 * filesystem's back and re-dirties them at completion (bio_check_pages_dirty). With "xfs" or "btrfs"
 * the file is on that filesystem's disk.
 *   writeback-dio [-m] fsync|sync_file_range [xfs|btrfs]
 */
#include "lab.h"
#include <pthread.h>

#define LEN (2 * MiB)

static struct lab_file src, file;
static void *buf;
static double t0, t_dio_done;
static long dio_ret;

static void *dio_read(void *arg)
{
    (void)arg;
    mark("dio_submit: handle=dio ino=%lu offset=0 len=0x%lx buf=%p rw=read", src.ino, LEN, buf);
    dio_ret = kret(pread(src.fd, buf, LEN, 0));
    t_dio_done = lab_now();
    mark("dio_complete: handle=dio ret=%ld", dio_ret);
    return NULL;
}

int main(int argc, char **argv)
{
    argc = lab_init("writeback-dio", argc, argv);
    const char *variant = argc > 1 ? argv[1] : "fsync";
    int sfr = strcmp(variant, "sync_file_range") == 0;
    const char *fs = argc > 2 ? argv[2] : "ext4";
    char path[64];
    snprintf(path, sizeof path, "%s/wb", strcmp(fs, "xfs") == 0 ? DIR_XFS : strcmp(fs, "btrfs") == 0 ? DIR_BTRFS : DIR_EXT4);

    src = lab_file_open(SLOW_SRC, O_DIRECT);
    file = lab_file_create(path, LEN, 0);
    buf = lab_mmap(LEN, PROT_READ | PROT_WRITE, MAP_SHARED, &file, 0);
    lab_touch(buf, LEN, 'x');

    lab_throttle_prime(&src);
    t0 = lab_now();
    pthread_t th;
    pthread_create(&th, NULL, dio_read, NULL);
    lab_sleep_ms(300);
    double t1 = lab_now();
    long r;
    if (sfr)
        r = kret(sync_file_range(file.fd, 0, LEN, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                                  SYNC_FILE_RANGE_WAIT_AFTER));
    else
        r = kret(fsync(file.fd));
    mark("writeback: ino=%lu offset=0 len=0x%lx ret=%ld", file.ino, LEN, r);
    double t2 = lab_now();
    say("%s ret=%ld started at %.2fs, took %.2fs; read still in flight when it returned: %s", variant, r,
        t1 - t0, t2 - t1, t_dio_done == 0 ? "yes" : "no");
    pthread_join(th, NULL);
    say("read ret=%ld took %.2fs", dio_ret, t_dio_done - t0);

    /* Is the file dirty again after the read? A second writeback writes what the read brought. */
    double t3 = lab_now();
    r = kret(fsync(file.fd));
    mark("writeback: ino=%lu offset=0 len=0x%lx ret=%ld", file.ino, LEN, r);
    say("fsync after the read ret=%ld took %.2fs", r, lab_now() - t3);
    lab_munmap(buf, LEN);
    close(file.fd);
    close(src.fd);
    return 0;
}
