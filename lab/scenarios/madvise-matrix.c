/*
 * madvise() judged by real kernels: every advice over every backing (do_madvise() -> madvise_walk_vmas()
 * -> madvise_vma_behavior(), madvise_populate()), the argument checks and holes, VM_LOCKED (MAP_LOCKED),
 * fork after MADV_DONTFORK / MADV_WIPEONFORK (dup_mmap(): the child's own madvise() and the parent's
 * process_vm_readv() of the child show which VMAs it got), MADV_DONTNEED on an io_uring registered buffer
 * (the pin keeps the old pages: a READ_FIXED lands where the task no longer looks) and MADV_REMOVE of an
 * fs-DAX range while an O_DIRECT read into it is in flight (ext4_break_layouts() waits).
 * Advice values are those of include/uapi/asm-generic/mman-common.h, so old headers do not matter.
 *   madvise-matrix [-m] [BACKING...]
 */
#include "lab-uring.h"
#include <pthread.h>
#include <signal.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define LEN (16 * PAGE)

static const struct {
    int advice;
    const char *name;
} advices[] = {
    { 0, "normal" }, { 1, "random" }, { 2, "sequential" }, { 3, "willneed" }, { 12, "mergeable" },
    { 13, "unmergeable" }, { 14, "hugepage" }, { 15, "nohugepage" }, { 16, "dontdump" }, { 17, "dodump" },
    { 10, "dontfork" }, { 11, "dofork" }, { 18, "wipeonfork" }, { 19, "keeponfork" }, { 20, "cold" },
    { 22, "populate_read" }, { 23, "populate_write" }, { 21, "pageout" }, { 8, "free" }, { 4, "dontneed" },
    { 24, "dontneed_locked" }, { 9, "remove" }, { 102, "guard_install" }, { 103, "guard_remove" },
    { 77, "77" },
};
#define NADVICES (sizeof advices / sizeof advices[0])

static long adv(const char *what, void *addr, size_t len, int advice, const char *name)
{
    long r = kret(syscall(SYS_madvise, addr, len, advice));
    mark("madvise: addr=0x%lx len=0x%zx advice=%s ret=%ld", (unsigned long)addr, len, name, r);
    say("%s madvise %s ret=%ld", what, name, r);
    return r;
}

/* Every advice over the whole buffer of each backing, its pages faulted in first. */
static void matrix(int argc, char **argv)
{
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, LEN);
        if (b->prot & PROT_WRITE) {
            lab_touch(buf.addr, buf.len, 'm');
        } else {
            volatile char sum = 0;
            for (size_t p = 0; p < buf.len; p += PAGE)
                sum += ((volatile char *)buf.addr)[p];
            mark("fault: addr=%p len=0x%zx write=0", buf.addr, buf.len);
        }
        for (unsigned a = 0; a < NADVICES; a++)
            adv(b->name, buf.addr, buf.len, advices[a].advice, advices[a].name);
        lab_buffer_free(&buf);
    }
}

/* do_madvise()'s argument checks and madvise_walk_vmas()' holes, on anonymous memory. */
static void arguments(void)
{
    char *p = lab_mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(p, 4 * PAGE, 'a');
    adv("unaligned", p + 1, PAGE, 4, "dontneed");
    adv("unaligned-len-0", p + 1, 0, 4, "dontneed");
    adv("len-0", p, 0, 4, "dontneed");
    adv("len-unaligned", p, PAGE + 1, 4, "dontneed");
    adv("len-wraps-to-0", p, (size_t)-1, 4, "dontneed");
    adv("end-wraps", p, (size_t)-(long)(16 * PAGE), 4, "dontneed");
    adv("unknown-advice", p, PAGE, 77, "77");
    adv("unknown-advice-unaligned", p + 1, PAGE, 77, "77");
    adv("unknown-advice-len-0", p, 0, 77, "77");
    adv("len-0-populate", p, 0, 23, "populate_write");

    /* [p, p+1) mapped, [p+1, p+2) a hole, [p+2, p+3) read-only, [p+3, p+4) mapped */
    lab_munmap(p + PAGE, PAGE);
    if (mprotect(p + 2 * PAGE, PAGE, PROT_READ) < 0)
        lab_die("mprotect");
    mark("mprotect: addr=%p len=0x%lx prot=r", p + 2 * PAGE, PAGE);
    adv("hole-middle", p, 4 * PAGE, 4, "dontneed");
    adv("hole-start", p + PAGE, 3 * PAGE, 4, "dontneed");
    adv("hole-only", p + PAGE, PAGE, 4, "dontneed");
    adv("hole-middle", p, 4 * PAGE, 3, "willneed");
    adv("hole-middle", p, 4 * PAGE, 16, "dontdump");
    adv("hole-only", p + PAGE, PAGE, 77, "77");
    adv("hole-then-readonly", p, 3 * PAGE, 23, "populate_write");
    adv("readonly-then-mapped", p + 2 * PAGE, 2 * PAGE, 23, "populate_write");
    adv("hole-middle", p, 4 * PAGE, 22, "populate_read");
    adv("hole-start", p + PAGE, 3 * PAGE, 22, "populate_read");
    adv("hole-then-readonly", p, 3 * PAGE, 8, "free");
    adv("hole-middle", p, 4 * PAGE, 18, "wipeonfork");
    lab_munmap(p, 4 * PAGE);

    /* VM_LOCKED: MAP_LOCKED (mlock_future) */
    char *l = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    if (l == MAP_FAILED)
        lab_die("mmap MAP_LOCKED");
    mark("mmap: addr=%p len=0x%lx prot=rw flags=private locked=1", l, 4 * PAGE);
    adv("locked", l, 4 * PAGE, 4, "dontneed");
    adv("locked", l, 4 * PAGE, 8, "free");
    adv("locked", l, 4 * PAGE, 20, "cold");
    adv("locked", l, 4 * PAGE, 102, "guard_install");
    adv("locked", l, 4 * PAGE, 103, "guard_remove");
    adv("locked", l, 4 * PAGE, 24, "dontneed_locked");
    adv("locked", l, 4 * PAGE, 23, "populate_write");
    lab_munmap(l, 4 * PAGE);
}

/*
 * fork() after MADV_DONTFORK (dup_mmap() skips VM_DONTCOPY) and MADV_WIPEONFORK (the child's VMA starts
 * empty): the parent reads the child's copies with process_vm_readv() (a kept page holds 'f', a wiped one 0),
 * then the child advises them itself.
 */
static void fork_matrix(void)
{
    struct buffer keep = lab_buffer(&lab_backings[0], LEN);
    struct buffer gone = lab_buffer(&lab_backings[0], LEN);
    struct buffer wipe = lab_buffer(&lab_backings[0], LEN);
    struct buffer shared = lab_buffer(&lab_backings[2], LEN); /* memfd-shared */
    struct buffer huge = lab_buffer(&lab_backings[13], LEN);  /* huge-anon-private */
    void *bufs[] = { keep.addr, gone.addr, wipe.addr, shared.addr, huge.addr };
    size_t lens[] = { keep.len, gone.len, wipe.len, shared.len, huge.len };
    const char *names[] = { "fork-kept", "fork-dontfork", "fork-wipeonfork", "fork-shared-dontfork",
                            "fork-huge-dontfork" };
    for (int i = 0; i < 5; i++)
        lab_touch(bufs[i], lens[i], 'f');
    adv("fork-dontfork", gone.addr, gone.len, 10, "dontfork");
    adv("fork-wipeonfork", wipe.addr, wipe.len, 18, "wipeonfork");
    adv("fork-shared-dontfork", shared.addr, shared.len, 10, "dontfork");
    adv("fork-huge-dontfork", huge.addr, huge.len, 10, "dontfork");

    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0)
        lab_die("pipe");
    pid_t pid = fork();
    if (pid < 0)
        lab_die("fork");
    if (pid == 0) {
        char c;
        if (read(down[0], &c, 1) < 0)
            lab_die("child pipe");
        for (int i = 0; i < 5; i++)
            adv(names[i], bufs[i], lens[i], 4, "dontneed");
        if (write(up[1], &c, 1) < 0)
            lab_die("child pipe");
        _exit(0);
    }
    char c;
    char *local = lab_mmap(HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
    lab_touch(local, HUGE, 'l');
    for (int i = 0; i < 5; i++) {
        struct iovec l = { local, PAGE }, r = { bufs[i], PAGE };
        long ret = kret(process_vm_readv(pid, &l, 1, &r, 1, 0));
        mark("process_vm_readv: pid=%d addr=%p len=0x%lx ret=%ld", pid, bufs[i], PAGE, ret);
        say("%s process_vm_readv of the child ret=%ld first byte %d", names[i], ret, ret > 0 ? local[0] : -1);
    }
    /* the child advises its copies once the parent has read them */
    if (write(down[1], "x", 1) < 0 || read(up[0], &c, 1) != 1)
        lab_die("pipe");
    waitpid(pid, NULL, 0);
    close(up[0]);
    close(up[1]);
    close(down[0]);
    close(down[1]);
    adv("fork-dontfork", gone.addr, gone.len, 11, "dofork");
    adv("fork-wipeonfork", wipe.addr, wipe.len, 19, "keeponfork");
    lab_munmap(local, HUGE);
    lab_buffer_free(&keep);
    lab_buffer_free(&gone);
    lab_buffer_free(&wipe);
    lab_buffer_free(&shared);
    lab_buffer_free(&huge);
}

/*
 * An io_uring registered buffer (long-term pins) advised away: MADV_DONTNEED (anonymous) and MADV_REMOVE
 * (memfd) zap the task's PTEs, the pins keep the old pages; a READ_FIXED afterwards lands in them and the
 * task, faulting in new pages, does not see it.
 */
static void pinned(void)
{
    struct io_uring ring;
    int r = io_uring_queue_init(4, &ring, 0);
    if (r < 0) {
        errno = -r;
        lab_die("io_uring_queue_init");
    }
    struct lab_file src = lab_file_create(DIR_EXT4 "/madv-src", LEN, 0);
    const struct backing *kinds[] = { &lab_backings[0], &lab_backings[2] };
    const int advice[] = { 4, 9 };
    const char *aname[] = { "dontneed", "remove" };
    for (int k = 0; k < 2; k++) {
        struct buffer buf = lab_buffer(kinds[k], LEN);
        lab_touch(buf.addr, buf.len, 'p');
        struct iovec iov = { buf.addr, buf.len };
        r = io_uring_register_buffers(&ring, &iov, 1);
        mark("io_uring_register_buffers: handle=pinned-%s addr=%p len=0x%zx ret=%d", kinds[k]->name, buf.addr,
             buf.len, r);
        say("pinned-%s register ret=%d", kinds[k]->name, r);
        char what[64];
        snprintf(what, sizeof what, "pinned-%s", kinds[k]->name);
        adv(what, buf.addr, buf.len, 10, "dontfork");
        adv(what, buf.addr, buf.len, advice[k], aname[k]);
        if (r == 0) {
            long n = lab_read_fixed(&ring, src.fd, buf.addr, PAGE, 0);
            say("%s READ_FIXED after %s ret=%ld; the task sees '%c' (the file holds '%c')", what, aname[k], n,
                ((char *)buf.addr)[0] ? ((char *)buf.addr)[0] : '0', 'a');
            r = io_uring_unregister_buffers(&ring);
            mark("io_uring_unregister_buffers: handle=pinned-%s", kinds[k]->name);
            say("%s unregister ret=%d", what, r);
        }
        lab_buffer_free(&buf);
    }
    io_uring_queue_exit(&ring);
    close(src.fd);
    unlink(DIR_EXT4 "/madv-src");
}

static struct lab_file slow;
static void *dax_buf;
static long dio_ret;
static double dio_done;

static void *dio_read(void *arg)
{
    (void)arg;
    mark("dio_submit: handle=dio ino=%lu offset=0 len=0x%lx buf=%p rw=read", slow.ino, MiB, dax_buf);
    dio_ret = kret(pread(slow.fd, dax_buf, MiB, 0));
    dio_done = lab_now();
    mark("dio_complete: handle=dio ret=%ld", dio_ret);
    return NULL;
}

static void on_alarm(int sig)
{
    (void)sig;
}

/*
 * MADV_REMOVE of an fs-DAX range under an O_DIRECT read: ext4_punch_hole() -> ext4_break_layouts() waits. A wait
 * that is never woken (6.1.y's O_DIRECT completion) is interrupted by SIGALRM after 10 s, so the run ends.
 */
static void dax_remove(void)
{
    struct sigaction sa = { .sa_handler = on_alarm };
    sigaction(SIGALRM, &sa, NULL);   /* no SA_RESTART: an interrupted wait returns -EINTR */
    slow = lab_file_open(SLOW_SRC, O_DIRECT);
    struct lab_file f = lab_file_create(DIR_DAX "/madv-remove", MiB, 0);
    dax_buf = lab_mmap(MiB, PROT_READ | PROT_WRITE, MAP_SHARED, &f, 0);
    lab_throttle_prime(&slow);
    pthread_t th;
    pthread_create(&th, NULL, dio_read, NULL);
    lab_sleep_ms(300);
    alarm(10);
    double t1 = lab_now();
    adv("dax-remove-under-dio", dax_buf, MiB, 9, "remove");
    double t2 = lab_now();
    alarm(0);
    say("dax-remove-under-dio took %.2fs; the read was still in flight when it returned: %s", t2 - t1,
        dio_done == 0 ? "yes" : "no");
    pthread_join(th, NULL);
    say("dax-remove-under-dio read ret=%ld", dio_ret);
    lab_munmap(dax_buf, MiB);
    close(f.fd);
    close(slow.fd);
    unlink(DIR_DAX "/madv-remove");
}

int main(int argc, char **argv)
{
    argc = lab_init("madvise-matrix", argc, argv);
    matrix(argc, argv);
    if (argc > 1)
        return 0;
    arguments();
    fork_matrix();
    pinned();
    dax_remove();
    return 0;
}
