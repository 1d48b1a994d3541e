package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * O_DIRECT as each filesystem serves it, as the lab's fs-dio recorded it on 5.10, 6.1, 6.12 and 7.2: ext4 and xfs
 * refuse a request not aligned to the logical block size (iomap_dio_bio_iter()), btrfs serves it through the page
 * cache (check_direct_IO()), fs-DAX copies with the CPU (dax_iomap_rw()); a read ends at i_size; a buffer GUP gets
 * in part fails the request, but a btrfs read since 5.16 returns what it got, and a CPU copy what it copied.
 */
class DirectIoFilesystemsTest {
    private static final String BUF = "mmap: addr=0x30000000 len=0x10000 prot=rw flags=private";
    private static final String TOUCH = "fault: addr=0x30000000 len=0x10000 write=1";
    /** Four pages at 0x40000000, the third unmapped. */
    private static final String[] HOLED = {"mmap: addr=0x40000000 len=0x4000 prot=rw flags=private",
        "fault: addr=0x40000000 len=0x4000 write=1", "munmap: addr=0x40002000 len=0x1000"};

    private static Replays replay(String kernel, String fs, String request) {
        String dax = fs.endsWith("-dax") ? "1" : "0";
        String name = fs.replace("-dax", "");
        return Replays.text(Replays.lines("file: ino=20 fs=" + name + " dax=" + dax + " size=65536", BUF, TOUCH,
                HOLED[0], HOLED[1], HOLED[2], "dio_submit: handle=d ino=20 " + request, "dio_complete: handle=d"),
                kernel, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        // iomap: 512-byte alignment of position, length and buffer
        "6.1  | ext4      | offset=0 len=0x4000 buf=0x30000200 rw=read   | 16384",
        "6.1  | ext4      | offset=0 len=0x4000 buf=0x30000001 rw=read   | -EINVAL",
        "5.10 | xfs       | offset=1 len=0x4000 buf=0x30000000 rw=write  | -EINVAL",
        "7.2  | xfs       | offset=0 len=0x64 buf=0x30000000 rw=read     | -EINVAL",
        // btrfs: not sector-aligned goes through the page cache
        "6.12 | btrfs     | offset=1 len=0x4000 buf=0x30000001 rw=write  | 16384",
        "5.10 | btrfs     | offset=0 len=0x64 buf=0x30000000 rw=read     | 100",
        // fs-DAX: the CPU copies, any alignment
        "6.1  | ext4-dax  | offset=1 len=0x4000 buf=0x30000001 rw=read   | 16384",
        "7.2  | xfs-dax   | offset=0 len=0x64 buf=0x30000000 rw=write    | 100",
        // a read ends at i_size (16 pages): 2 pages left, none left
        "6.1  | ext4      | offset=0xe000 len=0x4000 buf=0x30000000 rw=read  | 8192",
        "5.10 | btrfs     | offset=0x10000 len=0x4000 buf=0x30000000 rw=read | 0",
        "6.12 | xfs-dax   | offset=0xe000 len=0x4000 buf=0x30000000 rw=read  | 8192",
        // a buffer with its third page unmapped
        "6.1  | xfs       | offset=0 len=0x4000 buf=0x40000000 rw=read   | -EFAULT",
        "5.10 | btrfs     | offset=0 len=0x4000 buf=0x40000000 rw=read   | -EFAULT",
        "6.1  | btrfs     | offset=0 len=0x4000 buf=0x40000000 rw=read   | 8192",
        "7.2  | btrfs     | offset=0 len=0x4000 buf=0x40000000 rw=write  | -EFAULT",
        "6.1  | ext4-dax  | offset=0 len=0x4000 buf=0x40000000 rw=write  | 8192",
        "6.1  | ext4-dax  | offset=0 len=0x2000 buf=0x40002000 rw=read   | -EFAULT",
    })
    void asTheFilesystemServesIt(String kernel, String fs, String request, String expected) {
        Replays r = replay(kernel, fs, request);
        assertEquals(expected, r.result(8), r.jsonl());
    }

    /**
     * Two filesystems' files with one number (xfs and xfs -o dax both start at 131): {@code dev=} says which a request
     * reads; without it the model knows neither, and only GUP decides (the whole buffer is got).
     */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {"dev=259:1 | 8192", "dev=254:48 | -EFAULT", "'' | -EFAULT"})
    void aNumberTwoFilesystemsShareNeedsItsDevice(String dev, String expected) {
        Replays r = Replays.text(Replays.lines("file: ino=131 fs=xfs dax=0 size=65536 dev=254:48",
                "file: ino=131 fs=xfs dax=1 size=65536 dev=259:1", BUF, TOUCH, HOLED[0], HOLED[1], HOLED[2],
                "dio_submit: handle=d ino=131 " + dev + " offset=0 len=0x4000 buf=0x40000000 rw=read",
                "dio_complete: handle=d"), "6.1", FaultPoints.NONE);
        assertEquals(expected, r.result(9), r.jsonl());
    }

    /**
     * tmpfs takes O_DIRECT from 6.6 on, as buffered I/O (the CPU copies up to the hole); named by its number alone a
     * tmpfs file is taken for another file of that number (memfd numbers collide with disk files'), and GUP decides.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {"6.12 | dev=0:30 | 8192", "6.12 | '' | -EFAULT", "6.1 | dev=0:30 | -EFAULT"})
    void tmpfsCopiesFrom66(String kernel, String dev, String expected) {
        Replays r = Replays.text(Replays.lines("file: ino=12 fs=tmpfs dax=0 size=65536 dev=0:30", BUF, TOUCH,
                HOLED[0], HOLED[1], HOLED[2],
                "dio_submit: handle=d ino=12 " + dev + " offset=0 len=0x4000 buf=0x40000000 rw=read",
                "dio_complete: handle=d"), kernel, FaultPoints.NONE);
        assertEquals(expected, r.result(8), r.jsonl());
    }

    /** A write past the end moves i_size (iomap_dio_complete()): a read there then finds data. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ext4", "btrfs", "xfs-dax"})
    void aWritePastTheEndExtendsTheFile(String fs) {
        String dax = fs.endsWith("-dax") ? "1" : "0";
        Replays r = Replays.text(Replays.lines("file: ino=20 fs=" + fs.replace("-dax", "") + " dax=" + dax
                + " size=65536", BUF, TOUCH,
                "dio_submit: handle=w ino=20 offset=0xe000 len=0x4000 buf=0x30000000 rw=write", "dio_complete: handle=w",
                "dio_submit: handle=r ino=20 offset=0x10000 len=0x4000 buf=0x30000000 rw=read", "dio_complete: handle=r"),
                "6.1", FaultPoints.NONE);
        assertEquals("16384", r.result(5), r.jsonl());
        assertEquals("8192", r.result(7), "the file now ends 2 pages past its old end");
    }
}
