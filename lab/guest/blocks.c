/*
 * Ships a filesystem image as its non-zero 4 KiB blocks, so the guest writes a few hundred blocks
 * onto the (zeroed) emulated pmem instead of the whole image:
 *   blocks pack IMAGE > STREAM        (host)
 *   blocks unpack DEVICE < STREAM     (guest)
 * STREAM: records of an 8-byte little-endian offset followed by 4096 bytes of data.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 4096

static int fail(const char *what)
{
    perror(what);
    return 1;
}

int main(int argc, char **argv)
{
    static char buf[BLOCK], zero[BLOCK];
    if (argc != 3 || (strcmp(argv[1], "pack") != 0 && strcmp(argv[1], "unpack") != 0)) {
        fprintf(stderr, "usage: blocks pack IMAGE > STREAM | blocks unpack DEVICE < STREAM\n");
        return 2;
    }
    int pack = strcmp(argv[1], "pack") == 0;
    int fd = open(argv[2], pack ? O_RDONLY : O_WRONLY);
    if (fd < 0)
        return fail(argv[2]);
    uint64_t off = 0, n = 0;
    if (pack) {
        for (ssize_t r; (r = pread(fd, buf, BLOCK, (off_t)off)) > 0; off += BLOCK) {
            if (memcmp(buf, zero, (size_t)r) == 0)
                continue;
            memset(buf + r, 0, BLOCK - (size_t)r);
            if (fwrite(&off, 8, 1, stdout) != 1 || fwrite(buf, BLOCK, 1, stdout) != 1)
                return fail("stdout");
            n++;
        }
    } else {
        while (fread(&off, 8, 1, stdin) == 1) {
            if (fread(buf, BLOCK, 1, stdin) != 1)
                return fail("truncated stream");
            if (pwrite(fd, buf, BLOCK, (off_t)off) != BLOCK)
                return fail(argv[2]);
            n++;
        }
        if (fsync(fd) < 0)
            return fail("fsync");
    }
    fprintf(stderr, "blocks: %s %llu blocks\n", argv[1], (unsigned long long)n);
    return 0;
}
