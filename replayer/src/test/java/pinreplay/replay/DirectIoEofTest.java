package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * O_DIRECT reads that cross i_size and requests of no byte, as fs/iomap/direct-io.c, fs/ext4/file.c and fs/xfs/
 * xfs_file.c of the 5.10.262, 6.1.176, 6.12.117 and 7.2.13 trees serve them: the bio reads the last block whole
 * (its alignment is checked up to that block's end) and iomap_dio_complete() reports the bytes up to i_size; from
 * 5.15 the request goes on past i_size, where iomap_dio_hole_iter() zeroes the buffer.
 */
class DirectIoEofTest {
    private static Replays replay(String kernel, String fs, long size, String... events) {
        String[] all = new String[events.length + 2];
        all[0] = "file: ino=20 fs=" + fs + " dax=0 size=" + size;
        all[1] = "mmap: addr=0x30000000 len=0x10000 prot=rw flags=private";
        System.arraycopy(events, 0, all, 2, events.length);
        return Replays.text(Replays.lines(all), kernel, FaultPoints.NONE);
    }

    /** A file of 1000 bytes: 4096 from 0 and 512 from 512 are aligned (1000 and 488 come back); 1000 from 0 is not. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "5.10 | ext4 | offset=0 len=0x1000 | 1000",
        "6.1  | xfs  | offset=0 len=0x1000 | 1000",
        "6.12 | ext4 | offset=512 len=0x200 | 488",
        "7.2  | xfs  | offset=512 len=0x200 | 488",
        "6.1  | ext4 | offset=0 len=1000 | -EINVAL",
    })
    void aReadOfThePartialLastBlockReturnsTheBytesUpToISize(String kernel, String fs, String request, String expected) {
        Replays r = replay(kernel, fs, 1000, "dio_submit: handle=d ino=20 " + request + " buf=0x30000000 rw=read",
                "dio_complete: handle=d");
        assertEquals(expected, r.result(4), r.jsonl());
    }

    /**
     * A file of one page read 8 KiB into a buffer whose second page is read-only: 5.10's iomap_dio_rw() stops at i_size
     * (4096); from 5.15 iov_iter_zero() cannot write the second page, so the read is -EFAULT.
     */
    @ParameterizedTest
    @CsvSource({"5.10,4096", "6.1,-EFAULT", "6.12,-EFAULT", "7.2,-EFAULT"})
    void aReadPastISizeZeroesTheRestOfTheBufferFrom515(String kernel, String expected) {
        Replays r = replay(kernel, "ext4", 4096,
                "mmap: addr=0x20000000 len=0x1000 prot=rw flags=private",
                "mmap: addr=0x20001000 len=0x1000 prot=r flags=private",
                "dio_submit: handle=d ino=20 offset=0 len=0x2000 buf=0x20000000 rw=read",
                "dio_complete: handle=d",
                "dio_submit: handle=e ino=20 offset=0 len=0x2000 buf=0x30000000 rw=read",
                "dio_complete: handle=e");
        assertEquals(expected, r.result(6), r.jsonl());
        assertEquals("4096", r.result(8), "a writable buffer is zeroed past i_size; the read returns up to i_size");
    }

    /** ext4_file_read_iter(), xfs_file_dio_read() "if (!iov_iter_count(to)) return 0"; generic_write_checks_count(). */
    @ParameterizedTest
    @CsvSource({"5.10,ext4,read", "6.1,xfs,write", "7.2,ext4,write"})
    void aRequestOfNoByteIsZero(String kernel, String fs, String rw) {
        Replays r = replay(kernel, fs, 65536, "dio_submit: handle=d ino=20 offset=0 len=0 buf=0x30000000 rw=" + rw,
                "dio_complete: handle=d");
        assertEquals("0", r.result(3), r.jsonl());
        assertEquals("0", r.result(4), r.jsonl());
    }

    /**
     * xfs_file_dio_write(): a position or length not aligned to the sector is -EINVAL before iomap_dio_rw() writes back
     * or invalidates the page cache, so a pinned page-cache page of the file is not discarded.
     */
    @Test
    void xfsRefusesAMisalignedWriteBeforeTouchingThePageCache() {
        Replays r = replay("6.12", "xfs", 65536,
                "mmap: addr=0x50000000 len=0x1000 prot=rw flags=shared ino=20",
                "fault: addr=0x50000000 len=0x1000 write=1",
                "pin_user_pages: start=0x50000000 nr_pages=1 gup_flags=FOLL_WRITE",
                "dio_submit: handle=d ino=20 offset=1 len=0x1000 buf=0x30000000 rw=write",
                "dio_complete: handle=d");
        assertEquals("-EINVAL", r.result(6), r.jsonl());
        assertFalse(r.jsonl().contains("pinned-page-discarded"), r.jsonl());
    }
}
