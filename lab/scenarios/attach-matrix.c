/*
 * Memory that existed before the recording: every backing is mapped, its file made and the io_uring
 * ring set up before `pinreplay record --pid` attaches; then each buffer is registered as a fixed
 * buffer (long-term pin), unregistered, and filled by a 16-page O_DIRECT read (short-term GUP). The
 * replay knows these mappings only from the recorder's snapshot (its vma and file lines, from
 * /proc/PID/maps and mountinfo) and the ring as one older than the recording.
 *   attach-matrix [BACKING...]   (writes its pid to /tmp/attach.ready, then waits for the recorder)
 */
#include "lab.h"
#include <liburing.h>

#define LEN (16 * PAGE)
#define INSTANCE "/sys/kernel/tracing/instances/pinreplay"

/* The first bytes of PATH, or "" when it cannot be read. */
static void read_file(const char *path, char *buf, size_t n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t r = fd < 0 ? -1 : read(fd, buf, n - 1);
    buf[r > 0 ? r : 0] = '\0';
    if (fd >= 0)
        close(fd);
}

/*
 * Says where it is, then waits until the recorder traces it (at most a minute): its pid in the instance's
 * set_event_pid, which the recorder writes after its snapshot, and tracing_on 1 (a new instance starts with
 * tracing on, before the snapshot: that alone would race it).
 */
static void wait_for_recorder(void)
{
    FILE *f = fopen("/tmp/attach.ready.tmp", "w");
    if (f == NULL || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0
        || rename("/tmp/attach.ready.tmp", "/tmp/attach.ready") != 0)
        lab_die("/tmp/attach.ready");
    char me[32], pids[4096], on[4];
    snprintf(me, sizeof me, "%d", (int)getpid());
    for (int i = 0; i < 600; i++) {
        read_file(INSTANCE "/set_event_pid", pids, sizeof pids);
        read_file(INSTANCE "/tracing_on", on, sizeof on);
        int listed = 0;
        for (char *t = strtok(pids, " \n"); t != NULL; t = strtok(NULL, " \n"))
            listed |= strcmp(t, me) == 0;
        if (listed && on[0] == '1') {
            lab_sleep_ms(200);
            return;
        }
        lab_sleep_ms(100);
    }
    lab_die("no recorder attached");
}

int main(int argc, char **argv)
{
    argc = lab_init("attach-matrix", argc, argv);
    struct io_uring ring;
    int r = io_uring_queue_init(8, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    struct lab_file src = lab_file_create(DIR_EXT4 "/attach-src", LEN, O_DIRECT);
    struct buffer bufs[LAB_NBACKINGS];
    unsigned n = 0;
    for (unsigned i = 0; i < LAB_NBACKINGS; i++)
        if (lab_selected(&lab_backings[i], argc, argv))
            bufs[n++] = lab_buffer(&lab_backings[i], LEN);
    wait_for_recorder();
    for (unsigned i = 0; i < n; i++) {
        struct iovec iov = { bufs[i].addr, bufs[i].len };
        r = io_uring_register_buffers(&ring, &iov, 1);
        say("%s register ret=%d", bufs[i].b->name, r);
        if (r == 0)
            say("%s unregister ret=%d", bufs[i].b->name, io_uring_unregister_buffers(&ring));
        say("%s pread ret=%ld", bufs[i].b->name, kret(pread(src.fd, bufs[i].addr, LEN, 0)));
    }
    for (unsigned i = 0; i < n; i++)
        lab_buffer_free(&bufs[i]);
    io_uring_queue_exit(&ring);
    close(src.fd);
    return 0;
}
