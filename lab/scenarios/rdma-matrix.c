/*
 * RDMA memory registration over soft-RoCE (rdma_rxe on the guest's virtio NIC) on every backing:
 * ibv_reg_mr() -> ib_uverbs_reg_mr() -> rxe_reg_user_mr() -> ib_umem_get(), which pins the region
 * FOLL_LONGTERM (FOLL_WRITE for a writable MR; before 6.2 FOLL_WRITE|FOLL_FORCE for a read-only one),
 * then ibv_dereg_mr() (ib_umem_release()). Each buffer is 16 pages, registered untouched, first with
 * IBV_ACCESS_LOCAL_WRITE (handle NAME), then read-only (access 0, handle NAME-ro). Then ib_umem_get()'s
 * own refusals: no page, a range past the end of the address space, a range that runs into a hole.
 * IBV_ACCESS_ON_DEMAND (no pin: ib_umem_odp_get()) is tried on anonymous memory and only printed.
 *   rdma-matrix [-m] [BACKING...]
 */
#include "lab.h"
#include <infiniband/verbs.h>

static struct ibv_pd *pd;

/* ibv_reg_mr() and, when it succeeded, ibv_dereg_mr(), each with its marker. */
static void reg_dereg(const char *handle, void *addr, size_t len, int access)
{
    struct ibv_mr *mr = ibv_reg_mr(pd, addr, len, access);
    int r = mr ? 0 : -errno;
    mark("rdma_reg_mr: handle=%s addr=%p len=0x%zx access=%s ret=%d", handle, addr, len,
         (access & IBV_ACCESS_LOCAL_WRITE) ? "write" : "read", r);
    say("%s reg_mr ret=%d", handle, r);
    if (mr == NULL)
        return;
    r = ibv_dereg_mr(mr);
    mark("rdma_dereg_mr: handle=%s", handle);
    say("%s dereg_mr ret=%d", handle, r == 0 ? 0 : -r);
}

static void odp(void)
{
    struct ibv_device_attr_ex attr;
    memset(&attr, 0, sizeof attr);
    int r = ibv_query_device_ex(pd->context, NULL, &attr);
    say("odp: query ret=%d general_caps=0x%lx rc_odp_caps=0x%x", -r, (unsigned long)attr.odp_caps.general_caps,
        attr.odp_caps.per_transport_caps.rc_odp_caps);
    struct buffer buf = lab_buffer(&lab_backings[0], 16 * PAGE);
    struct ibv_mr *mr = ibv_reg_mr(pd, buf.addr, buf.len, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_ON_DEMAND);
    say("odp: anon-private reg_mr ret=%d", mr ? 0 : -errno);
    if (mr)
        say("odp: anon-private dereg_mr ret=%d", -ibv_dereg_mr(mr));
    lab_buffer_free(&buf);
}

int main(int argc, char **argv)
{
    argc = lab_init("rdma-matrix", argc, argv);
    int n = 0;
    struct ibv_device **list = ibv_get_device_list(&n);
    if (list == NULL || n == 0)
        lab_die("ibv_get_device_list (no RDMA device)");
    struct ibv_context *ctx = ibv_open_device(list[0]);
    if (ctx == NULL)
        lab_die("ibv_open_device");
    pd = ibv_alloc_pd(ctx);
    if (pd == NULL)
        lab_die("ibv_alloc_pd");
    say("device %s", ibv_get_device_name(list[0]));
    for (unsigned i = 0; i < LAB_NBACKINGS; i++) {
        const struct backing *b = &lab_backings[i];
        if (!lab_selected(b, argc, argv))
            continue;
        struct buffer buf = lab_buffer(b, 16 * PAGE);
        char ro[64];
        snprintf(ro, sizeof ro, "%s-ro", b->name);
        reg_dereg(b->name, buf.addr, buf.len, IBV_ACCESS_LOCAL_WRITE);
        reg_dereg(ro, buf.addr, buf.len, 0);
        lab_buffer_free(&buf);
    }
    if (argc <= 1) {
        struct buffer buf = lab_buffer(&lab_backings[0], 16 * PAGE);
        reg_dereg("zero-length", buf.addr, 0, IBV_ACCESS_LOCAL_WRITE);
        /* ib_umem_get(): addr + size wraps past the end of the address space */
        reg_dereg("wrapping", buf.addr, (size_t)0 - (uintptr_t)buf.addr + PAGE, IBV_ACCESS_LOCAL_WRITE);
        /* the second half unmapped: pin_user_pages_fast() stops at the hole */
        lab_munmap((char *)buf.addr + 8 * PAGE, 8 * PAGE);
        reg_dereg("into-hole", buf.addr, 16 * PAGE, IBV_ACCESS_LOCAL_WRITE);
        reg_dereg("hole", (char *)buf.addr + 8 * PAGE, 8 * PAGE, IBV_ACCESS_LOCAL_WRITE);
        lab_munmap(buf.addr, 8 * PAGE);
        odp();
    }
    ibv_dealloc_pd(pd);
    ibv_close_device(ctx);
    ibv_free_device_list(list);
    return 0;
}
