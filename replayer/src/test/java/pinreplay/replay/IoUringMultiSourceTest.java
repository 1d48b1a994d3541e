package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * One io_uring fixed buffer over two adjacent mappings (the lab's iouring-span): before 6.5 io_uring walks the
 * pinned pages' VMAs itself; "disallow multi-source reg buffers" (6.4, and the 5.10.y and 6.1.y LTS as Debian
 * ships them) refuses a VMA whose file is not the first page's with -EINVAL, before the file-backed check's
 * -EOPNOTSUPP; from 6.5 GUP decides per VMA and a mix of anonymous and shmem memory registers.
 */
class IoUringMultiSourceTest {
    private static String register(String lower, String upper, String kernel) {
        String trace = Replays.lines("file: ino=20 fs=tmpfs dax=0 size=32768", "file: ino=21 fs=ext4 dax=0 size=32768",
                "mmap: addr=0x30000000 len=0x8000 prot=rw flags=" + lower,
                "mmap: addr=0x30008000 len=0x8000 prot=rw flags=" + upper,
                "fault: addr=0x30000000 len=0x10000 write=1",
                "io_uring_register_buffers: handle=b addr=0x30000000 len=0x10000");
        return Replays.text(trace, kernel, FaultPoints.NONE).result(6);
    }

    @ParameterizedTest(name = "{0}: {1} below {2}")
    @CsvSource({
        "5.10, private, shared ino=20 pgoff=0, -EINVAL",
        "6.1, private, shared ino=20 pgoff=0, -EINVAL",
        "6.4, private, shared ino=20 pgoff=0, -EINVAL",
        "6.5, private, shared ino=20 pgoff=0, 0",
        "6.12, private, shared ino=20 pgoff=0, 0",
        "6.1, private, private, 0",
        "6.3, private, shared ino=20 pgoff=0, 0",
        "6.1, shared ino=21 pgoff=0, private, -EOPNOTSUPP",
        "6.1, private, shared ino=21 pgoff=0, -EINVAL",
        "6.12, private, shared ino=21 pgoff=0, -EFAULT",
    })
    void aBufferOverTwoSourcesIsRefusedBefore65(String kernel, String lower, String upper, String expected) {
        assertEquals(expected, register(lower, upper, kernel));
    }
}
