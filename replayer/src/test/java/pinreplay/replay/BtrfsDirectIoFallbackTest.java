package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * btrfs's O_DIRECT and the page cache (traces/real/RELEASE/fs-dio-markers.txt): from 5.16 btrfs_direct_read() and
 * btrfs_direct_write() finish through the page cache what GUP could not pin (memfd_secret() memory: the CPU copies
 * it); from 6.14 (and 6.12.y) every write to a checksummed file goes through the page cache, GUP or not; a buffered
 * write faults its chunk of the buffer in whole before it copies (btrfs_buffered_write()), so a hole fails it.
 * Strict state: no result may rest on memory assumed from before the recording.
 */
class BtrfsDirectIoFallbackTest {
    private static final String FILE = "file: ino=258 fs=btrfs dax=0 size=65536 dev=0:23";

    /** {@code buffer}'s lines, the btrfs file, then one O_DIRECT request of 4 pages at 0x40000000, strict state. */
    private static Replays dio(String kernel, String rw, long offset, String... buffer) {
        String[] lines = Arrays.copyOf(buffer, buffer.length + 3);
        lines[buffer.length] = FILE;
        lines[buffer.length + 1] = "dio_submit: handle=d ino=258 dev=0:23 offset=" + offset + " len=0x4000 buf=0x40000000 rw="
                + rw;
        lines[buffer.length + 2] = "dio_complete: handle=d";
        return Replays.text(Replays.lines(lines), kernel, FaultPoints.NONE, true);
    }

    /** A 4-page memfd_secret() buffer, then one O_DIRECT request of it at {@code offset} (lines 5-6). */
    private static Replays secret(String rw, long offset, String kernel) {
        return dio(kernel, rw, offset, "file: ino=16254 fs=secretmem dax=0 size=16384 dev=0:13",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=shared ino=16254 pgoff=0",
                "fault: addr=0x40000000 len=0x4000 write=1");
    }

    @Test
    void gupRefusesSecretMemoryAndBtrfsCopiesItFrom516On() {
        for (String kernel : new String[] {"6.1", "6.12", "7.2"}) {
            assertEquals("16384", secret("write", 0, kernel).result(6), kernel);
            assertEquals("16384", secret("read", 0, kernel).result(6), kernel);
        }
        assertEquals("-EFAULT", secret("write", 0, "5.15").result(6), "5.15: iomap's -EFAULT stands");
    }

    @Test
    void anUnalignedRequestIsBufferedOnEveryRelease() {
        assertEquals("16384", secret("write", 1, "5.15").result(6));
        assertEquals("16384", secret("read", 1, "5.15").result(6));
    }

    /** Four anonymous pages, the third unmapped; an O_DIRECT request of all four at {@code offset} (lines 6-7). */
    private static Replays holed(String rw, long offset, String kernel) {
        return dio(kernel, rw, offset, "mmap: addr=0x40000000 len=0x4000 prot=rw flags=private",
                "fault: addr=0x40000000 len=0x4000 write=1",
                "munmap: addr=0x40002000 len=0x1000",
                "mmap: addr=0x50000000 len=0x1000 prot=rw flags=private");
    }

    @Test
    void aBufferedWriteFaultsItsChunkInWholeSoAHoleFailsIt() {
        for (String kernel : new String[] {"5.10", "6.1", "6.12", "7.2"}) {
            assertEquals("-EFAULT", holed("write", 1, kernel).result(7), kernel + " unaligned");
            assertEquals("-EFAULT", holed("write", 0, kernel).result(7), kernel + " aligned");
        }
    }

    /**
     * copy_one_range() (6.15+) faults in one folio of the mapping's largest size at a time, aligned in the file: a page
     * until btrfs takes large data folios (6.18.44 wrote the 8192 bytes before the hole, 8191 from offset 1), 256 KiB
     * after (7.2.13: the first chunk holds the hole, -EFAULT).
     */
    @Test
    void aBufferedWriteStopsAtTheFirstFolioItCannotFaultIn() {
        assertEquals("8192", holed("write", 0, "6.18").result(7), "the two pages before the hole");
        assertEquals("8191", holed("write", 1, "6.18").result(7), "pages of the file from offset 1: 4095 + 4096 bytes");
        assertEquals("-EFAULT", holed("write", 0, "6.19").result(7), "a 256 KiB folio holds the hole");
    }

    @Test
    void aReadKeepsWhatItGotBeforeTheHole() {
        assertEquals("8192", holed("read", 1, "5.10").result(7), "filemap_read() stops at the fault");
        assertEquals("8192", holed("read", 0, "6.1").result(7), "the pinned pages, then the page cache's copy");
        assertEquals("-EFAULT", holed("read", 0, "5.10").result(7), "before 5.16 iomap's -EFAULT stands");
    }

    /**
     * An ext4-like cached page 0 of the btrfs file, mapped by nobody, and page 1 mapped shared; an aligned O_DIRECT write
     * of pages 0-1 from anonymous memory, then FOLL_NOFAULT pins of the shared mapping's page 1 (line 10).
     */
    private static Replays cachedThenWritten(String kernel) {
        return Replays.text(Replays.lines(
                "mm_filemap_add_to_page_cache: dev 0:23 ino 102 pfn=0x1000 ofs=0 order=0",
                "mm_filemap_add_to_page_cache: dev 0:23 ino 102 pfn=0x1001 ofs=4096 order=0",
                FILE,
                "mmap: addr=0x30000000 len=0x2000 prot=rw flags=shared ino=258 pgoff=0",
                "fault: addr=0x30001000 len=0x1000 write=0",
                "mmap: addr=0x40000000 len=0x2000 prot=rw flags=private",
                "fault: addr=0x40000000 len=0x2000 write=1",
                "dio_submit: handle=d ino=258 dev=0:23 offset=0 len=0x2000 buf=0x40000000 rw=write",
                "dio_complete: handle=d",
                "pin_user_pages_fast: start=0x30001000 nr_pages=1 gup_flags=FOLL_NOFAULT handle=a"), kernel, FaultPoints.NONE, true);
    }

    @Test
    void aWriteThroughThePageCacheLeavesMappedPagesMapped() {
        Replays buffered = cachedThenWritten("6.12");
        assertEquals("8192", buffered.result(9), buffered.jsonl());
        assertEquals("1", buffered.result(10), "invalidate_mapping_pages() unmaps nothing: " + buffered.jsonl());
        assertNull(buffered.call(10).assumed, buffered.jsonl());
        Replays direct = cachedThenWritten("6.1");
        assertEquals("-EFAULT", direct.result(10), "invalidate_inode_pages2_range() zapped it: " + direct.jsonl());
    }

    /**
     * A write whose file the recording never declared, from memfd_secret() memory GUP refuses: btrfs (6.14+, 6.12.y)
     * would have copied it through its page cache, so a recorded success says the file is btrfs; the device's other
     * files say it first where the line names it (dev=0:23, declared by file 258: fuzz-deeper-608-markers on 7.2.13
     * cut at 3 % to 65 %).
     */
    @Test
    void aWriteToAFileTheRecordingNeverDeclaredIsTheDevicesKind() {
        String[] secret = {"file: ino=16254 fs=secretmem dax=0 size=16384 dev=0:13",
            "mmap: addr=0x40000000 len=0x4000 prot=rw flags=shared ino=16254 pgoff=0",
            "fault: addr=0x40000000 len=0x4000 write=1"};
        Replays sibling = Replays.text(Replays.lines(secret[0], secret[1], secret[2], FILE,
                "dio_submit: handle=d ino=262 dev=0:23 offset=0 len=0x4000 buf=0x40000000 rw=write",
                "dio_complete: handle=d"), "7.2", FaultPoints.NONE);
        assertEquals("16384", sibling.result(6), sibling.jsonl());
        assertTrue(sibling.call(5).assumed.contains("btrfs file made before the recording"), sibling.jsonl());
        Replays unknown = Replays.text(Replays.lines(secret[0], secret[1], secret[2],
                "dio_submit: handle=d ino=262 offset=0 len=0x4000 buf=0x40000000 rw=write",
                "dio_complete: handle=d ret=16384"), "7.2", FaultPoints.NONE);
        assertEquals("16384", unknown.result(5), unknown.jsonl());
        assertTrue(unknown.call(5).assumed.contains("is btrfs"), unknown.jsonl());
        assertEquals(0, unknown.summary.divergences, unknown.jsonl());
    }

    /**
     * The same request on 6.1, a write and a read: btrfs_direct_write() and btrfs_direct_read() (5.16+) fault the buffer
     * in after GUP refused it and, with no progress, finish through the page cache (-ENOTBLK; "ret = read", then
     * filemap_read()), so a recorded byte count of a file the recording never declared says btrfs (6.1.176
     * fuzz-deepest-809-markers and -810-markers cut at 10 % to 35 %); 5.15's btrfs had no such retry (and 5.10 no
     * memfd_secret()): -EFAULT.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"write", "read"})
    void aRequestGupRefusedOnAFileNeverDeclaredWentThroughBtrfssPageCacheFrom516(String rw) {
        String[] events = {"file: ino=16254 fs=secretmem dax=0 size=16384 dev=0:13",
            "mmap: addr=0x40000000 len=0x4000 prot=rw flags=shared ino=16254 pgoff=0",
            "fault: addr=0x40000000 len=0x4000 write=1",
            "dio_submit: handle=d ino=262 offset=0 len=0x2000 buf=0x40000000 rw=" + rw,
            "dio_complete: handle=d ret=8192"};
        Replays r = Replays.text(Replays.lines(events), "6.1", FaultPoints.NONE);
        assertEquals("8192", r.result(5), r.jsonl());
        assertTrue(r.call(5).assumed.contains("is btrfs"), r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals(1, Replays.text(Replays.lines(events), "5.15", FaultPoints.NONE).summary.divergences);
    }
}
