/*
 * Adds a soft-RoCE device on a network interface, as iproute2's `rdma link add NAME type rxe netdev
 * NETDEV` does: one RDMA_NLDEV_CMD_NEWLINK request on a NETLINK_RDMA socket (every kernel of the lab;
 * rdma_rxe's old "add" module parameter is gone). Static, so the guest needs no iproute2.
 *   rxe-link NAME NETDEV
 */
#include <errno.h>
#include <linux/netlink.h>
#include <rdma/rdma_netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int put_str(char *buf, int off, unsigned short type, const char *s)
{
    struct nlattr *a = (struct nlattr *)(buf + off);
    a->nla_type = type;
    a->nla_len = (unsigned short)(NLA_HDRLEN + strlen(s) + 1);
    memcpy(buf + off + NLA_HDRLEN, s, strlen(s) + 1);
    return off + NLA_ALIGN(a->nla_len);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: rxe-link NAME NETDEV\n");
        return 2;
    }
    char buf[512] __attribute__((aligned(4))) = { 0 };
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    int off = NLMSG_HDRLEN;
    off = put_str(buf, off, RDMA_NLDEV_ATTR_DEV_NAME, argv[1]);
    off = put_str(buf, off, RDMA_NLDEV_ATTR_LINK_TYPE, "rxe");
    off = put_str(buf, off, RDMA_NLDEV_ATTR_NDEV_NAME, argv[2]);
    h->nlmsg_len = (unsigned)off;
    h->nlmsg_type = RDMA_NL_GET_TYPE(RDMA_NL_NLDEV, RDMA_NLDEV_CMD_NEWLINK);
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    h->nlmsg_seq = 1;
    int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_RDMA);
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    if (fd < 0 || sendto(fd, buf, (size_t)off, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
        perror("rxe-link: netlink");
        return 1;
    }
    char ack[512] __attribute__((aligned(4)));
    ssize_t n = recv(fd, ack, sizeof ack, 0);
    struct nlmsghdr *r = (struct nlmsghdr *)ack;
    if (n < (ssize_t)NLMSG_HDRLEN || r->nlmsg_type != NLMSG_ERROR) {
        fprintf(stderr, "rxe-link: no acknowledgement\n");
        return 1;
    }
    int err = ((struct nlmsgerr *)NLMSG_DATA(r))->error;
    if (err != 0) {
        fprintf(stderr, "rxe-link: %s on %s: %s\n", argv[1], argv[2], strerror(-err));
        return 1;
    }
    return 0;
}
